"""Concurrency over HTTP: 16 threads race Connect / Deactivate / Activate / Delete and
describes on one pair against a live server on a SQLite file (immediate transitions, so
every success moves the pair all the way).

Every request and answer is recorded with its start and end time.  After each round the
history must be linearizable against a model of the pair (each success legal given the
statuses at its linearization point, each error the one the model predicts there, each
describe showing a state the pair was in), no answer may be a 5xx, and the quiescent
state read afterwards must be one the linearization ends in.  Finally the stored rows of
both sides must agree.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import pytest

from riconnect.domain.accounts import DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET, DEMO_ACCOUNT_ID
from riconnect.domain.entities import RouterInterface
from riconnect.store.db import Store
from riconnect.testing import LiveCloud
from tests.support.router_interface import Api

THREADS = 16
BUDGET_SECONDS = 14.0
MIN_ROUNDS = 15

# A pair's state: (initiator status, acceptor status); "gone" for a deleted side.
State = tuple[str, str]
SIDES = ("init", "acc")


@dataclass(frozen=True)
class Call:
    thread: int
    op: str  # connect | deactivate | activate | delete | describe
    side: int  # 0 initiator, 1 acceptor
    start: float
    end: float
    status: int
    code: str  # "" on success
    seen: tuple[str, str] = ("", "")  # describe: (Status, OppositeInterfaceStatus)

    def __str__(self) -> str:
        what = self.code or ("ok " + "/".join(self.seen) if self.op == "describe" else "ok")
        return (
            f"t{self.thread:02d} {self.start:9.4f}-{self.end:9.4f} "
            f"{self.op:<10} {SIDES[self.side]:<4} -> {self.status} {what}"
        )


def predict(state: State, op: str, side: int) -> tuple[str, State, tuple[str, str]]:
    """(error code or "", next state, what a describe shows) for one request."""
    me, peer = state[side], state[1 - side]

    def both(status: str) -> State:
        return (status, status)

    if me == "gone":
        if op in ("delete", "describe"):
            return "InvalidInstanceId.NotFound", state, ("", "")
        return "InvalidRouterInterfaceId.NotFound", state, ("", "")
    if op == "describe":
        opposite = "" if me == "Idle" else ("Deleted" if peer == "gone" else peer)
        return "", state, (me, opposite)
    if op == "delete":
        if me not in ("Idle", "Inactive"):
            return "IncorrectStatus", state, ("", "")
        new = list(state)
        new[side] = "gone"
        return "", (new[0], new[1]), ("", "")
    if op == "connect":
        if side == 1:
            return "IncorrectRole.NotInitiatingSide", state, ("", "")
        if me != "Idle":
            return "IncorrectRIStatus", state, ("", "")
        if peer == "gone":
            return "IncorrectOppositeInterfaceInfo.Mismatch", state, ("", "")
        return "", both("Active"), ("", "")
    need, target = {"deactivate": ("Active", "Inactive"), "activate": ("Inactive", "Active")}[op]
    if me != need:
        return "IncorrectRIStatus", state, ("", "")
    if peer == "gone":
        return "IncorrectOppositeInterfaceInfo.Mismatch", state, ("", "")
    if peer != need:
        return "IncorrectRIStatus", state, ("", "")
    return "", both(target), ("", "")


def linearize(start: State, calls: list[Call]) -> set[State]:
    """Every final state of a linearization of ``calls`` from ``start`` (empty: none).

    Wing & Gong's search: a call may come next when no other pending call ended before it
    started.  Calls that leave the state as it is and whose answer matches it are taken
    greedily (that never hurts); only state-changing successes are branched on.
    """
    finals: set[State] = set()
    seen: set[tuple[frozenset[int], State]] = set()

    def search(pending: frozenset[int], state: State) -> None:
        if (pending, state) in seen:
            return
        seen.add((pending, state))
        pending = set(pending)  # type: ignore[assignment]
        changed = True
        while changed:  # greedy part
            changed = False
            horizon = min((calls[i].end for i in pending), default=0.0)
            for i in sorted(pending):
                c = calls[i]
                if c.start > horizon:
                    continue
                code, new, shown = predict(state, c.op, c.side)
                if new == state and code == c.code and (c.op != "describe" or shown == c.seen):
                    pending.discard(i)
                    changed = True
                    break
        if not pending:
            finals.add(state)
            return
        horizon = min(calls[i].end for i in pending)
        for i in sorted(pending):
            c = calls[i]
            if c.start > horizon or c.code:
                continue
            code, new, _ = predict(state, c.op, c.side)
            if code == "" and new != state:
                search(frozenset(pending - {i}), new)

    search(frozenset(range(len(calls))), start)
    return finals


# -- the race ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def race_cloud(ri_start_cloud: Callable[..., LiveCloud]) -> LiveCloud:
    return ri_start_cloud(transitions="immediate")


class Race:
    def __init__(self, cloud: LiveCloud) -> None:
        self.cloud = cloud
        self.api = Api(cloud, DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET)
        self.routers = (self.api.vpc()[1], self.api.vpc("192.168.0.0/16")[1])
        self.epoch = time.monotonic()
        self.pair: tuple[str, str] = ("", "")
        self.pairs: list[tuple[str, str]] = []

    def new_pair(self) -> None:
        r1, r2 = self.routers
        init = self.api.ri(r1, "InitiatingSide")
        acc = self.api.ri(r2, "AcceptingSide")
        self.api.point(acc, init, r1, DEMO_ACCOUNT_ID)
        self.api.point(init, acc, r2, DEMO_ACCOUNT_ID)
        self.pair = (init, acc)
        self.pairs.append(self.pair)

    def call(self, thread: int, op: str, side: int) -> Call:
        ri_id = self.pair[side]
        action, params = {
            "connect": ("ConnectRouterInterface", {"RouterInterfaceId": ri_id}),
            "deactivate": ("DeactivateRouterInterface", {"RouterInterfaceId": ri_id}),
            "activate": ("ActivateRouterInterface", {"RouterInterfaceId": ri_id}),
            "delete": ("DeleteRouterInterface", {"RouterInterfaceId": ri_id}),
            "describe": ("DescribeRouterInterfaceAttribute", {"InstanceId": ri_id}),
        }[op]
        start = time.monotonic() - self.epoch
        status, body, _ = self.api.raw(action, params)
        end = time.monotonic() - self.epoch
        seen = (body.get("Status", ""), body.get("OppositeInterfaceStatus", ""))
        # (a successful DescribeRouterInterfaceAttribute carries "Code": "200" too)
        code = "" if status == 200 else body.get("Code", "?")
        return Call(thread, op, side, start, end, status, code, seen)

    def observe(self) -> State:
        out = []
        for side in (0, 1):
            c = self.call(-1, "describe", side)
            out.append("gone" if c.code == "InvalidInstanceId.NotFound" else c.seen[0])
        return (out[0], out[1])


def choose(rng: random.Random, state: State) -> tuple[str, int]:
    """Mostly the move the pair's state allows (so that threads race for it)."""
    legal = {"Idle": "connect", "Active": "deactivate", "Inactive": "activate"}
    roll = rng.random()
    if roll < 0.04:
        return "delete", rng.randrange(2)
    if roll < 0.45:
        side = rng.randrange(2)
        mine = state[side] if state[side] != "gone" else state[1 - side]
        op = legal.get(mine, "describe")
        return op, 0 if op == "connect" else side
    if roll < 0.6:
        return rng.choice(["connect", "deactivate", "activate"]), rng.randrange(2)
    return "describe", rng.randrange(2)


