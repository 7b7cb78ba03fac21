"""Snapshots: the whole cloud as one JSON document, tagged with its schema revision.

A snapshot is state, not a replay: every row of every state table (store/admin.py), read
in one transaction, so it is consistent while servers write (SQLite's WAL included: the
rows are read through SQLite, not copied as a file), and the id sequence.  The document is
plain JSON (gzip-compressed when the file name ends in ``.gz``), so a snapshot saved from
SQLite loads into PostgreSQL and back.

Loading replaces every state table in one write transaction: readers see the old cloud or
the new one, never a mix.  A snapshot from an older schema is migrated forward first, by
the real migrations, on a scratch in-memory database at its revision; one from a newer
schema (a revision this riconnect does not know) is refused.
"""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, insert
from sqlalchemy.exc import DataError, IntegrityError, InterfaceError, ProgrammingError

from riconnect import __version__
from riconnect.store import admin, migrate
from riconnect.store.db import Store, Tx

FORMAT = "riconnect-snapshot"
FORMAT_VERSION = 1


class SnapshotError(ValueError):
    """A snapshot that cannot be loaded; the message says why and what to do."""


@dataclass(frozen=True)
class Snapshot:
    revision: str  # the schema revision its tables follow
    tables: admin.Rows
    id_sequence: int = 0
    saved_at: float = 0.0
    riconnect_version: str = __version__
    migrated_from: str | None = None  # set by upgrade() when it migrated the tables

    def document(self) -> dict[str, Any]:
        return {
            "Format": FORMAT,
            "FormatVersion": FORMAT_VERSION,
            "SchemaRevision": self.revision,
            "RiconnectVersion": self.riconnect_version,
            "SavedAt": self.saved_at,
            "IdSequence": self.id_sequence,
            "Tables": {
                name: {"Columns": columns, "Rows": rows}
                for name, (columns, rows) in self.tables.items()
            },
        }

    def to_bytes(self, compress: bool = False) -> bytes:
        data = json.dumps(self.document(), ensure_ascii=False, separators=(",", ":")).encode()
        return gzip.compress(data, mtime=0) if compress else data

    def counts(self) -> dict[str, int]:
        return {name: len(rows) for name, (_columns, rows) in self.tables.items()}

    @classmethod
    def from_bytes(cls, data: bytes, source: str = "the snapshot") -> Snapshot:
        if data[:2] == b"\x1f\x8b":
            try:
                data = gzip.decompress(data)
            except (OSError, EOFError) as exc:
                raise SnapshotError(f"{source} is a damaged gzip file ({exc})") from None
        try:
            doc = json.loads(data)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SnapshotError(f"{source} is not a riconnect snapshot (not JSON: {exc})") from None
        if not isinstance(doc, dict) or doc.get("Format") != FORMAT:
            raise SnapshotError(f'{source} is not a riconnect snapshot (no "Format": "{FORMAT}")')
        version = doc.get("FormatVersion")
        if not isinstance(version, int) or version > FORMAT_VERSION:
            raise SnapshotError(
                f"{source} has snapshot format {version!r}, newer than this riconnect reads "
                f"({FORMAT_VERSION}): upgrade riconnect to load it"
            )
        revision = doc.get("SchemaRevision")
        tables = doc.get("Tables")
        if not isinstance(revision, str) or not isinstance(tables, dict):
            raise SnapshotError(f"{source} lacks SchemaRevision or Tables")
        rows: admin.Rows = {}
        for name, table in tables.items():
            columns = table.get("Columns") if isinstance(table, dict) else None
            values = table.get("Rows") if isinstance(table, dict) else None
            if not (
                isinstance(columns, list)
                and isinstance(values, list)
                and all(isinstance(r, list) and len(r) == len(columns) for r in values)
            ):
                raise SnapshotError(f"{source}: table {name!r} is malformed")
            rows[str(name)] = ([str(c) for c in columns], values)
        return cls(
            revision=revision,
            tables=rows,
            id_sequence=int(doc.get("IdSequence") or 0),
            saved_at=float(doc.get("SavedAt") or 0.0),
            riconnect_version=str(doc.get("RiconnectVersion") or "?"),
        )


def save(store: Store) -> Snapshot:
    """The cloud as it is now: every state table read in one transaction."""
    with store.transaction(write=False) as tx:
        revision = admin.schema_revision(tx) or migrate.head()
        tables = admin.export_rows(tx)
        _version, _settings, sequence = admin.read_settings(tx)
    return Snapshot(revision, tables, sequence, saved_at=time.time())


def known_revisions() -> dict[str, int]:
    """Every revision this riconnect's migrations know -> its distance from the first."""
    script = ScriptDirectory.from_config(migrate._config())
    chain = [rev.revision for rev in script.walk_revisions()]  # head first
    return {rev: len(chain) - 1 - i for i, rev in enumerate(chain)}


def upgrade(snapshot: Snapshot) -> Snapshot:
    """``snapshot`` with its tables at this riconnect's head revision.

    Older: the rows go into a scratch in-memory database migrated to the snapshot's
    revision, the real migrations run to the head, and the rows are read back.  Unknown
    (a newer riconnect's): :class:`SnapshotError`.
    """
    head = migrate.head()
    if snapshot.revision == head:
        return snapshot
    if snapshot.revision not in known_revisions():
        raise SnapshotError(
            f"the snapshot has schema revision {snapshot.revision!r} (saved by riconnect "
            f"{snapshot.riconnect_version}), which this riconnect {__version__} does not know: "
            f"its newest is {head!r}. It was saved by a newer riconnect; upgrade riconnect "
            "to load it"
        )
    scratch = Store(":memory:", migrate=False)
    try:
        migrate.upgrade(scratch, snapshot.revision)
        old = MetaData()
        old.reflect(scratch.engine)
        with scratch.transaction(write=True) as tx:
            for name, (columns, rows) in snapshot.tables.items():
                table = old.tables.get(name)
                if table is None:
                    raise SnapshotError(
                        f"the snapshot's table {name!r} does not exist at its revision "
                        f"{snapshot.revision!r}"
                    )
                if rows:
                    tx.conn.execute(
                        insert(table), [dict(zip(columns, r, strict=True)) for r in rows]
                    )
        migrate.upgrade(scratch, "head")
        with scratch.transaction(write=False) as tx:
            tables = admin.export_rows(tx)
    except SnapshotError:
        raise
    except Exception as exc:  # a row the old schema refuses: the file is damaged
        raise SnapshotError(
            f"the snapshot's rows do not fit its schema revision {snapshot.revision!r}: {exc}"
        ) from None
    finally:
        scratch.close()
    return Snapshot(
        head,
        tables,
        snapshot.id_sequence,
        snapshot.saved_at,
        snapshot.riconnect_version,
        migrated_from=snapshot.revision,
    )


def load(store: Store, snapshot: Snapshot, after: Callable[[Tx], object] | None = None) -> Snapshot:
    """Replace the cloud in ``store`` by ``snapshot`` in one write transaction (``after``
    runs inside it, e.g. to re-grant the server's accounts their physical connections).
    Returns the snapshot as loaded (migrated to the head revision)."""
    current = upgrade(snapshot)
    with store.transaction(write=True) as tx:
        try:
            admin.replace_rows(tx, current.tables)
        except (ValueError, IntegrityError, DataError, InterfaceError, ProgrammingError) as exc:
            # Duplicate keys, a text where a number belongs: nothing was replaced.
            raise SnapshotError(f"the snapshot does not fit this schema: {exc}") from None
        version = admin.restart_ids(tx, current.id_sequence)
        if after is not None:
            after(tx)
    admin.announce(store, version)
    return current
