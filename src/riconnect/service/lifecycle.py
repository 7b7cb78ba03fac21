"""What every resource with timed states shares: settle, load by id, settle what is due, list.

Written once, generic over the entity; each resource family declares one :class:`Lifecycle`
with what differs (its NotFound code, a rule applied when a transition arrives, how its tag
filter matches).  Every read and write of a row settles it first, inside the caller's
transaction (see domain/transitions.py); a settled row that must change makes a read-only
transaction rerun as a write (``Tx.require_write``).

Lookups are owner-scoped like the store's: by default the caller's account and the request's
region; a connected peer in another account or region is named explicitly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from riconnect.domain import transitions
from riconnect.domain.entities import RouteEntry, RouterInterface, RouteTable, Vbr, Vpc, VSwitch
from riconnect.domain.errors import ApiError
from riconnect.service.context import Ctx
from riconnect.store.db import Tx

T = TypeVar("T", Vpc, Vbr, RouterInterface, VSwitch, RouteTable, RouteEntry)
Tags = Sequence[tuple[str, str]]
Conditions = list[tuple[str, list[Any]]]


@dataclass(frozen=True)
class Lifecycle(Generic[T]):
    kind: type[T]
    not_found: str  # the error code for an id the caller does not have
    # A rule for a row that has just reached its target (not GONE): (row, the deadline).
    arrived: Callable[[T, float], None] | None = None
    # A tag filter with an empty value matches any value of that key (DescribeVpcs).
    key_only_tags: bool = False
    # What else goes when a row reaches GONE and is deleted (a VPC's route table).
    departed: Callable[[Tx, T], None] | None = None

    def settle(self, ctx: Ctx, tx: Tx, obj: T) -> T | None:
        """Apply a due transition and store the result; None when the row is gone."""
        deadline = obj.settle_at  # transitions.settle clears it
        if not transitions.settle(obj, ctx.now()):
            return obj
        tx.require_write()
        if transitions.is_gone(obj):
            tx.delete(obj)
            if self.departed is not None:
                self.departed(tx, obj)
            return None
        if self.arrived is not None and deadline is not None:
            self.arrived(obj, deadline)
        tx.update(obj)
        return obj

    def get(
        self,
        ctx: Ctx,
        tx: Tx,
        obj_id: str,
        *,
        account_id: str | None = None,
        region_id: str | None = None,
    ) -> T | None:
        """A row by id, settled: the caller's in the request's region unless told otherwise."""
        obj = tx.get(
            self.kind,
            ctx.account_id if account_id is None else account_id,
            obj_id,
            ctx.region_id if region_id is None else region_id,
        )
        return None if obj is None else self.settle(ctx, tx, obj)

    def load(self, ctx: Ctx, tx: Tx, obj_id: str, code: str | None = None) -> T:
        """One of the caller's rows in the request's region, settled; ``code`` (default
        :attr:`not_found`) when there is none."""
        obj = self.get(ctx, tx, obj_id)
        if obj is None:
            raise ApiError(code or self.not_found)
        return obj

    def settle_due(self, ctx: Ctx, tx: Tx) -> None:
        """Settle every row of the caller's in the request's region that has come due."""
        for obj in tx.due(self.kind, ctx.account_id, ctx.region_id, ctx.now()):
            self.settle(ctx, tx, obj)

    def page(
        self,
        ctx: Ctx,
        tx: Tx,
        conditions: Conditions,
        tags: Tags,
        page_number: int,
        page_size: int,
    ) -> tuple[list[T], int]:
        """One page of the caller's rows in the request's region, and the total.

        Tags live in a JSON column, so a tag filter runs in Python over every row the
        column conditions leave, and then pages.
        """
        if not tags:
            return tx.page(
                self.kind, ctx.account_id, ctx.region_id, conditions, page_number, page_size
            )
        tx.scan()
        rows, _ = tx.page(self.kind, ctx.account_id, ctx.region_id, conditions, 1, 10**9)
        matching = [obj for obj in rows if self._has_tags(getattr(obj, "tags", []), tags)]
        start = (page_number - 1) * page_size
        return matching[start : start + page_size], len(matching)

    def _has_tags(self, have: list[list[str]], wanted: Tags) -> bool:
        for key, value in wanted:
            if [key, value] in have:
                continue
            if self.key_only_tags and not value and any(tag[0] == key for tag in have):
                continue
            return False
        return True
