"""The ``timeouts { create = "10m" }`` block and Go-style duration parsing."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .cty import String
from .schema import Attribute, Block, NestedBlock, Nesting

_UNITS = {
    "ns": 1e-9,
    "us": 1e-6,
    "µs": 1e-6,
    "μs": 1e-6,
    "ms": 1e-3,
    "s": 1.0,
    "m": 60.0,
    "h": 3600.0,
}
_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)")

OPERATIONS = ("create", "read", "update", "delete")


def parse_duration(text: str) -> float:
    """Parse a Go ``time.ParseDuration`` string ("5m", "1h30m", "1.5s") into seconds.

    Same grammar as Go, so a string that works with the Go provider works here.
    """
    if not isinstance(text, str):
        raise ValueError(f"invalid duration {text!r}: expected a string")
    s = text.strip()
    sign = 1.0
    if s and s[0] in "+-":
        sign = -1.0 if s[0] == "-" else 1.0
        s = s[1:]
    if s == "0":
        return 0.0
    if not s:
        raise ValueError(f'invalid duration {text!r}: expected e.g. "5m", "1h30m" or "20s"')
    total = 0.0
    pos = 0
    while pos < len(s):
        m = _PART.match(s, pos)
        if m is None:
            raise ValueError(
                f'invalid duration {text!r}: expected e.g. "5m", "1h30m" or "20s" '
                "(units: ns, us, ms, s, m, h)"
            )
        total += float(m.group(1)) * _UNITS[m.group(2)]
        pos = m.end()
    return sign * total


@dataclass(frozen=True)
class Timeouts:
    """Default timeouts in seconds per operation; None = operation not configurable.

    >>> TIMEOUTS = Timeouts(create=600, delete=300)
    >>> schema = Schema(Block(attributes=[...], blocks=[TIMEOUTS.block]))
    >>> TIMEOUTS.seconds(planned, "create")   # user's value or the default
    """

    create: float | None = None
    read: float | None = None
    update: float | None = None
    delete: float | None = None

    @property
    def operations(self) -> tuple[str, ...]:
        return tuple(op for op in OPERATIONS if getattr(self, op) is not None)

    @property
    def block(self) -> NestedBlock:
        from .validators import duration

        attrs = [
            Attribute(op, String, optional=True, validators=[duration]) for op in self.operations
        ]
        return NestedBlock("timeouts", Block(attributes=attrs), nesting=Nesting.SINGLE)

    def seconds(self, value: Mapping[str, Any] | None, operation: str) -> float:
        """The timeout for ``operation`` from a config/plan/state object, else the default."""
        default = getattr(self, operation, None)
        if default is None:
            raise ValueError(f"timeout {operation!r} is not declared")
        block = (value or {}).get("timeouts")
        if isinstance(block, Mapping):
            text = block.get(operation)
            if isinstance(text, str):
                return parse_duration(text)
        return float(default)
