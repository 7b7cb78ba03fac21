"""What the alicloud data sources share: the official provider's id hash, ``output_file``,
``name_regex`` checks, ``tags`` filters, paging through a Describe action and the string
form of a field."""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from riconnect.terraform.alicloud.client import AliClient
from riconnect.terraform.plugin import DiagnosticError

PAGE = 50


def id_hash(ids: Iterable[str]) -> str:
    """The data source's id as the official provider computes it: the decimal CRC-32
    (IEEE) of every id followed by "-" (v1.285.0 data_source_alicloud_common.go:12-20)."""
    return str(zlib.crc32("".join(f"{i}-" for i in ids).encode()))


def write_output(path: str | None, items: list[dict[str, Any]]) -> None:
    if path:
        Path(path).write_text(json.dumps(items, indent=2, ensure_ascii=False))


def compiled(pattern: str | None) -> re.Pattern[str] | None:
    """``name_regex`` as the official provider reads it: Go's regexp syntax and matching."""
    if not pattern:
        return None
    # Imported here: a provider process that never reads a data source does not load it.
    from riconnect.terraform.plugin.gomatch import Unsupported, compile_go
    from riconnect.terraform.plugin.goregexp import regexp_error

    error = regexp_error(pattern)  # validation ran already, unless the value was unknown
    if error is not None:
        raise DiagnosticError(f"invalid name_regex: {error}")
    try:
        return compile_go(pattern)
    except (Unsupported, re.error) as exc:
        raise DiagnosticError(f"name_regex {pattern!r}: {exc}") from None


def text(value: Any) -> str:
    """A field as the official provider stores it: ``fmt.Sprint`` of the value, nil as ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def tag_params(tags: dict[str, str] | None) -> list[dict[str, str]] | None:
    return [{"Key": k, "Value": v} for k, v in sorted((tags or {}).items())] or None


def pages(
    client: AliClient,
    action: str,
    params: dict[str, Any],
    items: Callable[[dict[str, Any]], list[dict[str, Any]]],
    *,
    page_number: int | None = None,
    page_size: int = PAGE,
) -> tuple[list[dict[str, Any]], int]:
    """Every item (or, with ``page_number``, one page of them) and the answer's TotalCount."""
    out: list[dict[str, Any]] = []
    number = page_number or 1
    total = 0
    while True:
        body = client.call(action, {**params, "PageNumber": number, "PageSize": page_size})
        batch = items(body)
        out.extend(batch)
        total = int(body.get("TotalCount") or 0)
        if page_number is not None or len(batch) < page_size:
            return out, total
        number += 1


def tags_of(value: Any) -> dict[str, str]:
    """``Tags.Tag`` as a map, leaving out the keys the official provider drops."""
    return {
        t["Key"]: t.get("Value", "")
        for t in value or []
        if not str(t.get("Key", "")).lower().startswith(("aliyun", "acs:", "http://", "https://"))
    }
