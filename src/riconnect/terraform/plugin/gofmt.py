"""Go's ``fmt`` formatting of the values SDK v1 messages carry (``%v``, ``%q``).

Terraform users of an SDK v1 provider see these texts verbatim, so they are reproduced
exactly: ``%v`` of a ``[]string`` is ``[a b]``, of a float64 ``1.5`` or ``1e+06``.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

_ESCAPES = {"\a": r"\a", "\b": r"\b", "\f": r"\f", "\n": r"\n", "\r": r"\r", "\t": r"\t"}
_ESCAPES |= {"\v": r"\v", "\\": r"\\", '"': r"\""}


def go_quote(text: str) -> str:
    """``%q`` of a string (Go's strconv.Quote)."""
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ch.isprintable() or ch == " ":
            out.append(ch)
        elif ord(ch) < 0x80:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    return '"' + "".join(out) + '"'


def go_float(value: float) -> str:
    """``%v`` of a float64: the shortest digits, exponent form below 1e-4 or from 1e6
    (strconv's shortest ``%g``)."""
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "+Inf" if value > 0 else "-Inf"
    sign, digits, exponent = Decimal(repr(value)).normalize().as_tuple()
    assert isinstance(exponent, int)
    text = "".join(map(str, digits))
    exp10 = len(text) + exponent - 1
    prefix = "-" if sign else ""
    if value == 0:
        return prefix + "0"
    if exp10 < -4 or exp10 >= 6:
        mantissa = text[0] + ("." + text[1:] if len(text) > 1 else "")
        return f"{prefix}{mantissa}e{'-' if exp10 < 0 else '+'}{abs(exp10):02d}"
    if exp10 < 0:
        return f"{prefix}0.{'0' * (-exp10 - 1)}{text}"
    whole, frac = text[: exp10 + 1].ljust(exp10 + 1, "0"), text[exp10 + 1 :]
    return prefix + whole + ("." + frac if frac else "")


def go_value(value: Any) -> str:
    """``%v`` of a decoded configuration value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return go_float(value)
    if isinstance(value, list | tuple):
        return go_list(value)
    if value is None:
        return "<nil>"
    return str(value)


def go_list(values: Iterable[Any]) -> str:
    """``%v`` of a slice: ``[a b c]``."""
    return "[" + " ".join(go_value(v) for v in values) + "]"
