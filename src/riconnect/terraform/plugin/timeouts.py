"""The ``timeouts { create = "10m" }`` block: per-operation time limits a user may set."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .cty import String
from .durations import parse_duration
from .schema import Attribute, Block, NestedBlock, Nesting
from .validators import duration

OPERATIONS = ("create", "read", "update", "delete")


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
