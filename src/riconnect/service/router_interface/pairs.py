"""Router interfaces as stored, and both sides of a pair.

An interface is loaded settled (:data:`INTERFACES`).  The peer of a connected interface may
belong to another account or region: it is reached only through the ids stored on this
side when both sides consented (``peer_*``), never by a search across accounts.  Both sides
of a pair change in one transaction and are written in a fixed order (by id).
"""

from __future__ import annotations

from riconnect.domain import router_interface as ri
from riconnect.domain import transitions
from riconnect.domain.entities import RouterInterface
from riconnect.domain.errors import ApiError
from riconnect.service.context import Ctx
from riconnect.service.lifecycle import Lifecycle
from riconnect.service.routers import interfaces_on
from riconnect.store.db import Tx

INTERFACES = Lifecycle(RouterInterface, "InvalidRouterInterfaceId.NotFound", arrived=ri.arrived)


def peer_of(ctx: Ctx, tx: Tx, obj: RouterInterface) -> RouterInterface | None:
    """The interface this one is connected to, if it still exists."""
    if not obj.peer_id:
        return None
    return INTERFACES.get(
        ctx, tx, obj.peer_id, account_id=obj.peer_account_id, region_id=obj.peer_region_id
    )


def begin(obj: RouterInterface, status: str, target: str, now: float, delay: float) -> None:
    transitions.begin(obj, status, target, now, delay)
    obj.modified_at = now


def join(a: RouterInterface, b: RouterInterface) -> None:
    a.peer_id, a.peer_account_id, a.peer_region_id = b.id, b.account_id, b.region_id
    b.peer_id, b.peer_account_id, b.peer_region_id = a.id, a.account_id, a.region_id


def save_pair(tx: Tx, a: RouterInterface, b: RouterInterface) -> None:
    # A fixed order (by id) so that two transactions touching one pair never deadlock.
    for obj in sorted((a, b), key=lambda o: o.id):
        tx.update(obj)


def router_has_room(ctx: Ctx, tx: Tx, account_id: str, router_id: str, extra: int = 1) -> None:
    limit = ctx.settings.interfaces_per_router
    if interfaces_on(ctx, tx, account_id, router_id) + extra > limit:
        raise ApiError("QuotaExceeded.RouterInterface", limit=limit)


def check_only_one_connection(
    ctx: Ctx, tx: Tx, router_id: str, opposite_router_id: str, exclude_id: str = ""
) -> None:
    """One link between two routers, whichever side initiated it.  Interfaces whose
    deletion has come due are settled (removed) first: they no longer hold a link."""
    for other in tx.find(RouterInterface, ctx.account_id, router_id=router_id):
        if other.id == exclude_id or INTERFACES.settle(ctx, tx, other) is None:
            continue
        if other.peer_id and other.opposite_router_id == opposite_router_id:
            raise ApiError("Forbidden.OnlyOneConnection")
