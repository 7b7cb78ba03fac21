"""Accounts files for test servers, written from Python instead of by hand. No pytest here.

The classes mirror the tables of the accounts file (``riconnect serve --accounts``; the
format is documented in ``riconnect.domain.accounts_file``): an :class:`Account` is one
``[[account]]``, with its ``[[account.access_key]]``, ``[[account.ram_user]]`` and
``[[account.physical_connection]]`` entries.  They describe the *file*, not the server's
registry: what is optional in the file is optional here (a physical connection's id, its
bandwidth), and the server derives the rest exactly as it would for a hand-written file.

    write_accounts(tmp_path / "accounts.toml", [
        Account("1111111111111111", access_keys=[AccessKey("LTAIa", "secretA")]),
    ])

:func:`accounts_registry` gives the same accounts as an in-process registry, read by the
server's own loader, for :func:`~riconnect.testing.inprocess.inprocess_app`.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from riconnect.domain.accounts import AccountRegistry

__all__ = [
    "AccessKey",
    "Account",
    "PhysicalConnection",
    "RamUser",
    "accounts_registry",
    "accounts_toml",
    "write_accounts",
]


@dataclass(frozen=True)
class AccessKey:
    """``[[...access_key]]``: an AccessKey of an account or of a RAM user."""

    id: str
    secret: str
    active: bool = True


@dataclass(frozen=True)
class RamUser:
    """``[[account.ram_user]]``."""

    name: str
    access_keys: Iterable[AccessKey] = ()


@dataclass(frozen=True)
class PhysicalConnection:
    """``[[account.physical_connection]]``; without ``id`` the server derives a stable one."""

    access_point_id: str
    region: str
    id: str | None = None
    bandwidth: int | None = None  # Mbps; the server's default when None
    name: str | None = None


@dataclass(frozen=True)
class Account:
    """``[[account]]``: a main account (``id``: 16 digits) and what it holds."""

    id: str
    access_keys: Iterable[AccessKey] = ()
    name: str | None = None
    ram_users: Iterable[RamUser] = ()
    physical_connections: Iterable[PhysicalConnection] = ()


def accounts_toml(accounts: Iterable[Account], *, faults: Mapping[str, Any] | None = None) -> str:
    """The accounts file holding ``accounts`` (in order) and an optional ``[faults]`` table."""
    out: list[str] = []
    for account in accounts:
        out.append("[[account]]")
        _fields(out, {"id": account.id, "name": account.name})
        _keys(out, "account.access_key", account.access_keys)
        for user in account.ram_users:
            out.append("[[account.ram_user]]")
            _fields(out, {"name": user.name})
            _keys(out, "account.ram_user.access_key", user.access_keys)
        for pc in account.physical_connections:
            out.append("[[account.physical_connection]]")
            _fields(
                out,
                {
                    "id": pc.id,
                    "access_point_id": pc.access_point_id,
                    "region": pc.region,
                    "bandwidth": pc.bandwidth,
                    "name": pc.name,
                },
            )
        out.append("")
    if faults:
        _table(out, "faults", faults)
    return "\n".join(out).rstrip("\n") + "\n"


def write_accounts(
    path: str | os.PathLike[str],
    accounts: Iterable[Account],
    *,
    faults: Mapping[str, Any] | None = None,
) -> Path:
    """Write :func:`accounts_toml` to ``path`` (UTF-8) and return the path."""
    target = Path(path)
    target.write_text(accounts_toml(accounts, faults=faults), encoding="utf-8")
    return target


def accounts_registry(
    accounts: Iterable[Account],
    *,
    faults: Mapping[str, Any] | None = None,
    source: str = "<riconnect.testing>",
) -> AccountRegistry:
    """The registry a server started with this accounts file would hold."""
    from riconnect.domain.accounts_file import registry_from_dict

    text = accounts_toml(accounts, faults=faults)
    return registry_from_dict(tomllib.loads(text), source=source)


# -- TOML, only as much as the accounts file needs -------------------------------------------

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _keys(out: list[str], header: str, keys: Iterable[AccessKey]) -> None:
    for key in keys:
        out.append(f"[[{header}]]")
        # `active` only when false: the file's default is true.
        _fields(out, {"id": key.id, "secret": key.secret, "active": None if key.active else False})


def _fields(out: list[str], values: Mapping[str, Any]) -> None:
    """``key = value`` lines; None means the key is absent from the file."""
    out.extend(f"{_key(k)} = {_value(v)}" for k, v in values.items() if v is not None)


def _table(out: list[str], name: str, table: Mapping[str, Any]) -> None:
    out.append(f"[{name}]")
    nested = {k: v for k, v in table.items() if isinstance(v, Mapping)}
    _fields(out, {k: v for k, v in table.items() if k not in nested})
    for key, value in nested.items():
        _table(out, f"{name}.{_key(key)}", value)


def _key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else _string(key)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    raise TypeError(f"no TOML form for {value!r}")


def _string(text: str) -> str:
    escaped = []
    for char in text:
        if char in '"\\':
            escaped.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:  # TOML forbids raw control characters
            escaped.append(f"\\u{ord(char):04X}")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'
