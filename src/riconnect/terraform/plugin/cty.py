"""The subset of cty (Terraform's type system) a provider schema needs.

Values are plain Python: ``str``, ``int``/``float``, ``bool``, ``list`` (lists and sets),
``dict`` (maps and objects), ``None`` (null) and the :data:`UNKNOWN` sentinel
("known after apply").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final


class Unknown:
    """Type of :data:`UNKNOWN`; a singleton so ``value is UNKNOWN`` is the test."""

    _instance: Unknown | None = None

    def __new__(cls) -> Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __copy__(self) -> Unknown:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Unknown:
        return self

    def __reduce__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Final = Unknown()

# An object value (a resource's state, plan or configuration): attribute/block name -> value.
State = dict[str, Any]


def is_known(value: Any) -> bool:
    """True when ``value`` is not UNKNOWN (a null is known)."""
    return value is not UNKNOWN


def is_wholly_known(value: Any) -> bool:
    """True when neither ``value`` nor anything nested in it is UNKNOWN."""
    if value is UNKNOWN:
        return False
    if isinstance(value, dict):
        return all(is_wholly_known(v) for v in value.values())
    if isinstance(value, list):
        return all(is_wholly_known(v) for v in value)
    return True


class CtyType:
    """Base of the cty types; ``to_json`` gives the wire form used in schemas."""

    def to_json(self) -> Any:
        raise NotImplementedError

    def friendly(self) -> str:
        return str(self.to_json()).replace("'", "")


@dataclass(frozen=True)
class Primitive(CtyType):
    name: str  # "string", "number" or "bool"

    def to_json(self) -> Any:
        return self.name

    def friendly(self) -> str:
        return self.name


@dataclass(frozen=True)
class ListType(CtyType):
    element: CtyType

    def to_json(self) -> Any:
        return ["list", self.element.to_json()]


@dataclass(frozen=True)
class SetType(CtyType):
    element: CtyType

    def to_json(self) -> Any:
        return ["set", self.element.to_json()]


@dataclass(frozen=True)
class MapType(CtyType):
    element: CtyType

    def to_json(self) -> Any:
        return ["map", self.element.to_json()]


@dataclass(frozen=True)
class ObjectType(CtyType):
    """An object type.

    ``collection_blocks`` names attributes that come from LIST/SET/MAP nested blocks:
    Terraform never has a null there (no blocks = empty collection), so the codec
    turns a null from provider code into an empty collection.
    """

    attributes: Mapping[str, CtyType]
    collection_blocks: frozenset[str] = field(default_factory=frozenset)

    def __hash__(self) -> int:
        return hash(tuple(self.attributes))

    def to_json(self) -> Any:
        return ["object", {k: t.to_json() for k, t in self.attributes.items()}]


String: Final = Primitive("string")
Number: Final = Primitive("number")
Bool: Final = Primitive("bool")


def List(element: CtyType) -> ListType:
    return ListType(element)


def Set(element: CtyType) -> SetType:
    return SetType(element)


def Map(element: CtyType) -> MapType:
    return MapType(element)


def Object(attributes: Mapping[str, CtyType]) -> ObjectType:
    return ObjectType(dict(attributes))
