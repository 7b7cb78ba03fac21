"""Reusable attribute validators (see :data:`schema.Validator`)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from .durations import parse_duration
from .schema import Validator


def one_of(values: Iterable[Any]) -> Validator:
    allowed = list(values)

    def check(value: Any) -> str | None:
        if value in allowed:
            return None
        return f"expected one of {', '.join(repr(v) for v in allowed)}, got {value!r}"

    return check


def between(low: float, high: float) -> Validator:
    def check(value: Any) -> str | None:
        if low <= value <= high:
            return None
        return f"expected a value between {low:g} and {high:g}, got {value!r}"

    return check


def length_between(low: int, high: int) -> Validator:
    def check(value: Any) -> str | None:
        if low <= len(value) <= high:
            return None
        return f"expected length between {low} and {high}, got {len(value)}"

    return check


def matches(pattern: str, message: str = "") -> Validator:
    regex = re.compile(pattern)

    def check(value: Any) -> str | None:
        if regex.fullmatch(value):
            return None
        return message or f"{value!r} does not match {pattern!r}"

    return check


def duration(value: Any) -> str | None:
    """A Go-style duration such as "5m", "1h30m" or "20s"."""
    try:
        parse_duration(value)
    except ValueError as exc:
        return str(exc)
    return None
