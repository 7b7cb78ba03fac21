"""Router interface links: ConnectRouterInterface, ActivateRouterInterface,
DeactivateRouterInterface, the fast link a VBR creates with its VPC-side acceptor, and
DeleteExpressConnect.  Every change moves both sides of the pair together
(domain/router_interface.py holds the transition table)."""

from __future__ import annotations

from riconnect.domain import ids, transitions
from riconnect.domain import router_interface as ri
from riconnect.domain.entities import GONE, RouterInterface, Vpc
from riconnect.domain.errors import ApiError
from riconnect.service.context import Ctx, Params, Result, idempotent
from riconnect.service.network import entries_using
from riconnect.service.router_interface.pairs import (
    INTERFACES,
    begin,
    check_only_one_connection,
    join,
    peer_of,
    router_has_room,
    save_pair,
)
from riconnect.service.vpc import VPCS
from riconnect.store.db import Tx


def _consenting_peer(ctx: Ctx, tx: Tx, obj: RouterInterface) -> RouterInterface:
    """The acceptor ``obj`` names, provided it names ``obj`` back (both sides' consent).

    It is looked up only where this side says it is, under the owner this side names.
    """
    peer = INTERFACES.get(
        ctx,
        tx,
        obj.opposite_interface_id,
        account_id=obj.opposite_interface_owner_id,
        region_id=obj.opposite_region_id,
    )
    if peer is None:
        raise ri.missing_peer(
            obj.opposite_interface_id, obj.opposite_region_id, obj.opposite_interface_owner_id
        )
    ri.check_consent(obj, peer)
    return peer


def connect_router_interface(ctx: Ctx, tx: Tx, p: Params) -> Result:
    obj = INTERFACES.load(ctx, tx, p["RouterInterfaceId"])
    if obj.role != ri.INITIATING:
        raise ApiError("IncorrectRole.NotInitiatingSide")
    move = ri.check_allowed("connect", obj.status)
    ri.check_unlocked(obj, financial="Forbidden.BillsOutstanding")
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
    ri.check_unlocked(peer, financial="Forbidden.BillsOutstanding")
    check_only_one_connection(ctx, tx, obj.router_id, obj.opposite_router_id, obj.id)
    now = ctx.now()
    delay = getattr(ctx.settings.delays, move.delay)
    join(obj, peer)
    begin(obj, move.status, move.target, now, delay)
    assert move.peer_status is not None
    begin(peer, move.peer_status, move.target, now, delay)
    obj.connected_at = peer.connected_at = None
    save_pair(tx, obj, peer)
    return {}


def _pair_move(ctx: Ctx, tx: Tx, p: Params, operation: str) -> Result:
    obj = INTERFACES.load(ctx, tx, p["RouterInterfaceId"])
    move = ri.check_allowed(operation, obj.status)
    ri.check_unlocked(obj)
    peer = peer_of(ctx, tx, obj)
    if peer is None:
        raise ri.missing_peer(obj.peer_id or obj.opposite_interface_id)
    if peer.status not in move.allowed:
        raise ApiError(
            move.error,
            f"The opposite RouterInterface {peer.id} is {peer.status}; this action needs it "
            f"{' or '.join(sorted(move.allowed))}.",
        )
    ri.check_unlocked(peer)
    now = ctx.now()
    delay = getattr(ctx.settings.delays, move.delay)
    begin(obj, move.status, move.target, now, delay)
    assert move.peer_status is not None
    begin(peer, move.peer_status, move.target, now, delay)
    save_pair(tx, obj, peer)
    return {}


def activate_router_interface(ctx: Ctx, tx: Tx, p: Params) -> Result:
    return _pair_move(ctx, tx, p, "activate")


def deactivate_router_interface(ctx: Ctx, tx: Tx, p: Params) -> Result:
    return _pair_move(ctx, tx, p, "deactivate")


def connect_fast_link(ctx: Ctx, tx: Tx, obj: RouterInterface) -> None:
    """Create the VPC-side acceptor and connect both at once (express connect mode)."""
    found = tx.find(
        Vpc, ctx.account_id, vrouter_id=obj.opposite_router_id, region_id=obj.opposite_region_id
    )
    # Settled first: a VPC whose Pending -> Available has come due is Available.
    vpc = VPCS.settle(ctx, tx, found[0]) if found else None
    if vpc is None or transitions.is_gone(vpc) or vpc.status != "Available":
        raise ApiError(
            "IncorrectOppositeInterfaceInfo.Mismatch",
            detail=f"The opposite router {obj.opposite_router_id} was not found in {obj.opposite_region_id}.",
        )
    check_only_one_connection(ctx, tx, obj.router_id, vpc.vrouter_id)
    router_has_room(ctx, tx, ctx.account_id, vpc.vrouter_id)
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
    join(obj, peer)
    obj.status = ri.ACTIVE
    obj.connected_at = now
    tx.insert(peer)


def delete_express_connect(ctx: Ctx, tx: Tx, p: Params) -> Result:
    """Delete a fast-link interface and the VPC-side interface it created."""

    def delete() -> Result:
        obj = INTERFACES.load(ctx, tx, p["RouterInterfaceId"], code="InvalidInstanceId.NotFound")
        if not obj.fast_link_mode:
            raise ApiError("IncorrectRouterInterfaceType.NotFastLink")
        if obj.status in (ri.DELETING,) or transitions.is_gone(obj):
            raise ApiError("IncorrectStatus", ri.TABLE["delete"].message)
        ri.check_unlocked(obj)
        now = ctx.now()
        delay = ctx.settings.delays.ri_delete
        peer = peer_of(ctx, tx, obj)
        for side in (obj, peer):
            if side is not None and entries_using(ctx, tx, side):
                raise ApiError("DependencyViolation.RouterInterfaceReferedByRouteEntry")
        for side in (obj, peer):
            if side is not None and not transitions.is_gone(side):
                begin(side, ri.DELETING, GONE, now, delay)
        if peer is not None:
            save_pair(tx, obj, peer)
        else:
            tx.update(obj)
        return {}

    return idempotent(ctx, tx, p, delete)