def test_sixteen_threads_race_on_one_pair(race_cloud: LiveCloud) -> None:
    race = Race(race_cloud)
    race.new_pair()
    rng = random.Random(20261126)
    state: State = ("Idle", "Idle")
    history: list[Call] = []
    successes: dict[str, int] = {}
    rounds = 0
    barrier = threading.Barrier(THREADS)
    began = time.monotonic()
    with ThreadPoolExecutor(THREADS) as pool:
        while rounds < MIN_ROUNDS or time.monotonic() - began < BUDGET_SECONDS:
            rounds += 1
            plan = [choose(rng, state) for _ in range(THREADS)]

            def run(thread: int, plan: list[tuple[str, int]] = plan) -> Call:
                barrier.wait(timeout=30)
                return race.call(thread, *plan[thread])

            calls = list(pool.map(run, range(THREADS)))
            history += calls
            after = race.observe()
            problems = [c for c in calls if c.status >= 500]
            finals = linearize(state, calls)
            if problems or after not in finals:
                log = "\n".join(str(c) for c in sorted(calls, key=lambda c: c.start))
                pytest.fail(
                    f"round {rounds} from {state}: observed {after}, linearizations end in "
                    f"{sorted(finals)}; 5xx: {problems}\n{log}"
                )
            for c in calls:
                if not c.code and c.op != "describe":
                    successes[c.op] = successes.get(c.op, 0) + 1
            state = after
            if "gone" in state:  # the pair is over: clear it away and start another
                for side, status in enumerate(state):
                    if status != "gone":
                        race.api.ok("DeleteRouterInterface", {"RouterInterfaceId": race.pair[side]})
                race.new_pair()
                state = ("Idle", "Idle")

    # The race must have exercised every transition, and many requests.
    assert len(history) >= MIN_ROUNDS * THREADS
    assert {"connect", "deactivate", "activate", "delete"} <= set(successes), successes
    assert successes["deactivate"] >= 5 and successes["activate"] >= 5, successes
    print(
        f"{rounds} rounds, {len(history)} requests, successes {successes}, pairs {len(race.pairs)}"
    )
    check_stored_pairs(race_cloud, race.pairs)


