"""Ecs 2014-05-26: the three read-only actions the provider's ``alicloud_regions`` and
``alicloud_zones`` data sources call (DescribeRegions, DescribeZones,
DescribeAvailableResource), answered from the region and zone tables of domain/ and a
fixed catalogue of what each zone offers (riconnect creates no instances or disks)."""

from __future__ import annotations

from typing import Any

from riconnect.domain import zones
from riconnect.domain.errors import ApiError
from riconnect.domain.regions import REGIONS
from riconnect.service.context import Ctx, Params, Result
from riconnect.store.db import Tx


def _english(p: Params) -> bool:
    # ECS answers zh-CN names unless asked otherwise (its AcceptLanguage default).
    return (p.get("AcceptLanguage") or "zh-CN").lower().startswith(("en", "ja"))


def describe_regions(ctx: Ctx, tx: Tx, p: Params) -> Result:
    english = _english(p)
    return {
        "Regions": {
            "Region": [
                {
                    "RegionId": r.id,
                    "LocalName": r.name_en if english else r.name_zh,
                    # ECS's endpoint sits where the region's VPC endpoint does.
                    "RegionEndpoint": r.endpoint().replace("vpc", "ecs", 1),
                    "Status": "available",
                }
                for r in REGIONS
            ]
        }
    }


def _supported(values: tuple[str, ...] | list[str]) -> dict[str, Any]:
    return {
        "SupportedResource": [
            {"Value": v, "Status": "Available", "StatusCategory": "WithStock"} for v in values
        ]
    }


def describe_zones(ctx: Ctx, tx: Tx, p: Params) -> Result:
    language = "en" if _english(p) else "zh"
    verbose = p.get("Verbose") is not False
    out = []
    for zone in zones.zones_of(ctx.region_id):
        item: dict[str, Any] = {
            "ZoneId": zone.id,
            "LocalName": zone.local_name(language),
            "ZoneType": "AvailabilityZone",
            "AvailableResourceCreation": {"ResourceTypes": list(zones.RESOURCE_TYPES)},
            "AvailableDiskCategories": {"DiskCategories": list(zones.DISK_CATEGORIES)},
            "AvailableVolumeCategories": {"VolumeCategories": []},
            "AvailableDedicatedHostTypes": {"DedicatedHostType": []},
            "DedicatedHostGenerations": {"DedicatedHostGeneration": []},
        }
        if verbose:
            item["AvailableInstanceTypes"] = {"InstanceTypes": list(zones.INSTANCE_TYPES)}
            item["AvailableResources"] = {
                "ResourcesInfo": [
                    {
                        "IoOptimized": True,
                        "InstanceTypes": {"supportedInstanceType": list(zones.INSTANCE_TYPES)},
                        "SystemDiskCategories": {
                            "supportedSystemDiskCategory": list(zones.DISK_CATEGORIES)
                        },
                        "DataDiskCategories": {
                            "supportedDataDiskCategory": list(zones.DISK_CATEGORIES)
                        },
                        "NetworkTypes": {"supportedNetworkCategory": list(zones.NETWORK_TYPES)},
                        "InstanceTypeFamilies": {
                            "supportedInstanceTypeFamily": sorted(
                                {t.rsplit(".", 1)[0] for t in zones.INSTANCE_TYPES}
                            )
                        },
                        "InstanceGenerations": {"supportedInstanceGeneration": ["ecs-3", "ecs-4"]},
                    }
                ]
            }
        out.append(item)
    return {"Zones": {"Zone": out}}


# DestinationResource -> what a zone offers of it.
_OFFERS: dict[str, tuple[str, ...]] = {
    "IoOptimized": ("optimized",),
    "InstanceType": zones.INSTANCE_TYPES,
    "SystemDisk": zones.DISK_CATEGORIES,
    "DataDisk": zones.DISK_CATEGORIES,
    "Network": zones.NETWORK_TYPES,
    "ddh": (),
}
DESTINATIONS = ("Zone", *_OFFERS)


def describe_available_resource(ctx: Ctx, tx: Tx, p: Params) -> Result:
    found = zones.zones_of(ctx.region_id)
    if p.get("ZoneId"):
        found = tuple(z for z in found if z.id == p["ZoneId"])
        if not found:
            raise ApiError("InvalidZoneId.NotFound")
    target = p["DestinationResource"]
    if p.get("NetworkCategory") == "classic":
        found = ()  # the classic network is retired
    out = []
    for zone in found:
        if target == "Zone":
            values: tuple[str, ...] | list[str] = (zone.id,)
        else:
            values = _OFFERS[target]
            if target == "InstanceType" and p.get("InstanceType"):
                values = [v for v in values if v == p["InstanceType"]]
        out.append(
            {
                "RegionId": ctx.region_id,
                "ZoneId": zone.id,
                "Status": "Available",
                "StatusCategory": "WithStock",
                "AvailableResources": {
                    "AvailableResource": [
                        {"Type": target, "SupportedResources": _supported(values)}
                    ]
                },
            }
        )
    return {"AvailableZones": {"AvailableZone": out}}
