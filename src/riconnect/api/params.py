"""Declarative request parameters, and one generic parser over them.

Each action lists its parameters (see api/actions/); parsing and validation are
driven by that list alone.  Neither official SDK validates anything, so the server must:
a missing or malformed parameter gets an error that names it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from riconnect.domain.errors import ApiError, catalogued

MAX_STRING = 4096  # no legitimate value in these APIs is longer
MAX_LIST_INDEX = 100  # Tag.N / Filter.N / Filter.N.Value.M: N and M stay small
_INT_RE = re.compile(r"^[+-]?[0-9]{1,18}$")  # ASCII digits only: \d matches "٣"


@dataclass(frozen=True)
class Param:
    """One request parameter.

    kind: ``str`` | ``int`` | ``bool`` | ``list`` (``Name.N``) | ``tags`` (``Name.N.Key``/``Name.N.Value``) |
    ``filters`` (``Name.N.Key``/``Name.N.Value.M``).
    """

    name: str
    kind: str = "str"
    required: bool = False
    enum: tuple[str, ...] | None = None
    min_len: int | None = None
    max_len: int | None = None
    min: int | None = None
    max: int | None = None
    default: Any = None
    # Catalogue code for a value outside enum/bounds (default: InvalidParameter).
    error: str | None = None
    # Other spellings accepted for the same parameter (Terraform sends Tag.N for Tags.N).
    aliases: tuple[str, ...] = ()
    max_items: int | None = None
    filter_keys: tuple[str, ...] | None = None
    # An account uid: decimal digits, kept as text (the SDKs type it a string in some
    # actions and a Long in others); spaces around it are dropped.
    uid: bool = False
    # A string whose empty value is a value ("clear it"), not an absent parameter: what the
    # official Terraform provider sends for an argument removed from the configuration
    # (ModifyVirtualBorderRouterAttribute; docs/fidelity.md).
    clearable: bool = False

    def __post_init__(self) -> None:
        if self.error is not None:
            catalogued(self.error)  # a typo fails when the table is built, not per request


def Str(name: str, **kw: Any) -> Param:
    return Param(name, "str", **kw)


def Int(name: str, **kw: Any) -> Param:
    return Param(name, "int", **kw)


def Bool(name: str, **kw: Any) -> Param:
    return Param(name, "bool", **kw)


def Tags(name: str, **kw: Any) -> Param:
    return Param(name, "tags", **kw)


def Strings(name: str, **kw: Any) -> Param:
    """A flattened list ``Name.1``, ``Name.2``, …"""
    return Param(name, "list", **kw)


def Filters(name: str, keys: tuple[str, ...], max_items: int = 5, **kw: Any) -> Param:
    return Param(name, "filters", filter_keys=keys, max_items=max_items, **kw)


def _invalid(param: Param, detail: str, use_code: bool = True) -> ApiError:
    if use_code and param.error:
        return ApiError(param.error, detail=detail)
    return ApiError("InvalidParameter", name=param.name, detail=detail)


def _check_str(param: Param, name: str, value: str) -> str:
    if len(value) > (param.max_len or MAX_STRING) or len(value) < (param.min_len or 0):
        lo, hi = param.min_len or 0, param.max_len or MAX_STRING
        raise _invalid(param, f"{name} must be {lo} to {hi} characters long.")
    if "\x00" in value:
        raise _invalid(param, f"{name} must not contain NUL characters.", use_code=False)
    if param.enum is not None and value not in param.enum:
        raise _invalid(param, f"{name} must be one of: {', '.join(param.enum)}.")
    if param.uid:
        value = value.strip()
        if not value.isdigit():
            raise _invalid(param, f"{value[:40]!r} is not an account id.")
    return value


def _parse_int(param: Param, name: str, value: str) -> int:
    if not _INT_RE.match(value.strip()):
        raise _invalid(param, f"{name} must be an integer: {value[:64]!r}.", use_code=False)
    number = int(value)
    if (param.min is not None and number < param.min) or (
        param.max is not None and number > param.max
    ):
        raise _invalid(param, f"{name} must be between {param.min} and {param.max}.")
    return number


def _parse_bool(param: Param, name: str, value: str) -> bool:
    low = value.strip().lower()
    if low == "true":
        return True
    if low == "false":
        return False
    raise _invalid(param, f"{name} must be true or false: {value[:64]!r}.", use_code=False)


def _index(param: Param, raw: str, full: str) -> int:
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_LIST_INDEX:
        raise ApiError(
            "InvalidParameter",
            name=full,
            detail=f"List indexes are 1 to {MAX_LIST_INDEX}.",
        )
    return int(raw)


def _parse_tags(param: Param, raw: Mapping[str, str]) -> list[tuple[str, str]] | None:
    entries: dict[int, dict[str, str]] = {}
    seen_any = False
    for prefix in (param.name, *param.aliases):
        pattern = re.compile(rf"^{re.escape(prefix)}\.([^.]+)\.(Key|Value)$")
        for key, value in raw.items():
            m = pattern.match(key)
            if m is None:
                continue
            seen_any = True
            idx = _index(param, m.group(1), key)
            slot = entries.setdefault(idx, {})
            if m.group(2) in slot and slot[m.group(2)] != value:
                raise ApiError("InvalidParameter.Duplicate", name=key)
            slot[m.group(2)] = value
    if not seen_any:
        return None
    out = []
    for idx in sorted(entries):
        slot = entries[idx]
        if "Key" not in slot:
            raise ApiError("MissingParameter", name=f"{param.name}.{idx}.Key")
        out.append(
            (
                _check_str(param, f"{param.name}.{idx}.Key", slot["Key"]),
                _check_str(param, f"{param.name}.{idx}.Value", slot.get("Value", "")),
            )
        )
    if param.max_items is not None and len(out) > param.max_items:
        raise _invalid(param, f"At most {param.max_items} items are allowed.")
    return out


def _parse_filters(param: Param, raw: Mapping[str, str]) -> list[tuple[str, list[str]]] | None:
    key_re = re.compile(rf"^{re.escape(param.name)}\.([^.]+)\.Key$")
    value_re = re.compile(rf"^{re.escape(param.name)}\.([^.]+)\.Value\.([^.]+)$")
    keys: dict[int, str] = {}
    values: dict[int, dict[int, str]] = {}
    for name, value in raw.items():
        if (m := key_re.match(name)) is not None:
            keys[_index(param, m.group(1), name)] = value
        elif (m := value_re.match(name)) is not None:
            n = _index(param, m.group(1), name)
            values.setdefault(n, {})[_index(param, m.group(2), name)] = value
        elif name.startswith(param.name + "."):
            # e.g. Filter.1.Value without .M, as pre-1.200 Terraform sent it
            raise ApiError(
                "InvalidParameter",
                name=name,
                detail=f"Use {param.name}.N.Key and {param.name}.N.Value.M.",
            )
    if not keys and not values:
        return None
    out = []
    for n in sorted(set(keys) | set(values)):
        if n not in keys:
            raise ApiError("MissingParameter", name=f"{param.name}.{n}.Key")
        key = keys[n]
        if param.filter_keys is not None and key not in param.filter_keys:
            raise ApiError(
                "InvalidParameter",
                name=f"{param.name}.{n}.Key",
                detail=f"Supported keys: {', '.join(param.filter_keys)}.",
            )
        vals = [v for _, v in sorted(values.get(n, {}).items())]
        if not vals:
            raise ApiError("MissingParameter", name=f"{param.name}.{n}.Value.1")
        for pos, v in enumerate(vals, 1):
            _check_str(Param(param.name), f"{param.name}.{n}.Value.{pos}", v)
        out.append((key, vals))
    if param.max_items is not None and len(out) > param.max_items:
        raise ApiError(
            "InvalidParameter",
            name=param.name,
            detail=f"At most {param.max_items} filters are allowed.",
        )
    return out


def _parse_list(param: Param, raw: Mapping[str, str]) -> list[str] | None:
    pattern = re.compile(rf"^{re.escape(param.name)}\.([^.]+)$")
    items: dict[int, str] = {}
    for key, value in raw.items():
        if (m := pattern.match(key)) is not None:
            items[_index(param, m.group(1), key)] = _check_str(param, key, value)
    if not items:
        return None
    if param.max_items is not None and len(items) > param.max_items:
        raise _invalid(param, f"At most {param.max_items} items are allowed.")
    return [items[i] for i in sorted(items)]


def parse(spec: tuple[Param, ...], raw: Mapping[str, str]) -> dict[str, Any]:
    """Typed values for every declared parameter (absent optional ones are ``default``).

    Parameters that are not declared are ignored, as the real gateway ignores them.
    """
    out: dict[str, Any] = {}
    for param in spec:
        if param.kind == "tags":
            out[param.name] = _parse_tags(param, raw)
            continue
        if param.kind == "filters":
            out[param.name] = _parse_filters(param, raw)
            continue
        if param.kind == "list":
            value_list = _parse_list(param, raw)
            if value_list is None and param.required:
                raise ApiError("MissingParameter", name=f"{param.name}.1")
            out[param.name] = value_list
            continue
        name = param.name
        value = raw.get(name)
        if value is None:
            for alias in param.aliases:
                if alias in raw:
                    value = raw[alias]
                    break
        if value == "" and param.clearable and param.kind == "str":
            out[name] = ""
            continue
        # An empty value counts as absent (clients send "" for unset optional fields).
        if value is None or value == "":
            if param.required:
                raise ApiError("MissingParameter", name=name)
            out[name] = param.default
            continue
        if param.kind == "int":
            out[name] = _parse_int(param, name, value)
        elif param.kind == "bool":
            out[name] = _parse_bool(param, name, value)
        else:
            out[name] = _check_str(param, name, value)
    return out