def check_stored_pairs(cloud: LiveCloud, pairs: list[tuple[str, str]]) -> None:
    """The rows on disk: both sides of every surviving connected pair agree."""
    api = Api(cloud, DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET)
    for init, acc in pairs:  # settle whatever is due, as any reader would
        for ri_id in (init, acc):
            api.raw("DescribeRouterInterfaceAttribute", {"InstanceId": ri_id})
    store = Store(cloud.db)
    try:
        with store.transaction(write=False) as tx:
            rows = {
                r.id: r
                for r in tx.find(RouterInterface, DEMO_ACCOUNT_ID)
                if any(r.id in p for p in pairs)
            }
    finally:
        store.close()
    assert rows, "the last pair at least is still stored"
    for init, acc in pairs:
        a, b = rows.get(init), rows.get(acc)
        for row in (a, b):
            if row is not None:
                assert row.target_status is None and row.settle_at is None, row
        if a is not None and b is not None and (a.peer_id or b.peer_id):
            assert (a.peer_id, b.peer_id) == (acc, init)
            assert a.status == b.status in ("Active", "Inactive"), (a, b)
            assert a.connected_at == b.connected_at is not None
        elif a is not None and b is not None:
            assert a.status == b.status == "Idle"


# -- the checker itself ----------------------------------------------------------------------


def _c(op: str, side: int, start: float, end: float, code: str = "", seen: Any = ("", "")) -> Call:
    return Call(0, op, side, start, end, 400 if code else 200, code, seen)


def test_the_checker_accepts_a_legal_race() -> None:
    calls = [
        _c("connect", 0, 0.0, 1.0),
        _c("connect", 0, 0.0, 1.0, "IncorrectRIStatus"),
        _c("describe", 1, 0.1, 0.2, seen=("Idle", "")),
        _c("describe", 1, 0.5, 2.0, seen=("Active", "Active")),
        _c("deactivate", 1, 1.5, 2.5),
    ]
    assert linearize(("Idle", "Idle"), calls) == {("Inactive", "Inactive")}


@pytest.mark.parametrize(
    "calls",
    [
        # two connects both succeeding
        [_c("connect", 0, 0.0, 1.0), _c("connect", 0, 0.0, 1.0)],
        # a describe showing Active although the connect came strictly later
        [_c("describe", 0, 0.0, 0.1, seen=("Active", "Active")), _c("connect", 0, 0.2, 0.3)],
        # the sides disagree
        [_c("connect", 0, 0.0, 1.0), _c("describe", 1, 1.1, 1.2, seen=("Inactive", "Active"))],
        # deleting an Active interface succeeded
        [_c("connect", 0, 0.0, 1.0), _c("delete", 1, 1.1, 1.2)],
        # an error the state does not explain
        [_c("connect", 0, 0.0, 1.0, "IncorrectRIStatus")],
    ],
    ids=["double-connect", "read-before-write", "split-pair", "delete-active", "wrong-error"],
)
def test_the_checker_rejects_illegal_races(calls: list[Call]) -> None:
    assert linearize(("Idle", "Idle"), calls) == set()
