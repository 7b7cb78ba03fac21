"""The store: one transaction per request, with queries that are always scoped by owner.

SQLite (default) runs in WAL mode; write transactions start with ``BEGIN IMMEDIATE``: one
writer at a time for the whole file, so two writers never both read and then both write (no
lost updates, no upgrade deadlocks).  PostgreSQL (``--db postgresql://…``), where several
server processes on several machines share one cloud, locks the (account, region) scopes a
write touches instead (store/locks.py), and :class:`Tx` checks that a write sees only rows
of the scopes it holds.  Readers run REPEATABLE READ there and see one consistent snapshot.

Read transactions are deferred; when a read finds a transition that has come due it raises
:class:`NeedsWrite` and the service runs again in a write transaction.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine, create_engine
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.pool import StaticPool

from riconnect.store.inline import INLINE_BUSY_MS, HandOver
from riconnect.store.listing import Listings
from riconnect.store.locks import LOCKING_ENV, NeedsLocks, Scope, write_locks
from riconnect.store.migrate import is_known_revision
from riconnect.store.migrate import upgrade as upgrade_schema
from riconnect.store.nonces import NonceTable
from riconnect.store.opening import (
    StoreOpenError,
    check_sqlite_file,
    describe_failure,
    mask_password,
)
from riconnect.store.precompiled import run_on_driver
from riconnect.store.tx import NeedsWrite, StoreError, Tx

__all__ = [
    "CommitUnknown",
    "HandOver",
    "NeedsLocks",
    "NeedsWrite",
    "Scope",
    "Store",
    "StoreError",
    "StoreOpenError",
    "Tx",
]

log = logging.getLogger("riconnect.store")


# A read transaction's first read, which fixes its snapshot (see Store.transaction).
_SNAPSHOT = "SELECT 1 FROM sqlite_master LIMIT 1"


def _is_busy(exc: OperationalError) -> bool:
    text = str(exc.orig).lower()
    return "locked" in text or "busy" in text


class CommitUnknown(Exception):
    """The connection failed while committing: the write may or may not have been applied."""


def _sqlite_url(db: str) -> str:
    if db == ":memory:":
        return "sqlite://"
    if db.startswith(("postgresql://", "postgres://")):
        # psycopg 3 is the driver riconnect's postgres extra installs.
        return "postgresql+psycopg://" + db.split("://", 1)[1]
    if "://" in db:
        return db
    return "sqlite:///" + str(Path(db).expanduser().resolve())


def _json_loads(text: str) -> Any:
    """json.loads, with the most common value of a JSON column, an empty list (no tags),
    answered without the decoder: it was a tenth of a status page's CPU on SQLite
    (bench/NOTES.md)."""
    return [] if text == "[]" else json.loads(text)


# PostgreSQL session settings of every connection: a writer waits at most this long for a
# lock (then the request is retried and at worst answered ServiceUnavailable), and a session
# left idle inside a transaction (a hung or partitioned server holding locks) is ended.
_PG_OPTIONS = "-c lock_timeout=10000 -c idle_in_transaction_session_timeout=60000"
# Seconds to wait for a connection to PostgreSQL before the request is answered
# ServiceUnavailable.
PG_CONNECT_TIMEOUT = 5


class Store:
    """Owns the engine.  ``transaction(write=...)`` yields a :class:`Tx`.

    Opening checks the database first (store/opening.py) and raises
    :class:`StoreOpenError`, one line naming it, the cause and what to do, for anything that
    cannot be used; a missing SQLite file is a new cloud only with ``create`` (the
    default).  :meth:`close` saves everything into the main file (a WAL checkpoint).

    ``locking`` (PostgreSQL only): "scoped" or "global"; by default the ``RICONNECT_PG_LOCKING``
    variable's value, else "scoped".
    """

    def __init__(
        self,
        db: str = ":memory:",
        *,
        migrate: bool = True,
        create: bool = True,
        locking: str | None = None,
        connections: int = 16,
    ) -> None:
        self.url = _sqlite_url(db)
        self.is_sqlite = self.url.startswith("sqlite")
        self.is_postgres = self.url.startswith("postgresql")
        self.memory = self.url == "sqlite://"
        locking = locking or os.environ.get(LOCKING_ENV) or "scoped"
        if locking not in ("scoped", "global"):
            raise ValueError(f"locking must be scoped or global, not {locking!r}")
        self.scoped_locking = self.is_postgres and locking == "scoped"
        self.path = Path(self.url.removeprefix("sqlite:///")) if self.is_sqlite else None
        # How messages name the database: the file, or the URL without its password.
        self.where = str(self.path) if self.path and not self.memory else mask_password(db)
        self._lock = threading.RLock() if self.memory else None
        # SQLite file: this process's writers queue here before BEGIN IMMEDIATE.  Waiting in
        # SQLite's busy handler means sleeping 1, 2, 5, 10, ... 25 ms between tries while the
        # lock may sit free: four writers of one process spent up to 100 ms there (the
        # write p99, bench/NOTES.md).  Writers of other processes still meet the busy
        # handler.  Reentrant: a nested write waits in SQLite as before.
        self.write_lock: threading.RLock | None = (
            threading.RLock() if self.is_sqlite and not self.memory else None
        )
        self._closed = False
        self.listings = Listings()  # kept keys of deep pages (store/listing.py)
        self._inline: Connection | None = None  # the event loop's (inline_read)
        # Every thread that may hold a transaction at once needs its own connection: a
        # thread that found the pool empty waited 30 s and then failed (InternalError).
        self.connections = max(1, connections)
        if self.path is not None and not self.memory:
            check_sqlite_file(self.path, create=create, known_revision=is_known_revision)
        try:
            self._open(migrate)
        except (DBAPIError, ArgumentError, ImportError) as exc:
            engine = getattr(self, "engine", None)
            if engine is not None:
                engine.dispose()
            if isinstance(exc, ImportError):  # the postgres extra is not installed
                raise StoreOpenError(
                    self.where,
                    "the PostgreSQL driver is missing: install riconnect with its postgres "
                    "extra (pip install '.[postgres]' in a clone)",
                ) from None
            if isinstance(exc, ArgumentError):
                raise StoreOpenError(
                    self.where,
                    "not a database riconnect can use: give a file path or a postgresql:// URL",
                ) from None
            raise describe_failure(self.where, exc) from None

    def _open(self, migrate: bool) -> None:
        if self.memory:
            # One connection shared by all threads; the lock serialises transactions on it.
            self.engine: Engine = create_engine(
                self.url,
                poolclass=StaticPool,
                connect_args={"check_same_thread": False},
                json_deserializer=_json_loads,
            )
        elif self.is_sqlite:
            self.engine = create_engine(
                self.url,
                connect_args={"timeout": 30, "check_same_thread": False},
                json_deserializer=_json_loads,
                **self._pool_sizes(),
            )
        else:
            # pool_pre_ping: a connection that PostgreSQL closed (a restart) is replaced when
            # it is next taken from the pool instead of failing a request.
            self.engine = create_engine(
                self.url,
                **self._pool_sizes(),
                pool_pre_ping=True,
                connect_args={"options": _PG_OPTIONS, "connect_timeout": PG_CONNECT_TIMEOUT},
            )
        if self.is_sqlite:
            self._configure_sqlite(self.engine)
        if migrate:
            upgrade_schema(self, where=self.where)

    def _pool_sizes(self) -> dict[str, int]:  # at most `connections`; 8 kept when idle
        return {"pool_size": min(8, self.connections), "max_overflow": max(0, self.connections - 8)}

    @staticmethod
    def _configure_sqlite(engine: Engine) -> None:
        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            # Take transaction control away from the driver so BEGIN IMMEDIATE is ours.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            # NORMAL in WAL mode survives a killed process (SIGKILL); only an OS crash or
            # power loss can lose the last commits.  See docs/fidelity.md.
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            write = conn.get_execution_options().get("riconnect_write", False)
            run_on_driver(conn, "BEGIN IMMEDIATE" if write else "BEGIN")

    @contextmanager
    def transaction(self, write: bool, scopes: Collection[Scope] | None = None) -> Iterator[Tx]:
        """One transaction.  ``scopes``: what a PostgreSQL write will touch (None: the whole
        store); ignored by SQLite, whose writers always have the whole file.

        Raises :class:`CommitUnknown` when the connection fails during the commit.
        """
        if self._lock is not None:
            self._lock.acquire()
        queued = write and self.write_lock is not None and self.write_lock.acquire(timeout=30)
        try:
            with self.engine.connect() as conn:
                conn = conn.execution_options(riconnect_write=write)
                if self.is_postgres:
                    # Readers see one consistent snapshot; writers take their locks first and
                    # then see the latest commits, as SQLite's BEGIN IMMEDIATE gives.
                    conn = conn.execution_options(
                        isolation_level="READ COMMITTED" if write else "REPEATABLE READ"
                    )
                held: frozenset[Scope] | None = None
                trans = conn.begin()
                try:
                    if write and self.is_postgres:
                        statement, held = write_locks(scopes if self.scoped_locking else None)
                        conn.exec_driver_sql(statement)
                    elif not write:
                        # Fix the read snapshot now (both databases take it at the first
                        # read, not at BEGIN), so that the instant the service reads next
                        # is not older than the commits this transaction sees.
                        if self.is_sqlite:
                            run_on_driver(conn, _SNAPSHOT)
                        else:
                            conn.exec_driver_sql("SELECT 1")
                    yield Tx(conn, write, held, self.listings)
                except BaseException:
                    if trans.is_active:
                        try:
                            trans.rollback()
                        except DBAPIError:  # the connection is gone: so is the transaction
                            log.debug("rollback failed", exc_info=True)
                    raise
                try:
                    trans.commit()
                except DBAPIError as exc:
                    if not write:
                        raise  # nothing was written: safe to run again
                    raise CommitUnknown(str(exc.orig)) from exc
        finally:
            if queued:
                assert self.write_lock is not None
                self.write_lock.release()
            if self._lock is not None:
                self._lock.release()

    @property
    def inline_reads(self) -> bool:
        """Reads may run on the event loop only on a SQLite file: WAL readers do not wait
        for writers (a memory store locks every transaction; PostgreSQL is a network)."""
        return self.is_sqlite and not self.memory and not self._closed

    @contextmanager
    def inline_read(self) -> Iterator[Tx]:
        """A read on a connection kept for one thread (the event loop's), with a short busy
        timeout: WAL readers wait only in rare moments (a log being recovered or reset, an
        outside program's exclusive lock), and the loop must not wait 30 s then.
        :class:`HandOver` says to run the read in a worker thread, where waiting is harmless.
        The pool holds a connection for it (api/runtime.py sizes it)."""
        conn = self._inline
        if conn is None:
            conn = self.engine.connect().execution_options(riconnect_write=False)
            conn.exec_driver_sql(f"PRAGMA busy_timeout={INLINE_BUSY_MS}")
            conn.commit()
            self._inline = conn
        try:
            with conn.begin():
                # The snapshot fixed now, as in transaction(): the instant is read after it.
                run_on_driver(conn, _SNAPSHOT)
                tx = Tx(conn, False, None, self.listings)
                tx.inline = True
                yield tx
        except OperationalError as exc:
            if _is_busy(exc):
                raise HandOver() from exc
            raise

    @cached_property
    def nonces(self) -> NonceTable:
        """Signature nonces kept in this database (store/nonces.py)."""
        return NonceTable(self)

    def close(self) -> None:
        """Save everything into the database file and close every pooled connection.

        For SQLite, a checkpoint copies the write-ahead log into the main file first, so that
        the file alone holds the whole cloud once the server has stopped (a copy of it is a
        complete copy).  Safe to call twice.
        """
        if self._closed:
            return
        self._closed = True
        if "nonces" in self.__dict__:
            self.nonces.close()
        if self._inline is not None:
            self._inline.close()
            self._inline = None
        if self.is_sqlite and not self.memory:
            try:
                raw = self.engine.raw_connection()
                try:
                    cursor = raw.cursor()
                    cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                    cursor.close()
                finally:
                    raw.close()
            except DBAPIError as exc:  # e.g. another process holds a long read
                log.warning("checkpoint of %s failed: %s", self.where, exc)
        self.engine.dispose()
