"""Opening a database safely: what is wrong with a ``--db`` is said in one line, before
anything is written to it.

:func:`check_sqlite_file` looks at a SQLite file read-only (the file's bytes are never
changed by a refusal) and refuses, with the file, the cause and what to do:

* a directory, a path that cannot be created, a file that is not SQLite or is corrupt;
* a database written by a newer riconnect (an Alembic revision this release does not know);
* a file without riconnect's tables that is not new: a copy taken while its server ran,
  whose data was still in the ``-wal`` file beside it, would otherwise be migrated silently
  into an empty cloud;
* a file whose tables are someone else's.

A missing file is created only when the caller allows it (``riconnect serve``); commands
that work on an existing cloud refuse it.
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

SQLITE_MAGIC = b"SQLite format 3\x00"
# Tables of riconnect's schema (store/schema.py), and Alembic's.
RICONNECT_TABLES = frozenset(
    {"vpcs", "vbrs", "router_interfaces", "physical_connections", "client_tokens"}
)
ALEMBIC_TABLE = "alembic_version"
# A schema-less file is refused only after this long: another process may have just
# created it and be about to migrate it (several servers starting on one new file).
CONCURRENT_MIGRATION_WAIT = 2.0


class StoreOpenError(Exception):
    """A database that cannot be opened as a cloud: ``where`` names it (a file, or a URL
    without its password), ``problem`` is the cause and what to do; one line together."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem


def mask_password(url: str) -> str:
    """``url`` with the password of its ``user:password@`` part replaced by ``***``."""
    return re.sub(r"(://[^:/@?#]*:)[^@/?#]*@", r"\1***@", url)


def _wal(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


def check_sqlite_file(
    path: Path,
    *,
    create: bool,
    known_revision: Callable[[str], bool],
    wait: float = CONCURRENT_MIGRATION_WAIT,
) -> None:
    """Raise :class:`StoreOpenError` unless ``path`` can be opened as a cloud.

    ``create``: a missing file is a new cloud (else an error).  ``known_revision`` tells
    whether this release knows an Alembic revision.
    """
    if path.is_dir():
        raise StoreOpenError(
            str(path), f"is a directory: give a file path, such as {path / 'riconnect.db'}"
        )
    if not path.exists():
        if not create:
            raise StoreOpenError(
                str(path),
                "no such database: check the path (riconnect serve creates a new "
                "cloud in a new file)",
            )
        _check_creatable(path)
        return
    if not path.is_file():
        raise StoreOpenError(str(path), "not a regular file: give the path of a database file")
    try:
        with path.open("rb") as f:
            head = f.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise StoreOpenError(
            str(path), f"cannot be read ({exc.strerror}): check its permissions"
        ) from None
    wal = _wal(path)
    wal_size = wal.stat().st_size if wal.is_file() else 0
    shm = path.with_name(path.name + "-shm")
    shm_existed = shm.exists()
    if not head and wal_size == 0:
        return  # an empty file (e.g. made by touch): a new cloud
    if head and head != SQLITE_MAGIC:
        raise StoreOpenError(
            str(path),
            "not an SQLite database: give the path of a riconnect database, or a "
            "new path for a new cloud",
        )
    deadline = time.monotonic() + wait
    while True:
        tables, revision = _read_schema(path, with_wal=wal_size > 0)
        if tables or time.monotonic() >= deadline:
            break
        time.sleep(0.1)
    if revision is not None and not known_revision(revision):
        raise StoreOpenError(
            str(path),
            f"created by a newer riconnect (revision {revision}): upgrade riconnect to use it",
        )
    if not tables:
        if wal_size > 0:
            if not shm_existed:  # made by this look; nothing else uses a file without tables
                shm.unlink(missing_ok=True)
            raise StoreOpenError(
                str(path),
                f"has no tables, and SQLite cannot use the write-ahead log {wal.name} "
                "beside it (from another copy of the database?): the cloud's data may be "
                "there; refusing to start an empty cloud over it: put back the file that "
                f"belongs with {wal.name}, or give a new path for a new cloud",
            )
        raise StoreOpenError(
            str(path),
            f"an SQLite database without riconnect's tables: a copy taken while its "
            f"server ran leaves the data in {wal.name}, which must be copied with it; "
            "refusing to start an empty cloud over it: copy both files, or give a new path "
            "for a new cloud",
        )
    if not tables & (RICONNECT_TABLES | {ALEMBIC_TABLE}):
        names = ", ".join(sorted(tables)[:5])
        raise StoreOpenError(
            str(path),
            f"holds tables that are not riconnect's ({names}): give the path of a "
            "riconnect database, or a new path for a new cloud",
        )


def _check_creatable(path: Path) -> None:
    parent = path.parent
    for above in (parent, *parent.parents):
        if above.exists():
            if not above.is_dir():
                raise StoreOpenError(
                    str(path),
                    f"cannot be created: {above} is a file, not a directory: give another path",
                )
            break
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreOpenError(
            str(path), f"cannot create the directory {parent} ({exc.strerror}): give another path"
        ) from None
    if not os.access(parent, os.W_OK | os.X_OK):
        raise StoreOpenError(
            str(path), f"cannot create it: {parent} is not writable: give another path"
        )


def _read_schema(path: Path, *, with_wal: bool) -> tuple[set[str], str | None]:
    """The tables and the Alembic revision, read without writing anything.

    Without a ``-wal`` file the main file is read as immutable, so that SQLite does not
    create ``-wal`` and ``-shm`` files beside a file it may refuse; with one, SQLite must
    read the log (it then shares the ``-shm`` index as any reader does).
    """
    flags = "mode=ro" if with_wal else "immutable=1"
    try:
        conn = sqlite3.connect(f"file:{quote(str(path))}?{flags}", uri=True)
    except sqlite3.Error as exc:
        raise StoreOpenError(
            str(path), f"cannot be opened ({exc}): check its permissions"
        ) from None
    try:
        tables = {
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        revision = None
        if ALEMBIC_TABLE in tables:
            row = conn.execute(f"SELECT version_num FROM {ALEMBIC_TABLE}").fetchone()
            revision = None if row is None else str(row[0])
        return tables, revision
    except sqlite3.DatabaseError as exc:
        raise StoreOpenError(
            str(path),
            f"corrupt or not a database (SQLite: {exc}): restore it from a copy, or "
            "give a new path for a new cloud",
        ) from None
    finally:
        conn.close()


def describe_failure(where: str, exc: BaseException) -> StoreOpenError:
    """A :class:`StoreOpenError` for a driver error while opening or migrating ``where``."""
    cause = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    text = cause[0] if cause else type(exc).__name__
    if "readonly" in text or "read-only" in text:
        hint = "make the file and its directory writable, or give another path"
    elif "unable to open" in text:
        hint = "check that the directory exists and is writable, or give another path"
    elif where.startswith(("postgresql", "postgres")):
        hint = "check that the server runs and the URL, user and password are right"
    else:
        hint = "give another path, or restore the database from a copy"
    return StoreOpenError(where, f"cannot be opened ({text}): {hint}")
