"""Crash safety: SIGKILL at random moments under a mixed write load loses nothing.

Client threads (each with its own connection, both signature versions) build, exercise and
tear down router-interface links of their own across three accounts and two regions:
CreateVpc, CreateRouterInterface (with ClientTokens; a create on a VPC that is still Pending
fails and is retried with the same token), ModifyRouterInterfaceAttribute (opposite info and
names), Connect, Deactivate, Activate, ModifyRouterInterfaceSpec, DeleteRouterInterface,
DeleteVpc, some calls that must fail, and replays of earlier creates with their tokens.
Transitions take real (short) time, so kills land in intermediate states.

Each thread keeps a ledger of what the server acknowledged.  Each cycle the server is
killed with SIGKILL at a random moment; every thread then has at most one request whose
outcome it does not know.  After the restart, once every deadline has passed, the whole
cloud is listed and compared with the ledgers:

* every acknowledged mutation is there and every acknowledged error left no trace;
* each request in flight at the kill is wholly applied or not at all, never half (both
  sides of every pair agree on status and on each other);
* nothing exists that no client created; names are unique (no duplicate from a retry);
* no VPC or interface is in an intermediate state past its deadline;
* creates in flight are retried with their ClientToken: the answer names the object created
  before the crash, or creates exactly one;
* SQLite's integrity_check passes.

Variants: one server process; two ``riconnect serve`` processes on one database file (one
or both killed); ``riconnect serve --workers 2`` with the whole process tree killed.  On
PostgreSQL: two servers on one database, one or both killed; and PostgreSQL itself stopped
under load (a fast shutdown, or an immediate one, i.e. its own crash) and started again
while the servers keep running: meanwhile every request is answered ServiceUnavailable (a
retryable error; the servers never drop a connection), each request so answered is wholly
applied or not at all like one in flight at a kill, and once PostgreSQL is back the servers
answer again with everything acknowledged in place.  amcheck replaces integrity_check.
"""

from __future__ import annotations

import copy
import random
import signal
import socket
import sqlite3
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest

from riconnect.testing import LiveCloud
from tests.reliability.helpers import (
    ACCOUNT_A,
    ACCOUNT_B,
    ACCOUNT_C,
    ACCOUNTS,
    KEYS,
    REGIONS,
    Caller,
    Reply,
    build_request,
    kill_tree,
    note,
    postgres_integrity,
    record,
    section,
    size,
    unique,
)
from tests.support.postgres import PostgresServer, new_database

DELAYS = {
    "vpc_create": 0.15,
    "vpc_delete": 0.15,
    "ri_connect": 0.4,
    "ri_activate": 0.25,
    "ri_deactivate": 0.25,
    "ri_delete": 0.25,
    "ri_modify_spec": 0.25,
}
TRANSITIONS = ",".join(f"{k}={v}" for k, v in DELAYS.items())
SETTLE = max(DELAYS.values()) + 0.4  # after this, every deadline of a killed server has passed
THREADS = size(4, 6)
LINKS_PER_THREAD = 3
KILL_AFTER = size((0.3, 1.5), (0.2, 3.0))  # seconds of load before each SIGKILL
TRANSIENT_RI = {
    "Connecting",
    "AcceptingConnecting",
    "Activating",
    "Deactivating",
    "Deleting",
    "Modifying",
}
SHAPES = [
    ((ACCOUNT_A, "cn-hangzhou"), (ACCOUNT_B, "cn-hangzhou")),
    ((ACCOUNT_B, "cn-shanghai"), (ACCOUNT_B, "cn-shanghai")),
    ((ACCOUNT_C, "cn-hangzhou"), (ACCOUNT_A, "cn-shanghai")),
    ((ACCOUNT_A, "cn-shanghai"), (ACCOUNT_A, "cn-hangzhou")),
]


class Problem(Exception):
    pass


# -- the clients' ledger ------------------------------------------------------------------------


@dataclass
class VpcRec:
    id: str
    account: str
    region: str
    name: str
    vrouter: str


@dataclass
class RiRec:
    id: str
    account: str
    region: str
    role: str
    router: str
    name: str
    spec: str
    status: str = "Idle"  # Idle / Active / Inactive (what it settles to)
    opposite: tuple[str, str, str, str, str] = ("", "", "", "", "")
    peer: str = ""


@dataclass
class World:
    vpcs: dict[str, VpcRec] = field(default_factory=dict)
    ris: dict[str, RiRec] = field(default_factory=dict)
    # Objects whose create may or may not have happened: name -> record without id.
    maybe: dict[str, VpcRec | RiRec] = field(default_factory=dict)


def ri_view(world: World, rec: RiRec) -> tuple[Any, ...]:
    if not rec.peer:
        opposite_status = ""
    elif rec.peer in world.ris:
        opposite_status = world.ris[rec.peer].status
    else:
        opposite_status = "Deleted"
    return (
        "ri",
        rec.account,
        rec.region,
        rec.name,
        rec.status,
        rec.spec,
        *rec.opposite,
        opposite_status,
    )


