"""Deep pages without deep scans.

A page of a listing is ``ORDER BY created_at, id LIMIT size OFFSET (n - 1) * size``, and a
full page also needs the total.  Both cost a scan of every match up to the offset, or of
all of them: at 1,000,000 interfaces (175,000 Active per owner) that is hundreds of
milliseconds for the last pages.  :class:`Listings` keeps, per listing (table, owner,
region, filter), the sort key of every :data:`STEP`-th match and the total.  A deep page then
seeks to the nearest key and steps at most ``STEP`` rows; the total is known.

The keys are valid while the listing's version in ``listing_versions`` has not moved: the
triggers of migration 0006 move it on every insert, update and delete of a row of that
owner and region, in the writing transaction, whoever writes.  The version is read in the
reader's own snapshot, so keys built at that version describe exactly the rows it sees.
After a write the next full or deep page rebuilds the keys: one scan, what each such page
cost before.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, and_, bindparam, func, literal_column, select, tuple_
from sqlalchemy.engine import Connection

from riconnect.store.inline import HandOver
from riconnect.store.schema import listing_versions

STEP = 1000
# Tables whose writes move their listing version (migration 0006's triggers).
VERSIONED = frozenset({"router_interfaces"})
_MAX_ENTRIES = 1024


@dataclass(frozen=True)
class Keys:
    version: int
    keys: tuple[tuple[Any, Any], ...]  # (created_at, id) of matches 0, STEP, 2 * STEP, ...
    total: int


Statement = Callable[[tuple[Any, ...], Callable[[], Any]], Any]


class Listings:
    """The keys of the listings read so far (bounded); shared by the store's threads."""

    def __init__(self) -> None:
        self._keys: dict[tuple[Any, ...], Keys] = {}
        self._lock = threading.Lock()

    def keys(
        self,
        conn: Connection,
        t: Table,
        where: Any,
        params: dict[str, Any],
        key: tuple[Any, ...],
        statement: Statement,
        build: bool = True,
    ) -> Keys:
        """The keys and total of the matches of ``where``, as this transaction sees them;
        :class:`HandOver` instead of a rebuild when not ``build``."""
        version = self._version(conn, t.name, params, statement)
        found = self._keys.get(key)
        if found is not None and found.version == version:
            return found
        if not build:
            raise HandOver()
        built = self._build(conn, t, where, params, key, version, statement)
        with self._lock:
            if len(self._keys) >= _MAX_ENTRIES:
                self._keys.clear()
            self._keys[key] = built
        return built

    @staticmethod
    def _version(conn: Connection, table: str, params: dict[str, Any], statement: Statement) -> int:
        v = listing_versions
        stmt = statement(
            ("listing_version",),
            lambda: select(v.c.version).where(
                v.c.table_name == bindparam("_table"),
                v.c.account_id == bindparam("_account_id"),
                v.c.region_id == bindparam("_region_id"),
            ),
        )
        found = conn.execute(
            stmt,
            {
                "_table": table,
                "_account_id": params["_account_id"],
                "_region_id": params["_region_id"],
            },
        ).scalar()
        return int(found or 0)

    @staticmethod
    def _build(
        conn: Connection,
        t: Table,
        where: Any,
        params: dict[str, Any],
        key: tuple[Any, ...],
        version: int,
        statement: Statement,
    ) -> Keys:
        order = (t.c.created_at, t.c.id)
        after = tuple_(*order) >= tuple_(bindparam("_ca"), bindparam("_cid"))
        first = statement(
            ("listing_first", *key[:2]),
            lambda: select(*order).where(where()).order_by(*order).limit(1),
        )
        nth = statement(
            ("listing_next", *key[:2]),
            lambda: (
                select(*order).where(and_(where(), after)).order_by(*order).offset(STEP).limit(1)
            ),
        )
        rest = statement(
            ("listing_rest", *key[:2]),
            lambda: select(func.count()).select_from(
                select(literal_column("1"))
                .select_from(t)
                .where(and_(where(), after))
                .limit(STEP)
                .subquery()
            ),
        )
        row = conn.execute(first, params).first()
        if row is None:
            return Keys(version, (), 0)
        keys = [tuple(row)]
        while True:
            row = conn.execute(nth, {**params, "_ca": keys[-1][0], "_cid": keys[-1][1]}).first()
            if row is None:
                break
            keys.append(tuple(row))
        last = {**params, "_ca": keys[-1][0], "_cid": keys[-1][1]}
        total = (len(keys) - 1) * STEP + int(conn.execute(rest, last).scalar_one())
        return Keys(version, tuple(keys), total)


def seek_page(
    conn: Connection,
    t: Table,
    where: Any,
    params: dict[str, Any],
    keys: Keys,
    offset: int,
    limit: int,
    shape: tuple[Any, ...],
    statement: Statement,
) -> Sequence[Any]:
    """Rows ``offset`` to ``offset + limit`` of the listing, from the nearest kept key."""
    k = min(offset // STEP, len(keys.keys) - 1)
    order = (t.c.created_at, t.c.id)
    stmt = statement(
        ("listing_page", *shape),
        lambda: (
            select(t)
            .where(and_(where(), tuple_(*order) >= tuple_(bindparam("_ca"), bindparam("_cid"))))
            .order_by(*order)
            .offset(bindparam("_offset"))
            .limit(bindparam("_limit"))
        ),
    )
    ca, cid = keys.keys[k]
    run = {**params, "_ca": ca, "_cid": cid, "_offset": offset - k * STEP, "_limit": limit}
    return conn.execute(stmt, run).all()
