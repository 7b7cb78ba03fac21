"""A stateful property test of the router-interface actions against a small model.

In-process (no HTTP): the service functions over an in-memory store and a FakeClock, each
request parsed against the action table first.  Random sequences of every action (create,
modify attribute / opposite info, connect, activate, deactivate, modify spec, delete,
describe) and clock advances run on three VPCs; after every step the full describe must
match the model below, which is written here from Alibaba Cloud's router interface API
reference (https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-dir) and docs/fidelity.md, independently of ``riconnect.domain``.

Checked after every step:
* every interface's status, opposite info, peer status, spec, name and ConnectedTime;
* both sides of a connected pair have the same status;
* an error answer changes nothing (the full describe is as it was);
* opposite info never changes once an interface has been Active or Inactive;
* intermediate states settle exactly at their deadline (advances land on, just before
  and past deadlines).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from riconnect.domain.clock import FakeClock
from riconnect.domain.errors import ApiError
from riconnect.domain.transitions import Delays
from riconnect.store.db import Store
from tests.support.router_interface import REGION, Service, new_account_id

# -- the model ------------------------------------------------------------------------------

INIT, ACC = "InitiatingSide", "AcceptingSide"
GONE = object()  # target of a deletion
SECONDS = {"connect": 3, "activate": 2, "deactivate": 2, "delete": 1, "spec": 2}
DELAYS = Delays(
    ri_connect=SECONDS["connect"],
    ri_activate=SECONDS["activate"],
    ri_deactivate=SECONDS["deactivate"],
    ri_delete=SECONDS["delete"],
    ri_modify_spec=SECONDS["spec"],
)
SPECS = {"Mini.2", "Mini.5", "Small.1", "Small.2", "Small.5", "Middle.1", "Middle.2"}
SPECS |= {"Middle.5", "Large.1", "Large.2", "Large.5", "Xlarge.1"}

# operation: (allowed statuses, this side's state, the peer's state, target, error code)
TABLE: dict[str, tuple[set[str], str, str | None, Any, str]] = {
    "connect": ({"Idle"}, "Connecting", "AcceptingConnecting", "Active", "IncorrectRIStatus"),
    "activate": ({"Inactive"}, "Activating", "Activating", "Active", "IncorrectRIStatus"),
    "deactivate": ({"Active"}, "Deactivating", "Deactivating", "Inactive", "IncorrectRIStatus"),
    "spec": (
        {"Idle", "Active"},
        "Activating",
        "Activating",
        "Active",
        "InvalidInstance.StatusError",
    ),
    "delete": ({"Idle", "Inactive"}, "Deleting", None, GONE, "IncorrectStatus"),
    "modify": ({"Idle", "Active", "Inactive"}, "", None, None, "IncorrectStatus"),
}


@dataclass
class Iface:
    id: str
    role: str
    router: str
    spec: str
    name: str
    status: str = "Idle"
    target: Any = None
    deadline: float | None = None
    opp: tuple[str, str, str, str] = ("", "", "", "")  # interface, router, type, owner
    peer: str = ""
    connected_at: float | None = None

    def begin(self, status: str, target: Any, deadline: float) -> None:
        self.status, self.target, self.deadline = status, target, deadline


@dataclass
class Model:
    account: str
    routers: list[str]
    now: float
    live: dict[str, Iface] = field(default_factory=dict)
    ever: list[str] = field(default_factory=list)  # every id ever created, in order

    def settle(self) -> None:
        for x in list(self.live.values()):
            if x.deadline is None or x.deadline > self.now:
                continue
            if x.target is GONE:
                del self.live[x.id]
                continue
            deadline = x.deadline
            x.status, x.target, x.deadline = x.target, None, None
            if x.status == "Active" and x.connected_at is None:
                x.connected_at = deadline

    def peer(self, x: Iface) -> Iface | None:
        return self.live.get(x.peer) if x.peer else None

    # Each method returns the error code the cloud must answer, or "" and applies the change.
    def create(self, role: str, router: str, spec: str, name: str | None) -> str:
        if spec not in SPECS | {"Negative"}:
            return "InvalidSpec.ValudNotSupported"
        if (role == ACC) != (spec == "Negative"):
            return "InvalidSpec.ValudNotSupported"
        if name is not None and not _valid_name(name):
            return "InvalidName.Malformd"
        if sum(1 for x in self.live.values() if x.router == router) >= 5:
            return "QuotaExceeded.RouterInterface"
        return ""

    def point(self, x_id: str, opp: tuple[str, str, str, str]) -> str:
        x = self.live.get(x_id)
        if x is None:
            return "InvalidRouterInterfaceId.NotFound"
        if x.status not in TABLE["modify"][0]:
            return "IncorrectStatus"
        if opp != x.opp:
            if x.status != "Idle" or x.peer:
                return "IncorrectStatus"
            x.opp = opp
        return ""

    def rename(self, x_id: str, name: str) -> str:
        x = self.live.get(x_id)
        if x is None:
            return "InvalidRouterInterfaceId.NotFound"
        if x.status not in TABLE["modify"][0]:
            return "IncorrectStatus"
        if not _valid_name(name):
            return "InvalidName.Malformd"
        x.name = name
        return ""

    def connect(self, x_id: str) -> str:
        x = self.live.get(x_id)
        if x is None:
            return "InvalidRouterInterfaceId.NotFound"
        if x.role != INIT:
            return "IncorrectRole.NotInitiatingSide"
        allowed, status, peer_status, target, error = TABLE["connect"]
        if x.status not in allowed:
            return error
        if not all(x.opp):
            return "IncorrectOppositeInterfaceInfo.NotSet"
        if x.opp[1] == x.router:
            return "IncorrectOppositeInterfaceInfo"
        y = self.live.get(x.opp[0])
        if y is None:
            return "IncorrectOppositeInterfaceInfo.Mismatch"
        if not all(y.opp):
            return "IncorrectOppositeInterfaceInfo.NotSet"
        if y.role != ACC or y.opp != (x.id, x.router, "VRouter", self.account):
            return "IncorrectOppositeInterfaceInfo.Mismatch"
        if y.router != x.opp[1]:
            return "IncorrectOppositeInterfaceInfo.Mismatch"
        if y.status != "Idle" or y.peer:
            return "IncorrectRIStatus"
        for z in self.live.values():  # one connection between two routers
            if z.id != x.id and z.router == x.router and z.peer and z.opp[1] == x.opp[1]:
                return "Forbidden.OnlyOneConnection"
        x.peer, y.peer = y.id, x.id
        deadline = self.now + SECONDS["connect"]
        x.begin(status, target, deadline)
        assert peer_status is not None
        y.begin(peer_status, target, deadline)
        return ""

    def pair_move(self, op: str, x_id: str) -> str:
        x = self.live.get(x_id)
        if x is None:
            return "InvalidRouterInterfaceId.NotFound"
        allowed, status, peer_status, target, error = TABLE[op]
        if x.status not in allowed:
            return error
        y = self.peer(x)
        if y is None:
            return "IncorrectOppositeInterfaceInfo.Mismatch"
        if y.status not in allowed:
            return error
        deadline = self.now + SECONDS[op]
        x.begin(status, target, deadline)
        assert peer_status is not None
        y.begin(peer_status, target, deadline)
        return ""

    def modify_spec(self, x_id: str, spec: str) -> str:
        x = self.live.get(x_id)
        if x is None:
            return "InvalidRouterInterfaceId.NotFound"
        if x.role != INIT:
            return "IncorrectRole.NotInitiatingSide"
        if spec not in SPECS:
            return "InvalidSpec.ValudNotSupported"
        allowed, status, peer_status, target, error = TABLE["spec"]
        if x.status not in allowed:
            return error
        x.spec = spec
        if x.status == "Active":
            y = self.peer(x)
            assert y is not None and peer_status is not None
            deadline = self.now + SECONDS["spec"]
            x.begin(status, target, deadline)
            y.begin(peer_status, target, deadline)
        return ""

    def delete(self, x_id: str) -> str:
        x = self.live.get(x_id)
        if x is None:
            return "InvalidInstanceId.NotFound"
        allowed, status, _, target, error = TABLE["delete"]
        if x.status not in allowed:
            return error
        x.begin(status, target, self.now + SECONDS["delete"])
        return ""

    def next_deadline(self) -> float | None:
        deadlines = [x.deadline for x in self.live.values() if x.deadline is not None]
        return min(deadlines) if deadlines else None


def _valid_name(name: str) -> bool:
    import re

    ok = re.fullmatch(r"[A-Za-z\u4e00-\u9fff][A-Za-z0-9\u4e00-\u9fff._\-]{1,127}", name)
    return ok is not None and not name.lower().startswith(("http://", "https://"))


def _iso(t: float) -> str:
    return datetime.fromtimestamp(t, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# -- the state machine ------------------------------------------------------------------------

_STORE: list[Store] = []


def _store() -> Store:
    if not _STORE:
        _STORE.append(Store(":memory:"))
    return _STORE[0]


NAMES = st.sampled_from(["link-a", "link_b.2", "中文-link", "9starts-with-digit", "x", "http://x"])
PICK = st.integers(min_value=0, max_value=10_000)


class RouterInterfaces(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.clock = FakeClock(1_800_000_000.0)
        self.svc = Service(_store(), self.clock, DELAYS, new_account_id())
        routers = [
            self.svc.vpc(cidr)[1] for cidr in ("172.16.0.0/12", "192.168.0.0/16", "10.0.0.0/8")
        ]
        self.model = Model(self.svc.account_id, routers, self.clock.now())
        self.last_view: list[dict[str, Any]] | None = None
        self.errored = self.changed = self.quiet = False
        # The cloud's opposite info of each interface once it was seen Active or Inactive.
        self.frozen: dict[str, tuple[str, ...]] = {}

    # -- plumbing
    def answer(self, action: str, **params: Any) -> tuple[str, dict[str, Any]]:
        try:
            return "", self.svc.call(action, REGION, **params)
        except ApiError as err:
            return err.code, {}

    def expect(
        self, predicted: str, action: str, *, read: bool = False, **params: Any
    ) -> dict[str, Any]:
        code, body = self.answer(action, **params)
        assert code == predicted, (action, params, code, predicted)
        if currently_in_test_context():
            event(f"{action}: {code or 'ok'}")  # see --hypothesis-show-statistics
        if code:
            self.errored = True
        elif not read:
            self.changed = True
        return body

    def pick(
        self, n: int, role: str | None = None, prefer: Callable[[Iface], bool] | None = None
    ) -> str:
        """Half the time an interface ``prefer`` likes (one the action may succeed on, to
        drive links through their life), else any live one of ``role``, or sometimes any id
        ever seen (maybe gone)."""
        live = [x for x in self.model.live.values() if role is None or x.role == role]
        liked = [x.id for x in live if prefer is not None and prefer(x)]
        if n % 4 in (1, 2) and liked:
            ids = liked
        elif n % 4 and live:
            ids = [x.id for x in live]
        else:
            ids = self.model.ever
        return ids[n // 4 % len(ids)] if ids else "ri-" + "0" * 21

    # -- operations on one interface id (each predicted by the model first)
    def _create(self, role: str, router: str, spec: str, name: str | None) -> None:
        self.model.settle()
        predicted = self.model.create(role, router, spec, name)
        body = self.expect(
            predicted,
            "CreateRouterInterface",
            RouterType="VRouter",
            RouterId=router,
            Role=role,
            Spec=spec,
            OppositeRegionId=REGION,
            Name=name,
        )
        if not predicted:
            x = Iface(body["RouterInterfaceId"], role, router, spec, name or "")
            self.model.live[x.id] = x
            self.model.ever.append(x.id)

    def _point(self, x_id: str, y_id: str) -> None:
        y = self.model.live.get(y_id)
        router = y.router if y is not None else self.model.routers[0]
        opp = (y_id, router, "VRouter", self.model.account)
        self.model.settle()
        predicted = self.model.point(x_id, opp)
        self.expect(
            predicted,
            "ModifyRouterInterfaceAttribute",
            RouterInterfaceId=x_id,
            OppositeInterfaceId=opp[0],
            OppositeRouterId=opp[1],
            OppositeRouterType=opp[2],
            OppositeInterfaceOwnerId=opp[3],
        )

    def _create_pair(self, ra: str, rb: str) -> None:
        """An initiator and an acceptor, configured for each other: the documented flow,
        the acceptor told about the initiator first."""
        self._create(INIT, ra, "Large.2", None)
        self._create(ACC, rb, "Negative", None)
        init = [x for x in self.model.live.values() if x.role == INIT][-1]
        acc = [x for x in self.model.live.values() if x.role == ACC][-1]
        self._point(acc.id, init.id)
        self._point(init.id, acc.id)

    def _connect(self, x_id: str) -> None:
        self.model.settle()
        self.expect(self.model.connect(x_id), "ConnectRouterInterface", RouterInterfaceId=x_id)

    def _pair_move(self, op: str, x_id: str) -> None:
        self.model.settle()
        predicted = self.model.pair_move(op, x_id)
        self.expect(predicted, f"{op.capitalize()}RouterInterface", RouterInterfaceId=x_id)

    def _modify_spec(self, x_id: str, spec: str) -> None:
        self.model.settle()
        predicted = self.model.modify_spec(x_id, spec)
        self.expect(predicted, "ModifyRouterInterfaceSpec", RouterInterfaceId=x_id, Spec=spec)

    def _delete(self, x_id: str) -> None:
        self.model.settle()
        self.expect(self.model.delete(x_id), "DeleteRouterInterface", RouterInterfaceId=x_id)

    def _rebuild(self, old: Iface) -> None:
        """Replace a link: a new pair between the same two routers first, then delete
        the old interfaces (create-before-destroy)."""
        peer = old.peer
        self._create_pair(old.router, old.opp[1])
        self._delete(old.id)
        self._delete(peer)

    # -- rules
    @initialize(ra=PICK, rb=PICK)
    def start_with_a_pair(self, ra: int, rb: int) -> None:
        routers = self.model.routers
        self._create_pair(routers[ra % 3], routers[rb % 3])

    @rule(
        role=st.sampled_from([INIT, ACC]),
        router=PICK,
        spec=st.sampled_from(["Large.2", "Small.1", "Negative", "Negative", "Huge.9"]),
        name=st.none() | NAMES,
    )
    def create(self, role: str, router: int, spec: str, name: str | None) -> None:
        self._create(role, self.model.routers[router % 3], spec, name)

    @rule(ra=PICK, rb=PICK)
    def create_pair(self, ra: int, rb: int) -> None:
        self._create_pair(self.model.routers[ra % 3], self.model.routers[rb % 3])

    @rule(x=PICK, y=PICK)
    def point_anywhere(self, x: int, y: int) -> None:
        self._point(self.pick(x), self.pick(y))

    @rule(i=PICK, a=PICK)
    def configure_pair(self, i: int, a: int) -> None:
        init, acc = self.pick(i, INIT), self.pick(a, ACC)
        self._point(acc, init)
        self._point(init, acc)

    @rule(x=PICK, name=NAMES)
    def rename(self, x: int, name: str) -> None:
        x_id = self.pick(x)
        self.model.settle()
        predicted = self.model.rename(x_id, name)
        self.expect(predicted, "ModifyRouterInterfaceAttribute", RouterInterfaceId=x_id, Name=name)

    @rule(x=PICK)
    def connect(self, x: int) -> None:
        self._connect(self.pick(x, INIT, lambda m: m.status == "Idle" and all(m.opp)))

    @rule(x=PICK, op=st.sampled_from(["activate", "deactivate"]))
    def pair_move(self, x: int, op: str) -> None:
        self._pair_move(op, self.pick(x, None, lambda m: m.status in TABLE[op][0]))

    @rule(x=PICK, spec=st.sampled_from(["Large.1", "Small.2", "Negative", "Huge.9"]))
    def modify_spec(self, x: int, spec: str) -> None:
        self._modify_spec(self.pick(x, INIT, lambda m: m.status in TABLE["spec"][0]), spec)

    @rule(x=PICK)
    def delete(self, x: int) -> None:
        self._delete(self.pick(x, None, lambda m: m.status in TABLE["delete"][0]))

    @precondition(lambda self: self.model.live)
    @rule(x=PICK)
    def progress(self, x: int) -> None:
        """Take one interface a step further along the documented life of a link."""
        self.model.settle()
        if not self.model.live:  # settling may have removed the last interfaces
            return
        m = self.model.live[list(self.model.live)[x % len(self.model.live)]]
        choice = x // len(self.model.live)
        if m.status == "Idle" and m.role == INIT and all(m.opp):
            self._connect(m.id)
        elif m.status == "Idle":
            self._delete(m.id)
        elif m.status == "Active":
            if choice % 3:
                self._pair_move("deactivate", m.id)
            else:
                self._modify_spec(self.pick(x, INIT, lambda i: i.status == "Active"), "Large.5")
        elif m.status == "Inactive":
            if choice % 3 == 0:
                self._pair_move("activate", m.id)
            elif choice % 3 == 1 and m.role == INIT:
                self._rebuild(m)
            else:
                self._delete(m.id)
        else:  # in transition: let it settle
            self.advance_to_deadline(0.0)

    @rule(x=PICK)
    def describe_attribute(self, x: int) -> None:
        x_id = self.pick(x)
        self.model.settle()
        m = self.model.live.get(x_id)
        body = self.expect(
            "" if m else "InvalidInstanceId.NotFound",
            "DescribeRouterInterfaceAttribute",
            read=True,
            InstanceId=x_id,
        )
        if m is not None:
            self.check_view(body, m)
            assert body["FastLinkMode"] == "false"

    @rule(seconds=st.sampled_from([0.5, 1.0, 2.0, 3.0, 7.0]))
    def advance(self, seconds: float) -> None:
        self.clock.advance(seconds)
        self.model.now = self.clock.now()
        self.changed = True  # time passing may settle transitions

    @precondition(lambda self: self.model.next_deadline() is not None)
    @rule(offset=st.sampled_from([-0.25, 0.0]))
    def advance_to_deadline(self, offset: float) -> None:
        """Land exactly on the next deadline, or just before it."""
        deadline = self.model.next_deadline()
        assert deadline is not None
        target = deadline + offset
        if target > self.clock.now():
            self.clock.set(target)
            self.model.now = target
            self.changed = True

    @precondition(lambda self: self.model.next_deadline() is not None)
    @rule()
    def advance_past_deadlines_unobserved(self) -> None:
        """Let every pending transition come due and do not look: the next action is the
        first to touch the due rows (lazy settling must not depend on a describe)."""
        deadline = max(x.deadline for x in self.model.live.values() if x.deadline is not None)
        self.clock.set(deadline + 0.5)
        self.model.now = self.clock.now()
        self.quiet = True

    # -- checks
    def check_view(self, view: dict[str, Any], m: Iface) -> None:
        assert view["Status"] == m.status, (m, view)
        assert (view["Role"], view["RouterId"], view["Spec"]) == (m.role, m.router, m.spec)
        assert view["Name"] == m.name
        told = (
            view["OppositeInterfaceId"],
            view["OppositeRouterId"],
            view["OppositeRouterType"],
            view["OppositeInterfaceOwnerId"],
        )
        assert told == m.opp
        assert view["OppositeRegionId"] == REGION
        peer = self.model.peer(m)
        if m.peer:
            assert view["OppositeInterfaceStatus"] == (peer.status if peer else "Deleted")
        else:
            assert view["OppositeInterfaceStatus"] == ""
        assert view["ConnectedTime"] == (_iso(m.connected_at) if m.connected_at else "")

    @invariant()
    def matches_the_model(self) -> None:
        if self.quiet:  # see advance_past_deadlines_unobserved
            self.quiet, self.last_view = False, None
            return
        self.model.settle()
        view = self.svc.interfaces()
        if self.last_view is not None and not self.changed:
            # Only errors and reads since the last look, at the same moment: nothing moved.
            assert view == self.last_view, "an error answer changed something"
        self.errored = self.changed = False
        self.last_view = view
        by_id = {v["RouterInterfaceId"]: v for v in view}
        assert set(by_id) == set(self.model.live)
        for x_id, m in self.model.live.items():
            v = by_id[x_id]
            self.check_view(v, m)
            told = tuple(v[f"Opposite{k}"] for k in ("InterfaceId", "RouterId", "RouterType"))
            told += (v["OppositeInterfaceOwnerId"],)
            if v["Status"] in ("Active", "Inactive"):
                self.frozen.setdefault(x_id, told)
            if x_id in self.frozen:
                assert told == self.frozen[x_id], "opposite info changed after connecting"
            if m.peer and m.peer in by_id:  # both sides of a connected pair agree
                pair = {v["Status"], by_id[m.peer]["Status"]}
                if "Deleting" not in pair:  # deletion is one side's own business
                    assert len(pair) == 1 or pair == {"Connecting", "AcceptingConnecting"}
                assert by_id[m.peer]["OppositeInterfaceId"] == x_id


TestRouterInterfaces = RouterInterfaces.TestCase
TestRouterInterfaces.settings = settings(
    max_examples=150,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def test_the_model_reaches_every_state() -> None:
    """The checks above are only worth something on states the runs reach: a scripted run
    through the model and the cloud side by side visits every intermediate state."""
    machine = RouterInterfaces()
    seen: set[str] = set()

    def look() -> None:
        machine.matches_the_model()
        seen.update(x.status for x in machine.model.live.values())

    try:
        r0, r1, _ = machine.model.routers
        machine._create_pair(r0, r1)
        look()
        init, acc = machine.model.ever
        machine._connect(init)
        look()
        machine.advance_to_deadline(-0.25)
        look()
        assert machine.model.live[init].status == "Connecting"
        machine.advance_to_deadline(0.0)
        look()
        assert {x.status for x in machine.model.live.values()} == {"Active"}
        for op, side in (("deactivate", init), ("activate", acc), ("deactivate", acc)):
            machine._pair_move(op, side)
            look()
            machine.advance(7.0)
            look()
        machine._rebuild(machine.model.live[init])
        look()
        machine._pair_move("activate", acc)  # its peer is Deleting: refused, nothing changes
        look()
        machine.advance_past_deadlines_unobserved()
        machine.matches_the_model()
        new_init = machine.model.ever[2]
        machine._connect(new_init)  # the first request after the old pair came due
        look()
        assert machine.model.live[new_init].status == "Connecting"
        statuses = {"Connecting", "AcceptingConnecting", "Activating", "Deactivating"}
        assert seen >= statuses | {"Idle", "Active", "Inactive", "Deleting"}
    finally:
        machine.teardown()


@pytest.fixture(autouse=True, scope="module")
def _close_store() -> Any:
    yield
    while _STORE:
        _STORE.pop().close()
