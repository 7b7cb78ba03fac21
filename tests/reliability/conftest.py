"""Fixtures of the reliability suite, and its report.

A full run (``RICONNECT_RELIABILITY=full``) writes ``tests/reliability/last_run.json`` at the end
of the session and regenerates the figures section of ``docs/reliability.md`` from it, provided
every reliability test of the run passed.  A bounded run writes nothing unless
``RICONNECT_RELIABILITY_SUMMARY=<path>`` names a file for its summary.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from riconnect.testing import LiveCloud
from tests.reliability.helpers import FULL, figures, write_accounts_file
from tests.reliability.report import HERE, write_summary

_OUTCOMES: dict[str, str] = {}
_STARTED = time.time()


@pytest.fixture(scope="session")
def rel_accounts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_accounts_file(tmp_path_factory.mktemp("rel-accounts") / "accounts.toml")


@pytest.fixture(scope="module")
def rel_cloud(tmp_path_factory: pytest.TempPathFactory, rel_accounts: Path) -> Iterator[LiveCloud]:
    """A live server with the three reliability accounts, for the tests of one module."""
    workdir = tmp_path_factory.mktemp("rel-cloud")
    with LiveCloud(
        workdir / "riconnect.db",
        accounts=rel_accounts,
        vpc_quota=100_000,
        workdir=workdir,
        log_level="warning",
    ) as cloud:
        yield cloud
        assert cloud.is_running(), f"the server died during the module\n{cloud.log_tail()}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test here belongs to the reliability suite, so ``-m reliability`` selects the
    whole suite (the slow ones also carry the marker explicitly)."""
    for item in items:
        if "tests/reliability/" in item.nodeid.replace("\\", "/"):
            item.add_marker(pytest.mark.reliability)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if "tests/reliability/" not in report.nodeid.replace("\\", "/"):
        return
    if report.when == "call" or report.outcome != "passed":
        previous = _OUTCOMES.get(report.nodeid)
        if previous in (None, "passed"):
            _OUTCOMES[report.nodeid] = report.outcome


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if not _OUTCOMES:
        return
    target = os.environ.get("RICONNECT_RELIABILITY_SUMMARY")
    if not FULL and not target:
        return
    summary_path = Path(target) if target else HERE / "last_run.json"
    args: dict[str, Any] = {
        "outcomes": dict(sorted(_OUTCOMES.items())),
        "figures": figures(),
        "started": _STARTED,
        "finished": time.time(),
        "summary_path": summary_path,
        "update_doc": FULL and not target,
    }
    write_summary(**args)
