"""Statements of :class:`~riconnect.store.tx.Tx` run straight through the sqlite3 driver.

On SQLite, SQLAlchemy's execution machinery (events, the compiled cache's lookup, the
result's metadata and row objects) cost about five times what sqlite3 spends running a
lookup by id (cProfile of a DescribeVpcs, bench/NOTES.md).  A statement Tx builds once per
shape is compiled here once, by SQLAlchemy for the same dialect, and then run with the
driver's cursor, with the same bind and result processors SQLAlchemy would apply (JSON,
Boolean, Float): the same SQL, the same values in, the same values out.  A statement whose
compiled form needs work at each execution (an expanding ``IN``, a default computed in
Python) is not precompiled and runs through SQLAlchemy as before.  Driver errors are
wrapped as SQLAlchemy wraps them, so the retry and hand-over rules see the same exceptions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import DBAPIError

__all__ = ["Precompiled", "driver_of", "precompile", "run_on_driver"]

_Processor = Callable[[Any], Any] | None


class Precompiled:
    """One statement's SQL with positional parameters, their processors, and the processors
    of its result columns in order (empty for a statement that returns no rows)."""

    __slots__ = ("binds", "dialect", "results", "sql")

    def __init__(
        self,
        sql: str,
        binds: tuple[tuple[str, _Processor], ...],
        results: tuple[_Processor, ...],
        dialect: Dialect,
    ) -> None:
        self.sql = sql
        self.binds = binds
        self.results = results
        self.dialect = dialect

    def _run(self, driver: Any, params: dict[str, Any]) -> Any:
        values = tuple(params[n] if p is None else p(params[n]) for n, p in self.binds)
        try:
            return driver.execute(self.sql, values)
        except self.dialect.loaded_dbapi.Error as exc:
            raise DBAPIError.instance(
                self.sql, values, exc, self.dialect.loaded_dbapi.Error, dialect=self.dialect
            ) from exc

    def rows(self, driver: Any, params: dict[str, Any]) -> list[tuple[Any, ...]]:
        """Every row, its values in the statement's column order (as a Row of SQLAlchemy's
        is indexed: store/tx.py builds entities by position)."""
        cursor = self._run(driver, params)
        try:
            fetched = cursor.fetchall()
        except self.dialect.loaded_dbapi.Error as exc:
            raise DBAPIError.instance(
                self.sql, None, exc, self.dialect.loaded_dbapi.Error, dialect=self.dialect
            ) from exc
        results = self.results
        if not any(results):
            return fetched  # type: ignore[no-any-return]
        return [
            tuple(v if p is None else p(v) for p, v in zip(results, row, strict=True))
            for row in fetched
        ]

    def scalar(self, driver: Any, params: dict[str, Any]) -> Any:
        """The first column of the first row (None without a row)."""
        rows = self.rows(driver, params)
        return rows[0][0] if rows else None

    def rowcount(self, driver: Any, params: dict[str, Any]) -> int:
        """Run a statement that returns no rows; how many rows it changed."""
        return int(self._run(driver, params).rowcount)


def driver_of(conn: Connection) -> Any | None:
    """The sqlite3 connection under ``conn`` when its statements can be precompiled; None
    otherwise (PostgreSQL keeps SQLAlchemy's execution)."""
    dialect = conn.dialect
    if dialect.name != "sqlite" or dialect.driver != "pysqlite" or not dialect.positional:
        return None
    return conn.connection.driver_connection


def run_on_driver(conn: Connection, sql: str) -> None:
    """Run ``sql`` (no parameters, no rows wanted: BEGIN, the snapshot's first read) on the
    sqlite3 connection under ``conn``: what ``exec_driver_sql`` does, without its events and
    result object, and its errors wrapped the same way."""
    dialect = conn.dialect
    driver: Any = conn.connection.driver_connection
    try:
        driver.execute(sql).fetchall()
    except dialect.loaded_dbapi.Error as exc:
        raise DBAPIError.instance(
            sql, None, exc, dialect.loaded_dbapi.Error, dialect=dialect
        ) from exc


def precompile(
    stmt: Any, dialect: Dialect, column_keys: Iterable[str] | None = None
) -> Precompiled | None:
    """``stmt`` compiled once for ``dialect``; None when it needs SQLAlchemy at each
    execution.  ``column_keys``: the parameters an INSERT or UPDATE is given (its SET)."""
    compiled: Any = stmt.compile(
        dialect=dialect, column_keys=None if column_keys is None else list(column_keys)
    )
    if (
        not compiled.positional
        or compiled.literal_execute_params
        or compiled.post_compile_params
        or getattr(compiled, "insert_prefetch", None)
        or getattr(compiled, "update_prefetch", None)
        or getattr(compiled, "postfetch", None)
        or compiled.positiontup is None
        or compiled.escaped_bind_names
    ):
        return None
    processors = compiled._bind_processors
    if any(isinstance(p, tuple) for p in processors.values()):
        return None
    binds = tuple((name, processors.get(name)) for name in compiled.positiontup)
    columns = compiled._result_columns or []
    results = tuple(entry.type._cached_result_processor(dialect, None) for entry in columns)
    return Precompiled(compiled.string, binds, results, dialect)
