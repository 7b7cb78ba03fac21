"""The migrations create exactly the schema the code declares, and upgrades are idempotent."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from riconnect.store import migrate
from riconnect.store.db import Store
from riconnect.store.schema import metadata


def test_migrated_schema_matches_the_declared_tables(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "cloud.db"))
    with store.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diffs == [], f"migrations and store/schema.py disagree: {diffs}"
    assert migrate.current(store) == migrate.head()


def test_reopening_a_current_database_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "cloud.db"
    Store(str(path)).close()
    before = sqlite3.connect(path).execute("select sql from sqlite_master order by name").fetchall()
    Store(str(path)).close()
    after = sqlite3.connect(path).execute("select sql from sqlite_master order by name").fetchall()
    assert before == after


def test_an_empty_file_from_before_any_release_is_upgraded_in_place(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    sqlite3.connect(path).close()  # a database with no schema at all: revision None
    store = Store(str(path), migrate=False)
    assert migrate.current(store) is None
    migrate.upgrade(store)
    assert migrate.current(store) == migrate.head()
    tables = {
        r[0]
        for r in sqlite3.connect(path).execute("select name from sqlite_master where type='table'")
    }
    assert {"vpcs", "router_interfaces", "vbrs", "physical_connections", "client_tokens"} <= tables


def test_sqlite_runs_in_wal_mode(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "cloud.db"))
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
