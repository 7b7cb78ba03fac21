"""Signature nonces in the database: one check-and-record per authenticated request, shared by
every server process on the store (api/nonces.py decides when this is used).

One statement both checks and records: an insert that, when the key exists, only replaces
it if it has expired.  It affects one row for a nonce that is new (or whose earlier use has
expired) and none for a replay, on SQLite and PostgreSQL alike, so two processes racing with
the same nonce cannot both succeed.  Each call commits on its own, outside any request's
transaction.

On PostgreSQL the nonces' connections commit without waiting for the disk
(``synchronous_commit=off``): a nonce costs one round trip and no flush.  A
PostgreSQL crash can then forget the last fraction of a second of nonces, which only reopens
those requests to a replay; the cloud's own writes keep the default, durable commits.
Expired rows are deleted at most once a minute per process, by whichever request notices.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from sqlalchemy.engine import Engine

from riconnect.store.inline import INLINE_BUSY_MS, HandOver

log = logging.getLogger("riconnect.store")
T = TypeVar("T")

SWEEP_EVERY = 60.0  # seconds between deletions of expired nonces, per process
# record_inline's inserts between checkpoints: a nonce adds about a page to the log, and
# SQLite checkpoints on its own at 1,000 pages.
CHECKPOINT_EVERY = 1000

_RECORD = (
    "INSERT INTO signature_nonces (key, expires_at) VALUES (%s, %s) "
    "ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at "
    "WHERE signature_nonces.expires_at <= %s"
)
_RECORD_SQLITE = _RECORD.replace("%s", "?")
_SWEEP = "DELETE FROM signature_nonces WHERE expires_at <= %s"


def digest(key: str) -> str:
    """The stored form of a nonce key: 32 hex digits (fixed size, no NUL for PostgreSQL)."""
    return hashlib.blake2b(key.encode("utf-8", "replace"), digest_size=16).hexdigest()


class Store(Protocol):
    """What the nonces need of a store (store/db.py's ``Store``)."""

    @property
    def engine(self) -> Engine: ...

    @property
    def url(self) -> str: ...

    @property
    def is_postgres(self) -> bool: ...

    @property
    def write_lock(self) -> threading.RLock | None: ...


class NonceTable:
    """Check-and-record of nonces in ``store``'s database.

    Every thread that records nonces keeps a driver connection of its own, outside
    SQLAlchemy's pool: the insert is a few tens of microseconds on SQLite and one round trip
    on PostgreSQL, and a pool checkout, its events and the reset on return cost several times
    that (bench/pgscale.py measures it).  The server's worker threads are a fixed set
    (``--threads``), so is the number of these connections.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._local = threading.local()
        self._all: list[Any] = []  # every connection opened, closed by close()
        self._guard = threading.Lock()
        self._next_sweep = time.monotonic() + SWEEP_EVERY
        self._sweeping = threading.Lock()
        self._loop_conn: sqlite3.Connection | None = None  # record_inline's
        self._unchecked = 0  # record_inline's inserts since the last checkpoint
        if store.is_postgres:
            url = store.engine.url.set(drivername="postgresql")
            self._conninfo = url.render_as_string(hide_password=False)
        else:
            self._path = store.url.removeprefix("sqlite:///")

    def _connect(self) -> Any:
        if self.store.is_postgres:
            import psycopg

            conn: Any = psycopg.connect(
                self._conninfo,
                autocommit=True,
                connect_timeout=5,
                options="-c synchronous_commit=off",
            )
        else:
            conn = sqlite3.connect(self._path, timeout=30, isolation_level=None)
            # As the store's connections (store/db.py): WAL without a flush per commit.
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=30000")
        with self._guard:
            self._all.append(conn)
        return conn

    def _execute(self, sql: str, params: tuple[Any, ...]) -> int:
        """Run one statement in a transaction of its own on this thread's connection; its
        row count."""

        def run(conn: Any) -> int:
            if self.store.is_postgres:
                return int(conn.execute(sql, params).rowcount)
            # SQLite: a write transaction of one statement, as the store's writes begin,
            # queued behind this process's other writers (Store.write_lock).
            lock = self.store.write_lock
            queued = lock is not None and lock.acquire(timeout=30)
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    count = int(conn.execute(sql.replace("%s", "?"), params).rowcount)
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
            finally:
                if queued:
                    assert lock is not None
                    lock.release()
            return count

        return self._on_connection(run)

    def read_value(self, sql: str) -> Any:
        """The first column of the first row of ``sql`` (PostgreSQL, no parameters), or None,
        on this thread's connection: one round trip in autocommit, where a connection of
        SQLAlchemy's pool adds a ping, BEGIN and ROLLBACK (store/admin.py's
        ``VersionReader`` reads the settings' version once per request this way)."""
        assert self.store.is_postgres

        def run(conn: Any) -> Any:
            row = conn.execute(sql).fetchone()
            return None if row is None else row[0]

        return self._on_connection(run)

    def _on_connection(self, run: Callable[[Any], T]) -> T:
        """``run`` on this thread's connection; raises :class:`NonceStoreError`.  A
        connection that the server closed (a PostgreSQL restart) is replaced once."""
        for attempt in (1, 2):
            conn = getattr(self._local, "conn", None)
            try:
                if conn is None:
                    conn = self._local.conn = self._connect()
                return run(conn)
            except Exception as exc:
                self._local.conn = None
                if conn is not None:
                    self._discard(conn)
                if attempt == 2 or not _lost_connection(exc):
                    raise NonceStoreError(str(exc)) from exc
        raise AssertionError("unreachable")

    def record_inline(self, key: str, now: float, ttl: float) -> bool:
        """:meth:`record` on the event loop's own connection (a SQLite file only), which
        waits at most ``INLINE_BUSY_MS`` for the write lock: :class:`HandOver` when another
        writer holds it longer (nothing recorded; a worker thread records it instead).  One
        statement in autocommit mode is its own write transaction, as BEGIN IMMEDIATE and
        COMMIT around it make in :meth:`_execute`.  Never sweeps nor checkpoints (a
        checkpoint flushes the file to disk, and the loop must not wait for a disk): see
        :meth:`chores_due`."""
        assert not self.store.is_postgres
        conn = self._loop_conn
        if conn is None:
            conn = self._loop_conn = sqlite3.connect(
                self._path, timeout=INLINE_BUSY_MS / 1000, isolation_level=None
            )
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute(f"PRAGMA busy_timeout={INLINE_BUSY_MS}")
            conn.execute("PRAGMA wal_autocheckpoint=0")
            with self._guard:
                self._all.append(conn)
        try:
            cursor = conn.execute(_RECORD_SQLITE, (digest(key), now + ttl, now))
        except sqlite3.OperationalError as exc:
            text = str(exc).lower()
            if "locked" in text or "busy" in text:
                raise HandOver() from exc
            raise NonceStoreError(str(exc)) from exc
        except sqlite3.Error as exc:
            raise NonceStoreError(str(exc)) from exc
        self._unchecked += 1
        return cursor.rowcount == 1

    def chores_due(self) -> bool:
        """Whether :meth:`chores` should run now, in a worker thread: expired nonces to delete,
        or the log to checkpoint after :meth:`record_inline`'s inserts."""
        return self._unchecked >= CHECKPOINT_EVERY or time.monotonic() >= self._next_sweep

    def chores(self, now: float) -> None:
        """What :meth:`record_inline` leaves to a thread: the sweep when due, and a PASSIVE
        checkpoint (what SQLite's automatic one does after 1,000 pages; it waits for no one)."""
        self.maybe_sweep(now)
        if self._unchecked < CHECKPOINT_EVERY or not self._sweeping.acquire(blocking=False):
            return
        try:
            self._unchecked = 0
            conn = getattr(self._local, "conn", None) or self._connect()
            self._local.conn = conn
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
        except sqlite3.Error:
            log.warning("checkpointing after nonces failed; trying again later", exc_info=True)
        finally:
            self._sweeping.release()

    def _discard(self, conn: Any) -> None:
        with self._guard:
            if conn in self._all:
                self._all.remove(conn)
        try:
            conn.close()
        except Exception:  # noqa: BLE001 - it is being thrown away
            log.debug("closing a nonce connection failed", exc_info=True)

    def record(self, key: str, now: float, ttl: float) -> bool:
        """Record ``key`` until ``now + ttl``; False if it is recorded and not expired.
        Raises :class:`NonceStoreError` when the database cannot be reached."""
        new = self._execute(_RECORD, (digest(key), now + ttl, now)) == 1
        self.maybe_sweep(now)
        return new

    def maybe_sweep(self, now: float) -> None:
        """Delete expired nonces if a minute has passed since the last time (any thread)."""
        if time.monotonic() < self._next_sweep or not self._sweeping.acquire(blocking=False):
            return
        try:
            self._next_sweep = time.monotonic() + SWEEP_EVERY
            self.sweep(now)
        except NonceStoreError:
            log.warning("sweeping expired nonces failed; trying again later", exc_info=True)
        finally:
            self._sweeping.release()

    def sweep(self, now: float) -> int:
        """Delete every nonce expired at ``now``; returns how many."""
        return self._execute(_SWEEP, (now,))

    def close(self) -> None:
        with self._guard:
            conns, self._all = self._all, []
        for conn in conns:
            try:
                conn.close()
            except Exception:  # noqa: BLE001 - closing anyway
                log.debug("closing a nonce connection failed", exc_info=True)


class NonceStoreError(Exception):
    """The nonce could not be checked: the database cannot be reached (or refused it)."""


def _lost_connection(exc: Exception) -> bool:
    try:
        import psycopg
    except ImportError:  # pragma: no cover - SQLite only
        return False
    return isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError)
