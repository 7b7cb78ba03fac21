"""The pair model and the linearizability checker can tell a correct history from a broken one.

Without these, a checker that accepted everything would make the concurrency suite pass
whatever the server did.
"""

from __future__ import annotations

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

IDLE_PAIR = PairState(Side("Idle", "i0"), Side("Idle", "a0"), "Large.2")
NO_DELAY = Delays()
TIMED = Delays(connect=1.0, activate=1.0, deactivate=1.0, delete=1.0, spec=1.0)


def call(kind: str, side: str, start: float, end: float, code: str = "", **kw: object) -> Call:
    status = 200 if not code else (404 if code.endswith("NotFound") else 400)
    return Call(kind, side, start, end, status, code, **kw)  # type: ignore[arg-type]


def shown(status: str, name: str, opposite: str, spec: str = "Large.2") -> dict[str, object]:
    return {"Status": status, "Name": name, "Spec": spec, "OppositeInterfaceStatus": opposite}


def numbered(calls: list[Call]) -> list[Call]:
    for index, c in enumerate(calls):
        c.index = index
    return calls


def test_a_sequential_lifecycle_is_accepted() -> None:
    calls = numbered(
        [
            call(CONNECT, "i", 0, 1),
            call(DESCRIBE, "a", 2, 3, shown=shown("Active", "a0", "Active", "Negative")),
            call(DEACTIVATE, "a", 4, 5),
            call(RENAME, "i", 6, 7, arg="i1"),
            call(DESCRIBE, "i", 8, 9, shown=shown("Inactive", "i1", "Inactive")),
            call(DELETE, "a", 10, 11),
            call(ACTIVATE, "i", 12, 13, "IncorrectOppositeInterfaceInfo.Mismatch"),
            call(DESCRIBE, "i", 14, 15, shown=shown("Inactive", "i1", "Deleted")),
            call(LIST, "a", 16, 17, shown={"TotalCount": 0}),
            call(DELETE, "a", 18, 19, "InvalidInstanceId.NotFound"),
        ]
    )
    assert check(calls, IDLE_PAIR, NO_DELAY).ok


def test_an_illegal_success_is_rejected() -> None:
    calls = numbered([call(DEACTIVATE, "i", 0, 1)])  # an Idle pair cannot be deactivated
    verdict = check(calls, IDLE_PAIR, NO_DELAY)
    assert not verdict.ok
    assert "longest legal prefix has 0 calls" in verdict.message


def test_a_wrong_error_code_is_rejected() -> None:
    calls = numbered([call(CONNECT, "a", 0, 1, "IncorrectRIStatus")])  # acceptor: role error
    assert not check(calls, IDLE_PAIR, NO_DELAY).ok
    calls = numbered([call(CONNECT, "a", 0, 1, "IncorrectRole.NotInitiatingSide")])
    assert check(calls, IDLE_PAIR, NO_DELAY).ok


def test_a_lost_update_is_rejected() -> None:
    calls = numbered(
        [
            call(RENAME, "i", 0, 1, arg="first"),
            call(RENAME, "i", 2, 3, arg="second"),
            call(DESCRIBE, "i", 4, 5, shown=shown("Idle", "first", "")),
        ]
    )
    assert not check(calls, IDLE_PAIR, NO_DELAY).ok


def test_overlapping_writes_may_take_effect_in_either_order() -> None:
    for seen in ("first", "second"):
        calls = numbered(
            [
                call(RENAME, "i", 0, 3, arg="first"),
                call(RENAME, "i", 1, 2, arg="second"),
                call(DESCRIBE, "i", 4, 5, shown=shown("Idle", seen, "")),
            ]
        )
        assert check(calls, IDLE_PAIR, NO_DELAY).ok, seen


def test_a_double_connect_is_rejected() -> None:
    # Two overlapping Connects of one Idle pair: exactly one may succeed.
    both = numbered([call(CONNECT, "i", 0, 2), call(CONNECT, "i", 1, 3)])
    assert not check(both, IDLE_PAIR, NO_DELAY).ok
    one = numbered([call(CONNECT, "i", 0, 2), call(CONNECT, "i", 1, 3, "IncorrectRIStatus")])
    assert check(one, IDLE_PAIR, NO_DELAY).ok


def test_sides_that_disagree_are_rejected() -> None:
    calls = numbered(
        [
            call(CONNECT, "i", 0, 1),
            call(DESCRIBE, "i", 2, 3, shown=shown("Active", "i0", "Idle")),
        ]
    )
    assert not check(calls, IDLE_PAIR, NO_DELAY).ok


def test_timed_intermediate_states() -> None:
    # Connect at some instant of [0, 0.1]; with a 1 s delay the pair is Active from 1.1 at the
    # latest and not before 1.0.
    early_active = numbered(
        [
            call(CONNECT, "i", 0, 0.1),
            call(DESCRIBE, "i", 0.3, 0.4, shown=shown("Active", "i0", "Active")),
        ]
    )
    assert not check(early_active, IDLE_PAIR, TIMED).ok
    connecting = numbered(
        [
            call(CONNECT, "i", 0, 0.1),
            call(DESCRIBE, "i", 0.3, 0.4, shown=shown("Connecting", "i0", "AcceptingConnecting")),
        ]
    )
    assert check(connecting, IDLE_PAIR, TIMED).ok
    stuck = numbered(
        [
            call(CONNECT, "i", 0, 0.1),
            call(DESCRIBE, "i", 1.5, 1.6, shown=shown("Connecting", "i0", "AcceptingConnecting")),
        ]
    )
    assert not check(stuck, IDLE_PAIR, TIMED).ok
    # Near the deadline either view is legal.
    for status, opposite in (("Connecting", "AcceptingConnecting"), ("Active", "Active")):
        edge = numbered(
            [
                call(CONNECT, "i", 0, 0.1),
                call(DESCRIBE, "i", 0.95, 1.05, shown=shown(status, "i0", opposite)),
            ]
        )
        assert check(edge, IDLE_PAIR, TIMED).ok, status


def test_spec_changes_and_deletion_while_deleting() -> None:
    calls = numbered(
        [
            call(MODIFY_SPEC, "i", 0, 1, arg="Small.1"),
            call(MODIFY_SPEC, "a", 2, 3, "IncorrectRole.NotInitiatingSide", arg="Small.2"),
            call(MODIFY_SPEC, "i", 4, 5, "InvalidSpec.ValudNotSupported", arg="Huge.9"),
            call(DELETE, "i", 6, 6.1),
            call(DESCRIBE, "i", 6.2, 6.3, shown=shown("Deleting", "i0", "", "Small.1")),
            call(RENAME, "i", 6.4, 6.5, "IncorrectStatus", arg="x"),
            call(DESCRIBE, "i", 8, 9, "InvalidInstanceId.NotFound"),
        ]
    )
    assert check(calls, IDLE_PAIR, TIMED).ok
