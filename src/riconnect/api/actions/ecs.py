"""Ecs 2014-05-26 on the same port: DescribeRegions, DescribeZones and
DescribeAvailableResource, what the provider's ``alicloud_regions`` and ``alicloud_zones``
read.

The official Go provider also validates ``opposite_region`` of every ``alicloud_router_interface``
with DescribeRegions (v1.285.0 service_alicloud_ecs.go:25 JudgeRegionValidation, called from
resource_alicloud_router_interface.go:280), reading ``Regions.Region[].RegionId``.
"""

from __future__ import annotations

from riconnect.api.actions.base import Action, Product
from riconnect.api.params import Bool, Int, Str
from riconnect.service import ecs

ECS = Product("Ecs", "2014-05-26", "ecs.aliyuncs.com")

CHARGE = Str("InstanceChargeType", enum=("PrePaid", "PostPaid"))
SPOT = Str("SpotStrategy", enum=("NoSpot", "SpotWithPriceLimit", "SpotAsPriceGo"))

ACTIONS = (
    Action(
        "DescribeRegions",
        ECS,
        ecs.describe_regions,
        (Str("AcceptLanguage"), Str("InstanceChargeType"), Str("ResourceType")),
        region="optional",
    ),
    Action(
        "DescribeZones",
        ECS,
        ecs.describe_zones,
        (Str("AcceptLanguage"), CHARGE, SPOT, Bool("Verbose")),
    ),
    Action(
        "DescribeAvailableResource",
        ECS,
        ecs.describe_available_resource,
        (
            Str("DestinationResource", required=True, enum=ecs.DESTINATIONS),
            Str("ZoneId"),
            CHARGE,
            SPOT,
            Str("IoOptimized", enum=("none", "optimized")),
            Str("InstanceType"),
            Str("NetworkCategory", enum=("vpc", "classic")),
            Str("ResourceType"),
            Str("SystemDiskCategory"),
            Str("DataDiskCategory"),
            Str("DedicatedHostId"),
            Str("Scope"),
            Int("Cores", min=0),
            Str("Memory"),
            Int("SpotDuration", min=0, max=6),
        ),
    ),
)
