"""Comparing what the two providers did with one case: plans, errors, states, imports.

A difference is one line naming the step, the check and both values.  Ids and timestamps
are compared as placeholders (runner.normalize); ``id`` itself is left aside.
"""

from __future__ import annotations

from typing import Any

from tests.terraform.differential.runner import (
    Change,
    Diagnostic,
    GroupResult,
    is_zero,
    normalize,
)

IGNORED = frozenset({"id"})


class Differences:
    """The differences of one case: ``real`` ones, and ``zero`` ones (null on one side, the
    type's zero value on the other: SDK v1's legacy type system, compared per type)."""

    def __init__(self, shared: frozenset[str] | None = None) -> None:
        self.shared = shared  # attributes both schemas have (None: all)
        self.real: list[str] = []
        self.zero: list[str] = []

    def attributes(self, where: str, official: Any, ours: Any) -> None:
        a = {k: normalize(v) for k, v in (official or {}).items() if k not in IGNORED}
        b = {k: normalize(v) for k, v in (ours or {}).items() if k not in IGNORED}
        for k in sorted(set(a) | set(b)):
            if self.shared is not None and k not in self.shared or a.get(k) == b.get(k):
                continue
            line = f"{where}: {k}: official={a.get(k)!r} ours={b.get(k)!r}"
            if is_zero(a.get(k)) and is_zero(b.get(k)):
                self.zero.append(line)
            else:
                self.real.append(line)


def _change(
    where: str, official: Change | None, ours: Change | None, shared: frozenset[str] | None
) -> list[str]:
    # A plan without changes was not shown: its addresses are no-ops.
    if official is not None and official.actions == ["no-op"] and ours is None:
        return []
    if ours is not None and ours.actions == ["no-op"] and official is None:
        return []
    if official is None or ours is None:
        if official is ours:
            return []
        return [f"{where}: official={official and official.actions} ours={ours and ours.actions}"]
    out = []
    if official.actions != ours.actions:
        out.append(f"{where}: actions official={official.actions} ours={ours.actions}")
    keep = (
        (lambda names: sorted(n for n in names if n not in IGNORED and n in shared))
        if (shared is not None)
        else (lambda names: sorted(n for n in names if n not in IGNORED))
    )
    changed = (keep(official.changed()), keep(ours.changed()))
    if changed[0] != changed[1]:
        out.append(f"{where}: changed attributes official={changed[0]} ours={changed[1]}")
    if official.replace_paths != ours.replace_paths:
        out.append(
            f"{where}: replace_paths official={official.replace_paths} ours={ours.replace_paths}"
        )
    return out


def _errors(where: str, official: list[Diagnostic], ours: list[Diagnostic]) -> list[str]:
    a = [d for d in official if d.severity == "error"]
    b = [d for d in ours if d.severity == "error"]
    if bool(a) != bool(b):
        first = (a or b)[0]
        who = "official" if a else "ours"
        return [f"{where}: only {who} failed: {first.summary[:300]}"]
    codes = (
        sorted(set().union(*(d.codes for d in a))),
        sorted(set().union(*(d.codes for d in b))),
    )
    if codes[0] != codes[1]:
        return [f"{where}: error codes official={codes[0]} ours={codes[1]}"]
    return []


def compare_case(
    address: str,
    official: GroupResult,
    ours: GroupResult,
    shared: frozenset[str] | None = None,
) -> Differences:
    """Every difference between the providers for ``address``, on the attributes both
    schemas have (``shared``; a schema difference is a test of its own)."""
    out = Differences(shared)
    real = out.real
    if official.harness or ours.harness:
        real.append(f"harness: official={official.harness!r} ours={ours.harness!r}")
        return out
    if address in ours.left_out:
        real.append(f"ours lacks the argument {ours.left_out[address]!r}")
    for step, a in official.steps.items():
        b = ours.steps.get(step)
        if b is None:
            real.append(f"{step}: ours did not run this step")
            continue
        refused = _errors(
            f"{step} plan", a.plan_errors.get(address, []), b.plan_errors.get(address, [])
        )
        real += refused
        if refused:  # the rest of the case only repeats it
            break
        real += _change(f"{step} plan", a.plan.get(address), b.plan.get(address), shared)
        failed = _errors(
            f"{step} apply", a.apply_errors.get(address, []), b.apply_errors.get(address, [])
        )
        real += failed
        if failed and "only" in failed[0]:  # one side has no object: the rest repeats it
            break
        if (address in a.state) != (address in b.state):
            real.append(
                f"{step} state: present official={address in a.state} ours={address in b.state}"
            )
        else:
            out.attributes(f"{step} state", a.state.get(address), b.state.get(address))
        real += _change(
            f"{step} plan after apply",
            a.after_apply.get(address),
            b.after_apply.get(address),
            shared,
        )
        real += _errors(
            f"{step} import", a.import_errors.get(address, []), b.import_errors.get(address, [])
        )
        out.attributes(f"{step} import", a.imported.get(address), b.imported.get(address))
        real += _change(
            f"{step} plan after import",
            a.after_import.get(address),
            b.after_import.get(address),
            shared,
        )
    return out
