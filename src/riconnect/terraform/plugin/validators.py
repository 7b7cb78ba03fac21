"""Reusable attribute validators (see :data:`schema.Validator`).

They are the Go plugin SDK v1's ``helper/validation`` functions, with its exact messages
(terraform-plugin-sdk v1.17.2, helper/validation/strings.go, int.go, meta.go, network.go),
so a provider built on this framework reports what an SDK v1 provider reports. Values are
formatted as Go's ``fmt`` does (:mod:`.gofmt`).
"""

from __future__ import annotations

import inspect
import ipaddress
import re
from collections.abc import Iterable, Sequence
from typing import Any

from .durations import parse_duration
from .gofmt import go_list, go_quote, go_value
from .goregexp import regexp_error
from .schema import Problems, Validator


def string_in_slice(valid: Iterable[str], ignore_case: bool = False) -> Validator:
    allowed = list(valid)

    def check(value: Any, key: str) -> str | None:
        if not isinstance(value, str):
            return f"expected type of {key} to be string"
        for s in allowed:
            if value == s or (ignore_case and value.lower() == s.lower()):
                return None
        return f"expected {key} to be one of {go_list(allowed)}, got {value}"

    return check


def string_len_between(low: int, high: int) -> Validator:
    def check(value: Any, key: str) -> str | None:
        if not isinstance(value, str):
            return f"expected type of {key} to be string"
        # Go's len() of a string counts bytes.
        if not low <= len(value.encode()) <= high:
            return f"expected length of {key} to be in the range ({low} - {high}), got {value}"
        return None

    return check


def string_match(pattern: str, message: str = "") -> Validator:
    """Go's ``regexp.MatchString``: a match anywhere unless the pattern anchors itself."""
    regex = re.compile(pattern)

    def check(value: Any, key: str) -> str | None:
        if not isinstance(value, str):
            return f"expected type of {key} to be string"
        if regex.search(value):
            return None
        if message:
            return f"invalid value for {key} ({message})"
        return (
            f"expected value of {key} to match regular expression {go_quote(pattern)}, got {value}"
        )

    return check


def string_is_valid_regexp(value: Any, key: str) -> str | None:
    if not isinstance(value, str):
        return f"expected type of {key} to be string"
    error = regexp_error(value)
    return f"{go_quote(key)}: {error}" if error else None


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def int_between(low: int, high: int) -> Validator:
    def check(value: Any, key: str) -> str | None:
        if not _int(value):
            return f"expected type of {key} to be integer"
        if not low <= value <= high:
            return f"expected {key} to be in the range ({low} - {high}), got {value}"
        return None

    return check


def int_at_least(low: int) -> Validator:
    def check(value: Any, key: str) -> str | None:
        if not _int(value):
            return f"expected type of {key} to be integer"
        if value < low:
            return f"expected {key} to be at least ({low}), got {value}"
        return None

    return check


def int_at_most(high: int) -> Validator:
    def check(value: Any, key: str) -> str | None:
        if not _int(value):
            return f"expected type of {key} to be integer"
        if value > high:
            return f"expected {key} to be at most ({high}), got {value}"
        return None

    return check


def int_in_slice(valid: Iterable[int]) -> Validator:
    allowed = list(valid)

    def check(value: Any, key: str) -> str | None:
        if not _int(value):
            return f"expected type of {key} to be integer"
        if value in allowed:
            return None
        return f"expected {key} to be one of {go_list(allowed)}, got {value}"

    return check


def is_cidr(value: Any, key: str) -> str | None:
    if not isinstance(value, str):
        return f"expected type of {key} to be string"
    try:
        # Go's net.ParseCIDR wants an address and a prefix length.
        address, _, _ = value.partition("/")
        if "/" not in value or not address:
            raise ValueError(value)
        ipaddress.ip_interface(value)
    except ValueError:
        return (
            f"expected {go_quote(key)} to be a valid IPv4 Value, got {value}: "
            f"invalid CIDR address: {value}"
        )
    return None


def any_of(*validators: Validator) -> Validator:
    """``validation.Any``: passes when one validator passes, else reports them all."""

    def check(value: Any, key: str) -> Problems | None:
        warnings: list[str] = []
        errors: list[str] = []
        for validator in validators:
            found = problems(validator, value, key)
            if not found.warnings and not found.errors:
                return None
            warnings += found.warnings
            errors += found.errors
        return Problems(tuple(warnings), tuple(errors))

    return check


def problems(validator: Validator, value: Any, key: str) -> Problems:
    """Run one validator and return what it found, whatever shape it answered in."""
    found: str | Problems | None
    try:
        if _takes_value_only(validator):
            # The older one-argument form returns a message without the key.
            message = validator(value)  # type: ignore[call-arg]
            found = f"{key}: {message}" if message else None
        else:
            found = validator(value, key)
    except ValueError as exc:
        return Problems(errors=(f"{key}: {exc}",))
    if found is None:
        return Problems()
    if isinstance(found, str):
        return Problems(errors=(found,))
    return found


def _takes_value_only(validator: Any) -> bool:
    try:
        parameters = list(inspect.signature(validator).parameters.values())
    except (TypeError, ValueError):
        return False
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    if any(p.kind is inspect.Parameter.VAR_POSITIONAL for p in parameters):
        return False
    return len([p for p in parameters if p.kind in positional]) == 1


# The names this module had before it followed the SDK, with the SDK's texts.


def one_of(values: Iterable[Any]) -> Validator:
    """``StringInSlice`` / ``IntInSlice`` by the type of the allowed values."""
    allowed = list(values)

    def check(value: Any, key: str) -> str | None:
        if value in allowed:
            return None
        return f"expected {key} to be one of {go_list(allowed)}, got {go_value(value)}"

    return check


def between(low: float, high: float) -> Validator:
    """``IntBetween`` (``FloatBetween`` for fractions)."""

    def check(value: Any, key: str) -> str | None:
        if low <= value <= high:
            return None
        return (
            f"expected {key} to be in the range ({go_value(low)} - {go_value(high)}), "
            f"got {go_value(value)}"
        )

    return check


length_between = string_len_between


def matches(pattern: str, message: str = "") -> Validator:
    """``StringMatch`` of the whole value."""
    return string_match(f"^(?:{pattern})$", message)


def duration(value: Any, key: str) -> str | None:
    """A Go-style duration such as "5m", "1h30m" or "20s"."""
    try:
        parse_duration(value)
    except ValueError as exc:
        return f"{key}: {exc}"
    return None


__all__: Sequence[str] = (
    "any_of",
    "between",
    "duration",
    "int_at_least",
    "int_at_most",
    "int_between",
    "int_in_slice",
    "is_cidr",
    "length_between",
    "matches",
    "one_of",
    "problems",
    "string_in_slice",
    "string_is_valid_regexp",
    "string_len_between",
    "string_match",
)
