"""Router interface commands: CreateRouterInterface, ModifyRouterInterfaceAttribute,
ModifyRouterInterfaceSpec, DeleteRouterInterface."""

from __future__ import annotations

from typing import Any

from riconnect.domain import ids, transitions
from riconnect.domain import router_interface as ri
from riconnect.domain.entities import GONE, RouterInterface, Vpc
from riconnect.domain.errors import ApiError
from riconnect.domain.regions import is_known
from riconnect.domain.validation import check_ri_description, check_ri_name, tag_list
from riconnect.service.context import Ctx, Params, Result, idempotent
from riconnect.service.network import entries_using
from riconnect.service.router_interface.link import connect_fast_link
from riconnect.service.router_interface.pairs import (
    INTERFACES,
    begin,
    peer_of,
    router_has_room,
    save_pair,
)
from riconnect.service.vbr import VBRS
from riconnect.service.vpc import VPCS
from riconnect.store.db import Tx


def _router(ctx: Ctx, tx: Tx, router_type: str, router_id: str) -> tuple[str, str]:
    """(vpc id, access point id) of the caller's router, which must be usable."""
    if router_type == ri.VROUTER:
        found = tx.find(Vpc, ctx.account_id, vrouter_id=router_id, region_id=ctx.region_id)
        vpc = VPCS.settle(ctx, tx, found[0]) if found else None
        if vpc is None or transitions.is_gone(vpc):
            raise ApiError("InvalidRouterId.NotFound")
        if vpc.status != "Available":
            raise ApiError("IncorrectVpcStatus")
        return vpc.id, ""
    vbr = VBRS.get(ctx, tx, router_id)
    if vbr is None or transitions.is_gone(vbr):
        raise ApiError("InvalidRouterId.NotFound")
    if vbr.status != "active":
        raise ApiError("IncorrectVbrStatus")
    return "", vbr.access_point_id


def create_router_interface(ctx: Ctx, tx: Tx, p: Params) -> Result:
    # Rules on the request (RouterType, Role and OppositeRouterType are shaped by the table).
    role, router_type, spec = p["Role"], p["RouterType"], p["Spec"]
    ri.check_spec(role, spec)
    if not is_known(p["OppositeRegionId"]):
        raise ApiError("InvalidOppositeRegionId.NotFound")
    opposite_type = p.get("OppositeRouterType")
    ri.check_sides(role, router_type, opposite_type)
    ri.check_access_points(
        router_type, p.get("AccessPointId"), opposite_type, p.get("OppositeAccessPointId")
    )
    if p.get("Name") is not None:
        check_ri_name(p["Name"])
    if p.get("Description") is not None:
        check_ri_description(p["Description"])
    health = ri.health_check(p.get("HealthCheckSourceIp"), p.get("HealthCheckTargetIp"))
    owner = p.get("OppositeInterfaceOwnerId") or ""
    if owner:
        ri.check_opposite_owner(ctx.directory, owner)
    charge = p.get("InstanceChargeType") or ri.POSTPAID
    period_months = ri.prepaid_months(charge, p.get("PricingCycle"), p.get("Period"))
    fast = bool(p.get("FastLinkMode"))
    if fast:
        ri.check_fast_link(
            router_type, role, opposite_type, p.get("OppositeRouterId"), owner, ctx.account_id
        )
    tags = tag_list(p.get("Tags"))

    def create() -> Result:
        tx.require_write()
        vpc_id, access_point = _router(ctx, tx, router_type, p["RouterId"])
        if router_type == ri.VBR and p["AccessPointId"] != access_point:
            raise ApiError(
                "InvalidAccessPointId.NotFound",
                detail=f"The VBR is at {access_point}, not {p['AccessPointId']}.",
            )
        router_has_room(ctx, tx, ctx.account_id, p["RouterId"])
        now = ctx.now()
        obj = RouterInterface(
            id=ids.new_id("router_interface"),
            account_id=ctx.account_id,
            region_id=ctx.region_id,
            role=role,
            router_type=router_type,
            router_id=p["RouterId"],
            spec=spec,
            status=ri.IDLE,
            created_at=now,
            modified_at=now,
            opposite_region_id=p["OppositeRegionId"],
            resource_group_id=p.get("ResourceGroupId")
            or ids.default_resource_group(ctx.account_id),
            vpc_id=vpc_id,
            access_point_id=access_point,
            name=p.get("Name") or "",
            description=p.get("Description") or "",
            opposite_interface_id=p.get("OppositeInterfaceId") or "",
            opposite_router_id=p.get("OppositeRouterId") or "",
            opposite_router_type=opposite_type or "",
            opposite_interface_owner_id=owner,
            opposite_access_point_id=p.get("OppositeAccessPointId") or "",
            charge_type=ri.CHARGE_REPORTED[charge],
            end_time=now + period_months * 30 * 86400 if period_months else None,
            auto_renew=bool(p.get("AutoRenew")),
            fast_link_mode=fast,
            health_check_source_ip=health[0] if health else "",
            health_check_target_ip=health[1] if health else "",
            tags=tags,
        )
        if fast:
            connect_fast_link(ctx, tx, obj)
        tx.insert(obj)
        result: Result = {"RouterInterfaceId": obj.id}
        if charge == ri.PREPAID:
            result["OrderId"] = ids.new_order_id()
        return result

    return idempotent(ctx, tx, p, create)