def vpc_view(rec: VpcRec) -> tuple[Any, ...]:
    return ("vpc", rec.account, rec.region, rec.name, "Available")


def expected(world: World) -> dict[Any, tuple[Any, ...]]:
    """What the server must show for one thread's objects: id (or ("name", n)) -> view."""
    out: dict[Any, tuple[Any, ...]] = {}
    for rec in world.vpcs.values():
        out[rec.id] = vpc_view(rec)
    for ri in world.ris.values():
        out[ri.id] = ri_view(world, ri)
    for name, rec in world.maybe.items():
        out[("name", name)] = vpc_view(rec) if isinstance(rec, VpcRec) else ri_view(world, rec)
    return out


@dataclass
class Link:
    number: int
    x: tuple[str, str]  # initiator's (account, region)
    y: tuple[str, str]  # acceptor's
    vpc_x: str = ""
    vpc_y: str = ""
    ri_i: str = ""
    ri_a: str = ""
    tokens: dict[str, str] = field(default_factory=dict)
    ready_at: float = 0.0
    teardown: bool = False


@dataclass
class Op:
    """One request a thread is about to send, with what it means for the ledger."""

    action: str
    account: str
    region: str
    params: dict[str, Any]
    apply: Callable[[World, dict[str, Any] | None], None]  # body None: id not known
    ok_errors: frozenset[str] = frozenset()  # refusals that are expected (retried later)
    must_fail: str = ""  # the error this call must get
    wait: float = 0.0  # the transition it starts lasts this long
    create_name: str = ""  # creates: the new object's name
    replay_of: str = ""  # a ClientToken replay: the id the first answer gave
    link: Link | None = None
    reached: bool = False  # an earlier attempt may have reached the server (it timed out)


@dataclass
class Uncertain:
    op: Op
    before: World
    after: World


@dataclass
class Stats:
    counts: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, **values: int) -> None:
        with self.lock:
            self.counts.update(values)


# -- a client thread ------------------------------------------------------------------------------


