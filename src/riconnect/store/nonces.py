"""Signature nonces in the database: one check-and-record per authenticated request, shared by
every server process on the store (api/nonces.py decides when this is used).

One statement both checks and records: an insert that, when the key exists, only replaces
it if it has expired.  It affects one row for a nonce that is new (or whose earlier use has
expired) and none for a replay, on SQLite and PostgreSQL alike, so two processes racing with
the same nonce cannot both succeed.  Each call commits on its own, outside any request's
transaction.

On PostgreSQL the nonces use a small pool of their own whose sessions commit without waiting
for the disk (``synchronous_commit=off``): a nonce costs one round trip and no flush.  A
PostgreSQL crash can then forget the last fraction of a second of nonces, which only reopens
those requests to a replay; the cloud's own writes keep the default, durable commits.
Expired rows are deleted at most once a minute per process, by whichever request notices.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.engine import Engine, create_engine
from sqlalchemy.exc import DBAPIError

if TYPE_CHECKING:
    from riconnect.store.db import Store

log = logging.getLogger("riconnect.store")

SWEEP_EVERY = 60.0  # seconds between deletions of expired nonces, per process

_RECORD = text(
    "INSERT INTO signature_nonces (key, expires_at) VALUES (:key, :expires) "
    "ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at "
    "WHERE signature_nonces.expires_at <= :now"
)
_SWEEP = text("DELETE FROM signature_nonces WHERE expires_at <= :now")


def digest(key: str) -> str:
    """The stored form of a nonce key: 32 hex digits (fixed size, no NUL for PostgreSQL)."""
    return hashlib.blake2b(key.encode("utf-8", "replace"), digest_size=16).hexdigest()


class NonceTable:
    """Check-and-record of nonces in ``store``'s database."""

    def __init__(self, store: Store) -> None:
        self.store = store
        if store.is_postgres:
            self.engine: Engine = create_engine(
                store.url,
                pool_size=4,
                max_overflow=12,
                isolation_level="AUTOCOMMIT",
                connect_args={
                    "options": "-c synchronous_commit=off",
                    "connect_timeout": 5,
                },
            )
        else:
            self.engine = store.engine
        self._next_sweep = time.monotonic() + SWEEP_EVERY
        self._sweeping = threading.Lock()

    def record(self, key: str, now: float, ttl: float) -> bool:
        """Record ``key`` until ``now + ttl``; False if it is recorded and not expired."""
        params = {"key": digest(key), "expires": now + ttl, "now": now}
        for attempt in (1, 2):
            try:
                with self.engine.connect() as conn:
                    if self.store.is_postgres:
                        new = conn.execute(_RECORD, params).rowcount == 1
                    else:
                        # SQLite: a write transaction of one statement (BEGIN IMMEDIATE).
                        conn = conn.execution_options(riconnect_write=True)
                        with conn.begin():
                            new = conn.execute(_RECORD, params).rowcount == 1
                break
            except DBAPIError as exc:
                # A pooled connection that PostgreSQL closed (a restart): once more, on a
                # fresh one.  Anything else is the caller's to report.
                if attempt == 2 or not exc.connection_invalidated:
                    raise
        self._maybe_sweep(now)
        return new

    def _maybe_sweep(self, now: float) -> None:
        if time.monotonic() < self._next_sweep or not self._sweeping.acquire(blocking=False):
            return
        try:
            self._next_sweep = time.monotonic() + SWEEP_EVERY
            self.sweep(now)
        except DBAPIError:
            log.warning("sweeping expired nonces failed; trying again later", exc_info=True)
        finally:
            self._sweeping.release()

    def sweep(self, now: float) -> int:
        """Delete every nonce expired at ``now``; returns how many."""
        with self.engine.connect() as conn:
            if self.store.is_postgres:
                return int(conn.execute(_SWEEP, {"now": now}).rowcount)
            conn = conn.execution_options(riconnect_write=True)
            with conn.begin():
                return int(conn.execute(_SWEEP, {"now": now}).rowcount)

    def close(self) -> None:
        if self.engine is not self.store.engine:
            self.engine.dispose()
