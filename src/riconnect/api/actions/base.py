"""The shape of the action table: products, actions, and parameters several actions share.

An :class:`Action` names its :class:`Product`; the gateway picks an action by
``(Version, Action)`` and takes the ``HostId`` of an error answer from the action's product.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from riconnect.api.params import Bool, Int, Param, Str, Tags
from riconnect.service.context import Handler


@dataclass(frozen=True)
class Product:
    """One Alibaba Cloud API served on riconnect's port."""

    name: str  # as in the product's endpoint and SDK: "Vpc", "Sts"
    version: str  # the API version its actions answer to, e.g. "2016-04-28"
    host: str  # its public endpoint, the HostId of its error answers


# Vpc's actions span several areas (vpc, regions, router interfaces, VBRs), so it is
# declared here; a product with one area declares itself in its module (see sts.py).
VPC = Product("Vpc", "2016-04-28", "vpc.aliyuncs.com")


@dataclass(frozen=True)
class Action:
    name: str
    product: Product
    handler: Handler
    params: tuple[Param, ...] = ()
    # "required": RegionId must name a known region; "optional": checked when given;
    # "none": the action is global (STS).
    region: Literal["required", "optional", "none"] = "required"
    writes: bool = False

    @property
    def version(self) -> str:
        return self.product.version


# Parameters shared by many actions.
CLIENT_TOKEN = Str("ClientToken", max_len=64)
DRY_RUN = Bool("DryRun")
PAGE = (Int("PageNumber", min=1, max=10**6, default=1), Int("PageSize", min=1, max=50, default=10))
# Router interfaces and VBRs: Terraform sends Tag.N.* where the SDK names Tags.N.* (both are
# accepted).
RESOURCE_TAGS = Tags("Tags", aliases=("Tag",), max_items=20)
