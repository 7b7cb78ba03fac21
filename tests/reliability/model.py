"""An independent model of one router-interface pair, and a linearizability checker over it.

The model is written from the documents (Alibaba Cloud's router interface API reference,
https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-dir, and docs/fidelity.md), not
from the service code: statuses, the transition table, which side may do what, the error code
for each refusal, and what a describe shows (own status, name, spec, the opposite side's status).

A pair's history is a list of calls with their real-time interval [start, end] (client clock)
and their answer.  :func:`check` searches for a linearization (Wing & Gong, with memoisation
of (calls done, model state)): an order of all calls, each taking effect at one instant inside
its interval, such that every answer is the one the model gives in that order.  Failed calls
are part of the order too (their error must be legal in the state they see, and they change
nothing); so are describes (what they show must be the state at that instant).

Timed transitions (``--transitions fixed:…``): a call that starts a transition at instant L
moves the pair to the intermediate state, which settles at L + delay.  L is only known to lie
in the call's interval, so a later call may see it settled if its interval ends after the
earliest possible deadline, and unsettled if it starts before the latest possible one.  This
over-approximates the set of legal histories (it never rejects a correct one); with zero
delays transitions are applied at once, which is exact.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

GONE = "gone"
IDLE, ACTIVE, INACTIVE = "Idle", "Active", "Inactive"
CONNECTING, ACCEPTING_CONNECTING = "Connecting", "AcceptingConnecting"
ACTIVATING, DEACTIVATING, DELETING = "Activating", "Deactivating", "Deleting"
SPECS = {
    "Mini.2",
    "Mini.5",
    "Small.1",
    "Small.2",
    "Small.5",
    "Middle.1",
    "Middle.2",
    "Middle.5",
    "Large.1",
    "Large.2",
    "Large.5",
    "Xlarge.1",
}

# Operation kinds.
CONNECT = "connect"
ACTIVATE = "activate"
DEACTIVATE = "deactivate"
MODIFY_SPEC = "modify_spec"
RENAME = "rename"
DELETE = "delete"
DESCRIBE = "describe"  # DescribeRouterInterfaceAttribute
LIST = "list"  # DescribeRouterInterfaces filtered by the interface's id
KINDS = (CONNECT, ACTIVATE, DEACTIVATE, MODIFY_SPEC, RENAME, DELETE, DESCRIBE, LIST)
WRITES = (CONNECT, ACTIVATE, DEACTIVATE, MODIFY_SPEC, RENAME, DELETE)


@dataclass(frozen=True)
class Pending:
    target: str  # a status, or GONE
    earliest: float  # the deadline lies in [earliest, latest]
    latest: float
    origin: int  # the call that started it (both sides of a pair move settle together)


@dataclass(frozen=True)
class Side:
    status: str  # a status, or GONE
    name: str
    connected: bool = False  # joined to the other side (never undone, even by deletion)
    pending: Pending | None = None


@dataclass(frozen=True)
class PairState:
    i: Side  # the InitiatingSide
    a: Side  # the AcceptingSide
    spec: str  # the initiator's spec

    def side(self, which: str) -> Side:
        return self.i if which == "i" else self.a

    def with_side(self, which: str, value: Side) -> PairState:
        return replace(self, i=value) if which == "i" else replace(self, a=value)


@dataclass(frozen=True)
class Delays:
    connect: float = 0.0
    activate: float = 0.0
    deactivate: float = 0.0
    delete: float = 0.0
    spec: float = 0.0


@dataclass
class Call:
    """One call of a pair's history, as the client saw it."""

    kind: str
    side: str  # "i" or "a": the interface the call names
    start: float
    end: float
    status: int  # HTTP status
    code: str = ""  # error code; "" on success
    arg: str = ""  # RENAME: the new name; MODIFY_SPEC: the spec
    shown: dict[str, Any] = field(default_factory=dict)  # DESCRIBE/LIST: fields read back
    index: int = 0

    def __str__(self) -> str:
        outcome = "OK" if self.status == 200 else f"{self.status} {self.code}"
        extra = f" {self.arg}" if self.arg else ""
        shown = f" shown={self.shown}" if self.shown else ""
        return (
            f"#{self.index} {self.kind}({self.side}{extra}) [{self.start:.3f}, {self.end:.3f}] "
            f"-> {outcome}{shown}"
        )


