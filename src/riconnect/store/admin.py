"""Statements over the whole cloud, for the operator surface (api/operator/).

Unlike :class:`~riconnect.store.db.Tx`'s lookups, these are not scoped by owner: they read,
empty or replace every account's rows (state, reset, snapshots), and keep the operator's
settings row.  No API action reaches them.

The settings row (``riconnect_settings``, id 1) carries a ``version`` that every change of
the live settings bumps, and a reset or a snapshot load too (they restart the id sequence).
Each server process checks that one integer per request (:class:`VersionReader`: on a
SQLite file a shared memory map beside the database, under a microsecond; on PostgreSQL
the row) and reloads the row when it moved, so a change made through one process applies
to every process on the database.
"""

from __future__ import annotations

import dataclasses
import mmap
import os
import sqlite3
import struct
import threading
import time
import weakref
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import (
    Boolean,
    Float,
    Integer,
    String,
    Table,
    delete,
    func,
    insert,
    select,
    text,
    update,
)

from riconnect.domain.entities import RouterInterface
from riconnect.store import schema
from riconnect.store.db import Store, Tx

SETTINGS_ID = 1
_SETTINGS = schema.operator_settings

# Tables whose rows are resources with an owner and a region.
OWNED = (schema.vpcs, schema.vbrs, schema.router_interfaces, schema.physical_connections)


def state_tables() -> list[Table]:
    """The tables a snapshot holds: every table of the schema except the operator's own."""
    return [t for t in schema.metadata.sorted_tables if t.info.get("snapshot", True)]


# -- what the cloud holds ---------------------------------------------------------------------


def owners(tx: Tx) -> list[tuple[str, str]]:
    """Every (account, region) that holds at least one resource, sorted."""
    found: set[tuple[str, str]] = set()
    for t in OWNED:
        rows = tx.conn.execute(select(t.c.account_id, t.c.region_id).distinct())
        found.update((str(a), str(r)) for a, r in rows)
    return sorted(found)


def schema_revision(tx: Tx) -> str | None:
    """The revision the database's schema is at (Alembic's record)."""
    value = tx.conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return str(value) if value else None


def counts(tx: Tx) -> dict[str, int]:
    """Rows per state table."""
    return {
        t.name: int(tx.conn.execute(select(func.count()).select_from(t)).scalar_one())
        for t in state_tables()
    }


def delete_all(tx: Tx, keep: Iterable[Table] = (schema.physical_connections,)) -> dict[str, int]:
    """Empty every state table but ``keep``; rows deleted per table."""
    tx.require_write()
    kept = {t.name for t in keep}
    deleted = {}
    for t in reversed(state_tables()):
        if t.name not in kept:
            deleted[t.name] = int(tx.conn.execute(delete(t)).rowcount or 0)
    return deleted


def delete_account(
    tx: Tx, account_id: str, keep: Iterable[Table] = (schema.physical_connections,)
) -> dict[str, int]:
    """Delete one account's rows from every state table but ``keep``."""
    tx.require_write()
    kept = {t.name for t in keep}
    deleted = {}
    for t in reversed(state_tables()):
        if t.name not in kept and "account_id" in t.c:
            result = tx.conn.execute(delete(t).where(t.c.account_id == account_id))
            deleted[t.name] = int(result.rowcount or 0)
    return deleted


def interfaces_joined_to(tx: Tx, account_id: str) -> list[RouterInterface]:
    """Other accounts' router interfaces connected to one of ``account_id``'s."""
    t = schema.router_interfaces
    rows = tx.conn.execute(
        select(t).where(t.c.peer_account_id == account_id, t.c.account_id != account_id)
    ).mappings()
    names = [f.name for f in dataclasses.fields(RouterInterface)]
    return [RouterInterface(**{name: row[name] for name in names}) for row in rows]


# -- snapshots ---------------------------------------------------------------------------------

Rows = dict[str, tuple[list[str], list[list[Any]]]]  # table -> (columns, rows)


def export_rows(tx: Tx) -> Rows:
    """Every state table's rows, in primary-key order (two exports of one state are equal)."""
    out: Rows = {}
    for t in state_tables():
        columns = [c.name for c in t.columns]
        stmt = select(t).order_by(*t.primary_key.columns)
        out[t.name] = (columns, [list(row) for row in tx.conn.execute(stmt)])
    return out


