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
pytest_plugins = ["riconnect.testing"]


@dataclass(frozen=True)
class Key:
    id: str
    secret: str


@dataclass(frozen=True)
class TwoAccounts:
    """The identities of ``accounts.toml`` below."""

    a_id: str = "1111111111111111"
    b_id: str = "2222222222222222"
    a: Key = Key("LTAItestAccountA0001", "secretOfAccountA")
    b: Key = Key("LTAItestAccountB0001", "secretOfAccountB")
    ram_user: str = "ops"
    a_ram: Key = Key("LTAItestAccountAops01", "secretOfRamUserOps")


TWO = TwoAccounts()

ACCOUNTS_TOML = f"""
# Two main accounts; account A has a RAM user.
[[account]]
id = "{TWO.a_id}"
name = "account-a"
[[account.access_key]]
id = "{TWO.a.id}"
secret = "{TWO.a.secret}"
[[account.ram_user]]
name = "{TWO.ram_user}"
[[account.ram_user.access_key]]
id = "{TWO.a_ram.id}"
secret = "{TWO.a_ram.secret}"

[[account]]
id = "{TWO.b_id}"
name = "account-b"
[[account.access_key]]
id = "{TWO.b.id}"
secret = "{TWO.b.secret}"
"""


@pytest.fixture(scope="session")
def two_accounts() -> TwoAccounts:
    return TWO


@pytest.fixture(scope="session")
def accounts_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("accounts") / "accounts.toml"
    path.write_text(ACCOUNTS_TOML)
    return path


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
