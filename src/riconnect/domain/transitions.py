"""Timed transitions: how long intermediate states last, and settling them lazily.

No background worker moves objects along.  An object in an intermediate state stores
its target state and a deadline; whoever reads or writes it next, in the same
transaction, applies the transition first.  So restarts and several server processes
on one database need nothing special.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Protocol

from riconnect.domain.entities import GONE


class Timed(Protocol):
    status: str
    target_status: str | None
    settle_at: float | None


@dataclass(frozen=True)
class Delays:
    """Seconds each intermediate state lasts."""

    vpc_create: float = 0.0  # Pending -> Available
    vpc_delete: float = 0.0  # Deleting -> gone
    ri_connect: float = 0.0  # Connecting / AcceptingConnecting -> Active
    ri_activate: float = 0.0  # Activating -> Active
    ri_deactivate: float = 0.0  # Deactivating -> Inactive
    ri_delete: float = 0.0  # Deleting -> gone
    ri_modify_spec: float = 0.0  # Activating (spec change) -> Active
    vbr_delete: float = 0.0  # deleting -> gone
    vsw_create: float = 0.0  # vSwitch Pending -> Available
    vsw_delete: float = 0.0  # vSwitch Pending -> gone
    route_create: float = 0.0  # route entry Pending -> Available
    route_modify: float = 0.0  # route entry Modifying -> Available
    route_delete: float = 0.0  # route entry Deleting -> gone

    def spec(self) -> str:
        """The text :meth:`parse` reads back as these delays (``name=SECONDS,...``)."""
        return ",".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self))

    @classmethod
    def parse(cls, mode: str) -> Delays:
        """``immediate`` | ``realistic`` | ``fixed:SECONDS`` | ``name=SECONDS,...``."""
        mode = mode.strip()
        if mode in ("", "immediate"):
            return cls()
        if mode == "realistic":
            # Of the order the real service shows (seconds, not minutes), chosen so that
            # clients' wait loops are exercised; see docs/fidelity.md.
            return cls(
                vpc_create=2.0,
                vpc_delete=2.0,
                ri_connect=5.0,
                ri_activate=3.0,
                ri_deactivate=3.0,
                ri_delete=2.0,
                ri_modify_spec=3.0,
                vbr_delete=2.0,
                vsw_create=2.0,
                vsw_delete=2.0,
                route_create=2.0,
                route_modify=1.0,
                route_delete=2.0,
            )
        if mode.startswith("fixed:"):
            seconds = _seconds(mode.removeprefix("fixed:"), mode)
            return cls(**{f.name: seconds for f in fields(cls)})
        names = {f.name for f in fields(cls)}
        values: dict[str, float] = {}
        for part in mode.split(","):
            name, sep, raw = part.partition("=")
            name = name.strip()
            if not sep or name not in names:
                raise ValueError(
                    f"unknown transition setting {part!r}: use immediate, realistic, "
                    f"fixed:SECONDS or NAME=SECONDS with NAME in {sorted(names)}"
                )
            values[name] = _seconds(raw, mode)
        return cls(**values)


# The action that starts each timed transition (DeleteExpressConnect shares the interfaces'
# delete), and the transitions of each resource type: the two handles of the live settings
# (PUT /riconnect/settings), like moto's state manager per model.
ACTIONS: dict[str, str] = {
    "CreateVpc": "vpc_create",
    "DeleteVpc": "vpc_delete",
    "ConnectRouterInterface": "ri_connect",
    "ActivateRouterInterface": "ri_activate",
    "DeactivateRouterInterface": "ri_deactivate",
    "DeleteRouterInterface": "ri_delete",
    "DeleteExpressConnect": "ri_delete",
    "ModifyRouterInterfaceSpec": "ri_modify_spec",
    "DeleteVirtualBorderRouter": "vbr_delete",
    "CreateVSwitch": "vsw_create",
    "DeleteVSwitch": "vsw_delete",
    "CreateRouteEntry": "route_create",
    "ModifyRouteEntry": "route_modify",
    "DeleteRouteEntry": "route_delete",
}
RESOURCE_TYPES: dict[str, tuple[str, ...]] = {
    "Vpc": ("vpc_create", "vpc_delete"),
    "RouterInterface": (
        "ri_connect",
        "ri_activate",
        "ri_deactivate",
        "ri_delete",
        "ri_modify_spec",
    ),
    "VirtualBorderRouter": ("vbr_delete",),
    "VSwitch": ("vsw_create", "vsw_delete"),
    "RouteEntry": ("route_create", "route_modify", "route_delete"),
}


def refine(
    base: Delays,
    resource_types: Mapping[str, object] | None = None,
    actions: Mapping[str, object] | None = None,
) -> Delays:
    """``base`` with the seconds given per resource type, then per action (the more specific
    wins).  Unknown names and bad numbers raise ValueError naming them."""
    values: dict[str, float] = {}
    for table, known, what in (
        (resource_types or {}, RESOURCE_TYPES, "resource type"),
        (actions or {}, {k: (v,) for k, v in ACTIONS.items()}, "action"),
    ):
        for name, raw in table.items():
            if name not in known:
                raise ValueError(f"unknown {what} {name!r}: choose from {', '.join(known)}")
            seconds = _seconds(str(raw), f"{name}={raw}")
            values.update(dict.fromkeys(known[name], seconds))
    return replace(base, **values)


def _seconds(raw: str, mode: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"not a number of seconds in {mode!r}") from None
    if not 0 <= value <= 3600:
        raise ValueError(f"seconds out of range (0..3600) in {mode!r}")
    return value


def begin(obj: Timed, intermediate: str, target: str, now: float, delay: float) -> None:
    """Enter ``intermediate`` now, reaching ``target`` after ``delay`` seconds."""
    obj.status = intermediate
    obj.target_status = target
    obj.settle_at = now + delay


def due(obj: Timed, now: float) -> bool:
    return obj.target_status is not None and obj.settle_at is not None and obj.settle_at <= now


def settle(obj: Timed, now: float) -> bool:
    """Apply a due transition in place.  True when the object changed.

    When the target is :data:`GONE`, the status is left as it was and the caller
    deletes the object.
    """
    if not due(obj, now):
        return False
    assert obj.target_status is not None
    if obj.target_status != GONE:
        obj.status = obj.target_status
        obj.target_status = None
        obj.settle_at = None
    return True


def is_gone(obj: Timed) -> bool:
    return obj.target_status == GONE
