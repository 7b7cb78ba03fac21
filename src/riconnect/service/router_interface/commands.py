"""Router interface commands: CreateRouterInterface, ModifyRouterInterfaceAttribute,
ModifyRouterInterfaceSpec, DeleteRouterInterface."""

from __future__ import annotations

import secrets
from typing import Any

from riconnect.domain import ids, transitions
from riconnect.domain import router_interface as ri
from riconnect.domain.entities import GONE, RouterInterface, Vbr, Vpc
from riconnect.domain.errors import ApiError
from riconnect.domain.regions import is_known
from riconnect.domain.validation import check_ipv4, check_ri_description, check_ri_name, check_tags
from riconnect.service.context import Ctx, Params, Result, idempotent
from riconnect.service.router_interface.link import check_fast_link, connect_fast_link
from riconnect.service.router_interface.pairs import (
    INTERFACES,
    begin,
    check_unlocked,
    peer_of,
    router_has_room,
    save_pair,
)
from riconnect.service.vpc import VPCS
from riconnect.store.db import Tx


def _check_owner_id(ctx: Ctx, owner: str) -> str:
    owner = owner.strip()
    if not owner.isdigit():
        raise ApiError(
            "InvalidOppositeInterfaceOwnerId.Malformed",
            detail=f"{owner[:40]!r} is not an account id.",
        )
    kind = ctx.directory.account_kind(owner)
    if kind == "ram":
        raise ApiError(
            "InvalidOppositeInterfaceOwnerId.Malformed",
            detail=f"{owner} is a RAM user; use the id of its main account.",
        )
    if kind is None:
        raise ApiError(
            "InvalidOppositeInterfaceOwnerId.Malformed", detail=f"No account has the id {owner}."
        )
    return owner


def _check_router_type(value: str, field: str) -> str:
    if value not in ri.ROUTER_TYPES:
        code = (
            "InvalidOppositeRouterType.ValueNotSupported"
            if field.startswith("Opposite")
            else "InvalidRouterType.Malformed"
        )
        raise ApiError(code, detail=f"{field} must be VRouter or VBR.")
    return value


def _health_check(p: Params, obj: RouterInterface | None) -> tuple[str, str] | None:
    src, dst = p.get("HealthCheckSourceIp"), p.get("HealthCheckTargetIp")
    if src is None and dst is None:
        return None
    if src is None or dst is None:
        raise ApiError(
            "InvalidHealthCheck.Malformed",
            detail="HealthCheckSourceIp and HealthCheckTargetIp are set together.",
        )
    return check_ipv4(src, "HealthCheckSourceIp"), check_ipv4(dst, "HealthCheckTargetIp")


def _tags(p: Params) -> list[list[str]]:
    tags = list(p.get("Tags") or [])
    check_tags(tags)
    return [[k, v] for k, v in tags]


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
    vbr = tx.get(Vbr, ctx.account_id, router_id, ctx.region_id)
    if vbr is None or transitions.is_gone(vbr):
        raise ApiError("InvalidRouterId.NotFound")
    if vbr.status != "active":
        raise ApiError("IncorrectVbrStatus")
    return "", vbr.access_point_id


