"""Vpc DescribeRegions."""

from __future__ import annotations

from riconnect.api.actions.base import VPC, Action
from riconnect.api.params import Str
from riconnect.service import regions

ACTIONS = (
    Action(
        "DescribeRegions",
        VPC,
        regions.describe_regions,
        (Str("AcceptLanguage"), Str("ProductType")),
        # The V2 SDK's DescribeRegionsRequest cannot even send RegionId.
        region="optional",
    ),
)
