"""examples/seed/main.tf is the seed document's example, verbatim."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEED_DOC = ROOT.parent / "shared" / "seed" / "alicloud_router_interface_connection.md"


def test_seed_example_is_verbatim() -> None:
    if not SEED_DOC.exists():
        pytest.skip(f"the seed document is not beside the project ({SEED_DOC})")
    match = re.search(r"```terraform\n(.*?)```", SEED_DOC.read_text(), re.DOTALL)
    assert match is not None, "the seed document has no terraform example"
    assert (ROOT / "examples" / "seed" / "main.tf").read_text() == match.group(1)