def create_router_interface(ctx: Ctx, tx: Tx, p: Params) -> Result:
    role = p["Role"]
    router_type = _check_router_type(p["RouterType"], "RouterType")
    spec = p["Spec"]
    ri.check_spec(role, spec)
    if not is_known(p["OppositeRegionId"]):
        raise ApiError("InvalidOppositeRegionId.NotFound")
    opposite_type = p.get("OppositeRouterType")
    if opposite_type is not None:
        _check_router_type(opposite_type, "OppositeRouterType")
    if router_type == ri.VBR and role != ri.INITIATING:
        raise ApiError("InvalidRole.Malformed", detail="A VBR can only be the InitiatingSide.")
    if opposite_type == ri.VBR and role != ri.ACCEPTING:
        raise ApiError(
            "InvalidRole.Malformed", detail="The side opposite a VBR must be the AcceptingSide."
        )
    if router_type == ri.VBR and not p.get("AccessPointId"):
        raise ApiError("MissingParameter", name="AccessPointId")
    if router_type == ri.VROUTER and p.get("AccessPointId"):
        raise ApiError(
            "InvalidParameter", name="AccessPointId", detail="AccessPointId applies only to a VBR."
        )
    if opposite_type == ri.VBR and not p.get("OppositeAccessPointId"):
        raise ApiError("MissingParameter", name="OppositeAccessPointId")
    if p.get("Name") is not None:
        check_ri_name(p["Name"])
    if p.get("Description") is not None:
        check_ri_description(p["Description"])
    health = _health_check(p, None)
    owner = (
        _check_owner_id(ctx, p["OppositeInterfaceOwnerId"])
        if p.get("OppositeInterfaceOwnerId")
        else ""
    )
    charge = p.get("InstanceChargeType") or ri.POSTPAID
    period_months = 0
    if charge == ri.PREPAID:
        cycle = p.get("PricingCycle") or "Month"
        period = p.get("Period")
        if period is None:
            raise ApiError("MissingParameter", name="Period")
        if (cycle == "Month" and not 1 <= period <= 9) or (
            cycle == "Year" and not 1 <= period <= 3
        ):
            raise ApiError("InvalidPeriod.Malformed")
        period_months = period * (12 if cycle == "Year" else 1)
    fast = bool(p.get("FastLinkMode"))
    if fast:
        check_fast_link(ctx, p, router_type, role, owner)
    tags = _tags(p)

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
            result["OrderId"] = 200000000000000 + secrets.randbelow(10**14)
        return result

    return idempotent(ctx, tx, p, create)


def modify_router_interface_attribute(ctx: Ctx, tx: Tx, p: Params) -> Result:
    obj = INTERFACES.load(ctx, tx, p["RouterInterfaceId"])
    ri.check_allowed("modify_attribute", obj.status)
    check_unlocked(obj)  # the ECS-era table lists Forbidden.FinancialLocked for this action
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
        health = _health_check(p, obj)
        if health is not None:
            changes["health_check_source_ip"], changes["health_check_target_ip"] = health
    if p.get("HcRate") is not None:
        changes["hc_rate"] = p["HcRate"]
    if p.get("HcThreshold") is not None:
        changes["hc_threshold"] = p["HcThreshold"]

    opposite: dict[str, str] = {}
    if p.get("OppositeInterfaceId") is not None:
        opposite["opposite_interface_id"] = p["OppositeInterfaceId"]
    if p.get("OppositeRouterId") is not None:
        opposite["opposite_router_id"] = p["OppositeRouterId"]
    if p.get("OppositeRouterType") is not None:
        opposite["opposite_router_type"] = _check_router_type(
            p["OppositeRouterType"], "OppositeRouterType"
        )
    if p.get("OppositeInterfaceOwnerId") is not None:
        opposite["opposite_interface_owner_id"] = _check_owner_id(
            ctx, str(p["OppositeInterfaceOwnerId"])
        )
    changed = {k: v for k, v in opposite.items() if getattr(obj, k) != v}
    if changed:
        # The opposite side is fixed once the link exists; only an Idle interface that
        # never connected may be re-pointed (see docs/fidelity.md).
        if obj.status != ri.IDLE or obj.peer_id:
            raise ApiError(
                "IncorrectStatus",
                "The opposite router interface information can be modified only while the "
                "RouterInterface is Idle.",
            )
        if changed.get("opposite_router_type") == ri.VBR and obj.role != ri.ACCEPTING:
            raise ApiError(
                "InvalidRole.Malformed", detail="The side opposite a VBR must be the AcceptingSide."
            )
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
        if spec not in ri.SPEC_BANDWIDTH:
            raise ApiError("InvalidSpec.ValudNotSupported")
        move = ri.check_allowed("modify_spec", obj.status)
        check_unlocked(obj)
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
        move = ri.check_allowed("delete", obj.status)
        if obj.charge_type == ri.CHARGE_REPORTED[ri.PREPAID]:
            raise ApiError("InvalidRouterInterfaceChargeType.Malformed")
        begin(obj, move.status, GONE, ctx.now(), getattr(ctx.settings.delays, move.delay))
        tx.update(obj)
        return {}

    return idempotent(ctx, tx, p, delete)