def replace_rows(tx: Tx, tables: Rows) -> dict[str, int]:
    """Replace every state table's rows by ``tables`` (whose columns must be the schema's);
    rows loaded per table.  On PostgreSQL the tables are locked against writers first, so
    no write of another process interleaves, whatever locks the writers themselves take."""
    tx.require_write()
    known = {t.name: t for t in state_tables()}
    unknown = sorted(set(tables) - set(known))
    if unknown:
        raise ValueError(f"unknown tables: {', '.join(unknown)}")
    for name, (columns, rows) in tables.items():
        expected = [c.name for c in known[name].columns]
        if sorted(columns) != sorted(expected):
            raise ValueError(f"table {name}: columns {columns} are not the schema's {expected}")
        _check_values(known[name], columns, rows)
    if tx.conn.dialect.name == "postgresql":
        names = ", ".join(t.name for t in known.values())
        tx.conn.exec_driver_sql(f"LOCK TABLE {names} IN EXCLUSIVE MODE")
    for t in reversed(list(known.values())):
        tx.conn.execute(delete(t))
    loaded = {}
    for name, t in known.items():
        columns, rows = tables.get(name, ([], []))
        if rows:
            tx.conn.execute(insert(t), [dict(zip(columns, row, strict=True)) for row in rows])
        loaded[name] = len(rows)
    return loaded


def _check_values(table: Table, columns: list[str], rows: list[list[Any]]) -> None:
    """Each value has its column's type (SQLite would store a text in a number column and
    let the services trip over it later)."""
    kinds = []
    for name in columns:
        column = table.c[name]
        python: tuple[type, ...] | None
        if isinstance(column.type, Boolean):
            python = (bool,)
        elif isinstance(column.type, Integer):
            python = (int,)
        elif isinstance(column.type, Float):
            python = (int, float)
        elif isinstance(column.type, String):
            python = (str,)
        else:  # JSON: any JSON value
            python = None
        kinds.append((name, python, column.nullable))
    for row in rows:
        for value, (name, python, nullable) in zip(row, kinds, strict=True):
            if value is None:
                if not nullable:
                    raise ValueError(f"table {table.name}: {name} is null")
            elif python is not None and (
                not isinstance(value, python) or (isinstance(value, bool) and bool not in python)
            ):
                raise ValueError(
                    f"table {table.name}: {name} = {value!r} is not {python[0].__name__}"
                )


# -- the settings row --------------------------------------------------------------------------


def read_settings(tx: Tx) -> tuple[int, dict[str, Any], int]:
    """(version, settings document, id sequence)."""
    row = tx.conn.execute(
        select(_SETTINGS.c.version, _SETTINGS.c.settings, _SETTINGS.c.id_sequence).where(
            _SETTINGS.c.id == SETTINGS_ID
        )
    ).first()
    if row is None:
        return 0, {}, 0
    return int(row[0]), dict(row[1] or {}), int(row[2])


def _ensure_row(tx: Tx) -> None:
    if tx.conn.execute(select(_SETTINGS.c.id).where(_SETTINGS.c.id == SETTINGS_ID)).first():
        return
    tx.conn.execute(insert(_SETTINGS).values(id=SETTINGS_ID, version=0, settings={}, id_sequence=0))


def write_settings(tx: Tx, document: Mapping[str, Any]) -> int:
    """Store the settings document; the new version."""
    tx.require_write()
    _ensure_row(tx)
    tx.conn.execute(
        update(_SETTINGS)
        .where(_SETTINGS.c.id == SETTINGS_ID)
        .values(settings=dict(document), version=_SETTINGS.c.version + 1)
    )
    return read_settings(tx)[0]


def restart_ids(tx: Tx, sequence: int = 0) -> int:
    """Set the id sequence and bump the version (every process restarts its RequestIds)."""
    tx.require_write()
    _ensure_row(tx)
    tx.conn.execute(
        update(_SETTINGS)
        .where(_SETTINGS.c.id == SETTINGS_ID)
        .values(id_sequence=sequence, version=_SETTINGS.c.version + 1)
    )
    return read_settings(tx)[0]


_NEXT = text("UPDATE riconnect_settings SET id_sequence = id_sequence + 1 WHERE id = 1")
_SEQUENCE = text("SELECT id_sequence FROM riconnect_settings WHERE id = 1")


def next_id_number(tx: Tx) -> int:
    """The next number of the id sequence, taken inside the caller's write transaction (so
    two processes never draw the same one)."""
    tx.require_write()
    if tx.conn.execute(_NEXT).rowcount != 1:
        _ensure_row(tx)
        tx.conn.execute(_NEXT)
    return int(tx.conn.execute(_SEQUENCE).scalar_one())


