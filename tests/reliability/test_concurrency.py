"""Concurrency: many clients of three accounts hammer shared router-interface pairs.

Clients (threads, each with its own keep-alive connection) pick random calls on a pool of
pairs: Connect, Activate, Deactivate (from either side), ModifyRouterInterfaceAttribute (a
new unique name), ModifyRouterInterfaceSpec (valid and invalid specs, from either side),
Delete, describes, plus calls that must fail whatever the state: another account acting on
an interface (NotFound, like an id nobody has), a missing parameter, an unknown region, an
unknown id.  Pairs are same-account, cross-account (with both accounts' consent) and
cross-region; a pair whose two sides are deleted is replaced by a new one.

Every call is recorded with its real-time interval and answer.  Afterwards each pair's history,
closed by a final describe of both sides, must be linearizable against the independent model
in model.py; no answer may be a 5xx; every answer is a proper envelope.  Two runs: with
transitions settling at once, and with short real delays (intermediate states observable).
"""

from __future__ import annotations

import contextlib
import random
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from riconnect.testing import LiveCloud
from tests.reliability.helpers import (
    ACCOUNT_A,
    ACCOUNT_B,
    ACCOUNT_C,
    FULL,
    KEYS,
    Caller,
    Reply,
    decode_answer,
    note,
    record,
    section,
    size,
    unique,
)
from tests.reliability.model import (
    ACTIVATE,
    CONNECT,
    DEACTIVATE,
    DELETE,
    DESCRIBE,
    LIST,
    MODIFY_SPEC,
    RENAME,
    Call,
    Delays,
    PairState,
    Side,
    check,
)

CLIENTS = size(8, 32)
SECONDS = size(4.0, 60.0)
POOL = size(6, 16)
TIMED = Delays(connect=0.3, activate=0.2, deactivate=0.2, delete=0.2, spec=0.2)
TIMED_FLAGS = "ri_connect=0.3,ri_activate=0.2,ri_deactivate=0.2,ri_delete=0.2,ri_modify_spec=0.2"
# mode -> (--transitions, the model's delays, server processes on the one database, store)
MODES = {
    "immediate": ("immediate", Delays(), 1, "sqlite"),
    "timed": (TIMED_FLAGS, TIMED, 1, "sqlite"),
    "timed-two-processes": (TIMED_FLAGS, TIMED, 2, "sqlite"),
    # PostgreSQL with scoped write locks: the pairs span accounts and regions, so writes of
    # one pair lock two scopes, taken by either side first.
    "immediate-two-processes-postgres": ("immediate", Delays(), 2, "postgres"),
    "timed-two-processes-postgres": (TIMED_FLAGS, TIMED, 2, "postgres"),
}
# (initiator account, region), (acceptor account, region)
SHAPES = [
    ((ACCOUNT_A, "cn-hangzhou"), (ACCOUNT_A, "cn-hangzhou")),
    ((ACCOUNT_A, "cn-hangzhou"), (ACCOUNT_B, "cn-hangzhou")),
    ((ACCOUNT_B, "cn-hangzhou"), (ACCOUNT_C, "cn-hangzhou")),
    ((ACCOUNT_C, "cn-shanghai"), (ACCOUNT_A, "cn-hangzhou")),
    ((ACCOUNT_B, "cn-shanghai"), (ACCOUNT_B, "cn-hangzhou")),
]
WEIGHTS = {
    CONNECT: 12,
    DEACTIVATE: 14,
    ACTIVATE: 14,
    RENAME: 10,
    MODIFY_SPEC: 8,
    DELETE: 2,
    DESCRIBE: 14,
    LIST: 6,
    "foreign": 8,
    "garbage": 4,
}
SPECS = ("Large.1", "Large.2", "Middle.1", "Small.2", "Huge.9", "Negative")


class Failure(Exception):
    pass


@dataclass
class Pair:
    number: int
    ids: dict[str, str]  # "i"/"a" -> interface id
    owners: dict[str, str]  # "i"/"a" -> account
    regions: dict[str, str]
    initial: PairState
    calls: list[Call] = field(default_factory=list)
    deletes: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def cross_account(self) -> bool:
        return self.owners["i"] != self.owners["a"]


@dataclass
class Run:
    caller_endpoint: str
    endpoints: list[str] = field(default_factory=list)  # calls go to any of them
    pairs: list[Pair] = field(default_factory=list)
    pool: list[Pair] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)
    counts: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    sequence: int = 0

    def next_number(self) -> int:
        with self.lock:
            self.sequence += 1
            return self.sequence


