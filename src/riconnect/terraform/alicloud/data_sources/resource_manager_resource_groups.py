"""Data source ``alicloud_resource_manager_resource_groups``: ResourceManager
ListResourceGroups (paged by 50), filtered by ``name_regex`` (on ``Name``) and ``ids``;
with ``enable_details`` (default false) each group's GetResourceGroup for its region
statuses.  As v1.285.0 data_source_alicloud_resource_manager_resource_groups.go:99-222."""

from __future__ import annotations

from typing import Any

from riconnect.terraform.alicloud.base import AliDataSource
from riconnect.terraform.alicloud.data_sources.common import (
    compiled,
    id_hash,
    regex,
    text,
    write_output,
)
from riconnect.terraform.plugin import (
    Attribute,
    Block,
    Bool,
    Diagnostics,
    List,
    Object,
    Schema,
    State,
    String,
)
from riconnect.terraform.plugin.validators import one_of

PAGE = 50
GROUP = Object(
    {
        "account_id": String,
        "display_name": String,
        "id": String,
        "name": String,
        "region_statuses": List(Object({"region_id": String, "status": String})),
        "resource_group_name": String,
        "status": String,
    }
)
STATUSES = ["Creating", "Deleted", "Deleting", "OK", "PendingDelete"]


class ResourceGroups(AliDataSource):
    type_name = "alicloud_resource_manager_resource_groups"
    schema = Schema(
        Block(
            attributes=[
                Attribute("id", String, computed=True),
                # Default false in the official schema: applied in read.
                Attribute("enable_details", Bool, optional=True),
                Attribute("ids", List(String), optional=True, computed=True),
                Attribute("name_regex", String, optional=True, validators=[regex]),
                Attribute("names", List(String), computed=True),
                Attribute("output_file", String, optional=True),
                Attribute("status", String, optional=True, validators=[one_of(STATUSES)]),
                Attribute("groups", List(GROUP), computed=True),
            ]
        )
    )

    def read(self, config: State, diags: Diagnostics) -> State:
        request: dict[str, Any] = {"PageSize": PAGE, "PageNumber": 1}
        if config.get("status"):
            request["Status"] = config["status"]
        pattern = compiled(config.get("name_regex"))
        wanted = {i for i in config.get("ids") or [] if i}
        found: list[dict[str, Any]] = []
        while True:
            body = self.client.resource_manager_call("ListResourceGroups", request)
            batch = (body.get("ResourceGroups") or {}).get("ResourceGroup") or []
            found += [
                g
                for g in batch
                if (pattern is None or pattern.search(text(g.get("Name"))))
                and (not wanted or text(g.get("Id")) in wanted)
            ]
            if len(batch) < PAGE:
                break
            request["PageNumber"] += 1
        details = bool(config.get("enable_details"))
        groups = [self._mapping(g, details) for g in found]
        write_output(config.get("output_file"), groups)
        ids = [g["id"] for g in groups]
        return {
            **config,
            "id": id_hash(ids),
            "ids": ids,
            "names": [g["name"] for g in groups],
            "groups": groups,
            "enable_details": details,
        }

    def _mapping(self, group: dict[str, Any], details: bool) -> dict[str, Any]:
        statuses: list[dict[str, str]] = []
        if details:
            body = self.client.resource_manager_call(
                "GetResourceGroup", {"ResourceGroupId": group["Id"]}
            )
            listed = ((body.get("ResourceGroup") or {}).get("RegionStatuses") or {}).get(
                "RegionStatus"
            ) or []
            statuses = [
                {"region_id": text(s.get("RegionId")), "status": text(s.get("Status"))}
                for s in listed
            ]
        return {
            "account_id": text(group.get("AccountId")),
            "display_name": text(group.get("DisplayName")),
            "id": text(group.get("Id")),
            "name": text(group.get("Name")),
            "region_statuses": statuses,
            "resource_group_name": text(group.get("Name")),
            "status": text(group.get("Status")),
        }
