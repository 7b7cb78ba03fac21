"""Schema migrations (Alembic), applied when a store opens: a data file from an older
release upgrades in place.

Works on anything that has an ``engine`` (a :class:`~riconnect.store.db.Store`), so that the
store can call it on opening without the two modules importing each other.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Protocol

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

from riconnect.store.opening import StoreOpenError

MIGRATIONS = Path(__file__).with_name("migrations")


class Store(Protocol):
    """What migrating needs of a store: its engine."""

    @property
    def engine(self) -> Engine: ...


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


@cache
def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(_config())


def head() -> str:
    head = _scripts().get_current_head()
    assert head is not None
    return head


def is_known_revision(revision: str) -> bool:
    """True when this release has migration ``revision`` (False: a newer riconnect wrote it)."""
    return any(script.revision == revision for script in _scripts().walk_revisions())


def current(store: Store) -> str | None:
    with store.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(store: Store, revision: str = "head", *, where: str = "the database") -> None:
    """Migrate to ``revision``; :class:`StoreOpenError` for a database that a newer
    riconnect wrote (``where`` names it in the message)."""
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
            current = MigrationContext.configure(conn).get_current_revision()
            if current is not None and not is_known_revision(current):
                raise StoreOpenError(
                    where,
                    f"created by a newer riconnect (revision {current}): upgrade riconnect "
                    "to use it",
                )
            if current == head() and revision == "head":
                return
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