def other(which: str) -> str:
    return "a" if which == "i" else "i"


# -- settling ---------------------------------------------------------------------------------


def _settled(state: PairState, origin: int) -> PairState:
    for which in ("i", "a"):
        side = state.side(which)
        if side.pending is not None and side.pending.origin == origin:
            status = side.pending.target
            state = state.with_side(which, replace(side, status=status, pending=None))
    return state


def views(state: PairState, lo: float, hi: float) -> list[PairState]:
    """The states a call whose instant lies in [lo, hi] may see."""
    origins: dict[int, Pending] = {}
    for which in ("i", "a"):
        pending = state.side(which).pending
        if pending is not None:
            origins.setdefault(pending.origin, pending)
    options = [state]
    for origin, pending in origins.items():
        nxt: list[PairState] = []
        for option in options:
            if hi >= pending.earliest:
                nxt.append(_settled(option, origin))
            if lo < pending.latest:
                nxt.append(option)
        options = nxt
    return list(dict.fromkeys(options))


def _begin(
    state: PairState,
    sides: dict[str, str],
    target: str,
    delay: float,
    lo: float,
    hi: float,
    origin: int,
) -> PairState:
    """Enter the intermediate statuses ``sides`` now, reaching ``target`` after ``delay``."""
    for which, status in sides.items():
        side = state.side(which)
        if delay <= 0:
            side = replace(side, status=target, pending=None)
        else:
            side = replace(
                side, status=status, pending=Pending(target, lo + delay, hi + delay, origin)
            )
        state = state.with_side(which, side)
    return state


# -- the transition table ------------------------------------------------------------------------

Outcome = tuple[str, Any]  # ("ok", new state) | ("error", code) | ("read", expected fields)


def outcome(
    state: PairState, call: Call, delays: Delays, cross_account: bool, lo: float, hi: float
) -> Outcome:
    """What the documents say ``call`` answers in ``state`` (which has already settled)."""
    me, peer = state.side(call.side), state.side(other(call.side))
    kind = call.kind
    if kind in (DESCRIBE, LIST):
        if me.status == GONE:
            return ("error", "InvalidInstanceId.NotFound") if kind == DESCRIBE else ("read", None)
        if not me.connected:
            opposite = ""
        elif peer.status == GONE:
            opposite = "Deleted"
        else:
            opposite = peer.status
        return (
            "read",
            {
                "Status": me.status,
                "Name": me.name,
                "Spec": state.spec if call.side == "i" else "Negative",
                "OppositeInterfaceStatus": opposite,
            },
        )
    if me.status == GONE:
        return (
            "error",
            "InvalidInstanceId.NotFound" if kind == DELETE else "InvalidRouterInterfaceId.NotFound",
        )
    if kind == CONNECT:
        if call.side != "i":
            return ("error", "IncorrectRole.NotInitiatingSide")
        if me.status != IDLE:
            return ("error", "IncorrectRIStatus")
        if peer.status == GONE:
            # Another account's missing interface reads like one that never consented.
            return (
                "error",
                "IncorrectOppositeInterfaceInfo.NotSet"
                if cross_account
                else "IncorrectOppositeInterfaceInfo.Mismatch",
            )
        if peer.status != IDLE or peer.connected:
            return ("error", "IncorrectRIStatus")
        joined = state.with_side("i", replace(me, connected=True)).with_side(
            "a", replace(peer, connected=True)
        )
        return (
            "ok",
            _begin(
                joined,
                {"i": CONNECTING, "a": ACCEPTING_CONNECTING},
                ACTIVE,
                delays.connect,
                lo,
                hi,
                call.index,
            ),
        )
    if kind in (ACTIVATE, DEACTIVATE):
        allowed = INACTIVE if kind == ACTIVATE else ACTIVE
        if me.status != allowed:
            return ("error", "IncorrectRIStatus")
        if not me.connected or peer.status == GONE:
            return ("error", "IncorrectOppositeInterfaceInfo.Mismatch")
        if peer.status != allowed:
            return ("error", "IncorrectRIStatus")
        if kind == ACTIVATE:
            moving, target, delay = ACTIVATING, ACTIVE, delays.activate
        else:
            moving, target, delay = DEACTIVATING, INACTIVE, delays.deactivate
        return ("ok", _begin(state, {"i": moving, "a": moving}, target, delay, lo, hi, call.index))
    if kind == MODIFY_SPEC:
        if call.side != "i":
            return ("error", "IncorrectRole.NotInitiatingSide")
        if call.arg not in SPECS:
            return ("error", "InvalidSpec.ValudNotSupported")
        if me.status not in (IDLE, ACTIVE):
            return ("error", "InvalidInstance.StatusError")
        changed = replace(state, spec=call.arg)
        if me.status == IDLE or peer.status == GONE:
            return ("ok", changed)
        return (
            "ok",
            _begin(
                changed, {"i": ACTIVATING, "a": ACTIVATING}, ACTIVE, delays.spec, lo, hi, call.index
            ),
        )
    if kind == RENAME:
        if me.status not in (ACTIVE, IDLE, INACTIVE):
            return ("error", "IncorrectStatus")
        return ("ok", state.with_side(call.side, replace(me, name=call.arg)))
    if kind == DELETE:
        if me.status not in (IDLE, INACTIVE):
            return ("error", "IncorrectStatus")
        return ("ok", _begin(state, {call.side: DELETING}, GONE, delays.delete, lo, hi, call.index))
    raise ValueError(f"unknown call kind {kind!r}")


