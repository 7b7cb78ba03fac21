"""Data source ``alicloud_route_entries`` (DescribeRouteTables): the routes of one table,
system ones included (filter ``type = "Custom"`` to leave them out)."""

from __future__ import annotations

from riconnect.terraform.alicloud.base import AliDataSource
from riconnect.terraform.alicloud.data_sources.common import id_hash, write_output
from riconnect.terraform.plugin import (
    Attribute,
    Block,
    Diagnostics,
    List,
    Object,
    Schema,
    State,
    String,
)

ENTRY = Object(
    {
        "type": String,
        "next_hop_type": String,
        "status": String,
        "instance_id": String,
        "route_table_id": String,
        "cidr_block": String,
    }
)


class RouteEntries(AliDataSource):
    type_name = "alicloud_route_entries"
    schema = Schema(
        Block(
            attributes=[
                Attribute("id", String, computed=True),
                Attribute("route_table_id", String, required=True),
                Attribute("instance_id", String, optional=True),
                Attribute("type", String, optional=True),
                Attribute("cidr_block", String, optional=True),
                Attribute("output_file", String, optional=True),
                Attribute("entries", List(ENTRY), computed=True),
            ]
        )
    )

    def read(self, config: State, diags: Diagnostics) -> State:
        body = self.client.call(
            "DescribeRouteTables",
            {"RouteTableId": config["route_table_id"], "PageSize": 50, "PageNumber": 1},
        )
        tables = (body.get("RouteTables") or {}).get("RouteTable") or []
        entries = ((tables[0].get("RouteEntrys") or {}).get("RouteEntry") or []) if tables else []
        items = [
            {
                "type": e.get("Type", ""),
                "next_hop_type": e.get("NextHopType", ""),
                "status": e.get("Status", ""),
                "instance_id": e.get("InstanceId", ""),
                "route_table_id": e.get("RouteTableId", ""),
                "cidr_block": e.get("DestinationCidrBlock", ""),
            }
            for e in entries
            if (not config.get("instance_id") or e.get("InstanceId") == config["instance_id"])
            and (not config.get("type") or e.get("Type") == config["type"])
            and (
                not config.get("cidr_block")
                or e.get("DestinationCidrBlock") == config["cidr_block"]
            )
        ]
        write_output(config.get("output_file"), items)
        # The official provider hashes each entry's route table id (the same one, repeated).
        return {**config, "id": id_hash(i["route_table_id"] for i in items), "entries": items}
