"""Data source ``alicloud_router_interfaces`` (deprecated since 1.199.0)."""

from __future__ import annotations

from typing import Any

from riconnect.terraform.alicloud.base import AliDataSource
from riconnect.terraform.alicloud.data_sources.common import compiled, id_hash, write_output
from riconnect.terraform.alicloud.fields import Field, Fields, text
from riconnect.terraform.plugin import (
    Attribute,
    Block,
    DiagnosticError,
    Diagnostics,
    List,
    Object,
    Schema,
    State,
    String,
)
from riconnect.terraform.plugin.validators import string_in_slice, string_is_valid_regexp

PAGE = 50
# Each interface listed, every field as a string.
FIELDS = Fields(
    *(
        Field(name, api, text)
        for name, api in (
            ("id", "RouterInterfaceId"),
            ("status", "Status"),
            ("name", "Name"),
            ("description", "Description"),
            ("role", "Role"),
            ("specification", "Spec"),
            ("router_id", "RouterId"),
            ("router_type", "RouterType"),
            ("vpc_id", "VpcInstanceId"),
            ("access_point_id", "AccessPointId"),
            ("creation_time", "CreationTime"),
            ("opposite_region_id", "OppositeRegionId"),
            ("opposite_interface_id", "OppositeInterfaceId"),
            ("opposite_router_id", "OppositeRouterId"),
            ("opposite_router_type", "OppositeRouterType"),
            ("opposite_interface_owner_id", "OppositeInterfaceOwnerId"),
            ("health_check_source_ip", "HealthCheckSourceIp"),
            ("health_check_target_ip", "HealthCheckTargetIp"),
        )
    )
)
# Filters the API applies (one value each); the rest are applied here.
_SERVER_FILTERS = {
    "status": "Status",
    "router_id": "RouterId",
    "router_type": "RouterType",
    "opposite_interface_id": "OppositeInterfaceId",
    "opposite_interface_owner_id": "OppositeInterfaceOwnerId",
}


class RouterInterfaces(AliDataSource):
    type_name = "alicloud_router_interfaces"
    deprecation_message = (
        "This data source has been deprecated since v1.199.0 and will be removed in the future. "
        "Please use 'alicloud_express_connect_router_interfaces' instead."
    )
    schema = Schema(
        Block(
            attributes=[
                Attribute("id", String, computed=True),
                Attribute(
                    "status",
                    String,
                    optional=True,
                    validators=[string_in_slice(["Active", "Inactive", "Idle"])],
                ),
                Attribute("name_regex", String, optional=True, validators=[string_is_valid_regexp]),
                Attribute("specification", String, optional=True),
                Attribute("router_id", String, optional=True),
                Attribute(
                    "router_type",
                    String,
                    optional=True,
                    validators=[string_in_slice(["VRouter", "VBR"])],
                ),
                Attribute("role", String, optional=True),
                Attribute("opposite_interface_id", String, optional=True),
                Attribute("opposite_interface_owner_id", String, optional=True),
                Attribute("ids", List(String), optional=True, computed=True),
                Attribute("names", List(String), computed=True),
                Attribute("output_file", String, optional=True),
                Attribute(
                    "interfaces",
                    List(Object({f.attribute: String for f in FIELDS.fields})),
                    computed=True,
                ),
            ]
        )
    )

    def read(self, config: State, diags: Diagnostics) -> State:
        filters = [
            {"Key": api, "Value": [config[name]]}
            for name, api in _SERVER_FILTERS.items()
            if config.get(name)
        ]
        if len(filters) > 5:
            raise DiagnosticError("at most 5 server-side filters")
        items: list[dict[str, Any]] = []
        page = 1
        while True:
            body = self.client.call(
                "DescribeRouterInterfaces",
                {"Filter": filters or None, "PageSize": PAGE, "PageNumber": page},
            )
            batch = (body.get("RouterInterfaceSet") or {}).get("RouterInterfaceType") or []
            items.extend(batch)
            if len(batch) < PAGE:
                break
            page += 1
        wanted_ids = set(config.get("ids") or [])
        pattern = compiled(config.get("name_regex"))
        selected = [
            item
            for item in items
            if (not wanted_ids or item.get("RouterInterfaceId") in wanted_ids)
            and (pattern is None or pattern.search(item.get("Name") or ""))
            and (not config.get("role") or item.get("Role") == config["role"])
            and (not config.get("specification") or item.get("Spec") == config["specification"])
        ]
        interfaces = [FIELDS.read(item, {}) for item in selected]
        ids = [i["id"] for i in interfaces]
        write_output(config.get("output_file"), interfaces)
        return {
            **config,
            "id": id_hash(ids),
            "ids": ids,
            "names": [i["name"] for i in interfaces],
            "interfaces": interfaces,
        }
