"""Router interface actions.

Connection-level changes (connect, activate, deactivate, fast link) update both sides of
a pair in one transaction.  The peer of a connected interface may belong to another
account or region: it is reached only through the ids stored on this side when both
sides consented (``peer_*``), never by a search across accounts.
"""

from __future__ import annotations

import secrets
from typing import Any

from riconnect.domain import ids, transitions
from riconnect.domain import router_interface as ri
from riconnect.domain.clock import iso8601
from riconnect.domain.entities import GONE, RouterInterface, Vbr, Vpc
from riconnect.domain.errors import ApiError
from riconnect.domain.regions import is_known
from riconnect.domain.validation import check_ipv4, check_ri_description, check_ri_name, check_tags
from riconnect.service.context import Ctx, Params, Result, idempotent, paging
from riconnect.service.routers import interfaces_on
from riconnect.service.vpc import load_vpc, settle_vpc
from riconnect.store.db import Tx

# -- loading and settling ---------------------------------------------------------------


def settle(ctx: Ctx, tx: Tx, obj: RouterInterface) -> RouterInterface | None:
    deadline = obj.settle_at  # transitions.settle clears it
    if not transitions.settle(obj, ctx.now()):
        return obj
    tx.require_write()
    if transitions.is_gone(obj):
        tx.delete(obj)
        return None
    if obj.status == ri.ACTIVE and obj.connected_at is None:
        # Connected when the transition came due, not when someone first looked.
        obj.connected_at = deadline if deadline is not None else ctx.now()
    tx.update(obj)
    return obj


def _get(ctx: Ctx, tx: Tx, account_id: str, region_id: str, ri_id: str) -> RouterInterface | None:
    obj = tx.get(RouterInterface, account_id, ri_id, region_id)
    return None if obj is None else settle(ctx, tx, obj)


def load(
    ctx: Ctx, tx: Tx, ri_id: str, code: str = "InvalidRouterInterfaceId.NotFound"
) -> RouterInterface:
    """One of the caller's interfaces in the request's region, settled."""
    obj = _get(ctx, tx, ctx.account_id, ctx.region_id, ri_id)
    if obj is None:
        raise ApiError(code)
    return obj


def peer_of(ctx: Ctx, tx: Tx, obj: RouterInterface) -> RouterInterface | None:
    """The interface this one is connected to, if it still exists."""
    if not obj.peer_id:
        return None
    return _get(ctx, tx, obj.peer_account_id, obj.peer_region_id, obj.peer_id)


def settle_due(ctx: Ctx, tx: Tx) -> None:
    for obj in tx.due(RouterInterface, ctx.account_id, ctx.region_id, ctx.now()):
        settle(ctx, tx, obj)


def _begin(obj: RouterInterface, status: str, target: str, now: float, delay: float) -> None:
    transitions.begin(obj, status, target, now, delay)
    obj.modified_at = now


# -- checks shared by Create and Modify -------------------------------------------------


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


def _check_unlocked(obj: RouterInterface, financial: str = "Forbidden.FinancialLocked") -> None:
    if obj.business_status == "FinancialLocked":
        raise ApiError(financial)
    if obj.business_status == "SecurityLocked":
        raise ApiError("Forbidden.SecurityLocked")


def _tags(p: Params) -> list[list[str]]:
    tags = list(p.get("Tags") or [])
    check_tags(tags)
    return [[k, v] for k, v in tags]


# -- the router an interface sits on ----------------------------------------------------


def _router(ctx: Ctx, tx: Tx, router_type: str, router_id: str) -> tuple[str, str]:
    """(vpc id, access point id) of the caller's router, which must be usable."""
    if router_type == ri.VROUTER:
        found = tx.find(Vpc, ctx.account_id, vrouter_id=router_id, region_id=ctx.region_id)
        vpc = load_vpc(ctx, tx, found[0].id) if found else None
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


def _router_has_room(ctx: Ctx, tx: Tx, account_id: str, router_id: str, extra: int = 1) -> None:
    limit = ctx.settings.interfaces_per_router
    if interfaces_on(ctx, tx, account_id, router_id) + extra > limit:
        raise ApiError("QuotaExceeded.RouterInterface", limit=limit)


