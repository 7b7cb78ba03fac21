"""Fixtures of the router-interface tests: live servers with three accounts, SDK clients,
and in-process services over an in-memory store."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from rihelpers import (
    ACCOUNT_B,
    ACCOUNT_C,
    ACCOUNT_D,
    KEY_B,
    KEY_C,
    KEY_D,
    RAM_KEY,
    RAM_SECRET,
    RAM_USER,
    SECRET_B,
    SECRET_C,
    SECRET_D,
    Api,
    Service,
    new_account_id,
)

from riconnect.domain.accounts import (
    DEMO_ACCESS_KEY_ID,
    DEMO_ACCESS_KEY_SECRET,
    DEMO_ACCESS_POINT_ID,
    DEMO_ACCOUNT_ID,
    DEMO_PHYSICAL_CONNECTION_ID,
    DEMO_REGION_ID,
)
from riconnect.domain.clock import FakeClock
from riconnect.domain.transitions import Delays
from riconnect.store.db import Store
from riconnect.testing import LiveCloud, acs_client, vpc_client
from riconnect.testing.accounts import (
    AccessKey,
    Account,
    PhysicalConnection,
    RamUser,
    write_accounts,
)

# The demo account (with its physical connection) plus three more main accounts.
ACCOUNTS = [
    Account(
        DEMO_ACCOUNT_ID,
        name="demo",
        access_keys=[AccessKey(DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET)],
        ram_users=[RamUser(RAM_USER, [AccessKey(RAM_KEY, RAM_SECRET)])],
        physical_connections=[
            PhysicalConnection(DEMO_ACCESS_POINT_ID, DEMO_REGION_ID, id=DEMO_PHYSICAL_CONNECTION_ID)
        ],
    ),
    Account(ACCOUNT_B, name="b", access_keys=[AccessKey(KEY_B, SECRET_B)]),
    Account(ACCOUNT_C, name="c", access_keys=[AccessKey(KEY_C, SECRET_C)]),
    Account(
        ACCOUNT_D,
        name="d",
        access_keys=[AccessKey(KEY_D, SECRET_D)],
        physical_connections=[PhysicalConnection(DEMO_ACCESS_POINT_ID, DEMO_REGION_ID)],
    ),
]


@pytest.fixture(scope="session")
def ri_accounts_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_accounts(tmp_path_factory.mktemp("ri-accounts") / "accounts.toml", ACCOUNTS)


@pytest.fixture(scope="session")
def ri_start_cloud(
    tmp_path_factory: pytest.TempPathFactory, ri_accounts_file: Path
) -> Iterator[Callable[..., LiveCloud]]:
    """Start a ``riconnect serve`` subprocess on a SQLite file (its own, or ``db=``) with
    the accounts above; every server started through this is stopped at the end of the
    session."""
    started: list[LiveCloud] = []

    def start(**options: Any) -> LiveCloud:
        workdir = tmp_path_factory.mktemp("ri-cloud")
        options.setdefault("accounts", ri_accounts_file)
        options.setdefault("vpc_quota", 100_000)
        options.setdefault("log_level", "warning")
        db = options.pop("db", workdir / "riconnect.db")
        cloud = LiveCloud(db, workdir=workdir, **options)
        started.append(cloud)
        return cloud.start()

    yield start
    for cloud in started:
        cloud.stop()


@pytest.fixture(scope="session")
def ri_cloud(ri_start_cloud: Callable[..., LiveCloud]) -> LiveCloud:
    """The shared server: immediate transitions; tests use unique VPCs and filter by id."""
    return ri_start_cloud(transitions="immediate")


SLOW = (
    "ri_connect=120,ri_activate=120,ri_deactivate=120,ri_delete=120,ri_modify_spec=120,"
    "vpc_delete=120,vbr_delete=120"
)


@pytest.fixture(scope="session")
def ri_slow_cloud(ri_start_cloud: Callable[..., LiveCloud]) -> LiveCloud:
    """Transitions that last two minutes (only VPC creation is immediate): whatever is
    started during a test stays in its intermediate state for the rest of the test."""
    return ri_start_cloud(transitions=SLOW)


@pytest.fixture(scope="session")
def api_slow(ri_slow_cloud: LiveCloud) -> Api:
    return Api(ri_slow_cloud, DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET)


@pytest.fixture(scope="session")
def api_a(ri_cloud: LiveCloud) -> Api:
    return Api(ri_cloud, DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET)


@pytest.fixture(scope="session")
def api_b(ri_cloud: LiveCloud) -> Api:
    return Api(ri_cloud, KEY_B, SECRET_B)


@pytest.fixture(scope="session")
def api_c(ri_cloud: LiveCloud) -> Api:
    return Api(ri_cloud, KEY_C, SECRET_C)


@pytest.fixture(scope="session")
def api_d(ri_cloud: LiveCloud) -> Api:
    return Api(ri_cloud, KEY_D, SECRET_D)


@pytest.fixture(scope="session", params=["v3", "v2"])
def v2_client(request: pytest.FixtureRequest, ri_cloud: LiveCloud) -> Any:
    """``alibabacloud_vpc20160428`` client of the demo account: default (V3, ACS3-HMAC-SHA256)
    signing and ``signature_algorithm='v2'`` (HMAC-SHA1)."""
    algorithm = None if request.param == "v3" else "v2"
    return vpc_client(ri_cloud, signature_algorithm=algorithm)


@pytest.fixture(scope="session")
def v1_client(ri_cloud: LiveCloud) -> Any:
    """``aliyun-python-sdk-core`` client in cn-hangzhou with an explicit endpoint."""
    return acs_client(ri_cloud, "cn-hangzhou")


# -- in-process ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def memory_store() -> Iterator[Store]:
    """One in-memory store for the in-process tests; each test uses fresh account ids."""
    store = Store(":memory:")
    yield store
    store.close()


DEFAULT_DELAYS = Delays(ri_connect=3, ri_activate=2, ri_deactivate=2, ri_delete=1, ri_modify_spec=2)


@pytest.fixture
def svc(memory_store: Store) -> Service:
    """The service of a fresh account, with a fake clock and non-zero delays."""
    return Service(memory_store, FakeClock(1_800_000_000.0), DEFAULT_DELAYS, new_account_id())
