"""Data source ``alicloud_vpcs``: DescribeVpcs with the server-side filters, paged by 50,
then the client-side ones (``cidr_block``, ``vswitch_id``, ``name_regex``, ``ids``,
``status``), and with ``enable_details`` (default true) each VPC's System route table.
A ``page_number`` asks for that page only, without client-side filters.  As v1.285.0
data_source_alicloud_vpcs.go:193-370 does."""

from __future__ import annotations

from typing import Any

from riconnect.terraform.alicloud.base import AliDataSource
from riconnect.terraform.alicloud.data_sources.common import (
    PAGE,
    compiled,
    id_hash,
    pages,
    regex,
    tag_params,
    tags_of,
    text,
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
from riconnect.terraform.plugin.validators import one_of

_STRINGS = (
    "region_id",
    "creation_time",
    "cidr_block",
    "description",
    "dhcp_options_set_id",
    "dhcp_options_set_status",
    "dns_hostname_status",
    "ipv6_cidr_block",
    "resource_group_id",
    "route_table_id",
    "router_id",
    "vrouter_id",
    "status",
    "id",
    "vpc_id",
    "vpc_name",
)
VPC = Object(
    {
        **{name: String for name in _STRINGS},
        "is_default": Bool,
        "secondary_cidr_blocks": List(String),
        "user_cidrs": List(String),
        "vswitch_ids": List(String),
        "tags": Map(String),
    }
)
# Arguments sent to DescribeVpcs as they are.
_SERVER = {
    "dhcp_options_set_id": "DhcpOptionsSetId",
    "resource_group_id": "ResourceGroupId",
    "vpc_name": "VpcName",
    "vpc_owner_id": "VpcOwnerId",
}


def _strings(item: dict[str, Any], outer: str, inner: str) -> list[str]:
    return [str(v) for v in (item.get(outer) or {}).get(inner) or []]


class Vpcs(AliDataSource):
    type_name = "alicloud_vpcs"
    schema = Schema(
        Block(
            attributes=[
                Attribute("id", String, computed=True),
                Attribute("cidr_block", String, optional=True),
                Attribute("dhcp_options_set_id", String, optional=True),
                Attribute("dry_run", Bool, optional=True),
                # Default true in the official schema: applied in read (a declared default
                # would make the attribute computed on the wire).
                Attribute("enable_details", Bool, optional=True),
                Attribute("ids", List(String), optional=True, computed=True),
                Attribute("is_default", Bool, optional=True),
                Attribute("name_regex", String, optional=True, validators=[regex]),
                Attribute("output_file", String, optional=True),
                Attribute("page_number", Number, optional=True),
                Attribute("page_size", Number, optional=True),  # default 50, as above
                Attribute("resource_group_id", String, optional=True),
                Attribute(
                    "status", String, optional=True, validators=[one_of(["Available", "Pending"])]
                ),
                Attribute("tags", Map(String), optional=True),
                Attribute("vpc_name", String, optional=True),
                Attribute("vpc_owner_id", Number, optional=True),
                Attribute("vswitch_id", String, optional=True),
                Attribute("names", List(String), computed=True),
                Attribute("total_count", Number, computed=True),
                Attribute("vpcs", List(VPC), computed=True),
            ]
        )
    )

    def read(self, config: State, diags: Diagnostics) -> State:
        page_size = int(config.get("page_size") or 0) or PAGE
        paging = int(config.get("page_number") or 0) > 0
        request: dict[str, Any] = {
            api: config[name] for name, api in _SERVER.items() if config.get(name)
        }
        for flag, api in (("dry_run", "DryRun"), ("is_default", "IsDefault")):
            if config.get(flag) is not None:
                request[api] = config[flag]
        if config.get("tags"):
            request["Tag"] = tag_params(config["tags"])
        request["PageNumber"] = int(config["page_number"]) if paging else 1
        request["PageSize"] = page_size
        pattern = compiled(config.get("name_regex"))
        wanted = {i for i in config.get("ids") or [] if i}
        found: list[dict[str, Any]] = []
        while True:
            body = self.client.call("DescribeVpcs", request)
            batch = (body.get("Vpcs") or {}).get("Vpc") or []
            if paging:
                found = batch
                break
            found += [item for item in batch if self._kept(config, item, pattern, wanted)]
            if len(batch) < page_size:
                break
            request["PageNumber"] += 1
        details = config.get("enable_details") is not False
        vpcs = [self._mapping(item, details) for item in found]
        write_output(config.get("output_file"), vpcs)
        ids = [v["id"] for v in vpcs]
        return {
            **config,
            "id": id_hash(ids),
            "ids": ids,
            "names": [v["vpc_name"] for v in vpcs],
            "vpcs": vpcs,
            "total_count": int(body.get("TotalCount") or 0),
            "page_size": config.get("page_size") if config.get("page_size") is not None else PAGE,
            "enable_details": details,
        }

    @staticmethod
    def _kept(config: State, item: dict[str, Any], pattern: Any, wanted: set[str]) -> bool:
        if config.get("cidr_block") and item.get("CidrBlock") != config["cidr_block"]:
            return False
        if config.get("vswitch_id") and config["vswitch_id"] not in _strings(
            item, "VSwitchIds", "VSwitchId"
        ):
            return False
        if pattern is not None and not pattern.search(text(item.get("VpcName"))):
            return False
        if wanted and text(item.get("VpcId")) not in wanted:
            return False
        return not (config.get("status") and item.get("Status") != config["status"])

    def _mapping(self, item: dict[str, Any], details: bool) -> dict[str, Any]:
        vpc_id = text(item.get("VpcId"))
        route_table = ""
        if details:
            tables, _ = pages(
                self.client,
                "DescribeRouteTableList",
                {"VpcId": vpc_id},
                lambda body: (body.get("RouterTableList") or {}).get("RouterTableListType") or [],
            )
            route_table = next(
                (
                    text(t.get("RouteTableId"))
                    for t in tables
                    if t.get("RouteTableType") == "System"
                ),
                "",
            )
        return {
            "region_id": text(item.get("RegionId")),
            "creation_time": text(item.get("CreationTime")),
            "cidr_block": text(item.get("CidrBlock")),
            "description": text(item.get("Description")),
            "dhcp_options_set_id": text(item.get("DhcpOptionsSetId")),
            "dhcp_options_set_status": text(item.get("DhcpOptionsSetStatus")),
            "dns_hostname_status": text(item.get("DnsHostnameStatus")),
            "ipv6_cidr_block": text(item.get("Ipv6CidrBlock")),
            "is_default": bool(item.get("IsDefault")),
            "resource_group_id": text(item.get("ResourceGroupId")),
            "route_table_id": route_table,
            "router_id": text(item.get("VRouterId")),
            "vrouter_id": text(item.get("VRouterId")),
            "secondary_cidr_blocks": _strings(item, "SecondaryCidrBlocks", "SecondaryCidrBlock"),
            "status": text(item.get("Status")),
            "user_cidrs": _strings(item, "UserCidrs", "UserCidr"),
            "vswitch_ids": _strings(item, "VSwitchIds", "VSwitchId"),
            "tags": tags_of((item.get("Tags") or {}).get("Tag")),
            "id": vpc_id,
            "vpc_id": vpc_id,
            "vpc_name": text(item.get("VpcName")),
        }