class Client:
    def __init__(self, index: int, harness: Harness) -> None:
        self.index = index
        self.h = harness
        self.rng = random.Random(index * 7919 + harness.seed)
        self.world = World()
        self.links: list[Link] = []
        self.uncertain: Uncertain | None = None
        self.acked_creates: list[tuple[Op, str]] = []
        self.abandoned_in_cycle = 0
        self.sequence = 0
        self.caller = Caller(harness.endpoints[0], timeout=10)
        self.log: deque[str] = deque(maxlen=25)  # the last calls, for failure messages

    def name(self, kind: str) -> str:
        self.sequence += 1
        return f"c{self.index}-{kind}{self.sequence}-{unique('n')[2:8]}"

    # -- choosing the next call
    def next_op(self) -> Op | None:
        while len(self.links) < LINKS_PER_THREAD:
            x, y = SHAPES[(self.index + len(self.links) + self.sequence) % len(SHAPES)]
            self.sequence += 1
            self.links.append(Link(self.sequence, x, y))
        now = time.monotonic()
        ready = [link for link in self.links if link.ready_at <= now]
        if not ready:
            return None
        if self.acked_creates and self.rng.random() < 0.05:
            op, first_id = self.rng.choice(self.acked_creates)
            return Op(op.action, op.account, op.region, op.params, _nothing, replay_of=first_id)
        link = self.rng.choice(ready)
        op = self.step(link)
        if op is not None:
            op.link = link
        return op

    def step(self, link: Link) -> Op | None:
        w = self.world
        if link.teardown:
            return self.teardown(link, w.ris.get(link.ri_i), w.ris.get(link.ri_a))
        if not link.vpc_x or not link.vpc_y:
            side = "x" if not link.vpc_x else "y"
            return self.create_vpc(link, side)
        if not link.ri_i:
            return self.create_ri(link, "i")
        if not link.ri_a:
            return self.create_ri(link, "a")
        i, a = w.ris.get(link.ri_i), w.ris.get(link.ri_a)
        if i is not None and not i.opposite[0] and a is not None:
            return self.set_opposite(link, i, a)
        assert i is not None and a is not None
        if not i.peer:
            return self.pair_move(link, i, "ConnectRouterInterface", "Active", DELAYS["ri_connect"])
        roll = self.rng.random()
        side = self.rng.choice([i, a])
        if roll < 0.08:
            # Calls that must fail in this state.
            if i.status == "Active":
                return self.probe(i, "DeleteRouterInterface", "IncorrectStatus")
            return self.probe(i, "ConnectRouterInterface", "IncorrectRIStatus")
        if roll < 0.30:
            return self.rename(side)
        if roll < 0.42 and i.status in ("Idle", "Active"):
            return self.spec(link, i)
        if roll < 0.50:
            link.teardown = True
            return self.teardown(link, i, a)
        if side.status == "Active":
            return self.pair_move(
                link, side, "DeactivateRouterInterface", "Inactive", DELAYS["ri_deactivate"]
            )
        return self.pair_move(
            link, side, "ActivateRouterInterface", "Active", DELAYS["ri_activate"]
        )

    def create_vpc(self, link: Link, side: str) -> Op:
        account, region = link.x if side == "x" else link.y
        token = link.tokens.setdefault("vpc" + side, unique("tok"))
        name = link.tokens.setdefault("vpcname" + side, self.name("vpc"))

        def apply(w: World, body: dict[str, Any] | None) -> None:
            rec = VpcRec(
                body["VpcId"] if body else "",
                account,
                region,
                name,
                body["VRouterId"] if body else "",
            )
            if body is None:
                w.maybe[name] = rec
                return
            w.vpcs[rec.id] = rec
            setattr(link, "vpc_" + side, rec.id)

        return Op(
            "CreateVpc",
            account,
            region,
            {"VpcName": name, "CidrBlock": "10.0.0.0/16", "ClientToken": token},
            apply,
            create_name=name,
        )

    def create_ri(self, link: Link, side: str) -> Op:
        w = self.world
        account, region = link.x if side == "i" else link.y
        vpc = w.vpcs[link.vpc_x if side == "i" else link.vpc_y]
        token = link.tokens.setdefault("ri" + side, unique("tok"))
        name = link.tokens.setdefault("riname" + side, self.name(side))
        params: dict[str, Any] = {
            "RouterType": "VRouter",
            "RouterId": vpc.vrouter,
            "Name": name,
            "ClientToken": token,
        }
        opposite: tuple[str, str, str, str, str]
        if side == "i":
            params.update(Role="InitiatingSide", Spec="Large.2", OppositeRegionId=link.y[1])
            opposite = ("", "", "", "", link.y[1])
        else:
            i = w.ris[link.ri_i]
            x_vpc = w.vpcs[link.vpc_x]
            opposite = (i.id, x_vpc.vrouter, "VRouter", link.x[0], link.x[1])
            params.update(
                Role="AcceptingSide",
                Spec="Negative",
                OppositeRegionId=link.x[1],
                OppositeInterfaceId=i.id,
                OppositeRouterId=x_vpc.vrouter,
                OppositeRouterType="VRouter",
                OppositeInterfaceOwnerId=link.x[0],
            )
        role = params["Role"]

        def apply(w: World, body: dict[str, Any] | None) -> None:
            rec = RiRec(
                body["RouterInterfaceId"] if body else "",
                account,
                region,
                role,
                vpc.vrouter,
                name,
                params["Spec"],
                opposite=opposite,
            )
            if body is None:
                w.maybe[name] = rec
                return
            w.ris[rec.id] = rec
            setattr(link, "ri_" + side, rec.id)

        # The VPC may still be Pending: refused, and retried later with the same token.
        return Op(
            "CreateRouterInterface",
            account,
            region,
            params,
            apply,
            ok_errors=frozenset({"IncorrectVpcStatus"}),
            create_name=name,
        )

    def set_opposite(self, link: Link, i: RiRec, a: RiRec) -> Op:
        y_vpc = self.world.vpcs[link.vpc_y]
        opposite = (a.id, y_vpc.vrouter, "VRouter", link.y[0], link.y[1])

        def apply(w: World, body: dict[str, Any] | None) -> None:
            w.ris[i.id].opposite = opposite

        return Op(
            "ModifyRouterInterfaceAttribute",
            i.account,
            i.region,
            {
                "RouterInterfaceId": i.id,
                "OppositeInterfaceId": a.id,
                "OppositeRouterId": y_vpc.vrouter,
                "OppositeRouterType": "VRouter",
                "OppositeInterfaceOwnerId": link.y[0],
            },
            apply,
        )

    def pair_move(self, link: Link, side: RiRec, action: str, target: str, delay: float) -> Op:
        i_id, a_id = link.ri_i, link.ri_a

        def apply(w: World, body: dict[str, Any] | None) -> None:
            for rid, other in ((i_id, a_id), (a_id, i_id)):
                w.ris[rid].status = target
                w.ris[rid].peer = other

        return Op(
            action, side.account, side.region, {"RouterInterfaceId": side.id}, apply, wait=delay
        )

    def rename(self, side: RiRec) -> Op:
        name = self.name("r")

        def apply(w: World, body: dict[str, Any] | None) -> None:
            w.ris[side.id].name = name

        return Op(
            "ModifyRouterInterfaceAttribute",
            side.account,
            side.region,
            {"RouterInterfaceId": side.id, "Name": name},
            apply,
        )

    def spec(self, link: Link, i: RiRec) -> Op:
        spec = self.rng.choice(["Large.1", "Large.2", "Middle.2", "Small.5"])

        def apply(w: World, body: dict[str, Any] | None) -> None:
            w.ris[i.id].spec = spec

        wait = DELAYS["ri_modify_spec"] if i.status == "Active" else 0.0
        return Op(
            "ModifyRouterInterfaceSpec",
            i.account,
            i.region,
            {"RouterInterfaceId": i.id, "Spec": spec},
            apply,
            wait=wait,
        )

    def probe(self, side: RiRec, action: str, code: str) -> Op:
        return Op(
            action,
            side.account,
            side.region,
            {"RouterInterfaceId": side.id},
            _nothing,
            must_fail=code,
        )

    def teardown(self, link: Link, i: RiRec | None, a: RiRec | None) -> Op | None:
        for rec in (a, i):
            if rec is None:
                continue
            if rec.status == "Active":
                return self.pair_move(
                    link, rec, "DeactivateRouterInterface", "Inactive", DELAYS["ri_deactivate"]
                )
            return self.delete_ri(rec)
        for attr in ("vpc_y", "vpc_x"):
            vpc_id = getattr(link, attr)
            if vpc_id:
                return self.delete_vpc(link, attr, self.world.vpcs[vpc_id])
        self.links.remove(link)  # torn down completely: a new link takes its place
        return None

    def delete_ri(self, rec: RiRec) -> Op:
        def apply(w: World, body: dict[str, Any] | None) -> None:
            del w.ris[rec.id]

        return Op(
            "DeleteRouterInterface",
            rec.account,
            rec.region,
            {"RouterInterfaceId": rec.id},
            apply,
            wait=DELAYS["ri_delete"],
        )

    def delete_vpc(self, link: Link, attr: str, vpc: VpcRec) -> Op:
        def apply(w: World, body: dict[str, Any] | None) -> None:
            del w.vpcs[vpc.id]
            setattr(link, attr, "")

        return Op(
            "DeleteVpc",
            vpc.account,
            vpc.region,
            {"VpcId": vpc.id},
            apply,
            # An interface of the VPC may still be Deleting: retried later.
            ok_errors=frozenset({"DependencyViolation.RouterInterface"}),
            wait=DELAYS["vpc_delete"],
        )

    # -- running
    def run(self) -> None:
        h = self.h
        try:
            while not h.stop.is_set():
                if not h.running.is_set():
                    h.park(self)
                    continue
                if self.uncertain is not None:
                    time.sleep(0.01)  # a request was left unanswered: wait for the check
                    continue
                op = self.next_op()
                if op is None:
                    time.sleep(0.02)
                    continue
                if (
                    not op.must_fail
                    and not op.replay_of
                    and self.abandoned_in_cycle < h.cycle
                    and self.rng.random() < 0.03
                ):
                    self.abandon(op)
                else:
                    self.send(op)
        except Exception as exc:  # noqa: BLE001 - reported by the main thread
            h.problems.append(f"client {self.index}: {exc!r}\n" + "\n".join(self.log))
            h.stop.set()
            h.running.clear()
        finally:
            h.park(self, final=True)
            self.caller.close()

    def send(self, op: Op) -> None:
        h = self.h
        endpoint = self.rng.choice(h.endpoints)
        signature = self.rng.choice(("v1", "v3"))
        # Now and then a create whose client gives up after a few milliseconds: its outcome
        # is unknown, and it is retried at once with the same ClientToken.
        impatient = op.action == "CreateVpc" and self.rng.random() < 0.25
        h.inflight[self.index] = op
        try:
            reply = self.caller.call(
                op.action,
                KEYS[op.account],
                op.region,
                op.params,
                signature=signature,
                endpoint=endpoint,
                timeout=self.rng.uniform(0.0005, 0.005) if impatient else None,
            )
        except httpx.TransportError as exc:
            if impatient and isinstance(exc, httpx.TimeoutException) and not h.killing.is_set():
                h.stats.add(abandoned_creates=1, creates_retried_with_token=1)
                h.inflight.pop(self.index, None)
                op.reached = True  # whatever happens next, the first attempt may commit
                self.send(op)  # the same parameters, the same token
                return
            gave_up = impatient and isinstance(exc, httpx.TimeoutException)
            if not h.killing.is_set() or (h.db_outage.is_set() and not gave_up):
                raise Problem(f"{op.action} failed while the server was up: {exc!r}") from exc
            self.in_flight(op, exc)
            return
        finally:
            h.inflight.pop(self.index, None)
        h.stats.add(requests=1)
        made = reply.body.get("VpcId") or reply.body.get("RouterInterfaceId") or ""
        self.log.append(
            f"{op.action} {op.region} {op.params} -> {reply.status} {reply.code} {made}"
        )
        self.acknowledged(op, reply)

    def abandon(self, op: Op) -> None:
        """Send ``op`` and hang up without reading the answer: the server runs it (the request
        is complete), but the client never learns the outcome; the next check must find it
        wholly applied (or, if the kill came first, not at all)."""
        self.abandoned_in_cycle = self.h.cycle
        host = self.rng.choice(self.h.endpoints)
        path, headers, _ = build_request(
            host,
            op.action,
            [("RegionId", op.region), *((k, str(v)) for k, v in op.params.items())],
            KEYS[op.account],
        )
        head = [f"POST {path} HTTP/1.1", *(f"{k}: {v}" for k, v in headers.items())]
        payload = "\r\n".join([*head, "content-length: 0", "connection: close", "", ""]).encode()
        after = copy.deepcopy(self.world)
        op.apply(after, None)
        self.uncertain = Uncertain(op, copy.deepcopy(self.world), after)
        try:
            with socket.create_connection(
                (host.split(":")[0], int(host.split(":")[1])), timeout=5
            ) as sock:
                sock.sendall(payload)
        except OSError:
            pass  # the server is down: certainly not applied, which the check will find
        self.h.stats.add(abandoned_requests=1)

    def in_flight(self, op: Op, exc: Exception | None) -> None:
        """The server died with ``op`` sent (or about to be), or answered ServiceUnavailable
        while its database was down (``exc`` None): its outcome is unknown."""
        h = self.h
        if op.must_fail or op.replay_of or (isinstance(exc, httpx.ConnectError) and not op.reached):
            # Refused at connect: never reached the server.  Probes and replays change nothing.
            h.park(self)
            return
        after = copy.deepcopy(self.world)
        op.apply(after, None)
        self.uncertain = Uncertain(op, copy.deepcopy(self.world), after)
        h.stats.add(in_flight_at_kill=1)
        h.park(self)

    def acknowledged(self, op: Op, reply: Reply) -> None:
        h = self.h
        if h.db_outage.is_set() and reply.status == 503 and reply.code == "ServiceUnavailable":
            # The database is down: the documented retryable answer.  Maybe applied (the
            # connection broke during the commit), maybe not; the check will tell.
            h.stats.add(answers_503=1)
            self.in_flight(op, None)
            return
        if reply.status >= 500:
            raise Problem(f"{op.action} {op.params}: {reply.status} {reply.body}")
        if op.replay_of:
            if not reply.ok:
                raise Problem(f"replayed create {op.params}: {reply.body}")
            got = reply.body.get("VpcId") or reply.body.get("RouterInterfaceId")
            if got != op.replay_of:
                raise Problem(f"ClientToken replay of {op.params} gave {got}, first {op.replay_of}")
            h.stats.add(token_replays=1)
            return
        if op.must_fail:
            if reply.code != op.must_fail:
                raise Problem(
                    f"{op.action} {op.params} must fail with {op.must_fail}: {reply.body}"
                )
            h.stats.add(acked_errors=1)
            return
        if not reply.ok:
            if reply.code not in op.ok_errors:
                raise Problem(f"{op.action} {op.params}: {reply.status} {reply.body}")
            h.stats.add(acked_errors=1)
            if op.create_name:
                h.stats.add(creates_retried_with_token=1)  # the next try reuses the token
            self.later(op, 0.1)
            return
        op.apply(self.world, reply.body)
        h.stats.add(acked_mutations=1)
        if op.create_name:
            self.acked_creates.append(
                (op, reply.body.get("VpcId") or reply.body["RouterInterfaceId"])
            )
        if op.wait:
            self.later(op, op.wait + 0.05)

    def later(self, op: Op, seconds: float) -> None:
        """The link of ``op`` waits (for a transition to settle, or before a retry)."""
        if op.link is not None:
            op.link.ready_at = max(op.link.ready_at, time.monotonic() + seconds)


