"""The ``riconnect`` commands, one module each (cli.py lists them in ``COMMANDS``).

A command module has ``HELP`` (one line for ``riconnect --help``), ``DESCRIPTION`` (plain
text for its own ``--help``), ``add_arguments(parser)`` and ``run(args) -> int``.  It imports
only the standard library and cheap riconnect modules at the top, and everything heavy
inside ``run``: ``riconnect --help`` and ``riconnect serve --help`` must not load the server.

What the user must fix is raised as :class:`CommandError` (or one of the errors cli.py
knows: a bad setting, accounts file or database) and printed as one line, never as a
traceback.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from riconnect.store.db import Store


class CommandError(Exception):
    """Something the user must fix; the message is one line."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.status = status


def database(flag_value: str | None) -> tuple[str, str]:
    """The database a command works on, and how the user named it: ``--db`` (given as
    ``flag_value``), else ``RICONNECT_DB``, else the default file."""
    from riconnect.api.config import default_db
    from riconnect.store.opening import mask_password

    if flag_value is not None:
        return flag_value, f"--db {mask_password(flag_value)}"
    env = os.environ.get("RICONNECT_DB")
    if env is not None:
        return env, f"RICONNECT_DB={mask_password(env)}"
    db = default_db()
    return db, f"the default database {db}"


def labelled(label: str, exc: Exception) -> CommandError:
    """A StoreOpenError as a CommandError that names the database as the user gave it."""
    where = getattr(exc, "where", None)
    problem = getattr(exc, "problem", str(exc))
    shown = label if where is None or label.endswith(where) else f"{label} ({where})"
    return CommandError(f"{shown}: {problem}")


def open_existing_cloud(flag_value: str | None) -> Store:
    """The store of an existing cloud, for commands that read or change one: a missing
    database is an error (a typo must not create an empty cloud)."""
    from riconnect.store.db import Store, StoreOpenError

    db, label = database(flag_value)
    try:
        return Store(db, create=False)
    except StoreOpenError as exc:
        raise labelled(label, exc) from None