# -- CreateRouterInterface ----------------------------------------------------------------


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
        _check_fast_link(ctx, p, router_type, role, owner)
    tags = _tags(p)

    def create() -> Result:
        tx.require_write()
        vpc_id, access_point = _router(ctx, tx, router_type, p["RouterId"])
        if router_type == ri.VBR and p["AccessPointId"] != access_point:
            raise ApiError(
                "InvalidAccessPointId.NotFound",
                detail=f"The VBR is at {access_point}, not {p['AccessPointId']}.",
            )
        _router_has_room(ctx, tx, ctx.account_id, p["RouterId"])
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
            _connect_fast_link(ctx, tx, obj)
        tx.insert(obj)
        result: Result = {"RouterInterfaceId": obj.id}
        if charge == ri.PREPAID:
            result["OrderId"] = 200000000000000 + secrets.randbelow(10**14)
        return result

    return idempotent(ctx, tx, p, create)


def _check_fast_link(ctx: Ctx, p: Params, router_type: str, role: str, owner: str) -> None:
    if router_type != ri.VBR or p.get("OppositeRouterType") != ri.VROUTER or role != ri.INITIATING:
        raise ApiError(
            "InvalidFastLinkMode.Forbidden",
            detail="Fast link mode needs RouterType VBR, Role InitiatingSide and OppositeRouterType VRouter.",
        )
    for name in ("OppositeRouterId", "OppositeInterfaceOwnerId"):
        if not p.get(name):
            raise ApiError("MissingParameter", name=name)
    if owner != ctx.account_id:
        raise ApiError(
            "InvalidFastLinkMode.Forbidden",
            detail="Fast link mode connects to a VPC of the same account.",
        )


def _connect_fast_link(ctx: Ctx, tx: Tx, obj: RouterInterface) -> None:
    """Create the VPC-side acceptor and connect both at once (express connect mode)."""
    found = tx.find(
        Vpc, ctx.account_id, vrouter_id=obj.opposite_router_id, region_id=obj.opposite_region_id
    )
    # Settled first: a VPC whose Pending -> Available has come due is Available.
    vpc = settle_vpc(ctx, tx, found[0]) if found else None
    if vpc is None or transitions.is_gone(vpc) or vpc.status != "Available":
        raise ApiError(
            "IncorrectOppositeInterfaceInfo.Mismatch",
            detail=f"The opposite router {obj.opposite_router_id} was not found in {obj.opposite_region_id}.",
        )
    _check_only_one_connection(ctx, tx, obj.router_id, vpc.vrouter_id)
    _router_has_room(ctx, tx, ctx.account_id, vpc.vrouter_id)
    now = ctx.now()
    peer = RouterInterface(
        id=ids.new_id("router_interface"),
        account_id=ctx.account_id,
        region_id=obj.opposite_region_id,
        role=ri.ACCEPTING,
        router_type=ri.VROUTER,
        router_id=vpc.vrouter_id,
        spec=ri.NEGATIVE,
        status=ri.ACTIVE,
        created_at=now,
        modified_at=now,
        opposite_region_id=obj.region_id,
        resource_group_id=obj.resource_group_id,
        vpc_id=vpc.id,
        opposite_interface_id=obj.id,
        opposite_router_id=obj.router_id,
        opposite_router_type=ri.VBR,
        opposite_interface_owner_id=obj.account_id,
        opposite_access_point_id=obj.access_point_id,
        fast_link_mode=True,
        connected_at=now,
    )
    obj.opposite_interface_id = peer.id
    _join(obj, peer)
    obj.status = ri.ACTIVE
    obj.connected_at = now
    tx.insert(peer)


def _join(a: RouterInterface, b: RouterInterface) -> None:
    a.peer_id, a.peer_account_id, a.peer_region_id = b.id, b.account_id, b.region_id
    b.peer_id, b.peer_account_id, b.peer_region_id = a.id, a.account_id, a.region_id


# -- ModifyRouterInterfaceAttribute -----------------------------------------------------


def modify_router_interface_attribute(ctx: Ctx, tx: Tx, p: Params) -> Result:
    obj = load(ctx, tx, p["RouterInterfaceId"])
    ri.check_allowed("modify_attribute", obj.status)
    _check_unlocked(obj)  # the ECS-era table lists Forbidden.FinancialLocked for this action
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


