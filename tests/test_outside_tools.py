"""CI refuses a run in which a test skipped for a missing outside tool."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent


@pytest.mark.parametrize(("ci", "expected"), [("1", 1), ("", 0)])
def test_outside_tool_skip_fails_only_in_ci(tmp_path: Path, ci: str, expected: int) -> None:
    (tmp_path / "test_probe.py").write_text(
        "import pytest\n"
        "def test_needs_tool():\n"
        "    pytest.skip('outside tool: nothing here (apt-get install nothing)')\n"
        "def test_plain_skip():\n"
        "    pytest.skip('not applicable')\n"
    )
    env = {**os.environ, "RICONNECT_CI": ci, "PYTHONPATH": str(TESTS)}
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "outside_tools",
            "-p",
            "no:cacheprovider",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert run.returncode == expected, run.stdout + run.stderr
    assert ("test_needs_tool" in run.stdout) == (ci == "1")