# -- telling every process that the settings row moved -----------------------------------------

# On a SQLite file the version also lives in a small shared memory map beside the database
# (``<db>-settings``, 8 bytes): reading it is a memory access, no system call and no release
# of the GIL, so the per-request check costs well under a microsecond; only when it moved (or
# once a second, in case a writer died between its commit and its announcement) is the
# database read.  PostgreSQL serves several machines, which share no memory: there every
# request reads the row.
_SIGNAL = struct.Struct("<q")
_SIGNALS: weakref.WeakKeyDictionary[Store, mmap.mmap | None] = weakref.WeakKeyDictionary()
_SIGNALS_LOCK = threading.Lock()
RECHECK_SECONDS = 1.0


def _sqlite_path(store: Store) -> str | None:
    if store.is_sqlite and not store.memory and store.url.startswith("sqlite:///"):
        return store.url.removeprefix("sqlite:///").split("?", 1)[0]
    return None


def _signal(store: Store) -> mmap.mmap | None:
    """The shared map of ``store``'s settings version (None: not a SQLite file, or the
    directory refuses the file; then every check reads the database)."""
    with _SIGNALS_LOCK:
        if store in _SIGNALS:
            return _SIGNALS[store]
        path = _sqlite_path(store)
        mapped = None
        if path is not None:
            try:
                fd = os.open(path + "-settings", os.O_RDWR | os.O_CREAT, 0o644)
                try:
                    if os.fstat(fd).st_size < _SIGNAL.size:
                        os.ftruncate(fd, _SIGNAL.size)
                    mapped = mmap.mmap(fd, _SIGNAL.size)
                finally:
                    os.close(fd)
            except OSError:
                mapped = None
        _SIGNALS[store] = mapped
        return mapped


def announce(store: Store, version: int) -> None:
    """After committing a change of the settings version: every process on this SQLite file
    notices at its next request."""
    mapped = _signal(store)
    if mapped is not None:
        _SIGNAL.pack_into(mapped, 0, version)


class VersionReader:
    """The settings row's version, read cheaply once per request.

    On a SQLite file: the shared map (see :func:`announce`), and the row itself only when the
    map moved or a second has passed, read on a plain ``sqlite3`` connection per thread
    (outside SQLAlchemy's pool, so it never starves the requests' transactions).  On
    PostgreSQL: one round trip per request, on the thread's nonce connection.  An in-memory
    store belongs to one process, which knows every change it makes: :meth:`read` answers
    None.
    """

    _QUERY = "SELECT version FROM riconnect_settings WHERE id = 1"

    def __init__(self, store: Store) -> None:
        self.store = store
        self._local = threading.local()
        self._opened: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._path = _sqlite_path(store)
        self._signal = _signal(store) if self._path is not None else None
        # (map value, version, when read): one tuple, replaced whole, so threads never
        # pair one read's map value with another read's version.
        self._cache: tuple[int, int, float] | None = None

    def read(self) -> int | None:
        if self.store.memory:
            return None
        signal = self._signal
        if signal is not None:
            value = _SIGNAL.unpack_from(signal)[0]  # before the row: a later change re-reads
            cached = self._cache
            if (
                cached is not None
                and cached[0] == value
                and time.monotonic() - cached[2] < RECHECK_SECONDS
            ):
                return cached[1]
            version = self._read_row()
            self._cache = (value, version, time.monotonic())
            return version
        return self._read_row()

    def _read_row(self) -> int:
        if self._path is not None:
            conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
            if conn is None:
                conn = self._open(self._path)
            row = conn.execute(self._QUERY).fetchone()
            return int(row[0]) if row else 0
        if self.store.is_postgres:
            # On the thread's nonce connection, in autocommit: one round trip, where a pooled
            # connection cost four (a ping, BEGIN, the query, ROLLBACK) of the about twelve
            # of a read by id (bench/NOTES.md).  Raises NonceStoreError.
            return int(self.store.nonces.read_value(self._QUERY) or 0)
        with self.store.engine.connect() as sa_conn:
            value = sa_conn.exec_driver_sql(self._QUERY).scalar()
            sa_conn.rollback()
        return int(value or 0)

    def _open(self, path: str) -> sqlite3.Connection:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=5)
        conn.execute("PRAGMA busy_timeout=5000")
        self._local.conn = conn
        with self._lock:
            self._opened.append(conn)
        return conn

    def close(self) -> None:
        with self._lock:
            opened, self._opened = self._opened, []
        for conn in opened:
            conn.close()
