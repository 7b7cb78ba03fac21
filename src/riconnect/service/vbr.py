"""Virtual border routers: CreateVirtualBorderRouter, DescribeVirtualBorderRouters,
ModifyVirtualBorderRouterAttribute, TerminateVirtualBorderRouter,
RecoverVirtualBorderRouter, DeleteVirtualBorderRouter.  A VBR sits on a physical
connection that the operator granted the account (accounts file or ``riconnect admin``).
The rules of its own settings live in domain/vbr.py."""

from __future__ import annotations

from typing import Any

from riconnect.domain import ids, transitions
from riconnect.domain import vbr as rules
from riconnect.domain.clock import iso8601
from riconnect.domain.entities import GONE, PhysicalConnection, Vbr
from riconnect.domain.errors import ApiError
from riconnect.domain.validation import (
    check_resource_group_id,
    check_ri_description,
    check_vbr_name,
    tag_list,
)
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


def _check_texts(p: Params) -> None:
    # "" clears a name or description (ModifyVirtualBorderRouterAttribute; docs/fidelity.md).
    if p.get("Name"):
        check_vbr_name(p["Name"])
    if p.get("Description"):
        check_ri_description(p["Description"])


def _vlan_free(tx: Tx, account_id: str, pc_id: str, vlan: int, own: str = "") -> None:
    for other in tx.find(Vbr, account_id, physical_connection_id=pc_id):
        if other.vlan_id == vlan and other.id != own:
            raise ApiError("InvalidVlanId.Used")


def create_virtual_border_router(ctx: Ctx, tx: Tx, p: Params) -> Result:
    # Rules on the request first (VlanId's range is shaped by the table), then the
    # physical connection the VBR sits on (docs: service/context.py, validation order).
    vlan = p["VlanId"]
    _check_texts(p)
    # The circuit owner (always the caller here) must give the peering addresses.
    for name in ("LocalGatewayIp", "PeerGatewayIp", "PeeringSubnetMask"):
        if not p.get(name):
            raise ApiError("MissingParameter", name=name)
    peering = rules.check_peering(p["LocalGatewayIp"], p["PeerGatewayIp"], p["PeeringSubnetMask"])
    ipv6 = rules.check_ipv6_peering(
        p.get("LocalIpv6GatewayIp") or "",
        p.get("PeerIpv6GatewayIp") or "",
        p.get("PeeringIpv6SubnetMask") or "",
    )
    owner = p.get("VbrOwnerId")
    if owner is not None and str(owner) != ctx.account_id:
        raise ApiError(
            "InvalidParameter",
            name="VbrOwnerId",
            detail="riconnect creates VBRs for the circuit owner only.",
        )
    group = p.get("ResourceGroupId")
    if group:
        check_resource_group_id(group)
    tags = tag_list(p.get("Tags"))

    def create() -> Result:
        pc = tx.get(PhysicalConnection, ctx.account_id, p["PhysicalConnectionId"], ctx.region_id)
        if pc is None:
            raise ApiError("InvalidPhysicalConnectionId.NotFound")
        tx.require_write()
        _vlan_free(tx, ctx.account_id, pc.id, vlan)
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
            resource_group_id=group or ids.default_resource_group(ctx.account_id),
            name=p.get("Name") or "",
            description=p.get("Description") or "",
            bandwidth=p.get("Bandwidth"),
            local_gateway_ip=peering.local,
            peer_gateway_ip=peering.peer,
            peering_subnet_mask=peering.mask,
            local_ipv6_gateway_ip=ipv6.local,
            peer_ipv6_gateway_ip=ipv6.peer,
            peering_ipv6_subnet_mask=ipv6.mask,
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
        "TerminationTime": iso8601(vbr.terminated_at) if vbr.terminated_at else "",
        "RecoveryTime": iso8601(vbr.recovered_at) if vbr.recovered_at else "",
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
        "LocalIpv6GatewayIp": vbr.local_ipv6_gateway_ip,
        "PeerIpv6GatewayIp": vbr.peer_ipv6_gateway_ip,
        "PeeringIpv6SubnetMask": vbr.peering_ipv6_subnet_mask,
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
        "SitelinkEnable": vbr.sitelink_enable,
        "Mtu": vbr.mtu,
        "MinRxInterval": vbr.min_rx_interval,
        "MinTxInterval": vbr.min_tx_interval,
        "DetectMultiplier": vbr.detect_multiplier,
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
                    "LocalIpv6GatewayIp": vbr.local_ipv6_gateway_ip,
                    "PeerIpv6GatewayIp": vbr.peer_ipv6_gateway_ip,
                    "PeeringIpv6SubnetMask": vbr.peering_ipv6_subnet_mask,
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


