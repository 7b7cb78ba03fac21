"""Virtual border routers: CreateVirtualBorderRouter, DescribeVirtualBorderRouters,
DeleteVirtualBorderRouter.  A VBR sits on a physical connection that the operator granted
the account (accounts file or ``riconnect admin``)."""

from __future__ import annotations

import ipaddress
from typing import Any

from riconnect.domain import ids, transitions
from riconnect.domain.clock import iso8601
from riconnect.domain.entities import GONE, PhysicalConnection, Vbr
from riconnect.domain.errors import ApiError
from riconnect.domain.validation import check_ipv4, check_ri_description, check_vbr_name, tag_list
from riconnect.service.context import Ctx, Params, Result, idempotent, paging
from riconnect.service.lifecycle import Lifecycle
from riconnect.service.routers import interfaces_on
from riconnect.store.db import Tx

VBRS = Lifecycle(Vbr, "InvalidVbrId.NotFound")

DELETABLE = ("unconfirmed", "active", "terminated")
_FILTER_COLUMNS = {
    "PhysicalConnectionId": "physical_connection_id",
    "VbrId": "id",
    "Status": "status",
    "Name": "name",
    "AccessPointId": "access_point_id",
    "eccId": None,  # riconnect has no Express Connect circuits of that kind: matches nothing
    "type": None,
}
FILTER_KEYS = tuple(_FILTER_COLUMNS)


def create_virtual_border_router(ctx: Ctx, tx: Tx, p: Params) -> Result:
    # Rules on the request first (VlanId's range is shaped by the table), then the
    # physical connection the VBR sits on (docs: service/context.py, validation order).
    vlan = p["VlanId"]
    if p.get("Name") is not None:
        check_vbr_name(p["Name"])
    if p.get("Description") is not None:
        check_ri_description(p["Description"])
    # The circuit owner (always the caller here) must give the peering addresses.
    for name in ("LocalGatewayIp", "PeerGatewayIp", "PeeringSubnetMask"):
        if not p.get(name):
            raise ApiError("MissingParameter", name=name)
    local = check_ipv4(p["LocalGatewayIp"], "LocalGatewayIp")
    peer = check_ipv4(p["PeerGatewayIp"], "PeerGatewayIp")
    try:
        subnet = ipaddress.IPv4Network(f"{local}/{p['PeeringSubnetMask']}", strict=False)
    except ValueError:
        raise ApiError(
            "InvalidIp.Malformed", detail="PeeringSubnetMask is not a valid mask."
        ) from None
    if ipaddress.IPv4Address(peer) not in subnet or local == peer:
        raise ApiError(
            "InvalidIp.Malformed",
            detail="LocalGatewayIp and PeerGatewayIp must be two addresses of one PeeringSubnetMask subnet.",
        )
    owner = p.get("VbrOwnerId")
    if owner is not None and str(owner) != ctx.account_id:
        raise ApiError(
            "InvalidParameter",
            name="VbrOwnerId",
            detail="riconnect creates VBRs for the circuit owner only.",
        )
    tags = tag_list(p.get("Tags"))

    def create() -> Result:
        pc = tx.get(PhysicalConnection, ctx.account_id, p["PhysicalConnectionId"], ctx.region_id)
        if pc is None:
            raise ApiError("InvalidPhysicalConnectionId.NotFound")
        tx.require_write()
        for other in tx.find(Vbr, ctx.account_id, physical_connection_id=pc.id):
            if other.vlan_id == vlan:
                raise ApiError("InvalidVlanId.Used")
        now = ctx.now()
        vbr = Vbr(
            id=ids.new_id("vbr"),
            account_id=ctx.account_id,
            region_id=ctx.region_id,
            physical_connection_id=pc.id,
            access_point_id=pc.access_point_id,
            vlan_id=vlan,
            status="active",  # the circuit owner's own VBR needs no confirmation
            created_at=now,
            route_table_id=ids.new_id("route_table"),
            resource_group_id=p.get("ResourceGroupId")
            or ids.default_resource_group(ctx.account_id),
            name=p.get("Name") or "",
            description=p.get("Description") or "",
            bandwidth=p.get("Bandwidth"),
            local_gateway_ip=local,
            peer_gateway_ip=peer,
            peering_subnet_mask=p["PeeringSubnetMask"],
            circuit_code=p.get("CircuitCode") or "",
            enable_ipv6=bool(p.get("EnableIpv6")),
            tags=tags,
        )
        tx.insert(vbr)
        return {"VbrId": vbr.id}

    return idempotent(ctx, tx, p, create)


