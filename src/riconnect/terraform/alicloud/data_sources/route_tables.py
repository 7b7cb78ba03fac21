"""Data source ``alicloud_route_tables`` (DescribeRouteTableList)."""

from __future__ import annotations

from typing import Any

from riconnect.terraform.alicloud import validators as ali
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

TABLE = Object(
    {
        "id": String,
        "route_table_id": String,
        "route_table_name": String,
        "name": String,
        "description": String,
        "resource_group_id": String,
        "route_table_type": String,
        "router_id": String,
        "router_type": String,
        "status": String,
        "tags": Map(String),
        "vswitch_ids": List(String),
        "vpc_id": String,
    }
)


class RouteTables(AliDataSource):
    type_name = "alicloud_route_tables"
    schema = Schema(
        Block(
            attributes=[
                Attribute("id", String, computed=True),
                Attribute("resource_group_id", String, optional=True),
                Attribute("ids", List(String), optional=True, computed=True),
                Attribute("name_regex", String, optional=True, validators=[string_is_valid_regexp]),
                Attribute("route_table_name", String, optional=True),
                Attribute(
                    "route_table_type",
                    String,
                    optional=True,
                    validators=[ali.string_in_slice(["System", "Custom"])],
                ),
                Attribute("router_id", String, optional=True),
                Attribute(
                    "router_type",
                    String,
                    optional=True,
                    validators=[string_in_slice(["VRouter", "VBR"])],
                ),
                Attribute(
                    "status",
                    String,
                    optional=True,
                    validators=[string_in_slice(["Available", "Pending"])],
                ),
                Attribute("tags", Map(String), optional=True),
                Attribute("vpc_id", String, optional=True),
                Attribute("output_file", String, optional=True),
                Attribute("page_number", Number, optional=True, integer=True),
                Attribute("page_size", Number, optional=True, default=50, integer=True),
                Attribute("names", List(String), computed=True),
                Attribute("total_count", Number, computed=True),
                Attribute("tables", List(TABLE), computed=True),
            ]
        )
    )

    def read(self, config: State, diags: Diagnostics) -> State:
        page_number = config.get("page_number")
        found, total = pages(
            self.client,
            "DescribeRouteTableList",
            {
                "ResourceGroupId": config.get("resource_group_id"),
                "RouteTableName": config.get("route_table_name"),
                "RouteTableType": config.get("route_table_type"),
                "RouterId": config.get("router_id"),
                "RouterType": config.get("router_type"),
                "Tag": tag_params(config.get("tags")),
                "VpcId": config.get("vpc_id"),
            },
            lambda body: (body.get("RouterTableList") or {}).get("RouterTableListType") or [],
            page_number=int(page_number) if page_number else None,
            page_size=int(config.get("page_size") or 50),
        )
        if not page_number:
            wanted = set(config.get("ids") or [])
            pattern = compiled(config.get("name_regex"))
            found = [
                t
                for t in found
                if (not wanted or t.get("RouteTableId") in wanted)
                and (pattern is None or pattern.search(t.get("RouteTableName") or ""))
                and (not config.get("status") or t.get("Status") == config["status"])
            ]
        items = [_item(t) for t in found]
        ids = [i["id"] for i in items]
        write_output(config.get("output_file"), items)
        return {
            **config,
            "id": id_hash(ids),
            "ids": ids,
            "names": [i["route_table_name"] for i in items],
            "total_count": total,
            "tables": items,
        }


def _item(t: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": t["RouteTableId"],
        "route_table_id": t["RouteTableId"],
        "route_table_name": t.get("RouteTableName", ""),
        "name": t.get("RouteTableName", ""),
        "description": t.get("Description", ""),
        "resource_group_id": t.get("ResourceGroupId", ""),
        "route_table_type": t.get("RouteTableType", ""),
        "router_id": t.get("RouterId", ""),
        "router_type": t.get("RouterType", ""),
        "status": t.get("Status", ""),
        "tags": tags_of((t.get("Tags") or {}).get("Tag")),
        "vswitch_ids": list((t.get("VSwitchIds") or {}).get("VSwitchId") or []),
        "vpc_id": t.get("VpcId", ""),
    }