def step(
    state: PairState, call: Call, delays: Delays, cross_account: bool, lo: float, hi: float
) -> list[PairState]:
    """The states after ``call`` if its answer is legal at some instant of [lo, hi]."""
    out: list[PairState] = []
    for view in views(state, lo, hi):
        kind, value = outcome(view, call, delays, cross_account, lo, hi)
        if kind == "ok":
            if call.status == 200:
                out.append(value)
        elif kind == "error":
            if call.status != 200 and call.code == value:
                out.append(view)
        elif call.status == 200:  # a read
            if value is None:
                if call.shown.get("TotalCount") == 0:
                    out.append(view)
            elif all(call.shown.get(k) == v for k, v in value.items()):
                out.append(view)
    return list(dict.fromkeys(out))


# -- linearizability -------------------------------------------------------------------------------


@dataclass
class Verdict:
    ok: bool
    calls: int
    explored: int
    message: str = ""


def check(
    calls: list[Call],
    initial: PairState,
    delays: Delays,
    *,
    cross_account: bool = False,
    budget: int = 2_000_000,
) -> Verdict:
    """Is there a linearization of ``calls`` that the model accepts?"""
    ordered = sorted(calls, key=lambda c: (c.start, c.end))
    n = len(ordered)
    full = (1 << n) - 1
    stack: list[tuple[int, PairState, float]] = [(0, initial, float("-inf"))]
    seen: set[tuple[int, PairState]] = set()
    deepest = (-1, 0, initial)
    explored = 0
    while stack:
        mask, state, tmin = stack.pop()
        if mask == full:
            return Verdict(True, n, explored)
        key = (mask, state)
        if key in seen:
            continue
        seen.add(key)
        explored += 1
        if explored > budget:
            return Verdict(False, n, explored, "search budget exhausted (undecided)")
        first = ((~mask) & (mask + 1)).bit_length() - 1
        done = bin(mask).count("1")
        if done > deepest[0]:
            deepest = (done, mask, state)
        # Candidates: calls not yet placed that began before every unplaced call ended.
        window: list[int] = []
        min_end = float("inf")
        for index in range(first, n):
            if mask >> index & 1:
                continue
            call = ordered[index]
            if call.start > min_end:
                break
            window.append(index)
            min_end = min(min_end, call.end)
        for index in reversed(window):
            call = ordered[index]
            if call.start > min_end:
                continue
            lo, hi = max(call.start, tmin), call.end
            for nxt in step(state, call, delays, cross_account, lo, hi):
                stack.append((mask | (1 << index), nxt, max(tmin, call.start)))
    done, mask, state = deepest
    placed = [ordered[i] for i in range(n) if mask >> i & 1]
    pending = [ordered[i] for i in range(n) if not mask >> i & 1][:6]
    lines = [
        f"no linearization of {n} calls; the longest legal prefix has {done} calls.",
        f"state after it: {state}",
        "last placed calls:",
        *(f"  {c}" for c in sorted(placed, key=lambda c: c.start)[-6:]),
        "first calls that fit nowhere after it:",
        *(f"  {c}" for c in pending),
    ]
    return Verdict(False, n, explored, "\n".join(lines))
