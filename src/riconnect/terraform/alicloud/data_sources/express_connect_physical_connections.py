"""Data source ``alicloud_express_connect_physical_connections``: Vpc
DescribePhysicalConnections (paged by 50), filtered by ``ids``, ``name_regex`` (on ``Name``)
and ``status``; every field a string.  As v1.285.0
data_source_alicloud_express_connect_physical_connections.go:164-293."""

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
STATUSES = [
    "Allocated",
    "Allocating",
    "Allocation Failed",
    "Approved",
    "Canceled",
    "Confirmed",
    "Enabled",
    "Initial",
    "Rejected",
    "Terminated",
]
# attribute -> the API's field.
FIELDS = {
    "access_point_id": "AccessPointId",
    "ad_location": "AdLocation",
    "bandwidth": "Bandwidth",
    "business_status": "BusinessStatus",
    "circuit_code": "CircuitCode",
    "create_time": "CreationTime",
    "description": "Description",
    "enabled_time": "EnabledTime",
    "end_time": "EndTime",
    "has_reservation_data": "HasReservationData",
    "id": "PhysicalConnectionId",
    "line_operator": "LineOperator",
    "loa_status": "LoaStatus",
    "payment_type": "ChargeType",
    "peer_location": "PeerLocation",
    "physical_connection_id": "PhysicalConnectionId",
    "physical_connection_name": "Name",
    "port_number": "PortNumber",
    "port_type": "PortType",
    "redundant_physical_connection_id": "RedundantPhysicalConnectionId",
    "reservation_active_time": "ReservationActiveTime",
    "reservation_internet_charge_type": "ReservationInternetChargeType",
    "reservation_order_type": "ReservationOrderType",
    "spec": "Spec",
    "status": "Status",
    "type": "Type",
}


class PhysicalConnections(AliDataSource):
    type_name = "alicloud_express_connect_physical_connections"
    schema = Schema(
        Block(
            attributes=[
                Attribute("id", String, computed=True),
                Attribute("ids", List(String), optional=True, computed=True),
                Attribute("include_reservation_data", Bool, optional=True),
                Attribute("name_regex", String, optional=True, validators=[regex]),
                Attribute("names", List(String), computed=True),
                Attribute("output_file", String, optional=True),
                Attribute("status", String, optional=True, validators=[one_of(STATUSES)]),
                Attribute(
                    "connections", List(Object(dict.fromkeys(FIELDS, String))), computed=True
                ),
            ]
        )
    )

    def read(self, config: State, diags: Diagnostics) -> State:
        request: dict[str, Any] = {"PageSize": PAGE, "PageNumber": 1}
        if config.get("include_reservation_data") is not None:
            request["IncludeReservationData"] = config["include_reservation_data"]
        pattern = compiled(config.get("name_regex"))
        wanted = {i for i in config.get("ids") or [] if i}
        found: list[dict[str, Any]] = []
        while True:
            body = self.client.call("DescribePhysicalConnections", request)
            batch = (body.get("PhysicalConnectionSet") or {}).get("PhysicalConnectionType") or []
            found += [
                pc
                for pc in batch
                if (not wanted or text(pc.get("PhysicalConnectionId")) in wanted)
                and (pattern is None or pattern.search(text(pc.get("Name"))))
                and (not config.get("status") or pc.get("Status") == config["status"])
            ]
            if len(batch) < PAGE:
                break
            request["PageNumber"] += 1
        connections = [{name: text(pc.get(api)) for name, api in FIELDS.items()} for pc in found]
        write_output(config.get("output_file"), connections)
        ids = [c["id"] for c in connections]
        return {
            **config,
            "id": id_hash(ids),
            "ids": ids,
            "names": [c["physical_connection_name"] for c in connections],
            "connections": connections,
        }