def _expect_ok(reply: Reply, what: str) -> dict[str, Any]:
    if not reply.ok:
        raise Failure(f"{what}: {reply.status} {reply.body}")
    return reply.body


def build_pair(caller: Caller, run: Run, shape_index: int) -> Pair:
    """Two VPCs, an initiator and an acceptor that name each other (both accounts consent)."""
    number = run.next_number()
    (owner_i, region_i), (owner_a, region_a) = SHAPES[shape_index % len(SHAPES)]
    vpcs = {}
    for side, owner, region in (("i", owner_i, region_i), ("a", owner_a, region_a)):
        body = _expect_ok(
            caller.call(
                "CreateVpc",
                KEYS[owner],
                region,
                {"VpcName": f"cc-{number}-{side}", "ClientToken": unique("tok")},
            ),
            "CreateVpc",
        )
        vpcs[side] = body
    names = {"i": f"i{number}-0", "a": f"a{number}-0"}
    i_id = _expect_ok(
        caller.call(
            "CreateRouterInterface",
            KEYS[owner_i],
            region_i,
            {
                "Role": "InitiatingSide",
                "RouterType": "VRouter",
                "RouterId": vpcs["i"]["VRouterId"],
                "Spec": "Large.2",
                "OppositeRegionId": region_a,
                "Name": names["i"],
                "ClientToken": unique("tok"),
            },
        ),
        "CreateRouterInterface(i)",
    )["RouterInterfaceId"]
    a_id = _expect_ok(
        caller.call(
            "CreateRouterInterface",
            KEYS[owner_a],
            region_a,
            {
                "Role": "AcceptingSide",
                "RouterType": "VRouter",
                "RouterId": vpcs["a"]["VRouterId"],
                "Spec": "Negative",
                "OppositeRegionId": region_i,
                "OppositeInterfaceId": i_id,
                "OppositeRouterId": vpcs["i"]["VRouterId"],
                "OppositeRouterType": "VRouter",
                "OppositeInterfaceOwnerId": owner_i,
                "Name": names["a"],
                "ClientToken": unique("tok"),
            },
        ),
        "CreateRouterInterface(a)",
    )["RouterInterfaceId"]
    _expect_ok(
        caller.call(
            "ModifyRouterInterfaceAttribute",
            KEYS[owner_i],
            region_i,
            {
                "RouterInterfaceId": i_id,
                "OppositeInterfaceId": a_id,
                "OppositeRouterId": vpcs["a"]["VRouterId"],
                "OppositeRouterType": "VRouter",
                "OppositeInterfaceOwnerId": owner_a,
            },
        ),
        "ModifyRouterInterfaceAttribute(opposite)",
    )
    return Pair(
        number,
        {"i": i_id, "a": a_id},
        {"i": owner_i, "a": owner_a},
        {"i": region_i, "a": region_a},
        PairState(Side("Idle", names["i"]), Side("Idle", names["a"]), "Large.2"),
    )


def _shown(body: dict[str, Any]) -> dict[str, Any]:
    return {
        k: body.get(k) for k in ("Status", "Name", "Spec", "OppositeInterfaceStatus", "TotalCount")
    }


