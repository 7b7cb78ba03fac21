"""Schema declaration: attributes, nested blocks and versioned schemas.

Pure Python and protocol-agnostic; ``tfplugin6`` turns it into protobuf.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property
from typing import Any

from .cty import CtyType, ListType, MapType, ObjectType, SetType


@dataclass(frozen=True)
class Problems:
    """What a validator found: whole messages, each one diagnostic's summary."""

    warnings: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()


# A validator gets a known, non-null value and the attribute's flat key (the Go plugin
# SDK's ``k``: "name", or "timeouts.create" inside a block) and returns None, one error
# message or Problems. Messages are whole sentences naming the key, as the SDK's
# validators write them (validators.py). Raising ValueError reports "<key>: <message>".
Validator = Callable[[Any, str], str | Problems | None]
# The Go SDK's DiffSuppressFunc: given the planned values of the resource (as the SDK's
# d.Get sees them during a diff), True hides any change of the attribute.
DiffSuppress = Callable[[Mapping[str, Any]], bool]


class Nesting(Enum):
    SINGLE = "single"
    LIST = "list"
    SET = "set"
    MAP = "map"


@dataclass(frozen=True)
class Attribute:
    name: str
    type: CtyType
    required: bool = False
    optional: bool = False
    computed: bool = False
    sensitive: bool = False
    force_new: bool = False
    description: str = ""
    # A non-empty message marks the attribute deprecated; setting it warns at validate.
    deprecated: str = ""
    # A non-empty message marks the attribute removed: setting it is an error at validate
    # (the Go plugin SDK's Removed; the attribute stays in the schema so old state loads).
    removed: str = ""
    # Used at plan time when the configuration leaves the attribute null.
    default: Any = None
    validators: Sequence[Validator] = ()
    # A whole number (the SDK's TypeInt): the wire type is still "number".
    integer: bool = False
    # The SDK's cross-attribute rules, checked on this attribute with the SDK's texts.
    # Names are flat keys from the top of the resource ("name", "a.0.b").
    conflicts_with: Sequence[str] = ()
    exactly_one_of: Sequence[str] = ()
    at_least_one_of: Sequence[str] = ()
    required_with: Sequence[str] = ()
    # A suppressed change plans the prior value (null on create): see plan.default_plan.
    diff_suppress: DiffSuppress | None = None

    def __post_init__(self) -> None:
        if self.required and (self.optional or self.computed):
            raise ValueError(f"attribute {self.name!r}: required excludes optional/computed")
        if not (self.required or self.optional or self.computed):
            raise ValueError(f"attribute {self.name!r}: set required, optional or computed")
        if self.default is not None and (self.required or not self.optional):
            raise ValueError(f"attribute {self.name!r}: a default needs optional=True")

    @property
    def wire_computed(self) -> bool:
        # Protocol 6.0 has no legacy type system: a planned value that differs from a null
        # config is only allowed for computed attributes, so a default implies computed.
        return self.computed or self.default is not None


@dataclass(frozen=True)
class NestedBlock:
    name: str
    block: Block
    nesting: Nesting = Nesting.LIST
    min_items: int = 0
    max_items: int = 0
    # Any change inside the block replaces the resource.
    force_new: bool = False
    description: str = ""

    @property
    def object_type(self) -> CtyType:
        inner = self.block.object_type
        if self.nesting is Nesting.SINGLE:
            return inner
        if self.nesting is Nesting.LIST:
            return ListType(inner)
        if self.nesting is Nesting.SET:
            return SetType(inner)
        return MapType(inner)


@dataclass(frozen=True)
class Block:
    attributes: Sequence[Attribute] = ()
    blocks: Sequence[NestedBlock] = ()
    description: str = ""
    deprecated: bool = False

    def __post_init__(self) -> None:
        names = [a.name for a in self.attributes] + [b.name for b in self.blocks]
        dupes = {n for n in names if names.count(n) > 1}
        if dupes:
            raise ValueError(f"duplicate names in block: {sorted(dupes)}")

    @cached_property
    def object_type(self) -> ObjectType:
        attrs: dict[str, CtyType] = {a.name: a.type for a in self.attributes}
        collections = set()
        for b in self.blocks:
            attrs[b.name] = b.object_type
            if b.nesting is not Nesting.SINGLE:
                collections.add(b.name)
        return ObjectType(attrs, frozenset(collections))

    @cached_property
    def attribute_map(self) -> dict[str, Attribute]:
        return {a.name: a for a in self.attributes}

    @cached_property
    def block_map(self) -> dict[str, NestedBlock]:
        return {b.name: b for b in self.blocks}


@dataclass(frozen=True)
class Schema:
    block: Block = field(default_factory=Block)
    version: int = 0

    @property
    def object_type(self) -> ObjectType:
        return self.block.object_type