# -- ConnectRouterInterface ---------------------------------------------------------------


def _mismatch(detail: str) -> ApiError:
    return ApiError("IncorrectOppositeInterfaceInfo.Mismatch", detail=detail)


def _consenting_peer(ctx: Ctx, tx: Tx, obj: RouterInterface) -> RouterInterface:
    """The acceptor ``obj`` names, provided it names ``obj`` back (both sides' consent).

    It is looked up only where this side says it is, under the owner this side names.
    """
    peer = _get(
        ctx, tx, obj.opposite_interface_owner_id, obj.opposite_region_id, obj.opposite_interface_id
    )
    if peer is None:
        raise _mismatch(
            f"The opposite router interface {obj.opposite_interface_id} does not exist in region "
            f"{obj.opposite_region_id} of account {obj.opposite_interface_owner_id}."
        )
    told = {f: getattr(peer, f) for f in ri.OPPOSITE_FIELDS}
    if not ri.opposite_info_complete(told):
        raise ApiError("IncorrectOppositeInterfaceInfo.NotSet")
    if peer.role != ri.ACCEPTING:
        raise _mismatch(f"The opposite router interface {peer.id} is not an AcceptingSide.")
    expected = {
        "opposite_interface_id": obj.id,
        "opposite_router_id": obj.router_id,
        "opposite_router_type": obj.router_type,
        "opposite_interface_owner_id": obj.account_id,
    }
    for field, value in expected.items():
        if told[field] != value:
            raise _mismatch(
                f"The opposite router interface {peer.id} is configured with "
                f"{_api_name(field)}={told[field]}, but this side is {value}."
            )
    if peer.opposite_region_id != obj.region_id:
        raise _mismatch(
            f"The opposite router interface {peer.id} expects OppositeRegionId="
            f"{peer.opposite_region_id}, but this side is in {obj.region_id}."
        )
    if peer.router_id != obj.opposite_router_id or peer.router_type != obj.opposite_router_type:
        raise _mismatch(
            f"The opposite router interface {peer.id} is on {peer.router_type} {peer.router_id}, "
            f"not on {obj.opposite_router_type} {obj.opposite_router_id}."
        )
    return peer


def connect_router_interface(ctx: Ctx, tx: Tx, p: Params) -> Result:
    obj = load(ctx, tx, p["RouterInterfaceId"])
    if obj.role != ri.INITIATING:
        raise ApiError("IncorrectRole.NotInitiatingSide")
    move = ri.check_allowed("connect", obj.status)
    _check_unlocked(obj, financial="Forbidden.BillsOutstanding")
    if not ri.opposite_info_complete({f: getattr(obj, f) for f in ri.OPPOSITE_FIELDS}):
        raise ApiError("IncorrectOppositeInterfaceInfo.NotSet")
    if obj.opposite_router_id == obj.router_id:
        raise ApiError("IncorrectOppositeInterfaceInfo", "Cannot connect on the same router")
    try:
        peer = _consenting_peer(ctx, tx, obj)
    except ApiError:
        if obj.opposite_interface_owner_id == ctx.account_id:
            raise
        # Another account's interface: whether it exists and how that account configured
        # it are its owner's business.  Without its consent the answer is the documented
        # NotSet, the same in every case, naming nothing the caller did not send.
        raise ApiError("IncorrectOppositeInterfaceInfo.NotSet") from None
    if peer.status != ri.IDLE or peer.peer_id:
        raise ApiError(
            "IncorrectRIStatus",
            f"The opposite RouterInterface {peer.id} can be connected only when its status is "
            f"Idle; it is {peer.status}.",
        )
    _check_unlocked(peer, financial="Forbidden.BillsOutstanding")
    _check_only_one_connection(ctx, tx, obj.router_id, obj.opposite_router_id, obj.id)
    now = ctx.now()
    delay = getattr(ctx.settings.delays, move.delay)
    _join(obj, peer)
    _begin(obj, move.status, move.target, now, delay)
    assert move.peer_status is not None
    _begin(peer, move.peer_status, move.target, now, delay)
    obj.connected_at = peer.connected_at = None
    _save_pair(tx, obj, peer)
    return {}


