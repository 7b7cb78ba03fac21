"""DynamicValue codec with cty semantics (msgpack and JSON).

* Objects always carry every attribute and block key; an absent key is null, except
  LIST/SET/MAP nested blocks, which are never null in Terraform (empty collection).
* Unknown is msgpack extension type 0 (ext 12, a "refined" unknown from newer
  Terraform, is read as unknown too) and :data:`UNKNOWN` in Python.
* Numbers are ``int`` when integral, else ``float``; numbers that do not fit msgpack's
  64-bit integers travel as strings, as cty does.
* Sets are lists.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

import msgpack

from .cty import UNKNOWN, CtyType, ListType, MapType, ObjectType, Primitive, SetType
from .diagnostics import Key, Path

_UNKNOWN_EXT_CODES = (0, 12)
_INT_MIN = -(2**63)
_INT_MAX = 2**64 - 1


class CodecError(ValueError):
    """A value does not fit its type; ``path`` says where."""

    def __init__(self, message: str, path: Path = ()) -> None:
        where = _format_path(path)
        super().__init__(f"{where}: {message}" if where else message)
        self.path = path


def _format_path(path: Path) -> str:
    out = ""
    for step in path:
        if isinstance(step, str):
            out += f".{step}" if out else step
        elif isinstance(step, Key):
            out += f"[{step.value!r}]"
        else:
            out += f"[{step}]"
    return out


def _ext_hook(code: int, data: bytes) -> Any:
    if code in _UNKNOWN_EXT_CODES:
        return UNKNOWN
    raise CodecError(f"unsupported msgpack extension type {code}")


def _default(obj: Any) -> Any:
    if obj is UNKNOWN:
        return msgpack.ExtType(0, b"")
    raise TypeError(f"cannot encode {type(obj).__name__} as msgpack")


def decode_msgpack(data: bytes, ty: CtyType) -> Any:
    raw = msgpack.unpackb(data, ext_hook=_ext_hook, raw=False, strict_map_key=False)
    return normalize(raw, ty, strict=False)


def decode_json(data: bytes | str, ty: CtyType) -> Any:
    return normalize(json.loads(data), ty, strict=False)


def decode_dynamic(msgpack_data: bytes, json_data: bytes, ty: CtyType) -> Any:
    """Decode a DynamicValue's two fields; msgpack wins, an empty value is null."""
    if msgpack_data:
        return decode_msgpack(msgpack_data, ty)
    if json_data:
        return decode_json(json_data, ty)
    return None


def encode_msgpack(value: Any, ty: CtyType) -> bytes:
    """Encode provider output; raises CodecError for a value that does not fit ``ty``."""
    wire = normalize(value, ty, strict=True, for_wire=True)
    packed: bytes = msgpack.packb(wire, default=_default, use_bin_type=True)
    return packed


def null_object(ty: ObjectType) -> dict[str, Any]:
    """An object of ``ty`` with every attribute null (collection blocks empty)."""
    result = normalize({}, ty, strict=False)
    assert isinstance(result, dict)
    return result


def normalize(
    value: Any, ty: CtyType, *, strict: bool = True, for_wire: bool = False, path: Path = ()
) -> Any:
    """Coerce ``value`` to the canonical Python form of ``ty``.

    ``strict`` rejects object keys that are not in the type (catches typos in provider
    code); non-strict drops them (old state carrying removed attributes).
    """
    if value is None or value is UNKNOWN:
        return value
    if isinstance(ty, Primitive):
        return _primitive(value, ty.name, for_wire, path)
    if isinstance(ty, ListType | SetType):
        if isinstance(value, str | bytes | Mapping) or not hasattr(value, "__iter__"):
            raise CodecError(f"expected a {ty.friendly()}, got {type(value).__name__}", path)
        items = [
            normalize(v, ty.element, strict=strict, for_wire=for_wire, path=(*path, i))
            for i, v in enumerate(value)
        ]
        return _dedupe(items) if isinstance(ty, SetType) else items
    if isinstance(ty, MapType):
        if not isinstance(value, Mapping):
            raise CodecError(f"expected a {ty.friendly()}, got {type(value).__name__}", path)
        return {
            str(k): normalize(
                v, ty.element, strict=strict, for_wire=for_wire, path=(*path, Key(str(k)))
            )
            for k, v in value.items()
        }
    if isinstance(ty, ObjectType):
        if not isinstance(value, Mapping):
            raise CodecError(f"expected an object, got {type(value).__name__}", path)
        if strict:
            extra = [k for k in value if k not in ty.attributes]
            if extra:
                raise CodecError(f"unexpected attribute(s) {sorted(extra)} not in the schema", path)
        out: dict[str, Any] = {}
        for name, attr_ty in ty.attributes.items():
            v = value.get(name)
            if v is None and name in ty.collection_blocks:
                v = {} if isinstance(attr_ty, MapType) else []
            out[name] = normalize(v, attr_ty, strict=strict, for_wire=for_wire, path=(*path, name))
        return out
    raise CodecError(f"unsupported type {ty!r}", path)


def _dedupe(items: list[Any]) -> list[Any]:
    # Lists of dicts are unhashable, and sets are small: quadratic equality is fine.
    out: list[Any] = []
    for item in items:
        if item is UNKNOWN or item not in out:
            out.append(item)
    return out


def _primitive(value: Any, name: str, for_wire: bool, path: Path) -> Any:
    if name == "string":
        if isinstance(value, str):
            return value
        if isinstance(value, bool):  # before int: bool is an int subclass
            return "true" if value else "false"
        if isinstance(value, int | float):
            return _number_text(value)
        raise CodecError(f"expected a string, got {type(value).__name__}", path)
    if name == "number":
        if isinstance(value, bool):
            raise CodecError("expected a number, got bool", path)
        if isinstance(value, str):
            try:
                value = float(value) if any(c in value for c in ".eE") else int(value)
            except ValueError:
                raise CodecError(f"expected a number, got {value!r}", path) from None
        if isinstance(value, float):
            if not math.isfinite(value):
                raise CodecError(f"number {value} is not finite", path)
            if value.is_integer() and abs(value) < 2**63:
                value = int(value)
        if isinstance(value, int):
            if for_wire and not _INT_MIN <= value <= _INT_MAX:
                return str(value)
            return value
        if isinstance(value, float):
            return value
        raise CodecError(f"expected a number, got {type(value).__name__}", path)
    if name == "bool":
        if isinstance(value, bool):
            return value
        if value in ("true", "false"):
            return value == "true"
        raise CodecError(f"expected a bool, got {value!r}", path)
    raise CodecError(f"unsupported primitive type {name!r}", path)


def _number_text(value: int | float) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