# ModifyVirtualBorderRouterAttribute: request parameter -> the VBR's field, for the plain
# values (the addresses and VlanId are checked together below).
_PLAIN = {
    "Name": "name",
    "Description": "description",
    "CircuitCode": "circuit_code",
    "Bandwidth": "bandwidth",
    "EnableIpv6": "enable_ipv6",
    "Mtu": "mtu",
    "MinRxInterval": "min_rx_interval",
    "MinTxInterval": "min_tx_interval",
    "DetectMultiplier": "detect_multiplier",
    "SitelinkEnable": "sitelink_enable",
}


def modify_virtual_border_router_attribute(ctx: Ctx, tx: Tx, p: Params) -> Result:
    def modify() -> Result:
        vbr = VBRS.load(ctx, tx, p["VbrId"])
        if vbr.status not in rules.MODIFIABLE or transitions.is_gone(vbr):
            raise ApiError("InvalidOperation.OperationNotAllowedInState")
        _check_texts(p)
        given = {k: v for k, v in p.items() if v is not None}
        peering = rules.check_peering(
            given.get("LocalGatewayIp", vbr.local_gateway_ip),
            given.get("PeerGatewayIp", vbr.peer_gateway_ip),
            given.get("PeeringSubnetMask", vbr.peering_subnet_mask),
        )
        ipv6 = rules.check_ipv6_peering(
            given.get("LocalIpv6GatewayIp", vbr.local_ipv6_gateway_ip),
            given.get("PeerIpv6GatewayIp", vbr.peer_ipv6_gateway_ip),
            given.get("PeeringIpv6SubnetMask", vbr.peering_ipv6_subnet_mask),
        )
        if "Mtu" in given:
            rules.check_mtu(given["Mtu"])
        if given.get("AssociatedPhysicalConnections"):
            rules.check_associated_connections(
                given["AssociatedPhysicalConnections"], vbr.physical_connection_id
            )
        vlan = given.get("VlanId", vbr.vlan_id)
        if vlan != vbr.vlan_id:
            tx.require_write()
            _vlan_free(tx, ctx.account_id, vbr.physical_connection_id, vlan, own=vbr.id)
        vbr.vlan_id = vlan
        vbr.local_gateway_ip, vbr.peer_gateway_ip = peering.local, peering.peer
        vbr.peering_subnet_mask = peering.mask
        vbr.local_ipv6_gateway_ip, vbr.peer_ipv6_gateway_ip = ipv6.local, ipv6.peer
        vbr.peering_ipv6_subnet_mask = ipv6.mask
        for param, attribute in _PLAIN.items():
            if param in given:
                setattr(vbr, attribute, given[param])
        tx.update(vbr)
        return {}

    return idempotent(ctx, tx, p, modify)


def terminate_virtual_border_router(ctx: Ctx, tx: Tx, p: Params) -> Result:
    def terminate() -> Result:
        vbr = VBRS.load(ctx, tx, p["VbrId"])
        if vbr.status not in rules.TERMINABLE or transitions.is_gone(vbr):
            raise ApiError("InvalidOperation.OperationNotAllowedInState")
        now = ctx.now()
        transitions.begin(vbr, "terminating", "terminated", now, ctx.settings.delays.vbr_terminate)
        vbr.terminated_at = now
        tx.update(vbr)
        return {}

    return idempotent(ctx, tx, p, terminate)


def recover_virtual_border_router(ctx: Ctx, tx: Tx, p: Params) -> Result:
    # The circuit must be enabled: riconnect's granted circuits always are.
    def recover() -> Result:
        vbr = VBRS.load(ctx, tx, p["VbrId"])
        if vbr.status not in rules.RECOVERABLE or transitions.is_gone(vbr):
            raise ApiError("InvalidOperation.OperationNotAllowedInState")
        now = ctx.now()
        transitions.begin(vbr, "recovering", "active", now, ctx.settings.delays.vbr_recover)
        vbr.recovered_at = now
        tx.update(vbr)
        return {}

    return idempotent(ctx, tx, p, recover)


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
