"""``alicloud_express_connect_virtual_border_router``: a VBR on a physical connection.

A subset of the real resource: riconnect's cloud has no ModifyVirtualBorderRouterAttribute,
so every argument forces replacement here (docs/fidelity.md).
"""

from __future__ import annotations

from typing import Any

from riconnect.terraform.alicloud.client import CloudError, wait_for
from riconnect.terraform.alicloud.common import AliResource, client_token, known_values
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

TIMEOUTS = Timeouts(create=300, delete=300)


class VirtualBorderRouter(AliResource):
    type_name = "alicloud_express_connect_virtual_border_router"
    schema = Schema(
        Block(
            attributes=[
                Attribute("id", String, computed=True),
                Attribute("physical_connection_id", String, required=True, force_new=True),
                Attribute("vlan_id", Number, required=True, force_new=True),
                Attribute("local_gateway_ip", String, required=True, force_new=True),
                Attribute("peer_gateway_ip", String, required=True, force_new=True),
                Attribute("peering_subnet_mask", String, required=True, force_new=True),
                Attribute("virtual_border_router_name", String, optional=True, force_new=True),
                Attribute("description", String, optional=True, force_new=True),
                Attribute("bandwidth", Number, optional=True, computed=True, force_new=True),
                Attribute("circuit_code", String, optional=True, force_new=True),
                Attribute("status", String, computed=True),
                Attribute("route_table_id", String, computed=True),
                Attribute("access_point_id", String, computed=True),
            ],
            blocks=[TIMEOUTS.block],
        )
    )

    def _describe(self, vbr_id: str) -> dict[str, Any] | None:
        body = self.cloud.call(
            "DescribeVirtualBorderRouters", {"Filter": [{"Key": "VbrId", "Value": [vbr_id]}]}
        )
        for item in (body.get("VirtualBorderRouterSet") or {}).get("VirtualBorderRouterType") or []:
            if item.get("VbrId") == vbr_id:
                return dict(item)
        return None

    def _state(self, base: State, vbr_id: str) -> State | None:
        item = self._describe(vbr_id)
        if item is None:
            return None
        return {
            **base,
            "id": vbr_id,
            "physical_connection_id": item.get("PhysicalConnectionId"),
            "vlan_id": item.get("VlanId"),
            "local_gateway_ip": item.get("LocalGatewayIp"),
            "peer_gateway_ip": item.get("PeerGatewayIp"),
            "peering_subnet_mask": item.get("PeeringSubnetMask"),
            "virtual_border_router_name": item.get("Name")
            or base.get("virtual_border_router_name"),
            "description": item.get("Description") or base.get("description"),
            "bandwidth": item.get("Bandwidth"),
            "status": item.get("Status"),
            "route_table_id": item.get("RouteTableId"),
            "access_point_id": item.get("AccessPointId"),
        }

    def create(self, planned: State, diags: Diagnostics) -> State | None:
        p = known_values(planned)
        body = self.cloud.call(
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
            timeout=TIMEOUTS.seconds(planned, "create"),
        )
        return self._state(planned, body["VbrId"])

    def read(self, state: State, diags: Diagnostics) -> State | None:
        return self._state(state, state["id"])

    def delete(self, prior: State, diags: Diagnostics) -> None:
        vbr_id = prior["id"]
        timeout = TIMEOUTS.seconds(prior, "delete")
        try:
            self.cloud.call(
                "DeleteVirtualBorderRouter",
                {"VbrId": vbr_id, "ClientToken": client_token("DeleteVirtualBorderRouter")},
                timeout=timeout,
                retry_codes=("InvalidOperation.RouterInterfaceNotDeleted",),
            )
        except CloudError as err:
            if err.not_found:
                return
            raise
        wait_for(
            lambda: self._describe(vbr_id),
            lambda item: item is None,
            timeout,
            f"VBR {vbr_id} to be deleted",
        )

    def import_(self, id: str, diags: Diagnostics) -> State | None:
        return {"id": id}
