"""A pytest plugin of this suite: skips for a missing outside tool fail the run in CI.

Tests that need a tool from outside Python (PostgreSQL, Chromium, Go, Terraform) skip on a machine without it, with a reason that starts with
``OUTSIDE_TOOL``.  CI sets ``RICONNECT_CI=1`` (.ci/run): there such a skip fails the run, so
nothing is silently left untested.
"""

from __future__ import annotations

import os

import pytest

OUTSIDE_TOOL = "outside tool:"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if os.environ.get("RICONNECT_CI") != "1":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter is not None else []
    missing = [r for r in skipped if OUTSIDE_TOOL in str(r.longrepr)]
    for report in missing:
        reporter.write_line(f"RICONNECT_CI: skipped for a missing outside tool: {report.nodeid}")
    if missing:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
