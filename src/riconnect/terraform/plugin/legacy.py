"""The Go plugin SDK v1's value rules, for a provider that declares ``legacy_type_system``.

SDK v1 keeps a resource's state as a flatmap of strings, so a value it sets is never null:
``d.Set(k, nil)`` stores the type's zero value ("" / 0 / false / [] / {}; helper/schema
field_writer_map.go setPrimitive), and its diff compares an unset argument as that zero
value (schema.go diffString: ``nraw = schema.Type.Zero()``; diffList and diffMap compare
element counts).  :func:`zero_filled` is the first rule for values a resource's read
sets, :func:`keep_zero_values` the second for a plan, and :func:`normalize_applied` is how
SDK v1 reconciles an apply's result with its plan.  :func:`unapplied` is riconnect's own
check that an update the cloud did not carry out is an error, not a silent drift.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Mapping
from typing import Any

from .cty import (
    UNKNOWN,
    Bool,
    CtyType,
    ListType,
    MapType,
    Number,
    SetType,
    State,
    String,
    is_wholly_known,
)
from .diagnostics import Diagnostics
from .schema import Block

_ZERO: dict[CtyType, Any] = {String: "", Bool: False, Number: 0}


def zero_value(ty: CtyType) -> Any:
    """What SDK v1 stores for ``d.Set(k, nil)``; None for types it has no zero for."""
    if ty in _ZERO:
        return _ZERO[ty]
    if isinstance(ty, ListType | SetType):
        return []
    if isinstance(ty, MapType):
        return {}
    return None


def zero_filled(block: Block, values: Mapping[str, Any], names: Iterable[str]) -> dict[str, Any]:
    """``values`` with a None of each attribute in ``names`` replaced by its zero value
    (``names``: the attributes a read set, as the Go Read's ``d.Set`` calls do)."""
    out = dict(values)
    attrs = block.attribute_map
    for name in names:
        if out.get(name) is None and name in attrs:
            out[name] = zero_value(attrs[name].type)
    return out


def _sdk_equal(ty: CtyType, old: Any, new: Any) -> bool:
    """SDK v1's comparison of a prior value with an argument (diffString compares both as
    strings): a null argument is the zero value, but a null prior is "", which only a
    string's zero equals ("false" and "0" differ from it)."""
    if isinstance(ty, ListType | SetType | MapType):
        return not old and not new  # diffList/diffMap: no element on either side
    zero = _ZERO.get(ty)
    if zero is None or (old is None and ty != String):
        return False
    a, b = zero if old is None else old, zero if new is None else new
    return a == b and isinstance(a, bool) == isinstance(b, bool)


def keep_zero_values(block: Block, prior: State, planned: State, config: State) -> None:
    """Plan an argument's prior value where SDK v1's diff sees no change: a null argument
    against a prior zero value ("" / false / 0, or an empty collection), or "" (or an empty
    collection) against a prior null."""
    for attr in block.attributes:
        if attr.computed or attr.default is not None:
            continue
        old, new = prior.get(attr.name), planned.get(attr.name)
        if new != config.get(attr.name) or old == new:
            continue  # the provider's plan changed it on purpose, or nothing to do
        if _sdk_equal(attr.type, old, new):
            planned[attr.name] = old


def normalize_applied(block: Block, new: State, planned: State) -> None:
    """SDK v1's normalizeNullValues after apply (grpc_provider.go), on top-level attributes:
    a collection that is null on one side and empty on the other keeps the plan's form, and
    a null the provider returned for a known planned primitive keeps the planned value."""
    for attr in block.attributes:
        got, want = new.get(attr.name), planned.get(attr.name)
        if isinstance(attr.type, ListType | SetType | MapType):
            if (got is None and want is not UNKNOWN and want is not None and len(want) == 0) or (
                want is None and got is not None and len(got) == 0
            ):
                new[attr.name] = copy.deepcopy(want)
        elif got is None and want is not None and is_wholly_known(want):
            new[attr.name] = want


def unapplied(
    block: Block,
    prior: State,
    planned: State,
    new: State,
    type_name: str,
    diags: Diagnostics,
    declinable: Iterable[str] = (),
) -> None:
    """Report arguments this update changed in the plan that the cloud does not show
    (except ``declinable`` ones, whose change the Go provider may silently not make)."""
    skip = set(declinable)
    for attr in block.attributes:
        if not (attr.required or attr.optional) or attr.name in skip:
            continue
        want = planned.get(attr.name)
        if want == prior.get(attr.name) or not is_wholly_known(want) or want is None:
            continue
        got = new.get(attr.name)
        if got != want:
            diags.error(
                f"{type_name}: {attr.name} was not changed",
                f"The update asked for {json.dumps(want)}, but the cloud answers "
                f"{json.dumps(got)}. The state records the cloud's value.",
                (attr.name,),
            )
