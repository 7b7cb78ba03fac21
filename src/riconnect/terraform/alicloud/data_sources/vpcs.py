"""Data source ``alicloud_vpcs`` (DescribeVpcs; with ``enable_details``, the default, also
DescribeRouteTableList for each VPC's system route table)."""

from __future__ import annotations

import re
from typing import Any

from riconnect.terraform.alicloud.base import AliDataSource
from riconnect.terraform.alicloud.data_sources.common import (
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

VPC = Object(
    {
        "id": String,
        "vpc_id": String,
        "vpc_name": String,
        "region_id": String,
        "creation_time": String,
        "cidr_block": String,
        "description": String,
        "dhcp_options_set_id": String,
        "dhcp_options_set_status": String,
        "dns_hostname_status": String,
        "ipv6_cidr_block": String,
        "is_default": Bool,
        "resource_group_id": String,
        "route_table_id": String,
        "router_id": String,
        "vrouter_id": String,
        "secondary_cidr_blocks": List(String),
        "user_cidrs": List(String),
        "vswitch_ids": List(String),
        "status": String,
        "tags": Map(String),
    }
)


def _wrapped(item: dict[str, Any], wrapper: str, inner: str) -> list[str]:
    return list((item.get(wrapper) or {}).get(inner) or [])


class Vpcs(AliDataSource):
    type_name = "alicloud_vpcs"
    schema = Schema(
        Block(
            attributes=[
                Attribute("id", String, computed=True),
                Attribute("cidr_block", String, optional=True),
                Attribute("vswitch_id", String, optional=True),
                Attribute("dhcp_options_set_id", String, optional=True),
                Attribute("dry_run", Bool, optional=True),
                Attribute("is_default", Bool, optional=True),
                Attribute("resource_group_id", String, optional=True),
                Attribute(
                    "status",
                    String,
                    optional=True,
                    validators=[string_in_slice(["Available", "Pending"])],
                ),
                Attribute("tags", Map(String), optional=True),
                Attribute("ids", List(String), optional=True, computed=True),
                Attribute("name_regex", String, optional=True, validators=[string_is_valid_regexp]),
                Attribute("vpc_name", String, optional=True),
                Attribute("vpc_owner_id", Number, optional=True, integer=True),
                Attribute("output_file", String, optional=True),
                Attribute("page_number", Number, optional=True, integer=True),
                Attribute("page_size", Number, optional=True, default=50, integer=True),
                Attribute("enable_details", Bool, optional=True, default=True),
                Attribute("names", List(String), computed=True),
                Attribute("total_count", Number, computed=True),
                Attribute("vpcs", List(VPC), computed=True),
            ]
        )
    )

    def read(self, config: State, diags: Diagnostics) -> State:
        page_number = config.get("page_number")
        params = {
            "DhcpOptionsSetId": config.get("dhcp_options_set_id"),
            "DryRun": config.get("dry_run"),
            "IsDefault": config.get("is_default"),
            "ResourceGroupId": config.get("resource_group_id"),
            "Tag": tag_params(config.get("tags")),
            "VpcName": config.get("vpc_name"),
            "VpcOwnerId": int(config["vpc_owner_id"]) if config.get("vpc_owner_id") else None,
        }
        found, total = pages(
            self.client,
            "DescribeVpcs",
            params,
            lambda body: (body.get("Vpcs") or {}).get("Vpc") or [],
            page_number=int(page_number) if page_number else None,
            page_size=int(config.get("page_size") or 50),
        )
        if not page_number:  # one page asked for: no client-side filters, as the original
            wanted = set(config.get("ids") or [])
            pattern = re.compile(config["name_regex"]) if config.get("name_regex") else None
            found = [
                v
                for v in found
                if (not config.get("cidr_block") or v.get("CidrBlock") == config["cidr_block"])
                and (not config.get("status") or v.get("Status") == config["status"])
                and (not wanted or v.get("VpcId") in wanted)
                and (pattern is None or pattern.search(v.get("VpcName") or ""))
                and (
                    not config.get("vswitch_id")
                    or config["vswitch_id"] in _wrapped(v, "VSwitchIds", "VSwitchId")
                )
            ]
        details = config.get("enable_details") is not False
        items = [self._item(v, details) for v in found]
        ids = [i["id"] for i in items]
        write_output(config.get("output_file"), items)
        return {
            **config,
            "id": id_hash(ids),
            "ids": ids,
            "names": [i["vpc_name"] for i in items],
            "total_count": total,
            "vpcs": items,
        }

    def _item(self, v: dict[str, Any], details: bool) -> dict[str, Any]:
        route_table = ""
        if details:
            tables, _ = pages(
                self.client,
                "DescribeRouteTableList",
                {"VpcId": v["VpcId"]},
                lambda body: (body.get("RouterTableList") or {}).get("RouterTableListType") or [],
            )
            route_table = next(
                (t.get("RouteTableId", "") for t in tables if t.get("RouteTableType") == "System"),
                "",
            )
        return {
            "id": v["VpcId"],
            "vpc_id": v["VpcId"],
            "vpc_name": v.get("VpcName", ""),
            "region_id": v.get("RegionId", ""),
            "creation_time": v.get("CreationTime", ""),
            "cidr_block": v.get("CidrBlock", ""),
            "description": v.get("Description", ""),
            "dhcp_options_set_id": v.get("DhcpOptionsSetId", ""),
            "dhcp_options_set_status": v.get("DhcpOptionsSetStatus", ""),
            "dns_hostname_status": v.get("DnsHostnameStatus", ""),
            "ipv6_cidr_block": v.get("Ipv6CidrBlock", ""),
            "is_default": bool(v.get("IsDefault")),
            "resource_group_id": v.get("ResourceGroupId", ""),
            "route_table_id": route_table,
            "router_id": v.get("VRouterId", ""),
            "vrouter_id": v.get("VRouterId", ""),
            "secondary_cidr_blocks": _wrapped(v, "SecondaryCidrBlocks", "SecondaryCidrBlock"),
            "user_cidrs": _wrapped(v, "UserCidrs", "UserCidr"),
            "vswitch_ids": _wrapped(v, "VSwitchIds", "VSwitchId"),
            "status": v.get("Status", ""),
            "tags": tags_of((v.get("Tags") or {}).get("Tag")),
        }
