"""Data source ``alicloud_regions`` (Ecs DescribeRegions)."""

from __future__ import annotations

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


class Regions(AliDataSource):
    type_name = "alicloud_regions"
    schema = Schema(
        Block(
            attributes=[
                Attribute("id", String, computed=True),
                Attribute("name", String, optional=True, computed=True),
                Attribute("current", Bool, optional=True, computed=True),
                Attribute("output_file", String, optional=True),
                Attribute("ids", List(String), computed=True),
                Attribute(
                    "regions",
                    List(Object({"id": String, "region_id": String, "local_name": String})),
                    computed=True,
                ),
            ]
        )
    )

    def read(self, config: State, diags: Diagnostics) -> State:
        body = self.client.call("DescribeRegions", {}, product="ecs")
        regions = (body.get("Regions") or {}).get("Region") or []
        if not regions:
            raise DiagnosticError("no matching regions found")
        name = config.get("name")
        current = self.client.config.region
        if config.get("current"):
            if name and name != current:
                raise DiagnosticError(
                    f"name doesn't match current region: {current!r}, please input again."
                )
            name = current
        selected = [r for r in regions if not name or r.get("RegionId") == name]
        if not selected:
            raise DiagnosticError(
                "Your query region returned no results. Please change your search criteria "
                "and try again."
            )
        items = [
            {"id": r["RegionId"], "region_id": r["RegionId"], "local_name": r.get("LocalName", "")}
            for r in selected
        ]
        ids = [i["id"] for i in items]
        write_output(config.get("output_file"), items)
        return {**config, "id": id_hash(ids), "ids": ids, "regions": items}
