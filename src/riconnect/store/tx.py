"""A transaction's queries (:class:`Tx`): every lookup names the owning account, and inside a
scoped PostgreSQL write every query checks that its rows are in a scope the transaction holds
(store/locks.py).  Statements are built once per shape and reused."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from operator import itemgetter
from typing import Any, TypeVar

from sqlalchemy import Table, and_, bindparam, delete, func, insert, select, update
from sqlalchemy.engine import Connection

from riconnect.domain.entities import (
    PhysicalConnection,
    RouteEntry,
    RouterInterface,
    RouteTable,
    Vbr,
    Vpc,
    VSwitch,
)
from riconnect.store import schema
from riconnect.store.inline import HandOver
from riconnect.store.listing import STEP, VERSIONED, Listings, seek_page
from riconnect.store.locks import NeedsLocks, Scope
from riconnect.store.precompiled import Precompiled, driver_of, precompile

__all__ = ["NeedsWrite", "StoreError", "Tx"]

E = TypeVar("E", Vpc, Vbr, RouterInterface, PhysicalConnection, VSwitch, RouteTable, RouteEntry)

_TABLES: dict[type[Any], Table] = {
    Vpc: schema.vpcs,
    Vbr: schema.vbrs,
    RouterInterface: schema.router_interfaces,
    PhysicalConnection: schema.physical_connections,
    VSwitch: schema.vswitches,
    RouteTable: schema.route_tables,
    RouteEntry: schema.route_entries,
}
_FIELDS: dict[type[Any], tuple[str, ...]] = {
    cls: tuple(f.name for f in dataclasses.fields(cls)) for cls in _TABLES
}
# A row of ``select(table)`` (the table's column order; a Row of SQLAlchemy's or a tuple of
# a precompiled statement's) reordered as the entity's fields. Positional construction:
# looking each field up by name in a RowMapping was a sixth of a status page's CPU at
# 1,000,000 interfaces (pyinstrument, bench/NOTES.md).
_ORDER: dict[type[Any], Callable[[Sequence[Any]], tuple[Any, ...]]] = {
    cls: itemgetter(*(list(t.columns.keys()).index(name) for name in _FIELDS[cls]))
    for cls, t in _TABLES.items()
}
# Where a row of ``select(table)`` holds its scope (account, region).
_SCOPE: dict[type[Any], Callable[[Sequence[Any]], tuple[Any, ...]]] = {
    cls: itemgetter(
        list(t.columns.keys()).index("account_id"), list(t.columns.keys()).index("region_id")
    )
    for cls, t in _TABLES.items()
}


class NeedsWrite(Exception):
    """A read-only transaction found work that must be written (a due transition)."""


class StoreError(Exception):
    pass


def _entity(cls: type[E], row: Sequence[Any]) -> E:
    """The entity of a row of ``select(table)``."""
    return cls(*_ORDER[cls](row))


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


# The same statements compiled for the sqlite3 driver (store/precompiled.py); None: the
# statement runs through SQLAlchemy.  Keyed and bounded as _STATEMENTS.
_PRECOMPILED: dict[tuple[Any, ...], Precompiled | None] = {}


def _eq(t: Table, names: Sequence[str]) -> list[Any]:
    return [t.c[name] == bindparam(f"_{name}") for name in names]


class Tx:
    """One open transaction.  Every lookup names the owning account.

    ``held`` is the set of scopes a scoped PostgreSQL write holds; every query checks that
    the rows it reads or writes are in one of them (see the module's docstring).  None: the
    transaction sees the whole store consistently (SQLite, a read snapshot, a whole-store
    write).
    """

    def __init__(
        self,
        conn: Connection,
        writable: bool,
        held: frozenset[Scope] | None = None,
        listings: Listings | None = None,
    ):
        self.conn = conn
        self.writable = writable
        self.held = held
        self.listings = listings  # kept keys of deep pages (store/listing.py)
        self.inline = False  # on the event loop (Store.inline_read): scans are handed over
        # The sqlite3 connection that precompiled statements run on; None: every statement
        # runs through SQLAlchemy (PostgreSQL).
        self.driver = driver_of(conn)

    def _precompiled(
        self, key: tuple[Any, ...], build: Callable[[], Any], params: Mapping[str, Any] | None
    ) -> Precompiled | None:
        """The statement ``_statement(key, build)`` compiled for the driver, or None.
        ``params``: an INSERT's or UPDATE's parameters, which decide its SET (always the
        same names for one key)."""
        if self.driver is None:
            return None
        try:
            return _PRECOMPILED[key]
        except KeyError:
            pass
        if len(_PRECOMPILED) >= _MAX_STATEMENTS:
            _PRECOMPILED.clear()
        pre = _PRECOMPILED[key] = precompile(
            _statement(key, build), self.conn.dialect, None if params is None else list(params)
        )
        return pre

    def _rows(
        self, key: tuple[Any, ...], build: Callable[[], Any], params: dict[str, Any]
    ) -> Sequence[Sequence[Any]]:
        """Every row of a SELECT built once per ``key``, its values in column order."""
        pre = self._precompiled(key, build, None)
        if pre is not None:
            return pre.rows(self.driver, params)
        return self.conn.execute(_statement(key, build), params).all()

    def _scalar(
        self, key: tuple[Any, ...], build: Callable[[], Any], params: dict[str, Any]
    ) -> Any:
        pre = self._precompiled(key, build, None)
        if pre is not None:
            return pre.scalar(self.driver, params)
        return self.conn.execute(_statement(key, build), params).scalar()

    def _change(
        self, key: tuple[Any, ...], build: Callable[[], Any], params: dict[str, Any]
    ) -> int:
        """Run an INSERT, UPDATE or DELETE built once per ``key``; its row count."""
        pre = self._precompiled(key, build, params)
        if pre is not None:
            return pre.rowcount(self.driver, params)
        return int(self.conn.execute(_statement(key, build), params).rowcount)

    def require_write(self) -> None:
        if not self.writable:
            raise NeedsWrite()

    def scan(self) -> None:
        """Declare that a query will read every row of an owner (a tag filter pages in
        Python, a deep OFFSET): on the event loop (Store.inline_read), :class:`HandOver` to a
        worker thread, where a long query holds up no one else."""
        if self.inline:
            raise HandOver()

    def lock(self, account_id: str, region_id: str) -> None:
        """Declare that this transaction reads or writes rows of the scope: a scoped write
        that does not hold it is run again holding it.  Queries declare their own scopes; call
        this for a rule that decides on something no query of it names."""
        if self.held is not None and (account_id, region_id) not in self.held:
            raise NeedsLocks({(account_id, region_id)})

    def _rows_held(self, cls: type[Any], rows: Sequence[Sequence[Any]]) -> None:
        if self.held is None:
            return
        scope = _SCOPE[cls]
        missing = {scope(r) for r in rows} - self.held
        if missing:
            raise NeedsLocks(missing)

    # -- entities -------------------------------------------------------------------
    def get(self, cls: type[E], account_id: str, id: str, region_id: str | None = None) -> E | None:
        t: Table = _TABLES[cls]
        names = ("id", "account_id") if region_id is None else ("id", "account_id", "region_id")
        params = {"_id": id, "_account_id": account_id}
        if region_id is not None:
            self.lock(account_id, region_id)
            params["_region_id"] = region_id
        rows = self._rows(("get", cls, names), lambda: select(t).where(*_eq(t, names)), params)
        if not rows:
            return None
        self._rows_held(cls, rows[:1])
        return _entity(cls, rows[0])

    def get_many(
        self, cls: type[E], account_id: str, region_id: str, ids: Sequence[str]
    ) -> list[E]:
        """The objects of one owner and region with these ids, in no particular order: a
        lookup by primary key (a page of ``id IN (...)`` ordered by creation walked every
        row of the owner at 250,000 interfaces)."""
        self.lock(account_id, region_id)
        t: Table = _TABLES[cls]
        # Only the ids in SQL, the owner checked here: with the owner's columns in the
        # WHERE, SQLite (no statistics) preferred an owner index and walked all its rows.
        stmt = _statement(
            ("get_many", cls),
            lambda: select(t).where(t.c.id.in_(bindparam("_ids", expanding=True))),
        )
        rows = self.conn.execute(stmt, {"_ids": list(ids)})
        return [
            _entity(cls, r) for r in rows if r.account_id == account_id and r.region_id == region_id
        ]

    def _where_eq(
        self, t: Table, account_id: str, eq: dict[str, Any]
    ) -> tuple[Callable[[], list[Any]], Any]:
        """The WHERE (built only when called: a cached statement needs only the
        parameters) and its parameters; no parameters for a literal condition."""
        names = ("account_id", *eq)
        if any(v is None for v in eq.values()):  # "= NULL" would differ from IS NULL
            return lambda: [t.c.account_id == account_id, *(t.c[k] == v for k, v in eq.items())], {}
        params = {f"_{k}": v for k, v in eq.items()}
        params["_account_id"] = account_id
        return lambda: _eq(t, names), params

    def find(self, cls: type[E], account_id: str, **eq: Any) -> list[E]:
        t: Table = _TABLES[cls]
        cond, params = self._where_eq(t, account_id, eq)
        if "region_id" in eq:
            self.lock(account_id, eq["region_id"])
        rows: Sequence[Sequence[Any]]
        if params:
            rows = self._rows(
                ("find", cls, tuple(eq)),
                lambda: select(t).where(*cond()).order_by(t.c.created_at, t.c.id),
                params,
            )
        else:
            stmt = select(t).where(*cond()).order_by(t.c.created_at, t.c.id)
            rows = self.conn.execute(stmt, params).all()
        self._rows_held(cls, rows)
        return [_entity(cls, r) for r in rows]

    def owner(self, cls: type[E], id: str) -> str | None:
        """The account that owns ``id``, whichever it is.  For read-only analyses across
        accounts (reachability); API actions always name the caller's account."""
        t: Table = _TABLES[cls]
        value = self._scalar(
            ("owner", cls), lambda: select(t.c.account_id).where(*_eq(t, ("id",))), {"_id": id}
        )
        return None if value is None else str(value)

    def count(self, cls: type[E], account_id: str, **eq: Any) -> int:
        t: Table = _TABLES[cls]
        cond, params = self._where_eq(t, account_id, eq)
        if self.held is not None and "region_id" not in eq:
            raise StoreError("a scoped write counts rows of one region at a time")
        if "region_id" in eq:
            self.lock(account_id, eq["region_id"])
        if params:
            return int(
                self._scalar(
                    ("count", cls, tuple(eq)),
                    lambda: select(func.count()).select_from(t).where(*cond()),
                    params,
                )
            )
        stmt = select(func.count()).select_from(t).where(*cond())
        return int(self.conn.execute(stmt, params).scalar_one())

    def due(self, cls: type[E], account_id: str, region_id: str, now: float) -> list[E]:
        """Objects of one owner and region whose timed transition has come due."""
        self.lock(account_id, region_id)
        t: Table = _TABLES[cls]
        rows = self._rows(
            ("due", cls),
            lambda: select(t).where(
                *_eq(t, ("account_id", "region_id")),
                t.c.settle_at.is_not(None),
                t.c.settle_at <= bindparam("_now"),
            ),
            {"_account_id": account_id, "_region_id": region_id, "_now": now},
        )
        return [_entity(cls, r) for r in rows]

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
        self.lock(account_id, region_id)
        t: Table = _TABLES[cls]
        # A condition of one value (a lookup by id, the most common) is an equality: an
        # expanding IN is rendered again at every execution (about a tenth of a read's CPU).
        # The shape, (column, single), is part of every statement's cache key.
        columns = tuple((column, len(values) == 1) for column, values in conditions)
        params: dict[str, Any] = {"_account_id": account_id, "_region_id": region_id}
        for k, (_, values) in enumerate(conditions):
            params[f"_in{k}"] = values[0] if len(values) == 1 else list(values)

        def where() -> Any:
            cond = _eq(t, ("account_id", "region_id"))
            for k, (column, single) in enumerate(columns):
                if single:
                    cond.append(t.c[column] == bindparam(f"_in{k}"))
                else:
                    cond.append(t.c[column].in_(bindparam(f"_in{k}", expanding=True)))
            return and_(*cond)

        offset = (page_number - 1) * page_size
        listings = self.listings if t.name in VERSIONED else None
        if self.inline and offset >= STEP and listings is None:
            self.scan()  # a deep OFFSET without kept keys
        key = (t.name, columns, account_id, region_id, *(tuple(v) for _, v in conditions))
        if listings is not None and offset >= STEP:
            # A deep page: from the nearest kept key (store/listing.py).
            keys = listings.keys(self.conn, t, where, params, key, _statement, not self.inline)
            if offset >= keys.total:
                return [], keys.total
            rows = seek_page(
                self.conn, t, where, params, keys, offset, page_size, (t.name, columns), _statement
            )
            return [_entity(cls, r) for r in rows], keys.total
        params["_offset"] = offset
        params["_limit"] = page_size
        rows = self._rows(
            ("page", cls, columns),
            lambda: (
                select(t)
                .where(where())
                .order_by(t.c.created_at, t.c.id)
                .offset(bindparam("_offset"))
                .limit(bindparam("_limit"))
            ),
            params,
        )
        items = [_entity(cls, r) for r in rows]
        if (items and len(items) < page_size) or (not items and offset == 0):
            # The last page, or nothing at all: the total needs no second query (a lookup
            # by id, the most common describe, is both).
            return items, offset + len(items)
        if listings is not None:  # the total from the kept keys
            return items, listings.keys(
                self.conn, t, where, params, key, _statement, not self.inline
            ).total
        total = self._scalar(
            ("page_count", cls, columns),
            lambda: select(func.count()).select_from(t).where(where()),
            params,
        )
        return items, int(total)

    def insert(self, entity: Any) -> None:
        self.require_write()
        self.lock(entity.account_id, entity.region_id)
        t = _TABLES[type(entity)]
        self._change(("insert", t.name), lambda: insert(t), _values(entity))

    def update(self, entity: Any) -> None:
        self.require_write()
        self.lock(entity.account_id, entity.region_id)
        t = _TABLES[type(entity)]
        params = _values(entity)
        params["_id"], params["_account_id"] = entity.id, entity.account_id
        # Every column is SET from the parameters; the WHERE names its own parameters.
        count = self._change(
            ("update", t.name), lambda: update(t).where(*_eq(t, ("id", "account_id"))), params
        )
        if count != 1:
            raise StoreError(f"update of {type(entity).__name__} {entity.id} matched {count} rows")

    def delete(self, entity: Any) -> None:
        self.require_write()
        self.lock(entity.account_id, entity.region_id)
        t = _TABLES[type(entity)]
        self._change(
            ("delete", t.name),
            lambda: delete(t).where(*_eq(t, ("id", "account_id"))),
            {"_id": entity.id, "_account_id": entity.account_id},
        )

    # -- ClientToken ------------------------------------------------------------------
    # Tokens are per region, like the regional services that issue them: the stored action
    # is "<region>/<action>".
    def token_get(
        self, account_id: str, region_id: str, action: str, token: str
    ) -> tuple[str, dict[str, Any]] | None:
        self.lock(account_id, region_id)
        t = schema.client_tokens
        row = (
            self.conn.execute(
                select(t.c.fingerprint, t.c.response).where(
                    t.c.account_id == account_id,
                    t.c.action == f"{region_id}/{action}",
                    t.c.token == token,
                )
            )
            .mappings()
            .first()
        )
        return None if row is None else (row["fingerprint"], dict(row["response"]))

    def token_put(
        self,
        account_id: str,
        region_id: str,
        action: str,
        token: str,
        fingerprint: str,
        response: dict[str, Any],
        now: float,
    ) -> None:
        self.require_write()
        self.lock(account_id, region_id)
        self.conn.execute(
            insert(schema.client_tokens).values(
                account_id=account_id,
                action=f"{region_id}/{action}",
                token=token,
                fingerprint=fingerprint,
                response=response,
                created_at=now,
            )
        )
