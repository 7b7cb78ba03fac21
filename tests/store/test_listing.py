"""Deep pages (store/listing.py): every page and total equal what a plain scan gives, before and
after writes of every kind, whoever makes them."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

from riconnect.domain import ids
from riconnect.domain.entities import RouterInterface, Vpc
from riconnect.store import listing
from riconnect.store.db import HandOver, Store

ACCOUNT, REGION = "1234567890123456", "cn-hangzhou"
STATUSES = ("Active", "Inactive", "Idle")


def _interface(n: int, status: str, rng: random.Random) -> RouterInterface:
    created = 1_700_000_000 + n // 3  # ties on created_at: the id breaks them
    return RouterInterface(
        id=ids.new_id("router_interface"),
        account_id=ACCOUNT,
        region_id=REGION,
        role=rng.choice(("InitiatingSide", "AcceptingSide")),
        router_type="VRouter",
        router_id=f"vrt-{n % 7}",
        spec="Large.2",
        status=status,
        created_at=float(created),
        modified_at=float(created),
        opposite_region_id=REGION,
        resource_group_id="rg-acfmtest",
    )


def _expected(rows: list[RouterInterface], statuses: set[str]) -> list[str]:
    matching = [r for r in rows if r.status in statuses]
    return [r.id for r in sorted(matching, key=lambda r: (r.created_at, r.id))]


def _check(store: Store, rows: list[RouterInterface], statuses: set[str], size: int) -> None:
    want = _expected(rows, statuses)
    pages = sorted({1, 2, *range(1, len(want) // size + 3, 7), len(want) // size + 1})
    with store.transaction(write=False) as tx:
        for page in pages:
            got, total = tx.page(
                RouterInterface, ACCOUNT, REGION, [("status", sorted(statuses))], page, size
            )
            assert total == len(want), (page, statuses)
            assert [r.id for r in got] == want[(page - 1) * size : page * size], (page, statuses)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(str(tmp_path / "cloud.db"))


def test_pages_and_totals_follow_every_write(store: Store, tmp_path: Path) -> None:
    rng = random.Random(5)
    n = 3 * listing.STEP + 357
    rows = [_interface(i, rng.choice(STATUSES), rng) for i in range(n)]
    with store.transaction(write=True) as tx:
        for row in rows:
            tx.insert(row)
    for statuses in ({"Active"}, {"Active", "Idle"}, set(STATUSES)):
        _check(store, rows, statuses, 50)
    _check(store, rows, {"Active"}, 7)  # pages that straddle the kept keys

    # Writes through the store: a status change, a new row, a deleted row.
    with store.transaction(write=True) as tx:
        for row in rng.sample(rows, 40):
            row.status = "Active" if row.status != "Active" else "Idle"
            tx.update(row)
        extra = _interface(n + 1, "Active", rng)
        tx.insert(extra)
        gone = rows.pop(17)
        tx.delete(gone)
    rows.append(extra)
    _check(store, rows, {"Active"}, 50)
    _check(store, rows, {"Active", "Idle"}, 50)

    # A write by another program, straight into the file: the triggers see it too.
    victim = next(r for r in rows if r.status == "Active")
    with sqlite3.connect(tmp_path / "cloud.db") as raw:
        raw.execute("UPDATE router_interfaces SET status = 'Inactive' WHERE id = ?", (victim.id,))
    victim.status = "Inactive"
    _check(store, rows, {"Active"}, 50)
    store.close()


def test_owners_and_regions_are_listed_apart(store: Store) -> None:
    rng = random.Random(9)
    mine = [_interface(i, "Active", rng) for i in range(listing.STEP + 100)]
    theirs = [_interface(i, "Active", rng) for i in range(listing.STEP + 10)]
    for row in theirs:
        row.account_id = "6543210987654321"
    with store.transaction(write=True) as tx:
        for row in mine + theirs:
            tx.insert(row)
    _check(store, mine, {"Active"}, 50)
    with store.transaction(write=False) as tx:
        _, total = tx.page(
            RouterInterface, "6543210987654321", REGION, [("status", ["Active"])], 21, 50
        )
        assert total == len(theirs)
        items, total = tx.page(
            RouterInterface, ACCOUNT, "cn-beijing", [("status", ["Active"])], 30, 50
        )
        assert (items, total) == ([], 0)
    store.close()


def test_a_read_on_the_event_loop_hands_scans_over(store: Store) -> None:
    # A read on the server's event loop (Store.inline_read) must not scan: a listing whose
    # keys must be rebuilt, every row at once (Tx.scan), or a deep OFFSET of a table without
    # kept keys goes to a worker thread (HandOver).
    rng = random.Random(3)
    rows = [_interface(i, "Active", rng) for i in range(listing.STEP + 120)]
    with store.transaction(write=True) as tx:
        for row in rows:
            tx.insert(row)
    deep = (RouterInterface, ACCOUNT, REGION, [("status", ["Active"])], 22, 50)
    with pytest.raises(HandOver), store.inline_read() as tx:
        tx.page(*deep)
    with store.transaction(write=False) as tx:  # a worker thread's read builds the keys
        expected = tx.page(*deep)
    with store.inline_read() as tx:  # now the loop can serve the page itself
        assert tx.page(*deep) == expected
    with pytest.raises(HandOver), store.inline_read() as tx:
        tx.scan()  # what a tag filter declares before it reads every row
    with pytest.raises(HandOver), store.inline_read() as tx:
        tx.page(Vpc, ACCOUNT, REGION, [], 30, 50)
    store.close()
