"""``alicloud_express_connect_virtual_border_router``: a VBR on a physical connection.

A subset of the real resource: riconnect's cloud has no ModifyVirtualBorderRouterAttribute,
so every argument forces replacement here (docs/fidelity.md).
"""

from __future__ import annotations

from typing import Any

from riconnect.terraform.alicloud.base import AliResource, DeleteFlow, client_token, known_values
from riconnect.terraform.alicloud.fields import Field, Fields, keep_current
from riconnect.terraform.plugin import (
    Attribute,
    Block,
    Diagnostics,
    Number,
    Schema,
    State,
    String,
    Timeouts,
)


class VirtualBorderRouter(AliResource):
    type_name = "alicloud_express_connect_virtual_border_router"
    noun = "VBR"
    timeouts = Timeouts(create=300, delete=300)
    schema = Schema(
        Block(
            attributes=[
                Attribute("id", String, computed=True),
                Attribute("physical_connection_id", String, required=True, force_new=True),
                Attribute("vlan_id", Number, required=True, force_new=True, integer=True),
                Attribute("local_gateway_ip", String, required=True, force_new=True),
                Attribute("peer_gateway_ip", String, required=True, force_new=True),
                Attribute("peering_subnet_mask", String, required=True, force_new=True),
                Attribute("virtual_border_router_name", String, optional=True, force_new=True),
                Attribute("description", String, optional=True, force_new=True),
                Attribute(
                    "bandwidth", Number, optional=True, computed=True, force_new=True, integer=True
                ),
                Attribute("circuit_code", String, optional=True, force_new=True),
                Attribute("status", String, computed=True),
                Attribute("route_table_id", String, computed=True),
                Attribute("access_point_id", String, computed=True),
            ],
            blocks=[timeouts.block],
        )
    )

    # One entry of DescribeVirtualBorderRouters.
    fields = Fields(
        Field("physical_connection_id", "PhysicalConnectionId"),
        Field("vlan_id", "VlanId"),
        Field("local_gateway_ip", "LocalGatewayIp"),
        Field("peer_gateway_ip", "PeerGatewayIp"),
        Field("peering_subnet_mask", "PeeringSubnetMask"),
        Field("virtual_border_router_name", "Name", keep_current),
        Field("description", "Description", keep_current),
        Field("bandwidth", "Bandwidth"),
        Field("status", "Status"),
        Field("route_table_id", "RouteTableId"),
        Field("access_point_id", "AccessPointId"),
    )
    deletion = DeleteFlow(
        "DeleteVirtualBorderRouter",
        "VbrId",
        retry_codes=("InvalidOperation.RouterInterfaceNotDeleted",),
    )

    def _describe(self, vbr_id: str) -> dict[str, Any] | None:
        body = self.client.call(
            "DescribeVirtualBorderRouters", {"Filter": [{"Key": "VbrId", "Value": [vbr_id]}]}
        )
        for item in (body.get("VirtualBorderRouterSet") or {}).get("VirtualBorderRouterType") or []:
            if item.get("VbrId") == vbr_id:
                return dict(item)
        return None

    def create(self, planned: State, diags: Diagnostics) -> State | None:
        p = known_values(planned)
        body = self.client.call(
            "CreateVirtualBorderRouter",
            {
                "PhysicalConnectionId": p["physical_connection_id"],
                "VlanId": int(p["vlan_id"]),
                "LocalGatewayIp": p["local_gateway_ip"],
                "PeerGatewayIp": p["peer_gateway_ip"],
                "PeeringSubnetMask": p["peering_subnet_mask"],
                "Name": p.get("virtual_border_router_name"),
                "Description": p.get("description"),
                "Bandwidth": int(p["bandwidth"]) if p.get("bandwidth") is not None else None,
                "CircuitCode": p.get("circuit_code"),
                "ClientToken": client_token("CreateVirtualBorderRouter"),
            },
            timeout=self.timeouts.seconds(planned, "create"),
        )
        return self._read(planned, body["VbrId"])
