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
``riconnect_clean_cloud``
    the session cloud, emptied before the test (``POST /riconnect/reset``, a few
    milliseconds) and back on the server's own settings: a clean cloud per test.
``riconnect_snapshot_cloud``
    the session cloud holding exactly the snapshot that the test's
    ``@pytest.mark.riconnect_snapshot("file.json")`` names (relative to the test's file), or
    the ``riconnect_snapshot_file`` fixture returns.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
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
    "riconnect_clean_cloud",
    "riconnect_cloud",
    "riconnect_cloud_options",
    "riconnect_region",
    "riconnect_snapshot_cloud",
    "riconnect_snapshot_file",
    "riconnect_sts",
    "riconnect_vpc",
]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "riconnect_snapshot(path): the snapshot riconnect_snapshot_cloud loads before the test "
        "(a path relative to the test's file)",
    )


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
        cloud.close()


@pytest.fixture
def riconnect_clean_cloud(riconnect_cloud: LiveCloud) -> LiveCloud:
    """The session cloud, empty: every resource of the previous tests deleted (accounts and
    their physical connections stay) and live settings back to the server's flags."""
    riconnect_cloud.operator.clear_settings()
    riconnect_cloud.reset()
    return riconnect_cloud


@pytest.fixture
def riconnect_snapshot_file(request: pytest.FixtureRequest) -> Path:
    """The snapshot ``riconnect_snapshot_cloud`` loads: the ``riconnect_snapshot`` marker's
    path, relative to the test's file.  Override this fixture to choose it otherwise."""
    marker = request.node.get_closest_marker("riconnect_snapshot")
    if marker is None or not marker.args:
        raise pytest.UsageError(
            "riconnect_snapshot_cloud needs @pytest.mark.riconnect_snapshot(path) "
            "or a riconnect_snapshot_file fixture"
        )
    return Path(request.path).parent / str(marker.args[0])


@pytest.fixture
def riconnect_snapshot_cloud(
    riconnect_cloud: LiveCloud, riconnect_snapshot_file: Path
) -> LiveCloud:
    """The session cloud holding exactly the snapshot (loaded atomically before the test)."""
    riconnect_cloud.operator.clear_settings()
    riconnect_cloud.load_snapshot(riconnect_snapshot_file)
    return riconnect_cloud
