"""The pytest fixtures of riconnect.testing: the only module of the package that imports pytest.

pytest loads it through ``pytest_plugins = ["riconnect.testing"]`` (the package names it in
its own ``pytest_plugins``), so users' conftests stay one line.  Every fixture is prefixed
``riconnect_`` so it does not clash with theirs:

``riconnect_cloud_options`` (session)
    keyword arguments for the session :class:`~riconnect.testing.live.LiveCloud`; override
    this fixture to change them (for example ``transitions="realistic"``).
``riconnect_cloud`` (session)
    a :class:`~riconnect.testing.live.LiveCloud` on a temporary SQLite file with the demo
    account.
``riconnect_region`` (session)
    ``"cn-hangzhou"``.
``riconnect_vpc`` / ``riconnect_sts`` / ``riconnect_acs``
    a V2 VPC client, an STS client and a core ``AcsClient`` on ``riconnect_cloud``.
``riconnect_app``
    a fresh in-process :class:`~riconnect.api.app.App` per test (``riconnect_app.cloud``
    holds the store and the fake clock).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from riconnect.testing.clients import acs_client, sts_client, vpc_client
from riconnect.testing.defaults import DEFAULT_REGION
from riconnect.testing.inprocess import inprocess_app
from riconnect.testing.live import LiveCloud

if TYPE_CHECKING:
    from riconnect.api.app import App

__all__ = [
    "riconnect_acs",
    "riconnect_app",
    "riconnect_cloud",
    "riconnect_cloud_options",
    "riconnect_region",
    "riconnect_sts",
    "riconnect_vpc",
]


@pytest.fixture(scope="session")
def riconnect_cloud_options() -> dict[str, Any]:
    """Keyword arguments for the session :class:`LiveCloud`; override to change them.

    The quota is large because every test of the run shares this one cloud.
    """
    return {"vpc_quota": 100_000, "transitions": "immediate"}


@pytest.fixture(scope="session")
def riconnect_cloud(
    tmp_path_factory: pytest.TempPathFactory, riconnect_cloud_options: dict[str, Any]
) -> Iterator[LiveCloud]:
    """One live server for the whole test session, on a temporary SQLite file."""
    workdir = tmp_path_factory.mktemp("riconnect-cloud")
    options = {"db": workdir / "riconnect.db", "workdir": workdir, **riconnect_cloud_options}
    cloud = LiveCloud(**options)
    cloud.start()
    try:
        yield cloud
    finally:
        crashed = not cloud.is_running()
        cloud.stop()
    if crashed:
        pytest.fail(f"the session riconnect server died during the run\n{cloud.log_tail()}")


@pytest.fixture(scope="session")
def riconnect_region() -> str:
    return DEFAULT_REGION


@pytest.fixture
def riconnect_vpc(riconnect_cloud: LiveCloud) -> Any:
    """``alibabacloud_vpc20160428`` client (V3 signatures) on the session cloud, demo account."""
    return vpc_client(riconnect_cloud)


@pytest.fixture
def riconnect_sts(riconnect_cloud: LiveCloud) -> Any:
    """``alibabacloud_sts20150401`` client on the session cloud, demo account."""
    return sts_client(riconnect_cloud)


@pytest.fixture
def riconnect_acs(riconnect_cloud: LiveCloud, riconnect_region: str) -> Any:
    """``aliyunsdkcore`` ``AcsClient`` on the session cloud (needs aliyun-python-sdk-core)."""
    return acs_client(riconnect_cloud, riconnect_region)


@pytest.fixture
def riconnect_app() -> Iterator[App]:
    """A fresh in-process app (in-memory store, FakeClock) per test; ``.cloud`` holds both."""
    app, cloud = inprocess_app()
    try:
        yield app
    finally:
        cloud.executor.shutdown(wait=True, cancel_futures=True)
        cloud.store.close()
