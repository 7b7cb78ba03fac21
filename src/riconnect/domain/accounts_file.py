"""The accounts file: TOML in, an :class:`~riconnect.domain.accounts.AccountRegistry` out.

Validation names the file and the entry at fault, so an operator can fix the file from the
message alone.  An unknown key is an error (a misspelled ``[[account.acces_key]]`` would
otherwise leave an account without keys, silently); notes for humans go in TOML comments::

    [[account]]
    id = "1234567890123456"                 # 16 digits, quoted
    name = "demo"                           # optional
    [[account.access_key]]
    id = "LTAI..."
    secret = "..."
    active = true                           # optional, default true
    [[account.ram_user]]
    name = "ops"
    [[account.ram_user.access_key]]
    id = "LTAI..."
    secret = "..."
    [[account.physical_connection]]
    id = "pc-..."                           # optional: derived from account id + position
    access_point_id = "ap-cn-hangzhou-jg-B"  # in the region below (docs/fidelity.md)
    region = "cn-hangzhou"
    bandwidth = 1000                        # optional, Mbps
    name = "dc-1"                           # optional

    [faults]                                # optional; kept raw, interpreted elsewhere
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from riconnect.domain import regions
from riconnect.domain.accounts import (
    AccessKey,
    Account,
    AccountRegistry,
    AccountsFileError,
    PhysicalConnectionGrant,
    RamUser,
    physical_connection_id,
)

__all__ = ["load_accounts", "registry_from_dict"]

_ACCOUNT_ID_RE = re.compile(r"[0-9]{16}", re.ASCII)
# AccessKey ids travel inside "Credential=<id>,SignedHeaders=..." (V3) and as a query value
# (V1); excluding ',', ';', '=', whitespace and control characters keeps both unambiguous.
_ACCESS_KEY_ID_RE = re.compile(r"[A-Za-z0-9._-]{1,128}", re.ASCII)
# RAM's own rule for user names; the name also ends up in an ARN.
_RAM_USER_RE = re.compile(r"[A-Za-z0-9._@-]{1,64}", re.ASCII)
# "cn-hangzhou", "ap-southeast-1", "cn-hangzhou-finance", "local-1": lower-case words and
# digits joined by hyphens.  Deliberately not a fixed list: custom regions must keep working.
_REGION_RE = re.compile(r"[a-z]{2,}(?:-[a-z0-9]+)+", re.ASCII)
_PC_ID_RE = re.compile(r"pc-[a-z0-9]{6,40}", re.ASCII)
_ACCESS_POINT_RE = re.compile(r"ap-[A-Za-z0-9-]{1,60}", re.ASCII)

# The keys each kind of table may hold.
_TOP_KEYS = ("account", "faults")
_ACCOUNT_KEYS = ("id", "name", "access_key", "ram_user", "physical_connection")
_KEY_KEYS = ("id", "secret", "active")
_RAM_USER_KEYS = ("name", "access_key")
_PC_KEYS = ("id", "access_point_id", "region", "bandwidth", "name")


def unknown_key(raw: Mapping[str, Any], known: tuple[str, ...], kind: str) -> str | None:
    """A problem naming the first key of ``raw`` that a ``kind`` table does not have."""
    for key in raw:
        if key not in known:
            close = difflib.get_close_matches(key, known, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            return f"unknown key {key!r}{hint}; {kind} has {', '.join(known)}"
    return None


def access_point_region(access_point_id: str) -> str | None:
    """The region an access point id names, if it names a known one.

    Alibaba Cloud's access point ids start with their region: ``ap-cn-hangzhou-jg-B`` is in
    cn-hangzhou, ``ap-cn-beijing-ft-A`` in cn-beijing (DescribeAccessPoints,
    https://www.alibabacloud.com/help/en/vpc/api-describeaccesspoints).  Ids that name no
    known region (``ap-sg-singpore-A`` is in ap-southeast-1) are taken as given.
    """
    best: str | None = None
    for region in regions.REGIONS:
        if access_point_id.startswith(f"ap-{region.id}-") and (
            best is None or len(region.id) > len(best)
        ):
            best = region.id
    return best


def load_accounts(path: str | os.PathLike[str]) -> AccountRegistry:
    """Read and validate an accounts TOML file.

    Raises :class:`AccountsFileError` for bad content (including TOML syntax errors) and
    ``OSError`` when the file cannot be read.
    """
    source = os.fspath(path)
    raw = Path(path).read_bytes()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise AccountsFileError(source, "", f"not UTF-8 text ({exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise AccountsFileError(source, "", f"invalid TOML: {exc}") from exc
    return registry_from_dict(data, source)


def registry_from_dict(data: Mapping[str, Any], source: str = "<memory>") -> AccountRegistry:
    """Build a registry from already-parsed TOML (the same shape as the file)."""
    problem = unknown_key(data, _TOP_KEYS, "the file")
    if problem:
        raise AccountsFileError(source, "", problem)
    faults = data.get("faults", {})
    if not isinstance(faults, dict):
        raise AccountsFileError(source, "faults", "must be a table ([faults])")
    entries = data.get("account")
    if entries is None:
        raise AccountsFileError(source, "", "no [[account]] entries")
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise AccountsFileError(source, "account", "must be an array of tables ([[account]])")
    if not entries:
        raise AccountsFileError(source, "", "no [[account]] entries")
    parser = _Parser(source)
    accounts = [parser.account(i, entry) for i, entry in enumerate(entries)]
    return AccountRegistry(accounts, faults=faults, source=source)


class _Parser:
    """Validates one file; remembers ids already seen so duplicates name both entries."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.account_ids: dict[str, str] = {}
        self.key_ids: dict[str, str] = {}
        self.pc_ids: dict[str, str] = {}

    def fail(self, entry: str, problem: str) -> AccountsFileError:
        return AccountsFileError(self.source, entry, problem)

    def tables(self, entry: str, value: Any, name: str) -> list[dict[str, Any]]:
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(entry, f"{name!r} must be an array of tables ([[...{name}]])")
        return value

    def known(self, entry: str, raw: dict[str, Any], keys: tuple[str, ...], kind: str) -> None:
        problem = unknown_key(raw, keys, kind)
        if problem:
            raise self.fail(entry, problem)

    def account(self, index: int, raw: dict[str, Any]) -> Account:
        entry = f"account[{index}]"
        uid = raw.get("id")
        if isinstance(uid, int) and not isinstance(uid, bool):
            raise self.fail(entry, f"id must be a quoted string of 16 digits, not the number {uid}")
        if not isinstance(uid, str) or not _ACCOUNT_ID_RE.fullmatch(uid):
            raise self.fail(entry, f"id must be a string of exactly 16 digits, got {uid!r}")
        entry = f"account[{index}] (id {uid})"
        if uid in self.account_ids:
            raise self.fail(entry, f"duplicate account id, already used by {self.account_ids[uid]}")
        self.account_ids[uid] = entry
        self.known(entry, raw, _ACCOUNT_KEYS, "an [[account]]")
        name = self.optional_str(entry, raw, "name")

        keys = tuple(
            self.access_key(f"{entry}.access_key[{i}]", k)
            for i, k in enumerate(self.tables(entry, raw.get("access_key"), "access_key"))
        )
        users: list[RamUser] = []
        user_names: set[str] = set()
        for i, u in enumerate(self.tables(entry, raw.get("ram_user"), "ram_user")):
            user = self.ram_user(f"{entry}.ram_user[{i}]", u)
            if user.name in user_names:
                raise self.fail(
                    f"{entry}.ram_user[{i}]",
                    f"duplicate RAM user name {user.name!r} in this account",
                )
            user_names.add(user.name)
            users.append(user)
        pcs = tuple(
            self.physical_connection(f"{entry}.physical_connection[{i}]", uid, i, p)
            for i, p in enumerate(
                self.tables(entry, raw.get("physical_connection"), "physical_connection")
            )
        )
        return Account(uid, keys, tuple(users), pcs, name)

    def access_key(self, entry: str, raw: dict[str, Any]) -> AccessKey:
        key_id = raw.get("id")
        if not isinstance(key_id, str) or not _ACCESS_KEY_ID_RE.fullmatch(key_id):
            raise self.fail(
                entry,
                "id must be 1-128 characters from A-Z a-z 0-9 . _ - , got " + repr(key_id),
            )
        entry = f"{entry} (id {key_id})"
        if key_id in self.key_ids:
            raise self.fail(
                entry, f"duplicate AccessKey id, already used by {self.key_ids[key_id]}"
            )
        self.key_ids[key_id] = entry
        self.known(entry, raw, _KEY_KEYS, "an access_key")
        secret = raw.get("secret")
        if not isinstance(secret, str) or not secret.strip():
            raise self.fail(entry, "secret must be a non-empty string")
        active = raw.get("active", True)
        if not isinstance(active, bool):
            raise self.fail(entry, f"active must be true or false, got {active!r}")
        return AccessKey(key_id, secret, active)

    def ram_user(self, entry: str, raw: dict[str, Any]) -> RamUser:
        name = raw.get("name")
        if not isinstance(name, str) or not _RAM_USER_RE.fullmatch(name):
            raise self.fail(
                entry,
                "name must be 1-64 characters from A-Z a-z 0-9 . _ @ - , got " + repr(name),
            )
        entry = f"{entry} (name {name})"
        self.known(entry, raw, _RAM_USER_KEYS, "a ram_user")
        keys = tuple(
            self.access_key(f"{entry}.access_key[{i}]", k)
            for i, k in enumerate(self.tables(entry, raw.get("access_key"), "access_key"))
        )
        return RamUser(name, keys)

    def physical_connection(
        self, entry: str, account_id: str, index: int, raw: dict[str, Any]
    ) -> PhysicalConnectionGrant:
        pc_id = raw.get("id")
        if pc_id is None:
            pc_id = physical_connection_id(account_id, index)
        elif not isinstance(pc_id, str) or not _PC_ID_RE.fullmatch(pc_id):
            raise self.fail(entry, f"id must look like 'pc-' + 6-40 of a-z 0-9, got {pc_id!r}")
        entry = f"{entry} (id {pc_id})"
        if pc_id in self.pc_ids:
            raise self.fail(
                entry, f"duplicate physical connection id, already used by {self.pc_ids[pc_id]}"
            )
        self.pc_ids[pc_id] = entry
        self.known(entry, raw, _PC_KEYS, "a physical_connection")
        ap = raw.get("access_point_id")
        if not isinstance(ap, str) or not _ACCESS_POINT_RE.fullmatch(ap):
            raise self.fail(
                entry, f"access_point_id must look like 'ap-cn-hangzhou-jg-B', got {ap!r}"
            )
        region = raw.get("region")
        if not isinstance(region, str) or len(region) > 64 or not _REGION_RE.fullmatch(region):
            raise self.fail(
                entry, f"region must be a region id such as 'cn-hangzhou', got {region!r}"
            )
        ap_region = access_point_region(ap)
        if ap_region is not None and ap_region != region:
            raise self.fail(
                entry,
                f"access point {ap} is in region {ap_region}, not {region}: "
                "give the access point's own region",
            )
        bandwidth = raw.get("bandwidth", 1000)
        if isinstance(bandwidth, bool) or not isinstance(bandwidth, int) or bandwidth <= 0:
            raise self.fail(
                entry, f"bandwidth must be a positive integer (Mbps), got {bandwidth!r}"
            )
        name = self.optional_str(entry, raw, "name")
        return PhysicalConnectionGrant(pc_id, ap, region, bandwidth, name)

    def optional_str(self, entry: str, raw: dict[str, Any], key: str) -> str | None:
        value = raw.get(key)
        if value is not None and not isinstance(value, str):
            raise self.fail(entry, f"{key} must be a string, got {value!r}")
        return value