def _check_only_one_connection(
    ctx: Ctx, tx: Tx, router_id: str, opposite_router_id: str, exclude_id: str = ""
) -> None:
    """One link between two routers, whichever side initiated it.  Interfaces whose
    deletion has come due are settled (removed) first: they no longer hold a link."""
    for other in tx.find(RouterInterface, ctx.account_id, router_id=router_id):
        if other.id == exclude_id or settle(ctx, tx, other) is None:
            continue
        if other.peer_id and other.opposite_router_id == opposite_router_id:
            raise ApiError("Forbidden.OnlyOneConnection")


def _api_name(field: str) -> str:
    return "".join(part.capitalize() for part in field.split("_"))


def _save_pair(tx: Tx, a: RouterInterface, b: RouterInterface) -> None:
    # A fixed order (by id) so that two transactions touching one pair never deadlock.
    for obj in sorted((a, b), key=lambda o: o.id):
        tx.update(obj)


# -- Activate / Deactivate ----------------------------------------------------------------


def _pair_move(ctx: Ctx, tx: Tx, p: Params, operation: str) -> Result:
    obj = load(ctx, tx, p["RouterInterfaceId"])
    move = ri.check_allowed(operation, obj.status)
    _check_unlocked(obj)
    peer = peer_of(ctx, tx, obj)
    if peer is None:
        raise _mismatch(
            f"The opposite router interface {obj.peer_id or obj.opposite_interface_id} has been deleted."
        )
    if peer.status not in move.allowed:
        raise ApiError(
            move.error,
            f"The opposite RouterInterface {peer.id} is {peer.status}; this action needs it "
            f"{' or '.join(sorted(move.allowed))}.",
        )
    _check_unlocked(peer)
    now = ctx.now()
    delay = getattr(ctx.settings.delays, move.delay)
    _begin(obj, move.status, move.target, now, delay)
    assert move.peer_status is not None
    _begin(peer, move.peer_status, move.target, now, delay)
    _save_pair(tx, obj, peer)
    return {}


def activate_router_interface(ctx: Ctx, tx: Tx, p: Params) -> Result:
    return _pair_move(ctx, tx, p, "activate")


def deactivate_router_interface(ctx: Ctx, tx: Tx, p: Params) -> Result:
    return _pair_move(ctx, tx, p, "deactivate")


# -- ModifyRouterInterfaceSpec ----------------------------------------------------------


def modify_router_interface_spec(ctx: Ctx, tx: Tx, p: Params) -> Result:
    # Every check runs inside the ClientToken check, so a retry gets the first answer.
    def modify() -> Result:
        obj = load(ctx, tx, p["RouterInterfaceId"])
        if obj.role != ri.INITIATING:
            raise ApiError("IncorrectRole.NotInitiatingSide")
        spec = p["Spec"]
        if spec not in ri.SPEC_BANDWIDTH:
            raise ApiError("InvalidSpec.ValudNotSupported")
        move = ri.check_allowed("modify_spec", obj.status)
        _check_unlocked(obj)
        now = ctx.now()
        obj.spec = spec
        obj.modified_at = now
        peer = peer_of(ctx, tx, obj) if obj.status == ri.ACTIVE else None
        if peer is None:
            tx.update(obj)  # not connected: the new spec is simply recorded
            return {"Spec": spec}
        # A connected link re-activates with the new bandwidth, both sides together.
        delay = getattr(ctx.settings.delays, move.delay)
        _begin(obj, move.status, move.target, now, delay)
        _begin(peer, move.status, move.target, now, delay)
        _save_pair(tx, obj, peer)
        return {"Spec": spec}

    return idempotent(ctx, tx, p, modify)


# -- Delete ---------------------------------------------------------------------------------


def delete_router_interface(ctx: Ctx, tx: Tx, p: Params) -> Result:
    def delete() -> Result:
        obj = load(ctx, tx, p["RouterInterfaceId"], code="InvalidInstanceId.NotFound")
        move = ri.check_allowed("delete", obj.status)
        if obj.charge_type == ri.CHARGE_REPORTED[ri.PREPAID]:
            raise ApiError("InvalidRouterInterfaceChargeType.Malformed")
        _begin(obj, move.status, GONE, ctx.now(), getattr(ctx.settings.delays, move.delay))
        tx.update(obj)
        return {}

    return idempotent(ctx, tx, p, delete)


