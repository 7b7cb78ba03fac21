"""What every service function receives, and the runner that gives it a transaction.

Every action checks in one order, so the error a request with several faults gets is
predictable:

1. the action table (api/actions/, parsed by api/params.py): each parameter's presence and
   shape (type, enum, length, range), and the region;
2. the resource the action works on, named by id: it exists for the caller (owner-scoped,
   else NotFound), what it is (role, kind) and whether the request fits that (a Spec for an
   initiator);
3. its state: status, then locks;
4. the request's values and how they combine (names, descriptions, addresses, tags, owners):
   rules of domain/;
5. what it is joined to: the router or physical connection it sits on, its peer, quotas;

then the write.  Actions that create a resource have no steps 2 and 3.  With a ClientToken,
steps 2 to 5 run inside the token check (:func:`idempotent`), so a retry gets the first
answer.  DryRun is answered where each action's documentation puts it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError

from riconnect.domain import ids
from riconnect.domain.accounts import Directory, Principal
from riconnect.domain.clock import Clock
from riconnect.domain.errors import ApiError
from riconnect.domain.transitions import Delays
from riconnect.store import admin
from riconnect.store.db import CommitUnknown, HandOver, NeedsLocks, NeedsWrite, Scope, Store, Tx

log = logging.getLogger("riconnect.service")

Params = Mapping[str, Any]
Result = dict[str, Any]


@dataclass(frozen=True)
class Settings:
    delays: Delays = field(default_factory=Delays)
    vpc_quota: int = 10  # per account and region, as on a new real account
    interfaces_per_router: int = 5
    # Generated ids derive from this seed and the store's sequence (``--seed``); None: random.
    id_seed: int | None = None


@dataclass(frozen=True)
class Ctx:
    principal: Principal
    region_id: str  # "" for actions without a region (DescribeRegions, STS)
    store: Store
    clock: Clock
    settings: Settings
    directory: Directory
    action: str = ""
    # The transaction's instant (set by execute): every rule in one transaction judges time
    # by this one reading of the clock, taken once its snapshot of the store is fixed.
    instant: float | None = None

    @property
    def account_id(self) -> str:
        return self.principal.account_id

    def now(self) -> float:
        return self.instant if self.instant is not None else self.clock.now()


Handler = Callable[[Ctx, Tx, Params], Result]
# Serialisation failures and lost connections (PostgreSQL) and busy timeouts (SQLite) are
# retried this often.
MAX_ATTEMPTS = 10
# A scoped write that keeps finding scopes it does not hold takes the whole store after this
# many rounds (rare: a pair has two scopes; a describe that must settle the peers of many
# interfaces may reach more).
MAX_LOCK_ROUNDS = 4
# The scopes each action on an id needed beyond the caller's: a write on a connected
# interface locks its peer's scope from the start instead of finding it and running again.
_SCOPE_HINTS: dict[tuple[str, ...], frozenset[Scope]] = {}
_MAX_HINTS = 10_000


def execute(ctx: Ctx, handler: Handler, params: Params, write: bool) -> Result:
    """Run ``handler`` in one transaction; a read that finds due work reruns as a write.

    A write holds the caller's scope (account, region) and any other it turns out to need
    (PostgreSQL, see store/locks.py).  The handler sees one instant, read after the transaction's
    snapshot is fixed and its locks are granted: were the clock read earlier, a transition
    that another request settled (and committed) in between would be visible while this
    request still judged it not yet due, and one answer could show the two sides of a pair on
    opposite sides of their common deadline.

    A connection lost before the commit is retried, then answered ServiceUnavailable; one lost
    during the commit is answered ServiceUnavailable at once (the write may have been applied:
    a client retries with its ClientToken).
    """
    hint = _hint_key(ctx, params)
    scopes: frozenset[Scope] | None = _SCOPE_HINTS.get(hint, frozenset()) | _own_scope(ctx)
    attempts = rounds = 0
    while True:
        attempts += 1
        try:
            with (
                ctx.store.transaction(write=write, scopes=scopes if write else None) as tx,
                _ids(ctx, tx),
            ):
                return handler(replace(ctx, instant=ctx.clock.now()), tx, params)
        except NeedsWrite:
            if write:  # cannot happen: a writable Tx never raises it
                raise
            write = True
        except NeedsLocks as exc:
            rounds += 1
            attempts -= 1  # not a failure: nothing was written, nothing waited for
            if scopes is None or rounds > MAX_LOCK_ROUNDS:
                scopes = None
                continue
            scopes = scopes | exc.scopes
            if len(_SCOPE_HINTS) >= _MAX_HINTS:
                _SCOPE_HINTS.clear()
            _SCOPE_HINTS[hint] = scopes - _own_scope(ctx)
        except CommitUnknown as exc:
            log.warning("%s: the connection failed during the commit: %s", ctx.action, exc)
            raise ApiError("ServiceUnavailable") from exc
        except IntegrityError:
            # Two requests raced to insert the same key (a ClientToken, a VLAN): run again,
            # and the handler now sees the winner's row and answers accordingly.
            if attempts < MAX_ATTEMPTS:
                continue
            raise
        except DBAPIError as exc:
            # SQLite's busy timeout ran out, or PostgreSQL reported a serialisation failure,
            # a lock timeout or a lost connection (a restart): nothing was written; the
            # client may retry.
            if not _is_transient(ctx.store, exc):
                raise
            if attempts < MAX_ATTEMPTS:
                time.sleep(random.uniform(0, 0.01 * attempts))
                continue
            log.warning("%s: giving up after %d attempts: %s", ctx.action, attempts, exc.orig)
            raise ApiError("ServiceUnavailable") from exc


def execute_inline(ctx: Ctx, handler: Handler, params: Params) -> Result | None:
    """Run a read-only ``handler`` on the calling thread (:meth:`Store.inline_read`, the
    event loop's); None when it must run through :func:`execute` in a worker thread instead:
    it found a due transition to write, met a lock, or would scan (a listing's keys to
    rebuild, every row for a tag filter, a deep OFFSET).  Same instant rule as
    :func:`execute`.  Seeded ids are never drawn by a read."""
    try:
        with ctx.store.inline_read() as tx:
            return handler(replace(ctx, instant=ctx.clock.now()), tx, params)
    except (NeedsWrite, HandOver):
        return None


@contextmanager
def _ids(ctx: Ctx, tx: Tx) -> Iterator[None]:
    """Seeded ids draw their numbers from the store's sequence, in this transaction."""
    seed = ctx.settings.id_seed
    if seed is None:
        yield
        return
    with ids.seeded(seed, lambda: admin.next_id_number(tx)):
        yield


def _own_scope(ctx: Ctx) -> frozenset[Scope]:
    return frozenset({(ctx.account_id, ctx.region_id)}) if ctx.region_id else frozenset()


def _hint_key(ctx: Ctx, params: Params) -> tuple[str, ...]:
    target = params.get("RouterInterfaceId") or params.get("InstanceId") or ""
    return (ctx.action, ctx.account_id, ctx.region_id, str(target))


def _is_transient(store: Store, exc: DBAPIError) -> bool:
    if exc.connection_invalidated or isinstance(exc, InterfaceError):
        return True
    if store.is_postgres:
        # psycopg's OperationalError: connection trouble, serialisation failure, deadlock,
        # lock or statement timeout, administrator shutdown.  (Programming errors are not.)
        return isinstance(exc, OperationalError)
    text = str(exc.orig).lower()
    return isinstance(exc, OperationalError) and ("locked" in text or "busy" in text)


def fingerprint(params: Params) -> str:
    """Stable hash of the request's parameters, ClientToken excluded."""
    items = {k: v for k, v in params.items() if k != "ClientToken" and v is not None}
    blob = json.dumps(items, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


def idempotent(ctx: Ctx, tx: Tx, params: Params, create: Callable[[], Result]) -> Result:
    """ClientToken: the same token for the same action and account returns the first answer."""
    token = params.get("ClientToken")
    if not token:
        return create()
    fp = fingerprint(params)
    # Tokens are per region, like the regional services that issue them.
    seen = tx.token_get(ctx.account_id, ctx.region_id, ctx.action, token)
    if seen is not None:
        stored_fp, response = seen
        if stored_fp != fp:
            raise ApiError("IdempotentParameterMismatch")
        return response
    result = create()
    tx.token_put(ctx.account_id, ctx.region_id, ctx.action, token, fp, result, ctx.now())
    return result


def paging(params: Params) -> tuple[int, int]:
    return int(params.get("PageNumber") or 1), int(params.get("PageSize") or 10)
