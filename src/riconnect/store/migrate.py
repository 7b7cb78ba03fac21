"""Schema migrations (Alembic), applied when a store opens: a data file from an older
release upgrades in place.

Works on anything that has an ``engine`` (a :class:`~riconnect.store.db.Store`), so that the
store can call it on opening without the two modules importing each other.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).with_name("migrations")


class Store(Protocol):
    """What migrating needs of a store: its engine."""

    @property
    def engine(self) -> Engine: ...


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current(store: Store) -> str | None:
    with store.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(store: Store, revision: str = "head") -> None:
    cfg = _config()
    # A write transaction around the whole upgrade: several processes starting on one
    # SQLite file at once queue up here, and the later ones find the schema current.
    with store.engine.connect() as conn:
        conn = conn.execution_options(riconnect_write=True)
        with conn.begin():
            if conn.dialect.name == "postgresql":
                # PostgreSQL's counterpart of SQLite's BEGIN IMMEDIATE: one migrator at a time
                # (servers started together on an empty database wait for the first, then
                # find the schema current), however long the first one takes.
                conn.exec_driver_sql("SET LOCAL lock_timeout = 0")
                conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7268312)")
            if (
                MigrationContext.configure(conn).get_current_revision() == head()
                and revision == "head"
            ):
                return
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