def _nothing(world: World, body: dict[str, Any] | None) -> None:
    return None


# -- the harness: servers, kills, checks ------------------------------------------------------------


class Harness:
    def __init__(self, clouds: list[LiveCloud], seed: int) -> None:
        self.clouds = clouds
        self.endpoints = [c.endpoint for c in clouds]
        self.seed = seed
        self.stop = threading.Event()
        self.running = threading.Event()
        self.killing = threading.Event()
        self.db_outage = threading.Event()  # PostgreSQL is down; the servers are up
        self.problems: list[str] = []
        self.stats = Stats()
        self.parked: set[int] = set()
        self.inflight: dict[int, Op] = {}  # client -> the request it is sending
        self.cycle = 0
        self.cond = threading.Condition()
        self.clients = [Client(i, self) for i in range(THREADS)]
        self.checker = Caller(self.endpoints[0])

    def park(self, client: Client, final: bool = False) -> None:
        with self.cond:
            self.parked.add(client.index)
            self.cond.notify_all()
            if final:
                return
            while not self.running.is_set() and not self.stop.is_set():
                self.cond.wait(0.1)
            self.parked.discard(client.index)

    def wait_parked(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        with self.cond:
            while len(self.parked) < len(self.clients):
                if time.monotonic() > deadline:
                    raise AssertionError(f"clients did not stop: parked {sorted(self.parked)}")
                self.cond.wait(0.1)

    def resume(self) -> None:
        with self.cond:
            self.running.set()
            self.cond.notify_all()

    # -- the cloud as it is
    def listing(self) -> dict[str, dict[str, Any]]:
        """Every VPC and interface of every account and region: id -> item."""
        found: dict[str, dict[str, Any]] = {}
        for account in ACCOUNTS:
            for region in REGIONS:
                for action, wrapper, key in (
                    ("DescribeVpcs", ("Vpcs", "Vpc"), "VpcId"),
                    (
                        "DescribeRouterInterfaces",
                        ("RouterInterfaceSet", "RouterInterfaceType"),
                        "RouterInterfaceId",
                    ),
                ):
                    page = 1
                    while True:
                        reply = self.checker.call(
                            action, KEYS[account], region, {"PageSize": 50, "PageNumber": page}
                        )
                        assert reply.ok, reply.body
                        items = reply.body[wrapper[0]][wrapper[1]]
                        for item in items:
                            assert item[key] not in found, f"{item[key]} listed twice"
                            found[item[key]] = {
                                **item,
                                "_account": account,
                                "_region": region,
                                "_kind": key,
                            }
                        if page * 50 >= reply.body["TotalCount"]:
                            break
                        page += 1
        return found

    def check(self, cycle: int) -> None:
        listed = self.listing()
        views: dict[str, tuple[Any, ...]] = {}
        by_name: dict[str, str] = {}
        stuck = 0
        for obj_id, item in listed.items():
            if item["_kind"] == "VpcId":
                name, status = item["VpcName"], item["Status"]
                views[obj_id] = ("vpc", item["_account"], item["_region"], name, status)
                stuck += status != "Available"
            else:
                name, status = item["Name"], item["Status"]
                views[obj_id] = (
                    "ri",
                    item["_account"],
                    item["_region"],
                    name,
                    status,
                    item["Spec"],
                    item["OppositeInterfaceId"],
                    item["OppositeRouterId"],
                    item["OppositeRouterType"],
                    item["OppositeInterfaceOwnerId"],
                    item["OppositeRegionId"],
                    item["OppositeInterfaceStatus"],
                )
                stuck += status in TRANSIENT_RI
            assert name not in by_name, f"two objects named {name}: {by_name[name]} and {obj_id}"
            by_name[name] = obj_id
        assert stuck == 0, f"cycle {cycle}: objects in an intermediate state past their deadline"

        # Both sides of every connection agree.
        pairs = 0
        for obj_id, item in listed.items():
            if item["_kind"] != "RouterInterfaceId" or not item["OppositeInterfaceStatus"]:
                continue
            peer = listed.get(item["OppositeInterfaceId"])
            if peer is None:
                assert item["OppositeInterfaceStatus"] == "Deleted", item
                assert item["Status"] == "Inactive" or item["Status"] == "Idle", item
                continue
            assert peer["OppositeInterfaceId"] == obj_id, (item, peer)
            assert peer["Status"] == item["OppositeInterfaceStatus"], (item, peer)
            assert item["Status"] == peer["Status"], (item, peer)
            pairs += 1

        # Each thread's objects are exactly what its ledger says (one unknown request aside).
        claimed: set[str] = set()
        compared = 0
        for client in self.clients:
            u = client.uncertain
            candidates = [client.world] if u is None else [u.before, u.after]
            options = [expected(world) for world in candidates]
            keys = set().union(*options)
            actual: dict[Any, tuple[Any, ...]] = {}
            for key in keys:
                if isinstance(key, tuple):  # a create in flight, known by name
                    obj_id = by_name.get(key[1])
                else:
                    obj_id = key if key in views else None
                if obj_id is not None:
                    actual[key] = views[obj_id]
                    claimed.add(obj_id)
            matches = [i for i, option in enumerate(options) if option == actual]
            if not matches:
                raise AssertionError(
                    f"cycle {cycle}, client {client.index}: the cloud shows\n  "
                    + "\n  ".join(f"{k}: {v}" for k, v in sorted(actual.items(), key=str))
                    + "\nbut the ledger allows only\n"
                    + "\n".join(
                        "  option:\n  "
                        + "\n  ".join(f"{k}: {v}" for k, v in sorted(o.items(), key=str))
                        for o in options
                    )
                    + (f"\nin flight: {u.op.action} {u.op.params}" if u else "")
                )
            compared += len(actual)
            if u is not None:
                applied = (len(options) == 2 and 1 in matches) and options[0] != options[1]
                self.resolve(client, u, applied, by_name)
        orphans = set(views) - claimed
        assert not orphans, f"cycle {cycle}: objects no client created or kept: " + str(
            [views[o] for o in sorted(orphans)]
        )
        self.stats.add(objects_compared=compared, pairs_checked=pairs)

    def resolve(self, client: Client, u: Uncertain, applied: bool, by_name: dict[str, str]) -> None:
        """Adopt what the server did with the request left unanswered; retry a create's token."""
        op = u.op
        client.uncertain = None
        self.stats.add(in_flight_committed=int(applied), in_flight_not_committed=int(not applied))
        if not op.create_name:
            client.world = u.after if applied else u.before
            return
        client.world = u.before
        reply = self.checker.call(op.action, KEYS[op.account], op.region, op.params)
        self.stats.add(creates_retried_with_token=1)
        if op.ok_errors and reply.code in op.ok_errors:
            assert not applied
            return  # refused again (a VPC still Pending): the client will retry later
        assert reply.ok, f"retry of {op.action} {op.params}: {reply.body}"
        new_id = reply.body.get("VpcId") or reply.body.get("RouterInterfaceId")
        if applied:
            assert new_id == by_name[op.create_name], (
                f"the ClientToken retry of {op.create_name} created {new_id}, "
                f"but {by_name[op.create_name]} was created before the crash"
            )
        op.apply(client.world, reply.body)
        client.acked_creates.append((op, new_id))

    def integrity(self, db: Path | str) -> None:
        if str(db).startswith("postgresql://"):
            postgres_integrity(str(db))
        else:
            conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
            try:
                assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            finally:
                conn.close()
        self.stats.add(integrity_checks=1)


def run_cycles(
    clouds: list[LiveCloud],
    cycles: int,
    kill: Callable[[random.Random], list[LiveCloud]],
    db: Path | str,
    seed: int,
    postgres: PostgresServer | None = None,
) -> Harness:
    """``cycles`` times: load, then ``kill`` (the servers it returns are started again);
    with ``postgres``, two cycles in three stop and start PostgreSQL instead, under load."""
    h = Harness(clouds, seed)
    rng = random.Random(seed)
    threads = [threading.Thread(target=c.run, daemon=True) for c in h.clients]
    for thread in threads:
        thread.start()
    try:
        for cycle in range(1, cycles + 1):
            h.cycle = cycle
            h.resume()
            h.stop.wait(rng.uniform(*KILL_AFTER))
            # The moment: when some client has a write on the wire (or soon after).
            until = time.monotonic() + 1.0
            while time.monotonic() < until and not any(
                not op.must_fail and not op.replay_of for op in list(h.inflight.values())
            ):
                time.sleep(0.0005)
            time.sleep(rng.uniform(0, 0.012))  # before, during or after its commit
            assert not h.problems, h.problems
            h.killing.set()
            # With PostgreSQL: its crash, the servers killed, its restart, in turn.
            if postgres is not None and cycle % 3 != 2:
                h.db_outage.set()
                mode = "immediate" if cycle % 3 == 1 else "fast"
                postgres.stop(mode)
                h.stats.add(cycles_pg_restart=1, **{f"pg_{mode}": 1})
                time.sleep(rng.uniform(0.4, 0.8))  # requests keep coming meanwhile
                h.running.clear()
                h.wait_parked()
                assert not h.problems, h.problems
                postgres.start()
                killed: list[LiveCloud] = []
                assert all(cloud.is_running() for cloud in clouds)
            else:
                h.running.clear()
                killed = kill(rng)
                h.stats.add(cycles_killed=1)
                h.wait_parked()
                assert not h.problems, h.problems
            for cloud in killed:
                cloud.start()
            h.killing.clear()
            h.db_outage.clear()
            time.sleep(SETTLE)
            h.integrity(db)
            h.check(cycle)
            h.stats.add(cycles=1)
    finally:
        h.stop.set()
        h.resume()
        for thread in threads:
            thread.join(30)
        h.checker.close()
    assert not h.problems, h.problems
    assert all(not t.is_alive() for t in threads), "a client thread hung"
    return h


def report(variant: str, h: Harness, backend: str = "sqlite") -> None:
    c = h.stats.counts
    assert c["acked_mutations"] > 0 and c["in_flight_at_kill"] + c["cycles"] > 0
    if backend == "postgres":
        record(
            section("crash", backend),
            pg_fast=c["pg_fast"],
            pg_immediate=c["pg_immediate"],
            answers_503=c["answers_503"],
            other_5xx=0,
        )
    variants = {variant: c["cycles"]}
    if backend == "postgres":
        variants = {"cycles_two_processes": c["cycles_killed"]}
        variants["cycles_pg_restart"] = c["cycles_pg_restart"]
    record(
        section("crash", backend),
        cycles=c["cycles"],
        **variants,
        requests=c["requests"],
        acked_mutations=c["acked_mutations"],
        acked_errors=c["acked_errors"],
        in_flight_at_kill=c["in_flight_at_kill"] + c["abandoned_requests"],
        in_flight_committed=c["in_flight_committed"],
        in_flight_not_committed=c["in_flight_not_committed"],
        creates_retried_with_token=c["creates_retried_with_token"] + c["token_replays"],
        abandoned_creates=c["abandoned_creates"],
        duplicates=0,
        objects_compared=c["objects_compared"],
        pairs_checked=c["pairs_checked"],
        stuck_intermediate=0,
        integrity_checks=c["integrity_checks"],
        lost=0,
    )
    note(section("crash", backend), client_threads=THREADS)


def _cloud(
    tmp_path: Path, accounts: Path, db: Path | str, extra: list[str] | None = None
) -> LiveCloud:
    return LiveCloud(
        db,
        accounts=accounts,
        transitions=TRANSITIONS,
        vpc_quota=100_000,
        workdir=tmp_path,
        log_level="warning",
        extra_args=extra or [],
    )


@pytest.mark.reliability
def test_sigkill_under_load_loses_nothing(tmp_path: Path, rel_accounts: Path) -> None:
    db = tmp_path / "crash.db"
    cloud = _cloud(tmp_path, rel_accounts, db)
    with cloud:

        def kill(rng: random.Random) -> list[LiveCloud]:
            assert cloud.kill(signal.SIGKILL) == -signal.SIGKILL
            return [cloud]

        h = run_cycles([cloud], size(3, 20), kill, db, seed=1)
    report("cycles_single", h)


@pytest.mark.reliability
def test_two_processes_on_one_database(tmp_path: Path, rel_accounts: Path) -> None:
    db = tmp_path / "shared.db"
    first = _cloud(tmp_path, rel_accounts, db)
    second = _cloud(tmp_path, rel_accounts, db)
    with first, second:

        def kill(rng: random.Random) -> list[LiveCloud]:
            victims = rng.choice([[first], [second], [first, second]])
            for cloud in victims:
                cloud.kill(signal.SIGKILL)
            return victims

        h = run_cycles([first, second], size(2, 20), kill, db, seed=2)
    report("cycles_two_processes", h)


@pytest.mark.reliability
def test_workers_tree_killed(tmp_path: Path, rel_accounts: Path) -> None:
    db = tmp_path / "workers.db"
    cloud = _cloud(tmp_path, rel_accounts, db, ["--workers", "2"])
    with cloud:

        def kill(rng: random.Random) -> list[LiveCloud]:
            assert len(kill_tree(cloud)) >= 3
            return [cloud]

        h = run_cycles([cloud], size(1, 10), kill, db, seed=3)
    report("cycles_workers", h)


@pytest.mark.reliability
def test_postgres_servers_killed_and_postgres_restarted_under_load(
    tmp_path: Path, rel_accounts: Path, private_postgres: PostgresServer
) -> None:
    """Two servers on one PostgreSQL database; in turn PostgreSQL crashes (an immediate
    shutdown), one or both servers are SIGKILLed, PostgreSQL is restarted (a fast shutdown).
    """
    db = new_database(private_postgres.url)
    first = _cloud(tmp_path / "a", rel_accounts, db)
    second = _cloud(tmp_path / "b", rel_accounts, db)
    with first, second:

        def kill(rng: random.Random) -> list[LiveCloud]:
            victims = rng.choice([[first], [second], [first, second]])
            for cloud in victims:
                cloud.kill(signal.SIGKILL)
            return victims

        cycles = size(3, 15)
        h = run_cycles([first, second], cycles, kill, db, seed=5, postgres=private_postgres)
        for cloud in (first, second):
            assert cloud.is_running(), cloud.log_tail()
            log = cloud.log_path.read_text(errors="replace")
            assert "InternalError" not in log, cloud.log_tail()
    counts = h.stats.counts
    assert counts["cycles_pg_restart"] == cycles - cycles // 3 and counts["answers_503"] > 0
    report("postgres", h, "postgres")


def test_workers_stop_when_their_supervisor_is_killed(tmp_path: Path) -> None:
    """`serve --workers 2` with its supervisor SIGKILLed: the workers used to keep serving on
    the inherited socket, orphaned, so a restart could not bind the port and the old workers
    answered with no one to stop them.  Now they notice and shut down."""
    cloud = LiveCloud(tmp_path / "w.db", workdir=tmp_path, extra_args=["--workers", "2"])
    with cloud:
        workers = psutil.Process(cloud.pid).children(recursive=True)
        assert len(workers) >= 2
        assert cloud.healthy()
        assert cloud.kill(signal.SIGKILL) == -signal.SIGKILL
        gone, alive = psutil.wait_procs(workers, timeout=15)
        assert not alive, f"orphaned workers still running: {[p.pid for p in alive]}"
        time.sleep(0.2)
        cloud.start()  # the port is free again
        assert cloud.healthy()
