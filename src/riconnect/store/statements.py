"""Statements built once per shape and reused with bound parameters.

Building a SQLAlchemy expression and its cache key costs more than running the query
itself on SQLite (about 100 of 130 us for a lookup by id).  Bounded: page shapes depend
on the filter columns a client combines.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_STATEMENTS: dict[tuple[Any, ...], Any] = {}
_MAX_STATEMENTS = 512


def statement(key: tuple[Any, ...], build: Callable[[], Any]) -> Any:
    stmt = _STATEMENTS.get(key)
    if stmt is None:
        if len(_STATEMENTS) >= _MAX_STATEMENTS:
            _STATEMENTS.clear()
        stmt = _STATEMENTS[key] = build()
    return stmt
