"""Data source ``alicloud_regions``: ECS DescribeRegions in the provider's region, filtered
by ``name`` or ``current`` (v1.285.0 data_source_alicloud_regions.go:62-130, its messages
included)."""

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
        current_region = self.client.config.region
        # RegionId: the provider's region (call's default).
        body = self.client.call("DescribeRegions", {}, product="ecs")
        regions: list[dict[str, Any]] = (body.get("Regions") or {}).get("Region") or []
        if not regions:
            raise DiagnosticError("no matching regions found")
        name, current = config.get("name"), bool(config.get("current"))
        if current and name and name != current_region:
            raise DiagnosticError(
                f'name doesn\'t match current region: "{current_region}", please input again.'
            )
        wanted = current_region if current else name
        chosen = [r for r in regions if not wanted or r.get("RegionId") == wanted][
            : 1 if wanted else None
        ]
        if not chosen:
            raise DiagnosticError(
                "Your query region returned no results. Please change your search criteria "
                "and try again."
            )
        items = [
            {"id": r["RegionId"], "region_id": r["RegionId"], "local_name": r.get("LocalName", "")}
            for r in chosen
        ]
        ids = [i["id"] for i in items]
        write_output(config.get("output_file"), items)
        return {**config, "id": id_hash(ids), "ids": ids, "regions": items}
