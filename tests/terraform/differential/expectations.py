"""Why a differential case is expected to differ today (``xfail(strict=True)``).

Each entry names its cause: an item of issue 11 not done yet (``ITEM_*``: the case flips to a
pass when it lands, and strict xfail then fails until the entry goes), or an official
behaviour riconnect deliberately does not copy (``OFFICIAL_BUG``, listed in docs/fidelity.md
"Official provider behaviours not copied").
"""

from __future__ import annotations

import fnmatch

EXPECTED: dict[str, str] = {}


def expected(case_id: str) -> str | None:
    """The reason ``case_id`` differs today, or None; keys may be fnmatch patterns."""
    if case_id in EXPECTED:
        return EXPECTED[case_id]
    for pattern, reason in EXPECTED.items():
        if any(ch in pattern for ch in "*?[") and fnmatch.fnmatchcase(case_id, pattern):
            return reason
    return None
