"""Delays.spec: the text Delays.parse reads back (how in-process clouds pass delays as a
setting)."""

from __future__ import annotations

import pytest

from riconnect.domain.transitions import Delays


@pytest.mark.parametrize(
    "delays",
    [Delays(), Delays.parse("realistic"), Delays(vpc_create=0.1, ri_connect=1e-3, vbr_delete=3600)],
)
def test_spec_round_trips(delays: Delays) -> None:
    assert Delays.parse(delays.spec()) == delays