def delete_express_connect(ctx: Ctx, tx: Tx, p: Params) -> Result:
    """Delete a fast-link interface and the VPC-side interface it created."""

    def delete() -> Result:
        obj = load(ctx, tx, p["RouterInterfaceId"], code="InvalidInstanceId.NotFound")
        if not obj.fast_link_mode:
            raise ApiError("IncorrectRouterInterfaceType.NotFastLink")
        if obj.status in (ri.DELETING,) or transitions.is_gone(obj):
            raise ApiError("IncorrectStatus", ri.TABLE["delete"].message)
        _check_unlocked(obj)
        now = ctx.now()
        delay = ctx.settings.delays.ri_delete
        peer = peer_of(ctx, tx, obj)
        for side in (obj, peer):
            if side is not None and not transitions.is_gone(side):
                _begin(side, ri.DELETING, GONE, now, delay)
        if peer is not None:
            _save_pair(tx, obj, peer)
        else:
            tx.update(obj)
        return {}

    return idempotent(ctx, tx, p, delete)


# -- Describe -------------------------------------------------------------------------------

_FILTER_COLUMNS = {
    "RouterInterfaceId": "id",
    "RouterId": "router_id",
    "RouterType": "router_type",
    "RouterInterfaceOwnerId": "account_id",
    "OppositeInterfaceId": "opposite_interface_id",
    "OppositeRouterType": "opposite_router_type",
    "OppositeRouterId": "opposite_router_id",
    "OppositeInterfaceOwnerId": "opposite_interface_owner_id",
    "Status": "status",
    "Name": "name",
}
FILTER_KEYS = tuple(_FILTER_COLUMNS)


Peers = dict[tuple[str, str, str], RouterInterface | None]


def _peer_key(obj: RouterInterface) -> tuple[str, str, str]:
    return obj.peer_account_id, obj.peer_region_id, obj.peer_id


def load_peers(ctx: Ctx, tx: Tx, items: list[RouterInterface]) -> Peers:
    """The peers of ``items`` (settled), one query per owner and region instead of one per
    interface; a peer that no longer exists maps to None, as :func:`peer_of` answers."""
    wanted: dict[tuple[str, str], list[str]] = {}
    for obj in items:
        if obj.peer_id:
            wanted.setdefault((obj.peer_account_id, obj.peer_region_id), []).append(obj.peer_id)
    found: Peers = {}
    for (account_id, region_id), peer_ids in wanted.items():
        unique = sorted(set(peer_ids))
        for key in unique:
            found[(account_id, region_id, key)] = None
        rows, _ = tx.page(RouterInterface, account_id, region_id, [("id", unique)], 1, len(unique))
        for peer in rows:
            found[(account_id, region_id, peer.id)] = settle(ctx, tx, peer)
    return found


