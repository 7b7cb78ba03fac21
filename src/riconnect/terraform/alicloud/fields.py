"""Table-driven mapping between Terraform attributes and the API's fields.

A resource lists its attributes once, each with the field of the Describe answer that
fills it and how (a *reader*)::

    FIELDS = Fields(
        Field("cidr_block", "CidrBlock"),
        Field("description", "Description", null_if_empty),
        Field("user_cidrs", "UserCidrs.UserCidr", as_list),   # a dotted path into the answer
    )
    state = {**base, "id": vpc_id, **FIELDS.read(answer, base)}

A reader gets the API's value (None when the answer lacks it: the SDK's ``to_map`` leaves
unset fields out) and the attribute's current value in ``base`` (the plan or the prior
state), and returns the attribute's new value: a row is the Go provider's
``d.Set(attribute, answer[field])``, so a None is stored as the type's zero value ("", 0,
false, [], {}: :meth:`AliResource._state`), and :data:`UNSET` means the Go Read does not set
the attribute at all (it keeps its current value).  Writes go the other way with
:func:`changed` (an update's parameters) or a plain ``{ApiName: value}`` dict (a create).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from riconnect.terraform.plugin import UNKNOWN

Reader = Callable[[Any, Any], Any]


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


# A reader's answer for "the Go Read does not d.Set this attribute here" (e.g. a field it
# sets only when the answer has it): the attribute keeps its current value.
UNSET: Any = _Unset()


def plain(value: Any, current: Any) -> Any:
    """The API's value as is (None when absent)."""
    return value


def or_empty(value: Any, current: Any) -> Any:
    """The API's value, "" when absent (a computed string the API may leave out)."""
    return "" if value is None else value


def if_present(value: Any, current: Any) -> Any:
    """Set only when the answer has the field (``if v, ok := object[F]; ok { d.Set }``)."""
    return UNSET if value is None else value


def text_if_present(value: Any, current: Any) -> Any:
    """As :func:`if_present`, as a string (a TypeString the answer gives as a number)."""
    return UNSET if value is None else str(value)


def keep_current(value: Any, current: Any) -> Any:
    """The API's value; the current one when the API answers nothing."""
    return value or current


def boolean(value: Any, current: Any) -> bool:
    return bool(value)


def int_or_zero(value: Any, current: Any) -> int:
    return int(value or 0)


def text(value: Any, current: Any) -> str:
    """Any value as a string, "" for none (data sources list every field as a string)."""
    return str(value or "")


def as_list(value: Any, current: Any) -> list[Any]:
    return list(value or [])


def tag_map(value: Any, current: Any) -> dict[str, str]:
    """``[{"Key": k, "Value": v}, ...]`` as a map (the Go provider's tagsToMap: no tags is
    an empty map, which SDK v1 stores as {})."""
    return {t["Key"]: t["Value"] for t in value or []}


@dataclass(frozen=True)
class Field:
    attribute: str
    api: str  # the answer's field; "A.B" is field B of the object in field A
    read: Reader = plain

    def value(self, answer: Mapping[str, Any]) -> Any:
        value: Any = answer
        for step in self.api.split("."):
            value = (value or {}).get(step)
        return value


class Fields:
    """An ordered table of :class:`Field` rows."""

    def __init__(self, *fields: Field) -> None:
        self.fields = fields

    def read(self, answer: Mapping[str, Any], base: Mapping[str, Any]) -> dict[str, Any]:
        """The attributes as ``answer`` shows them, given their current values in ``base``;
        an attribute whose reader answers :data:`UNSET` is left out."""
        out = {f.attribute: f.read(f.value(answer), base.get(f.attribute)) for f in self.fields}
        return {k: v for k, v in out.items() if v is not UNSET}


def changed(
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    params: Mapping[str, str],
    convert: Callable[[Any], Any] | None = None,
) -> dict[str, Any]:
    """``{ApiParam: value}`` for each attribute of ``params`` (attribute -> API parameter)
    whose new value is known, not null and differs from the old one."""
    out: dict[str, Any] = {}
    for attribute, param in params.items():
        value = new.get(attribute)
        if value is None or value is UNKNOWN or value == old.get(attribute):
            continue
        out[param] = convert(value) if convert else value
    return out