def modify_router_interface_attribute(ctx: Ctx, tx: Tx, p: Params) -> Result:
    obj = INTERFACES.load(ctx, tx, p["RouterInterfaceId"])
    ri.check_allowed("modify_attribute", obj.status)
    ri.check_unlocked(obj)  # the ECS-era table lists Forbidden.FinancialLocked for this action
    changes: dict[str, Any] = {}
    if p.get("Name") is not None:
        check_ri_name(p["Name"])
        changes["name"] = p["Name"]
    if p.get("Description") is not None:
        check_ri_description(p["Description"])
        changes["description"] = p["Description"]
    if p.get("DeleteHealthCheckIp"):
        changes["health_check_source_ip"] = changes["health_check_target_ip"] = ""
    else:
        health = ri.health_check(p.get("HealthCheckSourceIp"), p.get("HealthCheckTargetIp"))
        if health is not None:
            changes["health_check_source_ip"], changes["health_check_target_ip"] = health
    if p.get("HcRate") is not None:
        changes["hc_rate"] = p["HcRate"]
    if p.get("HcThreshold") is not None:
        changes["hc_threshold"] = p["HcThreshold"]

    opposite: dict[str, str] = {}
    for name, field in (
        ("OppositeInterfaceId", "opposite_interface_id"),
        ("OppositeRouterId", "opposite_router_id"),
        ("OppositeRouterType", "opposite_router_type"),
    ):
        if p.get(name) is not None:
            opposite[field] = p[name]
    if p.get("OppositeInterfaceOwnerId") is not None:
        opposite["opposite_interface_owner_id"] = ri.check_opposite_owner(
            ctx.directory, p["OppositeInterfaceOwnerId"]
        )
    changed = {k: v for k, v in opposite.items() if getattr(obj, k) != v}
    if changed:
        ri.check_repoint(obj, changed)
        changes.update(changed)
    if not changes:
        return {}
    for key, value in changes.items():
        setattr(obj, key, value)
    obj.modified_at = ctx.now()
    tx.update(obj)
    return {}


def modify_router_interface_spec(ctx: Ctx, tx: Tx, p: Params) -> Result:
    # Every check runs inside the ClientToken check, so a retry gets the first answer.
    def modify() -> Result:
        obj = INTERFACES.load(ctx, tx, p["RouterInterfaceId"])
        if obj.role != ri.INITIATING:
            raise ApiError("IncorrectRole.NotInitiatingSide")
        spec = p["Spec"]
        ri.check_spec(obj.role, spec)
        move = ri.check_allowed("modify_spec", obj.status)
        ri.check_unlocked(obj)
        now = ctx.now()
        obj.spec = spec
        obj.modified_at = now
        peer = peer_of(ctx, tx, obj) if obj.status == ri.ACTIVE else None
        if peer is None:
            tx.update(obj)  # not connected: the new spec is simply recorded
            return {"Spec": spec}
        # A connected link re-activates with the new bandwidth, both sides together.
        delay = getattr(ctx.settings.delays, move.delay)
        begin(obj, move.status, move.target, now, delay)
        begin(peer, move.status, move.target, now, delay)
        save_pair(tx, obj, peer)
        return {"Spec": spec}

    return idempotent(ctx, tx, p, modify)


def delete_router_interface(ctx: Ctx, tx: Tx, p: Params) -> Result:
    def delete() -> Result:
        obj = INTERFACES.load(ctx, tx, p["RouterInterfaceId"], code="InvalidInstanceId.NotFound")
        if obj.charge_type == ri.CHARGE_REPORTED[ri.PREPAID]:
            raise ApiError("InvalidRouterInterfaceChargeType.Malformed")
        move = ri.check_allowed("delete", obj.status)
        if entries_using(ctx, tx, obj):
            raise ApiError("DependencyViolation.RouterInterfaceReferedByRouteEntry")
        begin(obj, move.status, GONE, ctx.now(), getattr(ctx.settings.delays, move.delay))
        tx.update(obj)
        return {}

    return idempotent(ctx, tx, p, delete)
