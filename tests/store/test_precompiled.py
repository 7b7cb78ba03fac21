"""Statements run through the sqlite3 driver (store/precompiled.py) write and read exactly what
SQLAlchemy's execution of the same statements does: the same stored values, of the same SQLite
types, and the same entities back, for every table and every query of Tx."""

from __future__ import annotations

import dataclasses
import random
import sqlite3
import typing
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.exc import IntegrityError

from riconnect.store.db import Store
from riconnect.store.tx import _TABLES, Tx

ACCOUNT, REGION = "1234567890123456", "cn-hangzhou"
TEXTS = ("", "a", "名前-ü", "x'y\"z", "  spaced ", "%_\\")


def _value(hint: Any, rng: random.Random) -> Any:
    """A value of the field's type, None included where the type allows it."""
    args = typing.get_args(hint)
    if type(None) in args:
        if rng.random() < 0.3:
            return None
        hint = next(a for a in args if a is not type(None))
    if hint is bool:
        return rng.random() < 0.5
    if hint is int:
        return rng.choice((0, 1, -7, 1500, 2**40))
    if hint is float:
        return rng.choice((0.0, 1.5, 1_700_000_000.123456, -2.25))
    if hint is str:
        return rng.choice(TEXTS) + str(rng.randrange(1000))
    if typing.get_origin(hint) is list:
        (inner,) = typing.get_args(hint)
        return [_value(inner, rng) for _ in range(rng.randrange(4))]
    raise AssertionError(f"no generator for {hint!r}")


def _entity(cls: type[Any], n: int, rng: random.Random) -> Any:
    hints = typing.get_type_hints(cls)
    values = {f.name: _value(hints[f.name], rng) for f in dataclasses.fields(cls)}
    values.update(id=f"{cls.__name__.lower()}-{n:04d}", account_id=ACCOUNT, region_id=REGION)
    if "settle_at" in values:  # some due, some not, some without a transition
        values["settle_at"] = rng.choice((None, 10.0, 1e12))
    if "created_at" in values:
        values["created_at"] = float(n // 2)  # ties: the id orders them
    return cls(**values)


@contextmanager
def _tx(store: Store, write: bool, precompiled: bool) -> Iterator[Tx]:
    with store.transaction(write=write) as tx:
        if not precompiled:
            tx.driver = None  # every statement through SQLAlchemy, as on PostgreSQL
        yield tx


def _stored(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every entity table, each value beside its SQLite storage type."""
    conn = sqlite3.connect(path)
    try:
        out = {}
        for t in _TABLES.values():
            cols = [c.name for c in t.c]
            typed = ", ".join(f"{c}, typeof({c})" for c in cols)
            out[t.name] = conn.execute(f"SELECT {typed} FROM {t.name} ORDER BY id").fetchall()
        return out
    finally:
        conn.close()


@pytest.fixture
def rows() -> dict[type[Any], list[Any]]:
    rng = random.Random(14)
    return {cls: [_entity(cls, n, rng) for n in range(25)] for cls in _TABLES}


def _write(store: Store, rows: dict[type[Any], list[Any]], precompiled: bool) -> None:
    rng = random.Random(3)
    with _tx(store, True, precompiled) as tx:
        for items in rows.values():
            for item in items:
                tx.insert(item)
    with _tx(store, True, precompiled) as tx:
        for cls, items in rows.items():
            for item in items[::3]:
                changed = _entity(cls, int(item.id[-4:]), rng)
                tx.update(changed)
                items[items.index(item)] = changed
            tx.delete(items.pop(5))


def test_writes_store_the_same_values(tmp_path: Path, rows: dict[type[Any], list[Any]]) -> None:
    fast, slow = Store(str(tmp_path / "fast.db")), Store(str(tmp_path / "slow.db"))
    _write(fast, {cls: list(items) for cls, items in rows.items()}, precompiled=True)
    _write(slow, {cls: list(items) for cls, items in rows.items()}, precompiled=False)
    fast.close()
    slow.close()
    fast_rows, slow_rows = _stored(tmp_path / "fast.db"), _stored(tmp_path / "slow.db")
    assert all(fast_rows.values())
    assert fast_rows == slow_rows


def _reads(tx: Tx, cls: type[Any], items: list[Any]) -> list[Any]:
    first = items[0]
    return [
        [tx.get(cls, ACCOUNT, item.id) for item in items],
        tx.get(cls, ACCOUNT, first.id, REGION),
        tx.get(cls, "0000000000000000", first.id),
        tx.find(cls, ACCOUNT, region_id=REGION),
        tx.find(cls, ACCOUNT, id=first.id),
        tx.count(cls, ACCOUNT, region_id=REGION),
        tx.owner(cls, first.id),
        tx.owner(cls, "missing"),
        tx.due(cls, ACCOUNT, REGION, 100.0) if "settle_at" in _TABLES[cls].c else None,
        tx.page(cls, ACCOUNT, REGION, [], 1, 10),
        tx.page(cls, ACCOUNT, REGION, [], 3, 10),
        tx.page(cls, ACCOUNT, REGION, [("id", [first.id])], 1, 10),
        tx.page(cls, ACCOUNT, REGION, [("id", [i.id for i in items[:4]])], 1, 2),
        tx.get_many(cls, ACCOUNT, REGION, [i.id for i in items[:3]]),
    ]


@pytest.mark.parametrize("inline", [False, True], ids=["thread", "event-loop"])
def test_reads_return_the_same_entities(
    tmp_path: Path, rows: dict[type[Any], list[Any]], inline: bool
) -> None:
    store = Store(str(tmp_path / "cloud.db"))
    _write(store, rows, precompiled=False)
    for cls, items in rows.items():
        if inline:  # the listings' kept keys are built in a thread, never on the loop
            with _tx(store, False, True) as tx:
                _reads(tx, cls, items)
        results = []
        for precompiled in (True, False):
            if inline:
                with store.inline_read() as tx:
                    if not precompiled:
                        tx.driver = None
                    results.append(_reads(tx, cls, items))
            else:
                with _tx(store, False, precompiled) as tx:
                    results.append(_reads(tx, cls, items))
        assert results[0] == results[1], cls
        assert results[0][0] == items  # what was written comes back
    store.close()


def test_driver_errors_are_wrapped_as_sqlalchemy_wraps_them(
    tmp_path: Path, rows: dict[type[Any], list[Any]]
) -> None:
    """The retry rules (service/context.py) catch SQLAlchemy's exceptions: a duplicate key
    must be an IntegrityError by either route."""
    store = Store(str(tmp_path / "cloud.db"))
    vpc = next(iter(rows.values()))[0]
    for precompiled in (True, False):
        with pytest.raises(IntegrityError), _tx(store, True, precompiled) as tx:
            tx.insert(vpc)
            tx.insert(vpc)
    store.close()


def test_sqlite_stores_take_the_driver_route(tmp_path: Path) -> None:
    """A memory store and a file both run through the driver (the tests above would compare
    SQLAlchemy with itself otherwise)."""
    for store in (Store(), Store(str(tmp_path / "cloud.db"))):
        with _tx(store, False, True) as tx:
            assert isinstance(tx.driver, sqlite3.Connection)
        store.close()
    store.close()
