"""docs/fidelity.md's schema table is what scripts/schema_table.py writes from both
providers' ``terraform providers schema -json`` (the official one from its snapshot)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.terraform]


def test_schema_table_is_current() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "schema_table.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
