"""The store: one transaction per request, with queries that are always scoped by owner.

SQLite (default) runs in WAL mode; write transactions start with ``BEGIN IMMEDIATE`` so
two writers never both read and then both write (no lost updates, no upgrade deadlocks).
PostgreSQL (``--db postgresql://…``): writers hold one advisory lock (the same
guarantee), readers run REPEATABLE READ so each sees one consistent snapshot.
Read transactions are deferred; when a read finds a transition that has come due it
raises :class:`NeedsWrite` and the service runs again in a write transaction.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Table, and_, bindparam, delete, event, func, insert, select, update
from sqlalchemy.engine import Connection, Engine, create_engine
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.pool import StaticPool

from riconnect.domain.entities import PhysicalConnection, RouterInterface, Vbr, Vpc
from riconnect.store import schema
from riconnect.store.migrate import is_known_revision
from riconnect.store.migrate import upgrade as upgrade_schema
from riconnect.store.opening import (
    StoreOpenError,
    check_sqlite_file,
    describe_failure,
    mask_password,
)

__all__ = ["NeedsWrite", "Store", "StoreError", "StoreOpenError", "Tx"]

log = logging.getLogger("riconnect.store")

E = TypeVar("E", Vpc, Vbr, RouterInterface, PhysicalConnection)

_TABLES: dict[type[Any], Table] = {
    Vpc: schema.vpcs,
    Vbr: schema.vbrs,
    RouterInterface: schema.router_interfaces,
    PhysicalConnection: schema.physical_connections,
}
_FIELDS: dict[type[Any], tuple[str, ...]] = {
    cls: tuple(f.name for f in dataclasses.fields(cls)) for cls in _TABLES
}


# The advisory lock every PostgreSQL write transaction holds: writes are serialised across
# all server processes, so check-then-write rules (quotas, one link per router pair,
# both sides of a pair) hold without per-row locking.
WRITE_LOCK = 7268311


class NeedsWrite(Exception):
    """A read-only transaction found work that must be written (a due transition)."""


class StoreError(Exception):
    pass


def _entity(cls: type[E], row: Mapping[Any, Any]) -> E:
    return cls(**{name: row[name] for name in _FIELDS[cls]})


def _values(entity: Any) -> dict[str, Any]:
    return {name: getattr(entity, name) for name in _FIELDS[type(entity)]}


# Statements are built once per shape and reused with bound parameters: building a
# SQLAlchemy expression and its cache key costs more than running the query itself on
# SQLite (about 100 of 130 us for a lookup by id).  Bounded: page() shapes depend on the
# filter columns a client combines.
_STATEMENTS: dict[tuple[Any, ...], Any] = {}
_MAX_STATEMENTS = 512


def _statement(key: tuple[Any, ...], build: Callable[[], Any]) -> Any:
    stmt = _STATEMENTS.get(key)
    if stmt is None:
        if len(_STATEMENTS) >= _MAX_STATEMENTS:
            _STATEMENTS.clear()
        stmt = _STATEMENTS[key] = build()
    return stmt


def _eq(t: Table, names: Sequence[str]) -> list[Any]:
    return [t.c[name] == bindparam(f"_{name}") for name in names]


class Tx:
    """One open transaction.  Every lookup names the owning account."""

    def __init__(self, conn: Connection, writable: bool) -> None:
        self.conn = conn
        self.writable = writable

    def require_write(self) -> None:
        if not self.writable:
            raise NeedsWrite()

    # -- entities -------------------------------------------------------------------
    def get(self, cls: type[E], account_id: str, id: str, region_id: str | None = None) -> E | None:
        t: Table = _TABLES[cls]
        names = ("id", "account_id") if region_id is None else ("id", "account_id", "region_id")
        stmt = _statement(("get", cls, names), lambda: select(t).where(*_eq(t, names)))
        params = {"_id": id, "_account_id": account_id}
        if region_id is not None:
            params["_region_id"] = region_id
        row = self.conn.execute(stmt, params).mappings().first()
        return None if row is None else _entity(cls, row)

    def _where_eq(self, t: Table, account_id: str, eq: dict[str, Any]) -> tuple[list[Any], Any]:
        names = ("account_id", *eq)
        if any(v is None for v in eq.values()):  # "= NULL" would differ from IS NULL
            return [t.c.account_id == account_id, *(t.c[k] == v for k, v in eq.items())], {}
        params = {f"_{k}": v for k, v in eq.items()}
        params["_account_id"] = account_id
        return _eq(t, names), params

    def find(self, cls: type[E], account_id: str, **eq: Any) -> list[E]:
        t: Table = _TABLES[cls]
        cond, params = self._where_eq(t, account_id, eq)
        if params:
            stmt = _statement(
                ("find", cls, tuple(eq)),
                lambda: select(t).where(*cond).order_by(t.c.created_at, t.c.id),
            )
        else:
            stmt = select(t).where(*cond).order_by(t.c.created_at, t.c.id)
        rows = self.conn.execute(stmt, params)
        return [_entity(cls, r) for r in rows.mappings()]

    def count(self, cls: type[E], account_id: str, **eq: Any) -> int:
        t: Table = _TABLES[cls]
        cond, params = self._where_eq(t, account_id, eq)
        if params:
            stmt = _statement(
                ("count", cls, tuple(eq)),
                lambda: select(func.count()).select_from(t).where(*cond),
            )
        else:
            stmt = select(func.count()).select_from(t).where(*cond)
        return int(self.conn.execute(stmt, params).scalar_one())

    def due(self, cls: type[E], account_id: str, region_id: str, now: float) -> list[E]:
        """Objects of one owner and region whose timed transition has come due."""
        t: Table = _TABLES[cls]
        stmt = _statement(
            ("due", cls),
            lambda: select(t).where(
                *_eq(t, ("account_id", "region_id")),
                t.c.settle_at.is_not(None),
                t.c.settle_at <= bindparam("_now"),
            ),
        )
        rows = self.conn.execute(
            stmt, {"_account_id": account_id, "_region_id": region_id, "_now": now}
        )
        return [_entity(cls, r) for r in rows.mappings()]

    def page(
        self,
        cls: type[E],
        account_id: str,
        region_id: str,
        conditions: Sequence[tuple[str, Sequence[Any]]],
        page_number: int,
        page_size: int,
    ) -> tuple[list[E], int]:
        """A page of one owner's objects in one region.

        ``conditions`` is a list of (column, allowed values): values of one condition are
        ORed, conditions are ANDed.  Ordered by creation time, then id, so pages are stable.
        """
        t: Table = _TABLES[cls]
        columns = tuple(column for column, _ in conditions)
        params: dict[str, Any] = {"_account_id": account_id, "_region_id": region_id}
        for k, (_, values) in enumerate(conditions):
            params[f"_in{k}"] = list(values)

        def where() -> Any:
            cond = _eq(t, ("account_id", "region_id"))
            for k, column in enumerate(columns):
                cond.append(t.c[column].in_(bindparam(f"_in{k}", expanding=True)))
            return and_(*cond)

        stmt = _statement(
            ("page", cls, columns),
            lambda: (
                select(t)
                .where(where())
                .order_by(t.c.created_at, t.c.id)
                .offset(bindparam("_offset"))
                .limit(bindparam("_limit"))
            ),
        )
        offset = (page_number - 1) * page_size
        params["_offset"] = offset
        params["_limit"] = page_size
        items = [_entity(cls, r) for r in self.conn.execute(stmt, params).mappings()]
        if (items and len(items) < page_size) or (not items and offset == 0):
            # The last page, or nothing at all: the total needs no second query (a lookup
            # by id, the most common describe, is both).
            return items, offset + len(items)
        count = _statement(
            ("page_count", cls, columns),
            lambda: select(func.count()).select_from(t).where(where()),
        )
        return items, int(self.conn.execute(count, params).scalar_one())

    def insert(self, entity: Any) -> None:
        self.require_write()
        t = _TABLES[type(entity)]
        self.conn.execute(_statement(("insert", t.name), lambda: insert(t)), _values(entity))

    def update(self, entity: Any) -> None:
        self.require_write()
        t = _TABLES[type(entity)]
        # Every column is SET from the parameters; the WHERE names its own parameters.
        stmt = _statement(
            ("update", t.name), lambda: update(t).where(*_eq(t, ("id", "account_id")))
        )
        params = _values(entity)
        params["_id"], params["_account_id"] = entity.id, entity.account_id
        result = self.conn.execute(stmt, params)
        if result.rowcount != 1:
            raise StoreError(
                f"update of {type(entity).__name__} {entity.id} matched {result.rowcount} rows"
            )

    def delete(self, entity: Any) -> None:
        self.require_write()
        t = _TABLES[type(entity)]
        stmt = _statement(
            ("delete", t.name), lambda: delete(t).where(*_eq(t, ("id", "account_id")))
        )
        self.conn.execute(stmt, {"_id": entity.id, "_account_id": entity.account_id})

    # -- ClientToken ------------------------------------------------------------------
    def token_get(
        self, account_id: str, action: str, token: str
    ) -> tuple[str, dict[str, Any]] | None:
        t = schema.client_tokens
        row = (
            self.conn.execute(
                select(t.c.fingerprint, t.c.response).where(
                    t.c.account_id == account_id, t.c.action == action, t.c.token == token
                )
            )
            .mappings()
            .first()
        )
        return None if row is None else (row["fingerprint"], dict(row["response"]))

    def token_put(
        self,
        account_id: str,
        action: str,
        token: str,
        fingerprint: str,
        response: dict[str, Any],
        now: float,
    ) -> None:
        self.require_write()
        self.conn.execute(
            insert(schema.client_tokens).values(
                account_id=account_id,
                action=action,
                token=token,
                fingerprint=fingerprint,
                response=response,
                created_at=now,
            )
        )


def _sqlite_url(db: str) -> str:
    if db == ":memory:":
        return "sqlite://"
    if db.startswith(("postgresql://", "postgres://")):
        # psycopg 3 is the driver riconnect's postgres extra installs.
        return "postgresql+psycopg://" + db.split("://", 1)[1]
    if "://" in db:
        return db
    return "sqlite:///" + str(Path(db).expanduser().resolve())


class Store:
    """Owns the engine.  ``transaction(write=...)`` yields a :class:`Tx`.

    Opening checks the database first (store/opening.py) and raises
    :class:`StoreOpenError`, one line naming it, the cause and what to do, for anything that
    cannot be used; a missing SQLite file is a new cloud only with ``create`` (the
    default).  :meth:`close` saves everything into the main file (a WAL checkpoint).
    """

    def __init__(self, db: str = ":memory:", *, migrate: bool = True, create: bool = True) -> None:
        self.url = _sqlite_url(db)
        self.is_sqlite = self.url.startswith("sqlite")
        self.is_postgres = self.url.startswith("postgresql")
        self.memory = self.url == "sqlite://"
        self.path = Path(self.url.removeprefix("sqlite:///")) if self.is_sqlite else None
        # How messages name the database: the file, or the URL without its password.
        self.where = str(self.path) if self.path and not self.memory else mask_password(db)
        self._lock = threading.RLock() if self.memory else None
        self._closed = False
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
            )
        elif self.is_sqlite:
            self.engine = create_engine(
                self.url,
                connect_args={"timeout": 30, "check_same_thread": False},
                pool_size=8,
                max_overflow=8,
            )
        else:
            self.engine = create_engine(self.url, pool_size=8, max_overflow=8, pool_pre_ping=True)
        if self.is_sqlite:
            self._configure_sqlite(self.engine)
        if migrate:
            upgrade_schema(self, where=self.where)

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
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    @contextmanager
    def transaction(self, write: bool) -> Iterator[Tx]:
        if self._lock is not None:
            self._lock.acquire()
        try:
            with self.engine.connect() as conn:
                conn = conn.execution_options(riconnect_write=write)
                if self.is_postgres:
                    # Readers see one consistent snapshot; writers take one lock first and
                    # then see the latest commits, as SQLite's BEGIN IMMEDIATE gives.
                    conn = conn.execution_options(
                        isolation_level="READ COMMITTED" if write else "REPEATABLE READ"
                    )
                with conn.begin():
                    if write and self.is_postgres:
                        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")
                    elif not write:
                        # Fix the read snapshot now (both databases take it at the first
                        # read, not at BEGIN), so that the instant the service reads next
                        # is not older than the commits this transaction sees.
                        conn.exec_driver_sql(
                            "SELECT 1 FROM sqlite_master LIMIT 1" if self.is_sqlite else "SELECT 1"
                        )
                    yield Tx(conn, write)
        finally:
            if self._lock is not None:
                self._lock.release()

    def close(self) -> None:
        """Save everything into the database file and close every pooled connection.

        For SQLite, a checkpoint copies the write-ahead log into the main file first, so that
        the file alone holds the whole cloud once the server has stopped (a copy of it is a
        complete copy).  Safe to call twice.
        """
        if self._closed:
            return
        self._closed = True
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