def one_call(caller: Caller, run: Run, rng: random.Random, pair: Pair, kind: str) -> None:
    side = rng.choice("ia")
    rid = pair.ids[side]
    owner, region = pair.owners[side], pair.regions[side]
    signature = rng.choice(("v1", "v3"))
    arg = ""
    if kind == "foreign":
        # Another account acts on this interface: it must look like an id nobody has.
        stranger = rng.choice([a for a in (ACCOUNT_A, ACCOUNT_B, ACCOUNT_C) if a != owner])
        action, expected = rng.choice(
            [
                ("DescribeRouterInterfaceAttribute", "InvalidInstanceId.NotFound"),
                ("DeleteRouterInterface", "InvalidInstanceId.NotFound"),
                ("DeactivateRouterInterface", "InvalidRouterInterfaceId.NotFound"),
                ("ActivateRouterInterface", "InvalidRouterInterfaceId.NotFound"),
                ("ConnectRouterInterface", "InvalidRouterInterfaceId.NotFound"),
                ("ModifyRouterInterfaceAttribute", "InvalidRouterInterfaceId.NotFound"),
            ]
        )
        key = "InstanceId" if action == "DescribeRouterInterfaceAttribute" else "RouterInterfaceId"
        params = {key: rid, "Name": "stolen"} if action.startswith("Modify") else {key: rid}
        reply = _send(caller, run, action, stranger, region, params, signature)
        if reply.status != 404 or reply.code != expected:
            run.problems.append(f"{stranger} {action} {rid}: {reply.status} {reply.body}")
        listed = _send(
            caller,
            run,
            "DescribeRouterInterfaces",
            stranger,
            region,
            {"Filter.1.Key": "RouterInterfaceId", "Filter.1.Value.1": rid},
            signature,
        )
        with run.lock:
            run.counts["isolation_probes"] += 2
        if not listed.ok or listed.body.get("TotalCount") != 0:
            run.problems.append(f"{stranger} listed {rid}: {listed.status} {listed.body}")
        return
    if kind == "garbage":
        params: dict[str, Any]
        action, params, region_used, expected = rng.choice(
            [
                ("DeactivateRouterInterface", {}, region, "MissingParameter"),
                (
                    "ConnectRouterInterface",
                    {"RouterInterfaceId": rid},
                    "xx-nowhere-1",
                    "InvalidRegionId.NotFound",
                ),
                (
                    "ActivateRouterInterface",
                    {"RouterInterfaceId": "ri-nosuchinterface000000"},
                    region,
                    "InvalidRouterInterfaceId.NotFound",
                ),
                (
                    "ModifyRouterInterfaceSpec",
                    {"RouterInterfaceId": rid},
                    region,
                    "MissingParameter",
                ),
            ]
        )
        reply = _send(caller, run, action, owner, region_used, params, signature)
        if reply.code != expected:
            run.problems.append(f"{action} {params} in {region_used}: {reply.status} {reply.body}")
        return
    if kind == CONNECT:
        action, params = "ConnectRouterInterface", {"RouterInterfaceId": rid}
    elif kind == ACTIVATE:
        action, params = "ActivateRouterInterface", {"RouterInterfaceId": rid}
    elif kind == DEACTIVATE:
        action, params = "DeactivateRouterInterface", {"RouterInterfaceId": rid}
    elif kind == RENAME:
        arg = f"{side}{pair.number}-{unique('n')[2:]}"
        action, params = "ModifyRouterInterfaceAttribute", {"RouterInterfaceId": rid, "Name": arg}
    elif kind == MODIFY_SPEC:
        arg = rng.choice(SPECS)
        action, params = "ModifyRouterInterfaceSpec", {"RouterInterfaceId": rid, "Spec": arg}
    elif kind == DELETE:
        action, params = "DeleteRouterInterface", {"RouterInterfaceId": rid}
    elif kind == DESCRIBE:
        action, params = "DescribeRouterInterfaceAttribute", {"InstanceId": rid}
    else:
        action = "DescribeRouterInterfaces"
        params = {"Filter.1.Key": "RouterInterfaceId", "Filter.1.Value.1": rid}
    reply = _send(caller, run, action, owner, region, params, signature)
    shown: dict[str, Any] = {}
    if reply.ok and kind == DESCRIBE:
        shown = _shown(reply.body)
    elif reply.ok and kind == LIST:
        items = reply.body["RouterInterfaceSet"]["RouterInterfaceType"]
        shown = _shown(items[0]) if items else {}
        shown["TotalCount"] = reply.body.get("TotalCount")
        if len(items) != shown["TotalCount"]:
            run.problems.append(f"list of {rid}: {reply.body}")
    with pair.lock:
        pair.calls.append(
            Call(kind, side, reply.start, reply.end, reply.status, reply.code, arg, shown)
        )
        if kind == DELETE and reply.ok:
            pair.deletes.add(side)


def _send(
    caller: Caller,
    run: Run,
    action: str,
    account: str,
    region: str,
    params: dict[str, Any],
    signature: str,
) -> Reply:
    endpoint = random.choice(run.endpoints) if run.endpoints else None
    reply = caller.call(
        action, KEYS[account], region, params, signature=signature, endpoint=endpoint
    )
    outcome = "successes" if reply.ok else "answers_5xx" if reply.status >= 500 else "errors_4xx"
    with run.lock:
        run.counts["requests"] += 1
        run.counts[outcome] += 1
    if reply.status >= 500:
        run.problems.append(f"5xx: {action} {params}: {reply.status} {reply.body}")
    try:
        decode_answer(reply.status, reply.headers, reply.content, xml=False)
    except (AssertionError, ValueError) as exc:
        run.problems.append(f"bad answer to {action}: {exc!r}")
    return reply


