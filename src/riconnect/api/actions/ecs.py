"""Ecs 2014-05-26 on the same port: DescribeRegions.

The official Go provider validates ``opposite_region`` of every ``alicloud_router_interface``
with it (v1.285.0 service_alicloud_ecs.go:25 JudgeRegionValidation, called from
resource_alicloud_router_interface.go:280), reading ``Regions.Region[].RegionId``.
"""

from __future__ import annotations

from riconnect.api.actions.base import Action, Product
from riconnect.api.params import Str
from riconnect.service import ecs

ECS = Product("Ecs", "2014-05-26", "ecs.aliyuncs.com")

ACTIONS = (
    Action(
        "DescribeRegions",
        ECS,
        ecs.describe_regions,
        (Str("AcceptLanguage"), Str("InstanceChargeType"), Str("ResourceType")),
        region="optional",
    ),
)