def view(
    ctx: Ctx,
    tx: Tx,
    obj: RouterInterface,
    *,
    attribute: bool,
    reservation: bool = False,
    peers: Peers | None = None,
) -> dict[str, Any]:
    if not obj.peer_id:
        peer = None
    elif peers is not None:
        peer = peers.get(_peer_key(obj))
    else:
        peer = peer_of(ctx, tx, obj)
    if obj.peer_id and peer is None:
        opposite_status, opposite_spec, opposite_bw, opposite_business = ri.DELETED, "", 0, ""
    elif peer is not None:
        opposite_status, opposite_spec = peer.status, peer.spec
        # A Negative acceptor carries what its initiator bought.
        opposite_bw = ri.bandwidth(peer.spec) or ri.bandwidth(obj.spec)
        opposite_business = peer.business_status
    else:
        opposite_status = opposite_spec = opposite_business = ""
        opposite_bw = 0
    own_bw = ri.bandwidth(obj.spec)
    if obj.spec == ri.NEGATIVE and peer is not None:
        own_bw = ri.bandwidth(peer.spec)  # an acceptor carries what its initiator bought
    out: dict[str, Any] = {
        "RouterInterfaceId": obj.id,
        "Name": obj.name,
        "Description": obj.description,
        "Role": obj.role,
        "RouterType": obj.router_type,
        "RouterId": obj.router_id,
        "VpcInstanceId": obj.vpc_id,
        "AccessPointId": obj.access_point_id,
        "Spec": obj.spec,
        "Bandwidth": own_bw,
        "Status": obj.status,
        "BusinessStatus": obj.business_status,
        "ChargeType": obj.charge_type,
        "CreationTime": iso8601(obj.created_at),
        "ConnectedTime": iso8601(obj.connected_at) if obj.connected_at else "",
        "EndTime": iso8601(obj.end_time) if obj.end_time else "",
        "CrossBorder": ri.cross_border(obj.region_id, obj.opposite_region_id),
        "FastLinkMode": str(obj.fast_link_mode).lower() if attribute else obj.fast_link_mode,
        "HealthCheckSourceIp": obj.health_check_source_ip,
        "HealthCheckTargetIp": obj.health_check_target_ip,
        "HcRate": obj.hc_rate,
        "HcThreshold": obj.hc_threshold,
        "OppositeRegionId": obj.opposite_region_id,
        "OppositeInterfaceId": obj.opposite_interface_id,
        "OppositeRouterId": obj.opposite_router_id,
        "OppositeRouterType": obj.opposite_router_type,
        "OppositeInterfaceOwnerId": obj.opposite_interface_owner_id,
        "OppositeAccessPointId": obj.opposite_access_point_id,
        "OppositeVpcInstanceId": peer.vpc_id if peer is not None else "",
        "OppositeInterfaceStatus": opposite_status,
        "OppositeInterfaceSpec": opposite_spec,
        "OppositeBandwidth": opposite_bw,
        "OppositeInterfaceBusinessStatus": opposite_business,
        "ResourceGroupId": obj.resource_group_id,
        "HasReservationData": "false",
        "Tags": {"Tags": [{"Key": k, "Value": v} for k, v in obj.tags]},
    }
    if attribute or reservation:
        out.update(
            {
                "ReservationActiveTime": "",
                "ReservationBandwidth": "",
                "ReservationInternetChargeType": "",
                "ReservationOrderType": "",
            }
        )
    if attribute:
        has_hc = bool(obj.health_check_source_ip)
        out.update(
            {
                "Code": "200",
                "Message": "successful",
                "Success": True,
                "GmtModified": iso8601(obj.modified_at or obj.created_at),
                "HealthCheckStatus": "Normal" if has_hc else "NoHealthCheckConfig",
            }
        )
    else:
        out["Ipv6Status"] = ""
    return out


def describe_router_interfaces(ctx: Ctx, tx: Tx, p: Params) -> Result:
    settle_due(ctx, tx)
    page_number, page_size = paging(p)
    conditions: list[tuple[str, list[Any]]] = [
        (_FILTER_COLUMNS[key], values) for key, values in (p.get("Filter") or [])
    ]
    if p.get("ResourceGroupId"):
        conditions.append(("resource_group_id", [p["ResourceGroupId"]]))
    tag_filter = list(p.get("Tags") or [])
    if tag_filter:
        items, _ = tx.page(RouterInterface, ctx.account_id, ctx.region_id, conditions, 1, 10**9)
        items = [o for o in items if all([k, v] in o.tags for k, v in tag_filter)]
        total = len(items)
        items = items[(page_number - 1) * page_size : page_number * page_size]
    else:
        items, total = tx.page(
            RouterInterface, ctx.account_id, ctx.region_id, conditions, page_number, page_size
        )
    reservation = bool(p.get("IncludeReservationData"))
    peers = load_peers(ctx, tx, items)
    return {
        "PageNumber": page_number,
        "PageSize": page_size,
        "TotalCount": total,
        "RouterInterfaceSet": {
            "RouterInterfaceType": [
                view(ctx, tx, o, attribute=False, reservation=reservation, peers=peers)
                for o in items
            ]
        },
    }


def describe_router_interface_attribute(ctx: Ctx, tx: Tx, p: Params) -> Result:
    obj = load(ctx, tx, p["InstanceId"], code="InvalidInstanceId.NotFound")
    return view(ctx, tx, obj, attribute=True)