def vbr_view(vbr: Vbr, pc: PhysicalConnection | None) -> dict[str, Any]:
    return {
        "VbrId": vbr.id,
        "Name": vbr.name,
        "Description": vbr.description,
        "Status": vbr.status,
        "CreationTime": iso8601(vbr.created_at),
        "ActivationTime": iso8601(vbr.created_at),
        "TerminationTime": "",
        "RecoveryTime": "",
        "AccessPointId": vbr.access_point_id,
        "PhysicalConnectionId": vbr.physical_connection_id,
        "PhysicalConnectionOwnerUid": vbr.account_id,
        "PhysicalConnectionStatus": "Enabled",
        "PhysicalConnectionBusinessStatus": "Normal",
        "VlanId": vbr.vlan_id,
        "VlanInterfaceId": "ri-" + vbr.id[4:],
        "LocalGatewayIp": vbr.local_gateway_ip,
        "PeerGatewayIp": vbr.peer_gateway_ip,
        "PeeringSubnetMask": vbr.peering_subnet_mask,
        "LocalIpv6GatewayIp": "",
        "PeerIpv6GatewayIp": "",
        "PeeringIpv6SubnetMask": "",
        "EnableIpv6": vbr.enable_ipv6,
        "Bandwidth": vbr.bandwidth if vbr.bandwidth is not None else (pc.bandwidth if pc else 0),
        "CircuitCode": vbr.circuit_code,
        "RouteTableId": vbr.route_table_id,
        "ResourceGroupId": vbr.resource_group_id,
        "Type": "pconnVBR",
        "EccId": "",
        "EcrId": "",
        "EcrOwnerId": "",
        "EcrAttatchStatus": "",
        "CloudBoxInstanceId": "",
        "SitelinkEnable": False,
        "Mtu": 1500,
        "MinRxInterval": 1000,
        "MinTxInterval": 1000,
        "DetectMultiplier": 3,
        "PConnVbrChargeType": "",
        "PConnVbrExpireTime": "",
        "AssociatedCens": {"AssociatedCen": []},
        "AssociatedPhysicalConnections": {
            "AssociatedPhysicalConnection": [
                {
                    "PhysicalConnectionId": vbr.physical_connection_id,
                    "PhysicalConnectionOwnerUid": vbr.account_id,
                    "PhysicalConnectionStatus": "Enabled",
                    "PhysicalConnectionBusinessStatus": "Normal",
                    "Status": vbr.status,
                    "CircuitCode": vbr.circuit_code,
                    "VlanId": str(vbr.vlan_id),
                    "VlanInterfaceId": "ri-" + vbr.id[4:],
                    "LocalGatewayIp": vbr.local_gateway_ip,
                    "PeerGatewayIp": vbr.peer_gateway_ip,
                    "PeeringSubnetMask": vbr.peering_subnet_mask,
                    "LocalIpv6GatewayIp": "",
                    "PeerIpv6GatewayIp": "",
                    "PeeringIpv6SubnetMask": "",
                    "EnableIpv6": vbr.enable_ipv6,
                }
            ]
        },
        "Tags": {"Tags": [{"Key": k, "Value": v} for k, v in vbr.tags]},
    }


def describe_virtual_border_routers(ctx: Ctx, tx: Tx, p: Params) -> Result:
    VBRS.settle_due(ctx, tx)
    page_number, page_size = paging(p)
    conditions: list[tuple[str, list[Any]]] = []
    for key, values in p.get("Filter") or []:
        column = _FILTER_COLUMNS[key]
        conditions.append((column or "id", values if column else []))
    if p.get("ResourceGroupId"):
        conditions.append(("resource_group_id", [p["ResourceGroupId"]]))
    vbrs, total = VBRS.page(ctx, tx, conditions, p.get("Tags") or [], page_number, page_size)
    pcs = {pc.id: pc for pc in tx.find(PhysicalConnection, ctx.account_id)}
    return {
        "PageNumber": page_number,
        "PageSize": page_size,
        "TotalCount": total,
        "VirtualBorderRouterSet": {
            "VirtualBorderRouterType": [
                vbr_view(v, pcs.get(v.physical_connection_id)) for v in vbrs
            ]
        },
    }


def delete_virtual_border_router(ctx: Ctx, tx: Tx, p: Params) -> Result:
    def delete() -> Result:
        vbr = VBRS.load(ctx, tx, p["VbrId"])
        if vbr.status not in DELETABLE or transitions.is_gone(vbr):
            raise ApiError("InvalidOperation.OperationNotAllowedInState")
        if interfaces_on(ctx, tx, ctx.account_id, vbr.id):
            raise ApiError("InvalidOperation.RouterInterfaceNotDeleted")
        transitions.begin(vbr, "deleting", GONE, ctx.now(), ctx.settings.delays.vbr_delete)
        tx.update(vbr)
        return {}

    return idempotent(ctx, tx, p, delete)
