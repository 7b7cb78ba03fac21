"""Shared fixtures.  riconnect's own fixtures come from the same plugin users load."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from riconnect.testing import LiveCloud

# Loaded as a plugin (not imported here first) so that pytest rewrites its asserts.
pytest_plugins = ["riconnect.testing", "tests.outside_tools", "tests.support.postgres"]


@dataclass(frozen=True)
class Key:
    id: str
    secret: str


@dataclass(frozen=True)
class TwoAccounts:
    """The identities of ``accounts_file`` below."""

    a_id: str = "1111111111111111"
    b_id: str = "2222222222222222"
    a: Key = Key("LTAItestAccountA0001", "secretOfAccountA")
    b: Key = Key("LTAItestAccountB0001", "secretOfAccountB")
    ram_user: str = "ops"
    a_ram: Key = Key("LTAItestAccountAops01", "secretOfRamUserOps")


TWO = TwoAccounts()


@pytest.fixture(scope="session")
def two_accounts() -> TwoAccounts:
    return TWO


@pytest.fixture(scope="session")
def accounts_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two main accounts; account A has a RAM user."""
    # Imported here, like LiveCloud below: importing riconnect.testing before pytest loads
    # it as a plugin would keep pytest from rewriting its asserts.
    from riconnect.testing.accounts import AccessKey, Account, RamUser, write_accounts

    a_ram = RamUser(TWO.ram_user, [AccessKey(TWO.a_ram.id, TWO.a_ram.secret)])
    accounts = [
        Account(
            TWO.a_id,
            name="account-a",
            access_keys=[AccessKey(TWO.a.id, TWO.a.secret)],
            ram_users=[a_ram],
        ),
        Account(TWO.b_id, name="account-b", access_keys=[AccessKey(TWO.b.id, TWO.b.secret)]),
    ]
    return write_accounts(tmp_path_factory.mktemp("accounts") / "accounts.toml", accounts)


@pytest.fixture(scope="session")
def multi_account_cloud(
    tmp_path_factory: pytest.TempPathFactory, accounts_file: Path
) -> Iterator[LiveCloud]:
    """A live server with the two accounts of ``accounts_file`` (no demo account)."""
    from riconnect.testing import LiveCloud

    workdir = tmp_path_factory.mktemp("multi-account-cloud")
    with LiveCloud(
        workdir / "riconnect.db", accounts=accounts_file, vpc_quota=100_000, workdir=workdir
    ) as cloud:
        yield cloud


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The official-provider tests run last: `make test` builds that provider in the
    background while everything else runs (scripts/build-official-provider)."""
    items.sort(key=lambda item: item.get_closest_marker("official_provider") is not None)
