"""Write locks on PostgreSQL: a write locks what it touches, not the whole database.

Several server processes on several machines share one cloud there.  Every row has an owner
and a region, and every rule of the services decides on rows of the owners and regions it
reads and writes (docs/deploy.md lists the rules), so a *scope* is one (account, region),
and a write transaction locks the scopes it touches.  It takes them all first, in one
round trip and in a fixed order: the global lock shared, then one advisory lock per scope by
ascending key, so no two transactions ever wait for each other in a cycle.  The order is
certain because the locks are taken by successive statements of one PL/pgSQL block
(PostgreSQL does not promise the evaluation order of a SELECT list).  It runs READ
COMMITTED and sees only rows of scopes it holds (store/tx.py, ``Tx``, checks every query):
those rows changed last before the locks were granted and cannot change under it, and the
instant it judges time by is read after the locks.  A transaction that reaches a scope it
does not hold raises :class:`NeedsLocks`, is rolled back and runs again holding that scope
too (service/context.py, which also remembers the scopes an action on an id needed).

A write with no scopes (operator actions, start-up seeding, and every write with
``locking="global"``) takes the global lock exclusively: the one lock every write took before
scopes existed, so a server of an older release and this one on one database still exclude
each other correctly.  The locks are transaction-scoped advisory locks: they go with the
transaction, and with the connection of a server that dies.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection

__all__ = ["GLOBAL_LOCK", "LOCKING_ENV", "NeedsLocks", "Scope", "scope_key", "write_locks"]

Scope = tuple[str, str]  # (account id, region id): what a PostgreSQL write locks

# Taken shared by every scoped write and exclusively by a whole-store write.  It is the one
# lock every write took before scopes existed, so a server of that release and this one on
# one database still exclude each other correctly.
GLOBAL_LOCK = 7268311
# PostgreSQL write locking: "scoped" (default) or "global" (every write takes the global lock
# exclusively, as before; kept to measure the difference, bench/pgscale.py).
LOCKING_ENV = "RICONNECT_PG_LOCKING"


def scope_key(scope: Scope) -> int:
    """The advisory lock key of a scope: 64 bits of a hash (a collision only serialises two
    scopes that need not be)."""
    digest = hashlib.blake2b(f"{scope[0]}/{scope[1]}".encode(), digest_size=8).digest()
    key = int.from_bytes(digest, "big", signed=True)
    return key + 1 if key == GLOBAL_LOCK else key


class NeedsLocks(Exception):
    """A scoped write reached rows of scopes it does not hold: run it again holding them."""

    def __init__(self, scopes: Collection[Scope]) -> None:
        super().__init__(sorted(scopes))
        self.scopes = frozenset(scopes)


def write_locks(scopes: Collection[Scope] | None) -> tuple[str, frozenset[Scope] | None]:
    """The statement that takes a write's locks, and the scopes it then holds (None: the
    whole store)."""
    if scopes is None:
        return f"SELECT pg_advisory_xact_lock({GLOBAL_LOCK})", None
    keys = sorted({scope_key(scope) for scope in scopes})
    # Statements of a block run in order: the global lock first, then ascending keys.  The
    # transaction-scoped locks outlive the block: they go with the transaction.
    calls = [f"PERFORM pg_advisory_xact_lock_shared({GLOBAL_LOCK});"]
    calls += [f"PERFORM pg_advisory_xact_lock({key});" for key in keys]
    return "DO $$BEGIN " + " ".join(calls) + " END$$", frozenset(scopes)
