"""Data source ``alicloud_vswitches`` (DescribeVSwitches)."""

from __future__ import annotations

from typing import Any

from riconnect.terraform.alicloud.base import AliDataSource
from riconnect.terraform.alicloud.data_sources.common import (
    compiled,
    id_hash,
    pages,
    tag_params,
    tags_of,
    write_output,
)
from riconnect.terraform.plugin import (
    Attribute,
    Block,
    Bool,
    Diagnostics,
    List,
    Map,
    Number,
    Object,
    Schema,
    State,
    String,
)
from riconnect.terraform.plugin.validators import string_in_slice, string_is_valid_regexp

VSWITCH = Object(
    {
        "id": String,
        "vswitch_id": String,
        "vswitch_name": String,
        "name": String,
        "creation_time": String,
        "available_ip_address_count": Number,
        "cidr_block": String,
        "description": String,
        "is_default": Bool,
        "enable_ipv6": Bool,
        "resource_group_id": String,
        "route_table_id": String,
        "status": String,
        "tags": Map(String),
        "vpc_id": String,
        "zone_id": String,
        "ipv6_cidr_block": String,
    }
)


class VSwitches(AliDataSource):
    type_name = "alicloud_vswitches"
    schema = Schema(
        Block(
            attributes=[
                Attribute("id", String, computed=True),
                Attribute("cidr_block", String, optional=True),
                Attribute("dry_run", Bool, optional=True),
                Attribute("is_default", Bool, optional=True),
                Attribute("resource_group_id", String, optional=True),
                Attribute("route_table_id", String, optional=True),
                Attribute(
                    "status",
                    String,
                    optional=True,
                    validators=[string_in_slice(["Available", "Pending"])],
                ),
                Attribute("tags", Map(String), optional=True),
                Attribute("ids", List(String), optional=True, computed=True),
                Attribute("name_regex", String, optional=True, validators=[string_is_valid_regexp]),
                Attribute("vswitch_name", String, optional=True),
                Attribute("vswitch_owner_id", Number, optional=True, integer=True),
                Attribute("vpc_id", String, optional=True),
                Attribute("zone_id", String, optional=True),
                Attribute("output_file", String, optional=True),
                Attribute("names", List(String), computed=True),
                Attribute("vswitches", List(VSWITCH), computed=True),
            ]
        )
    )

    def read(self, config: State, diags: Diagnostics) -> State:
        owner = config.get("vswitch_owner_id")
        found, _ = pages(
            self.client,
            "DescribeVSwitches",
            {
                "DryRun": config.get("dry_run"),
                "IsDefault": config.get("is_default"),
                "ResourceGroupId": config.get("resource_group_id"),
                "RouteTableId": config.get("route_table_id"),
                "Tag": tag_params(config.get("tags")),
                "VSwitchName": config.get("vswitch_name"),
                "VSwitchOwnerId": int(owner) if owner else None,
                "VpcId": config.get("vpc_id"),
                "ZoneId": config.get("zone_id"),
            },
            lambda body: (body.get("VSwitches") or {}).get("VSwitch") or [],
        )
        wanted = set(config.get("ids") or [])
        pattern = compiled(config.get("name_regex"))
        cidr = (config.get("cidr_block") or "").strip()
        selected = [
            v
            for v in found
            if (not cidr or v.get("CidrBlock") == cidr)
            and (not config.get("status") or v.get("Status") == config["status"])
            and (not wanted or v.get("VSwitchId") in wanted)
            and (pattern is None or pattern.search(v.get("VSwitchName") or ""))
        ]
        items = [_item(v) for v in selected]
        ids = [i["id"] for i in items]
        write_output(config.get("output_file"), items)
        return {
            **config,
            "id": id_hash(ids),
            "ids": ids,
            "names": [i["vswitch_name"] for i in items],
            "vswitches": items,
        }


def _item(v: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": v["VSwitchId"],
        "vswitch_id": v["VSwitchId"],
        "vswitch_name": v.get("VSwitchName", ""),
        "name": v.get("VSwitchName", ""),
        "creation_time": v.get("CreationTime", ""),
        "available_ip_address_count": int(v.get("AvailableIpAddressCount") or 0),
        "cidr_block": v.get("CidrBlock", ""),
        "description": v.get("Description", ""),
        "is_default": bool(v.get("IsDefault")),
        "enable_ipv6": bool(v.get("Ipv6CidrBlock")),
        "resource_group_id": v.get("ResourceGroupId", ""),
        "route_table_id": (v.get("RouteTable") or {}).get("RouteTableId", ""),
        "status": v.get("Status", ""),
        "tags": tags_of((v.get("Tags") or {}).get("Tag")),
        "vpc_id": v.get("VpcId", ""),
        "zone_id": v.get("ZoneId", ""),
        "ipv6_cidr_block": v.get("Ipv6CidrBlock", ""),
    }
