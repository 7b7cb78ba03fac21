"""PostgreSQL write locking by scope (store/db.py): what a write holds, what it may see, who
waits for whom, and that the check-then-write rules hold with writes from several pools
(two pools behave like two server processes to PostgreSQL)."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from riconnect.domain.clock import FakeClock
from riconnect.domain.entities import Vpc
from riconnect.domain.errors import ApiError
from riconnect.domain.transitions import Delays
from riconnect.service import context
from riconnect.store.db import NeedsLocks, Store
from riconnect.store.locks import GLOBAL_LOCK, scope_key
from tests.support.router_interface import REGION, REGION2, Service

psycopg = pytest.importorskip("psycopg", reason="the postgres extra is not installed")

A, B = "5000000000000001", "5000000000000002"


@pytest.fixture
def store(pg_database: str) -> Iterator[Store]:
    s = Store(pg_database)
    yield s
    s.close()


def _vpc(account: str, region: str, n: int = 0) -> Vpc:
    return Vpc(
        id=f"vpc-scope{account[-2:]}{region[-3:]}{n}",
        account_id=account,
        region_id=region,
        vrouter_id=f"vrt-scope{account[-2:]}{region[-3:]}{n}",
        route_table_id=f"vtb-scope{account[-2:]}{region[-3:]}{n}",
        cidr_block="10.0.0.0/8",
        status="Available",
        created_at=1.0,
        modified_at=1.0,
        resource_group_id="rg-x",
        user_cidrs=[],
        tags=[],
    )


def test_a_scoped_write_sees_only_the_scopes_it_holds(store: Store) -> None:
    here, there = _vpc(A, REGION), _vpc(A, REGION2)
    with store.transaction(write=True) as tx:  # whole store: anything goes
        tx.insert(here)
        tx.insert(there)
    with store.transaction(write=True, scopes={(A, REGION)}) as tx:
        assert tx.get(Vpc, A, here.id, REGION) == here
        assert tx.count(Vpc, A, region_id=REGION) == 1
        # Named explicitly, found by id alone, listed, written: each is refused.
        for reach in (
            lambda: tx.get(Vpc, A, there.id, REGION2),
            lambda: tx.get(Vpc, A, there.id),
            lambda: tx.find(Vpc, A),
            lambda: tx.page(Vpc, A, REGION2, [], 1, 10),
            lambda: tx.due(Vpc, B, REGION, 0.0),
            lambda: tx.token_get(B, REGION, "CreateVpc", "t"),
            lambda: tx.insert(_vpc(B, REGION, 1)),
        ):
            with pytest.raises(NeedsLocks) as info:
                reach()
            assert info.value.scopes <= {(A, REGION2), (B, REGION)}
    with store.transaction(write=True, scopes={(A, REGION), (A, REGION2)}) as tx:
        assert {v.id for v in tx.find(Vpc, A)} == {here.id, there.id}
    # A read transaction sees one snapshot of everything and needs no locks.
    with store.transaction(write=False) as tx:
        assert len(tx.find(Vpc, A)) == 2


def _waiting(store: Store) -> int:
    with store.engine.connect() as conn:
        return int(
            conn.exec_driver_sql(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
            ).scalar_one()
        )


def _writer(store: Store, scopes: Any, done: list[str], name: str) -> threading.Thread:
    def run() -> None:
        with store.transaction(write=True, scopes=scopes):
            done.append(name)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


@pytest.mark.parametrize("locking", ["scoped", "global"])
def test_who_waits_for_whom(pg_database: str, locking: str) -> None:
    """Scoped: a write waits only for writes of a scope it shares, and a whole-store write for
    all of them.  Global (the old behaviour, kept for the bench): every write waits."""
    store = Store(pg_database, locking=locking)
    holding, release = threading.Event(), threading.Event()

    def holder() -> None:
        with store.transaction(write=True, scopes={(A, REGION)}):
            holding.set()
            release.wait(30)

    first = threading.Thread(target=holder, daemon=True)
    first.start()
    try:
        assert holding.wait(30)
        done: list[str] = []
        other = _writer(store, {(B, REGION)}, done, "other scope")
        if locking == "scoped":
            other.join(30)
            assert done == ["other scope"]  # ran while (A, REGION) was held
        same = _writer(store, {(A, REGION), (B, REGION2)}, done, "same scope")
        whole = _writer(store, None, done, "whole store")
        deadline = time.monotonic() + 30
        expected_waiting = 2 if locking == "scoped" else 3
        while _waiting(store) < expected_waiting and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _waiting(store) == expected_waiting
        assert "same scope" not in done and "whole store" not in done
    finally:
        release.set()
    for thread in (first, other, same, whole):
        thread.join(30)
    assert sorted(done) == ["other scope", "same scope", "whole store"]
    with store.engine.connect() as conn:  # every lock was released with its transaction
        held = conn.exec_driver_sql(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
        ).scalar_one()
    assert held == 0
    store.close()


def _advisory(store: Store, granted: bool) -> set[int]:
    """Keys of the advisory locks held (or waited for) right now, as 64-bit signed ints."""
    with store.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT classid::bigint, objid::bigint FROM pg_locks "
            f"WHERE locktype = 'advisory' AND {'granted' if granted else 'NOT granted'}"
        ).all()
    # A bigint key is stored as its high (classid) and low (objid) 32 bits.
    keys = set()
    for high, low in rows:
        key = (high << 32) | low
        keys.add(key - (1 << 64) if key >= 1 << 63 else key)
    return keys


def test_locks_are_taken_in_ascending_key_order(store: Store) -> None:
    """A write blocked on its higher key already holds the global lock and its lower key: the
    order that rules out a cycle between two writes of the same scopes."""
    low_scope, high_scope = sorted([(A, REGION), (B, REGION)], key=scope_key)
    holding, release = threading.Event(), threading.Event()

    def holder() -> None:
        with store.transaction(write=True, scopes={high_scope}):
            holding.set()
            release.wait(30)

    first = threading.Thread(target=holder, daemon=True)
    first.start()
    try:
        assert holding.wait(30)
        done: list[str] = []
        both = _writer(store, {high_scope, low_scope}, done, "both")
        deadline = time.monotonic() + 30
        while _waiting(store) < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _advisory(store, granted=False) == {scope_key(high_scope)}
        assert scope_key(low_scope) in _advisory(store, granted=True)
        assert done == []
    finally:
        release.set()
    first.join(30)
    both.join(30)
    assert done == ["both"]


def test_the_global_lock_is_the_one_older_releases_take() -> None:
    # A server of the previous release takes exactly this lock exclusively for every write;
    # scoped writers take it shared, so the two exclude each other on one database.
    assert GLOBAL_LOCK == 7268311


def _services(url: str, account: str, quota: int = 1000) -> tuple[list[Store], list[Service]]:
    stores = [Store(url), Store(url)]  # two pools: two processes, as PostgreSQL sees them
    clock = FakeClock(1_800_000_000.0)
    return stores, [Service(s, clock, Delays(), account, vpc_quota=quota) for s in stores]


def _race(calls: list[Any], threads: int = 8) -> Counter[str]:
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()
    barrier = threading.Barrier(threads)
    pending = list(calls)

    def worker() -> None:
        barrier.wait()
        while True:
            with lock:
                if not pending:
                    return
                call = pending.pop()
            try:
                call()
                result = "ok"
            except ApiError as err:
                result = err.code
            with lock:
                outcomes[result] += 1

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(120)
    return outcomes


def test_the_vpc_quota_holds_against_racing_processes(pg_database: str) -> None:
    """The quota is a count, then an insert of a new row: without a lock on (account,
    region) two creates both count 2 of 3 and both insert (write skew)."""
    stores, (one, two) = _services(pg_database, A, quota=3)
    try:
        calls = [
            (lambda s=s, r=r: s.call("CreateVpc", r))
            for s in (one, two)
            for r in (REGION, REGION2)
            for _ in range(6)
        ]
        outcomes = _race(calls)
        assert outcomes == {"ok": 6, "QuotaExceeded.Vpc": 18}  # three per region
    finally:
        for store in stores:
            store.close()


def test_client_token_races_across_processes_create_once(pg_database: str) -> None:
    stores, (one, two) = _services(pg_database, A)
    try:
        ids: list[str] = []
        calls = [
            (lambda s=s: ids.append(s.call("CreateVpc", ClientToken="tok-1")["VpcId"]))
            for s in (one, two) * 6
        ]
        assert _race(calls) == {"ok": 12}
        assert len(set(ids)) == 1
    finally:
        for store in stores:
            store.close()


def _cross_pair(a: Service, b: Service) -> tuple[str, str]:
    """A connected pair: A's initiator in REGION, B's acceptor in REGION2."""
    _, router_a = a.vpc(region=REGION)
    _, router_b = b.vpc(region=REGION2)
    ini = a.call(
        "CreateRouterInterface", REGION, Role="InitiatingSide", RouterType="VRouter",
        RouterId=router_a, Spec="Large.2", OppositeRegionId=REGION2,
    )["RouterInterfaceId"]  # fmt: skip
    acc = b.call(
        "CreateRouterInterface", REGION2, Role="AcceptingSide", RouterType="VRouter",
        RouterId=router_b, Spec="Negative", OppositeRegionId=REGION, OppositeInterfaceId=ini,
        OppositeRouterId=router_a, OppositeRouterType="VRouter", OppositeInterfaceOwnerId=A,
    )["RouterInterfaceId"]  # fmt: skip
    a.call(
        "ModifyRouterInterfaceAttribute", REGION, RouterInterfaceId=ini, OppositeInterfaceId=acc,
        OppositeRouterId=router_b, OppositeRouterType="VRouter", OppositeInterfaceOwnerId=B,
    )  # fmt: skip
    a.call("ConnectRouterInterface", REGION, RouterInterfaceId=ini)
    return ini, acc


def test_a_pair_action_learns_the_peers_scope(pg_database: str) -> None:
    stores, (a, _) = _services(pg_database, A)
    b = a.as_account(B)
    try:
        ini, acc = _cross_pair(a, b)
        hint = ("ConnectRouterInterface", A, REGION, ini)
        assert context._SCOPE_HINTS[hint] == {(B, REGION2)}
        b.call("DeactivateRouterInterface", REGION2, RouterInterfaceId=acc)
        assert context._SCOPE_HINTS[("DeactivateRouterInterface", B, REGION2, acc)] == {(A, REGION)}
        shown = a.call("DescribeRouterInterfaceAttribute", REGION, InstanceId=ini)
        assert (shown["Status"], shown["OppositeInterfaceStatus"]) == ("Inactive", "Inactive")
    finally:
        for store in stores:
            store.close()


def test_pair_actions_from_both_sides_at_once_never_deadlock(pg_database: str) -> None:
    """Writes on crossing pairs lock (A, r1) and (B, r2) from either side: taken in one fixed
    order, they never wait in a cycle (a deadlock would surface as ServiceUnavailable after
    PostgreSQL broke it, or as a hang)."""
    stores, (a1, a2) = _services(pg_database, A)
    b1, b2 = a1.as_account(B), a2.as_account(B)
    try:
        pairs = [_cross_pair(a1, b1) for _ in range(3)]
        calls = []
        for n in range(60):
            ini, acc = pairs[n % 3]
            side, region, rid = (a1 if n % 2 else a2, REGION, ini)
            if n % 4 < 2:
                side, region, rid = (b1 if n % 2 else b2, REGION2, acc)
            action = "DeactivateRouterInterface" if n % 3 else "ActivateRouterInterface"
            calls.append(
                lambda s=side, g=region, r=rid, x=action: s.call(x, g, RouterInterfaceId=r)
            )
        outcomes = _race(calls)
        assert set(outcomes) <= {"ok", "IncorrectRIStatus"}, outcomes
        assert sum(outcomes.values()) == 60 and outcomes["ok"] >= 1
        for ini, acc in pairs:
            mine = a1.call("DescribeRouterInterfaceAttribute", REGION, InstanceId=ini)
            theirs = b2.call("DescribeRouterInterfaceAttribute", REGION2, InstanceId=acc)
            assert mine["Status"] == theirs["Status"] == mine["OppositeInterfaceStatus"]
    finally:
        for store in stores:
            store.close()


def test_a_write_that_keeps_finding_scopes_ends_up_holding_the_whole_store(store: Store) -> None:
    """execute learns one scope per round and, past MAX_LOCK_ROUNDS, takes the whole store
    rather than loop: a rule that reaches many scopes still runs, only less in parallel."""
    from riconnect.domain.accounts import OpenDirectory, Principal
    from riconnect.service.context import MAX_LOCK_ROUNDS, Ctx, Settings, execute

    owners = [f"60000000000000{n:02d}" for n in range(MAX_LOCK_ROUNDS + 3)]
    rounds: list[frozenset[Any] | None] = []

    def handler(ctx: Ctx, tx: Any, params: Any) -> dict[str, Any]:
        rounds.append(tx.held)
        for owner in owners:
            tx.get(Vpc, owner, "vpc-none", REGION)
        return {"looked": len(owners)}

    ctx = Ctx(
        principal=Principal(A, "test"),
        region_id=REGION,
        store=store,
        clock=FakeClock(1_800_000_000.0),
        settings=Settings(),
        directory=OpenDirectory(),
        action="ManyScopes",
    )
    assert execute(ctx, handler, {}, write=True) == {"looked": len(owners)}
    assert rounds[0] == {(A, REGION)}
    assert [len(r) for r in rounds[1:-1] if r is not None] == list(range(2, MAX_LOCK_ROUNDS + 2))
    assert rounds[-1] is None  # the whole store
