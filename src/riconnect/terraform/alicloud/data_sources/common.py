"""What the data sources share with the official provider's: the id of a result list and
the ``output_file`` argument."""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from riconnect.terraform.plugin import DiagnosticError


def ids_hash(ids: Sequence[str]) -> str:
    """The data source's id: the decimal CRC-32 of ``"id1-id2-…-"``, as the official
    provider computes it (v1.285.0 data_source_alicloud_common.go:12-20)."""
    return str(zlib.crc32("".join(f"{i}-" for i in ids).encode()))


def write_output(path: str | None, items: Any) -> None:
    if path:
        Path(path).write_text(json.dumps(items, indent=2))


def regex_problem(value: Any) -> str | None:
    """A validator: None when ``value`` compiles as a regular expression."""
    try:
        re.compile(value)
    except re.error as exc:
        return f"invalid regular expression: {exc}"
    return None


def compiled(pattern: str | None) -> re.Pattern[str] | None:
    if not pattern:
        return None
    try:
        return re.compile(pattern)
    except re.error as exc:  # unreachable after validation; kept for unknown-at-plan values
        raise DiagnosticError(f"invalid name_regex: {exc}") from None


def text(value: Any) -> str:
    """A field as the official provider stores it: ``fmt.Sprint`` of the value, nil as ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
