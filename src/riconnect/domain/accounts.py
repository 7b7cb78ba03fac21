"""Identity: who may call, with which AccessKeys, owning which physical connections.

The :class:`AccountRegistry` holds every account a server knows (from an accounts file, see
:mod:`riconnect.domain.accounts_file`, or :func:`default_registry`).  It is immutable after
construction, so one registry is shared by every request thread without locks, and it is the
:class:`Directory` the services ask whether an account id exists.

A caller is a :class:`Principal`: a main account, or a RAM user of one, identified by the
AccessKey that signed the request.  Every resource belongs to the main account.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from riconnect.domain import ids

__all__ = [
    "DEMO_ACCESS_KEY_ID",
    "DEMO_ACCESS_KEY_SECRET",
    "DEMO_ACCESS_POINT_ID",
    "DEMO_ACCOUNT_ID",
    "DEMO_PHYSICAL_CONNECTION_ID",
    "DEMO_REGION_ID",
    "AccessKey",
    "Account",
    "AccountKind",
    "AccountRegistry",
    "AccountsFileError",
    "Directory",
    "OpenDirectory",
    "PhysicalConnectionGrant",
    "Principal",
    "RamUser",
    "default_registry",
    "physical_connection_id",
    "ram_user_uid",
]


@dataclass(frozen=True)
class Principal:
    """Who is calling, as authentication established it."""

    account_id: str  # the 16-digit uid of the main account that owns every resource
    access_key_id: str
    ram_user: str | None = None  # None when the key belongs to the main account itself

    @property
    def is_main_account(self) -> bool:
        return self.ram_user is None

    @property
    def arn(self) -> str:
        if self.ram_user is None:
            return f"acs:ram::{self.account_id}:root"
        return f"acs:ram::{self.account_id}:user/{self.ram_user}"


@dataclass(frozen=True)
class AccessKey:
    id: str
    secret: str = field(repr=False)  # never in logs or tracebacks
    active: bool = True


@dataclass(frozen=True)
class RamUser:
    name: str
    access_keys: tuple[AccessKey, ...] = ()


@dataclass(frozen=True)
class PhysicalConnectionGrant:
    """A physical connection the operator grants an account.  The store keeps its own row
    (:class:`riconnect.domain.entities.PhysicalConnection`), seeded from the grant."""

    id: str  # "pc-…"
    access_point_id: str  # "ap-…"
    region_id: str
    bandwidth: int = 1000  # Mbps
    name: str | None = None


@dataclass(frozen=True)
class Account:
    id: str  # 16-digit uid
    access_keys: tuple[AccessKey, ...] = ()
    ram_users: tuple[RamUser, ...] = ()
    physical_connections: tuple[PhysicalConnectionGrant, ...] = ()
    name: str | None = None


class AccountsFileError(ValueError):
    """An accounts file that cannot be used; the message names the file and the entry."""

    def __init__(self, source: str, entry: str, problem: str) -> None:
        self.source = source
        self.entry = entry
        self.problem = problem
        where = f"{source}: {entry}: " if entry else f"{source}: "
        super().__init__(where + problem)


def ram_user_uid(account_id: str, user_name: str) -> str:
    """A stable 16-digit uid for a RAM user (real RAM user ids are numeric, like accounts)."""
    digest = int(hashlib.sha256(f"{account_id}/{user_name}".encode()).hexdigest(), 16)
    return "2" + str(digest)[:15]


def physical_connection_id(account_id: str, index: int) -> str:
    """The id given to the ``index``-th (0-based) physical connection of an account when the
    file names none: stable across restarts, so state in the database keeps pointing at it."""
    return ids.stable_id("physical_connection", "pc", account_id, str(index))


# "main" for a main account, "ram" for a RAM user's uid.
AccountKind = Literal["main", "ram"]


class Directory(Protocol):
    """Which account ids exist (the services ask it about ids that callers name)."""

    def account_kind(self, uid: str) -> AccountKind | None:
        """``None`` for an id nobody has."""
        ...


class OpenDirectory:
    """Every 16-digit id is a main account (in-process tests without an accounts file)."""

    def account_kind(self, uid: str) -> AccountKind | None:
        return "main" if uid.isdigit() and len(uid) == 16 else None


class AccountRegistry:
    """All known accounts, indexed by AccessKey id for the per-request lookup."""

    def __init__(
        self,
        accounts: Iterable[Account],
        faults: Mapping[str, Any] | None = None,
        source: str = "<memory>",
    ) -> None:
        self.source = source
        self.accounts: dict[str, Account] = {}
        # Raw [faults] table; another component gives it meaning.
        self.faults: dict[str, Any] = dict(faults or {})
        # Precomputed so that authentication is one dict lookup per request.
        self._keys: dict[str, tuple[AccessKey, Principal]] = {}
        for account in accounts:
            if account.id in self.accounts:
                raise AccountsFileError(source, f"account {account.id}", "duplicate account id")
            self.accounts[account.id] = account
            owned = [(key, None) for key in account.access_keys] + [
                (key, user.name) for user in account.ram_users for key in user.access_keys
            ]
            for key, ram_user in owned:
                if key.id in self._keys:
                    raise AccountsFileError(
                        source, f"access key {key.id!r}", "AccessKey ids must be unique"
                    )
                self._keys[key.id] = (key, Principal(account.id, key.id, ram_user))
        self._ram_uids = {
            ram_user_uid(a.id, u.name) for a in self.accounts.values() for u in a.ram_users
        }

    def lookup(self, access_key_id: str) -> tuple[AccessKey, Principal] | None:
        return self._keys.get(access_key_id)

    def is_main_account(self, uid: str) -> bool:
        """True when ``uid`` is the id of a known (main) account."""
        return uid in self.accounts

    def account_kind(self, uid: str) -> AccountKind | None:
        """The registry is the services' :class:`Directory`."""
        if uid in self.accounts:
            return "main"
        return "ram" if uid in self._ram_uids else None

    def physical_connections(self, account_id: str | None = None) -> list[PhysicalConnectionGrant]:
        """Every physical connection, or only those of ``account_id``."""
        if account_id is not None:
            account = self.accounts.get(account_id)
            return list(account.physical_connections) if account else []
        return [pc for a in self.accounts.values() for pc in a.physical_connections]

    def grants(self) -> list[tuple[str, PhysicalConnectionGrant]]:
        """(account id, grant) for every physical connection, for seeding the store."""
        return [(a.id, pc) for a in self.accounts.values() for pc in a.physical_connections]


# -- the demo account -------------------------------------------------------------------

DEMO_ACCOUNT_ID = "1234567890123456"
DEMO_ACCESS_KEY_ID = "LTAI5tRiconnectDemoKey01"
DEMO_ACCESS_KEY_SECRET = "riconnectDemoSecret0000000000000"
DEMO_ACCESS_POINT_ID = "ap-cn-hangzhou-jg-B"
DEMO_REGION_ID = "cn-hangzhou"
DEMO_PHYSICAL_CONNECTION_ID = physical_connection_id(DEMO_ACCOUNT_ID, 0)


def default_registry() -> AccountRegistry:
    """One demo account with one AccessKey and one physical connection in cn-hangzhou."""
    account = Account(
        id=DEMO_ACCOUNT_ID,
        name="riconnect-demo",
        access_keys=(AccessKey(DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET),),
        physical_connections=(
            PhysicalConnectionGrant(
                id=DEMO_PHYSICAL_CONNECTION_ID,
                access_point_id=DEMO_ACCESS_POINT_ID,
                region_id=DEMO_REGION_ID,
            ),
        ),
    )
    return AccountRegistry([account], source="<default>")
