"""The shape of one entry in the action table."""

from __future__ import annotations

from dataclasses import dataclass

from riconnect.api.params import Bool, Int, Param, Str
from riconnect.service.context import Handler

VPC_VERSION = "2016-04-28"
STS_VERSION = "2015-04-01"


@dataclass(frozen=True)
class Action:
    name: str
    version: str
    handler: Handler
    params: tuple[Param, ...] = ()
    # "required": RegionId must name a known region; "optional": checked when given;
    # "none": the action is global (STS).
    region: str = "required"
    writes: bool = False


# Parameters shared by many actions.
REGION = Str("RegionId")
CLIENT_TOKEN = Str("ClientToken", max_len=64)
DRY_RUN = Bool("DryRun")
PAGE = (Int("PageNumber", min=1, max=10**6, default=1), Int("PageSize", min=1, max=50, default=10))