def worker(run: Run, seed: int) -> None:
    rng = random.Random(seed)
    caller = Caller(run.caller_endpoint)
    kinds = list(WEIGHTS)
    weights = [WEIGHTS[k] for k in kinds]
    try:
        while not run.stop.is_set():
            with run.lock:
                pool = list(run.pool)
            if not pool:
                time.sleep(0.01)
                continue
            pair = rng.choice(pool)
            one_call(caller, run, rng, pair, rng.choices(kinds, weights)[0])
            with pair.lock:
                dead = pair.deletes == {"i", "a"}
            if dead:
                with run.lock:
                    if pair not in run.pool:
                        continue
                    run.pool.remove(pair)
                fresh = build_pair(caller, run, pair.number)
                with run.lock:
                    run.pairs.append(fresh)
                    run.pool.append(fresh)
                with run.lock:
                    run.counts["pairs_replaced"] += 1
    except Exception as exc:  # a transport error or a failed set-up: the run is broken
        run.problems.append(f"client {seed}: {exc!r}")
        run.stop.set()
    finally:
        caller.close()


def final_reads(caller: Caller, run: Run) -> None:
    for pair in run.pairs:
        for side in "ia":
            reply = _send(
                caller,
                run,
                "DescribeRouterInterfaceAttribute",
                pair.owners[side],
                pair.regions[side],
                {"InstanceId": pair.ids[side]},
                "v1",
            )
            pair.calls.append(
                Call(
                    DESCRIBE,
                    side,
                    reply.start,
                    reply.end,
                    reply.status,
                    reply.code,
                    "",
                    _shown(reply.body) if reply.ok else {},
                )
            )


