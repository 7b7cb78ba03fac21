"""Data source ``alicloud_zones``: the zones where ECS resources can be created (Ecs
DescribeAvailableResource, then Ecs DescribeZones, as the official provider reads them).

Of ``available_resource_creation`` only the ECS kinds (``Instance``, ``Disk``, ``VSwitch``,
``IoOptimized``) are served: the others ask other products (RDS, SLB, ...), which riconnect
does not emulate, and are refused with an error rather than answered wrongly.
"""

from __future__ import annotations

from typing import Any

from riconnect.terraform.alicloud.base import AliDataSource
from riconnect.terraform.alicloud.data_sources.common import id_hash, write_output
from riconnect.terraform.plugin import (
    Attribute,
    Block,
    Bool,
    DiagnosticError,
    Diagnostics,
    List,
    Object,
    Schema,
    State,
    String,
)
from riconnect.terraform.plugin.validators import string_in_slice, string_match

RESOURCE_CREATION = (
    "Instance",
    "Rds",
    "PolarDB",
    "KVStore",
    "VSwitch",
    "Disk",
    "IoOptimized",
    "FunctionCompute",
    "Elasticsearch",
    "Slb",
    "MongoDB",
    "Gpdb",
    "HBase",
    "ADB",
)
ECS_KINDS = ("Instance", "VSwitch", "Disk", "IoOptimized")
ZONE = Object(
    {
        "id": String,
        "local_name": String,
        "available_instance_types": List(String),
        "available_resource_creation": List(String),
        "available_disk_categories": List(String),
        "multi_zone_ids": List(String),
        "slb_slave_zone_ids": List(String),
    }
)


class Zones(AliDataSource):
    type_name = "alicloud_zones"
    schema = Schema(
        Block(
            attributes=[
                Attribute("id", String, computed=True),
                Attribute(
                    "available_instance_type",
                    String,
                    optional=True,
                    validators=[string_match(r"^ecs\..*", "prefix must be 'ecs.'")],
                ),
                Attribute(
                    "available_resource_creation",
                    String,
                    optional=True,
                    validators=[string_in_slice(RESOURCE_CREATION)],
                ),
                Attribute(
                    "available_slb_address_type",
                    String,
                    optional=True,
                    validators=[string_in_slice(["Vpc", "classic_intranet", "classic_internet"])],
                ),
                Attribute(
                    "available_slb_address_ip_version",
                    String,
                    optional=True,
                    validators=[string_in_slice(["ipv4", "ipv6"])],
                ),
                Attribute(
                    "available_disk_category",
                    String,
                    optional=True,
                    validators=[
                        string_in_slice(
                            [
                                "all",
                                "cloud",
                                "ephemeral_ssd",
                                "cloud_essd",
                                "cloud_efficiency",
                                "cloud_ssd",
                                "local_disk",
                            ]
                        )
                    ],
                ),
                Attribute("multi", Bool, optional=True, default=False),
                Attribute(
                    "instance_charge_type",
                    String,
                    optional=True,
                    default="PostPaid",
                    validators=[string_in_slice(["PrePaid", "PostPaid"])],
                ),
                Attribute(
                    "network_type",
                    String,
                    optional=True,
                    validators=[string_in_slice(["Vpc", "Classic"])],
                ),
                Attribute(
                    "spot_strategy",
                    String,
                    optional=True,
                    default="NoSpot",
                    validators=[string_in_slice(["NoSpot", "SpotAsPriceGo", "SpotWithPriceLimit"])],
                ),
                Attribute("enable_details", Bool, optional=True, default=False),
                Attribute("output_file", String, optional=True),
                Attribute("ids", List(String), computed=True),
                Attribute("zones", List(ZONE), computed=True),
            ]
        )
    )

    def read(self, config: State, diags: Diagnostics) -> State:
        kind = config.get("available_resource_creation")
        if kind and kind not in ECS_KINDS:
            raise DiagnosticError(
                f"available_resource_creation = {kind!r} is not supported by riconnect",
                f"It asks another product than ECS; riconnect serves {', '.join(ECS_KINDS)}.",
                path=("available_resource_creation",),
            )
        if config.get("multi"):
            raise DiagnosticError(
                "multi = true is not supported by riconnect",
                "Multi-zone lists come from RDS and other products riconnect does not emulate.",
                path=("multi",),
            )
        charge = config.get("instance_charge_type") or "PostPaid"
        spot = config.get("spot_strategy") or "NoSpot"
        network = config.get("network_type")
        available = self.client.call(
            "DescribeAvailableResource",
            {
                "DestinationResource": "Zone",
                "IoOptimized": "optimized",
                "InstanceChargeType": charge,
                "SpotStrategy": spot,
                "NetworkCategory": network.lower() if network else None,
            },
            product="ecs",
        )
        valid = {
            z.get("ZoneId")
            for z in (available.get("AvailableZones") or {}).get("AvailableZone") or []
            if z.get("Status") != "SoldOut"
        }
        if not valid:
            raise DiagnosticError(
                "There are no available zones in the API DescribeAvailableResource response"
            )
        body = self.client.call(
            "DescribeZones",
            {"InstanceChargeType": charge, "SpotStrategy": spot},
            product="ecs",
        )
        zones = (body.get("Zones") or {}).get("Zone") or []
        if not zones:
            raise DiagnosticError(
                f"There are no availability zones in the region: {self.client.config.region}."
            )
        instance_type = config.get("available_instance_type")
        disk = config.get("available_disk_category")
        chosen: dict[str, dict[str, Any]] = {}
        for zone in zones:
            types = (zone.get("AvailableInstanceTypes") or {}).get("InstanceTypes") or []
            disks = (zone.get("AvailableDiskCategories") or {}).get("DiskCategories") or []
            if zone.get("ZoneId") not in valid or not types or not disks:
                continue
            if (instance_type and instance_type not in types) or (disk and disk not in disks):
                continue
            chosen[zone["ZoneId"]] = zone
        ids = sorted(chosen)
        details = bool(config.get("enable_details"))
        items = []
        for zone_id in ids:
            zone = chosen[zone_id]
            items.append(
                {
                    "id": zone_id,
                    "local_name": zone.get("LocalName", "") if details else "",
                    "available_instance_types": list(
                        (zone.get("AvailableInstanceTypes") or {}).get("InstanceTypes") or []
                    )
                    if details
                    else [],
                    "available_resource_creation": list(
                        (zone.get("AvailableResourceCreation") or {}).get("ResourceTypes") or []
                    )
                    if details
                    else [],
                    "available_disk_categories": list(
                        (zone.get("AvailableDiskCategories") or {}).get("DiskCategories") or []
                    )
                    if details
                    else [],
                    "multi_zone_ids": [],
                    "slb_slave_zone_ids": [],
                }
            )
        write_output(config.get("output_file"), items)
        return {**config, "id": id_hash(ids), "ids": ids, "zones": items}
