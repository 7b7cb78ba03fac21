from __future__ import annotations

import pytest

from riconnect.terraform.plugin import Timeouts, parse_duration
from riconnect.terraform.plugin.validators import duration


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("5m", 300),
        ("1h30m", 5400),
        ("20s", 20),
        ("1.5h", 5400),
        ("300ms", 0.3),
        ("2h45m30s", 9930),
        ("0", 0),
        ("1m0s", 60),
        ("-5s", -5),
        ("10us", 1e-5),
    ],
)
def test_parse_duration(text: str, seconds: float) -> None:
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["", "5", "m", "5 m", "5d", "1h-30m", "five minutes", "1.2.3s"])
def test_parse_duration_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="invalid duration"):
        parse_duration(text)


def test_duration_validator_message() -> None:
    assert duration("10m", "timeouts.create") is None
    message = duration("10 minutes", "timeouts.create")
    assert message is not None and message.startswith("timeouts.create: invalid duration")
    assert '"5m"' in message


def test_timeouts_defaults_and_overrides() -> None:
    t = Timeouts(create=600, delete=300)
    assert t.operations == ("create", "delete")
    assert t.seconds({"timeouts": None}, "create") == 600
    assert t.seconds({"timeouts": {"create": "2m", "delete": None}}, "create") == 120
    assert t.seconds({"timeouts": {"create": "2m", "delete": None}}, "delete") == 300
    assert t.seconds(None, "delete") == 300
    with pytest.raises(ValueError, match="not declared"):
        t.seconds({}, "update")