@pytest.mark.reliability
@pytest.mark.parametrize(
    "mode", [m for m in MODES if FULL or m != "immediate-two-processes-postgres"]
)
def test_concurrent_clients_are_linearizable(
    tmp_path: Path, rel_accounts: Path, mode: str, request: pytest.FixtureRequest
) -> None:
    transitions, delays, processes, backend = MODES[mode]
    db = request.getfixturevalue("pg_database") if backend == "postgres" else tmp_path / "c.db"
    clouds = [
        LiveCloud(
            db,
            accounts=rel_accounts,
            transitions=transitions,
            vpc_quota=100_000,
            workdir=tmp_path,
            log_level="warning",
            extra_args=["--threads", "32"],
        )
        for _ in range(processes)
    ]
    with contextlib.ExitStack() as stack:
        for live in clouds:
            stack.enter_context(live)
        cloud = clouds[0]
        run = Run(cloud.endpoint, [c.endpoint for c in clouds])
        setup = Caller(cloud.endpoint)
        for index in range(POOL):
            pair = build_pair(setup, run, index)
            run.pairs.append(pair)
            run.pool.append(pair)
        threads = [
            threading.Thread(target=worker, args=(run, 1000 * index + 7), daemon=True)
            for index in range(CLIENTS)
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        run.stop.wait(SECONDS)
        # A loaded machine serves fewer calls in SECONDS: run on until every pair has a
        # history worth checking, within a bound, rather than judge a short one.
        enough = started + SECONDS * 15
        while time.monotonic() < enough and not all(len(p.calls) > 10 for p in run.pairs[:POOL]):
            time.sleep(0.2)
        run.stop.set()
        for thread in threads:
            thread.join(timeout=60)
            assert not thread.is_alive(), "a client hung"
        elapsed = time.monotonic() - started
        time.sleep(max(vars(delays).values()) + 0.3)  # every transition has come due
        final_reads(setup, run)
        setup.close()
        for live in clouds:
            assert live.is_running(), live.log_tail()

    assert not run.problems, "\n".join(run.problems[:20])
    assert run.counts["answers_5xx"] == 0
    history_ops = 0
    for pair in run.pairs:
        for index, item in enumerate(pair.calls):
            item.index = index
        verdict = check(pair.calls, pair.initial, delays, cross_account=pair.cross_account)
        assert verdict.ok, (
            f"pair {pair.number} {pair.ids} ({pair.owners}, {pair.regions}):\n{verdict.message}"
        )
        history_ops += verdict.calls
    # The load was real: calls on every pair, and both successes and refusals.
    assert run.counts["successes"] > 0 and run.counts["errors_4xx"] > 0
    assert all(len(p.calls) > 10 for p in run.pairs[:POOL]), [len(p.calls) for p in run.pairs]
    note(section("concurrency", backend), clients=CLIENTS, seconds=round(elapsed, 1))
    record(
        section("concurrency", backend),
        runs=1,
        requests=run.counts["requests"],
        successes=run.counts["successes"],
        errors_4xx=run.counts["errors_4xx"],
        answers_5xx=run.counts["answers_5xx"],
        pairs=len(run.pairs),
        history_ops=history_ops,
        linearizable=len(run.pairs),
        isolation_probes=run.counts["isolation_probes"],
        lost_updates=0,
    )


# -- regressions found by the runs above ------------------------------------------------------


class RaceClock:
    """A fake clock that, once armed, runs ``hook`` inside the next reading of a
    transaction's instant (by service/context.py's ``execute`` or ``execute_inline``, on
    whichever thread runs it), and moves from ``before`` to ``after`` while doing so: the reader gets ``before``,
    everything the hook (and anyone later) does sees ``after``.  The hook runs on a thread
    of its own, so that it never depends on which thread the reader is."""

    def __init__(self, start: float) -> None:
        self.t = start
        self.hook: Any = None
        self.before = self.after = start
        self.lock = threading.Lock()

    def now(self) -> float:
        with self.lock:
            hook = None
            reader = sys._getframe(1).f_code.co_name
            if self.hook is not None and reader in ("execute", "execute_inline"):
                hook, self.hook = self.hook, None
                self.t = self.after
            t = self.t
        if hook is not None:
            runner = threading.Thread(target=hook)
            runner.start()
            runner.join(60)
            return self.before
        return t


def test_a_describe_never_shows_the_two_sides_of_a_pair_in_different_states(
    tmp_path: Path,
) -> None:
    """Found by test_concurrent_clients_are_linearizable[timed]: DescribeRouterInterfaces
    showed an initiator ``Deactivating`` whose ``OppositeInterfaceStatus`` was ``Inactive``,
    although both sides share one deadline.  The describe read the time before its SQLite
    snapshot began; a rename of the acceptor that settled it committed in between, so the
    describe judged its own side by an instant before the deadline and saw the other side
    as settled after it.  Now a transaction takes its instant once, after its snapshot."""
    from riconnect.domain.transitions import Delays as ServerDelays
    from riconnect.testing import inprocess_app, invoke
    from tests.reliability.helpers import connected_pair, registry

    clock = RaceClock(1_800_000_000.0)
    app, cloud = inprocess_app(
        db=str(tmp_path / "race.db"),
        registry=registry(),
        clock=clock,
        delays=ServerDelays(ri_deactivate=10.0),
        vpc_quota=100,
        workers=16,
    )
    key = KEYS[ACCOUNT_A]
    try:

        def call(action: str, **params: Any) -> dict[str, Any]:
            params.setdefault("RegionId", "cn-hangzhou")
            return invoke(app, action, params, access_key_id=key.id, secret=key.secret)

        vpcs = [call("CreateVpc", VpcName=f"race-{n}") for n in range(2)]
        i_id, a_id = connected_pair(
            call, vpcs[0]["VRouterId"], vpcs[1]["VRouterId"], ACCOUNT_A, "cn-hangzhou"
        )
        call("DeactivateRouterInterface", RouterInterfaceId=i_id)  # deadline: now + 10 s
        deadline = clock.t + 10.0

        def rename_acceptor() -> None:  # settles the acceptor (only) after the deadline
            call("ModifyRouterInterfaceAttribute", RouterInterfaceId=a_id, Name="settled")

        for action, params in (
            ("DescribeRouterInterfaces", {"Filter.1.Key": "RouterId"}),
            ("DescribeRouterInterfaceAttribute", {"InstanceId": i_id}),
        ):
            clock.before, clock.after = deadline - 0.5, deadline + 0.5
            clock.t = clock.before
            clock.hook = rename_acceptor
            if action == "DescribeRouterInterfaces":
                params = {**params, "Filter.1.Value.1": vpcs[0]["VRouterId"]}
            body = call(action, **params)
            assert clock.hook is None, "the hook did not run"
            items = (
                body["RouterInterfaceSet"]["RouterInterfaceType"]
                if "Filter.1.Key" in params
                else [body]
            )
            (shown,) = items
            # Both sides settle at one deadline: one describe sees both before it, or both after.
            assert (shown["Status"], shown["OppositeInterfaceStatus"]) in (
                ("Deactivating", "Deactivating"),
                ("Inactive", "Inactive"),
            ), (action, shown["Status"], shown["OppositeInterfaceStatus"])
            call("ActivateRouterInterface", RouterInterfaceId=i_id)  # reset for the next round
            clock.t = deadline + 20
            call("DeactivateRouterInterface", RouterInterfaceId=i_id)
            deadline = clock.t + 10.0
    finally:
        cloud.executor.shutdown(wait=True)
        cloud.store.close()
