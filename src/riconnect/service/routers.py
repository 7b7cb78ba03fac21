"""What sits on a router (a VPC's vRouter or a VBR)."""

from __future__ import annotations

from riconnect.domain import transitions
from riconnect.domain.entities import RouterInterface
from riconnect.service.context import Ctx
from riconnect.store.db import Tx


def interfaces_on(ctx: Ctx, tx: Tx, account_id: str, router_id: str) -> int:
    """How many interfaces a router has; ones whose deletion has come due are removed first."""
    count = 0
    for obj in tx.find(RouterInterface, account_id, router_id=router_id):
        if transitions.is_gone(obj) and transitions.due(obj, ctx.now()):
            tx.require_write()
            tx.delete(obj)
        else:
            count += 1
    return count
