"""Injected time, so timed transitions and signature windows are testable without sleeping."""

from __future__ import annotations

import re
import threading
import time
from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Seconds since the epoch (UTC)."""
        ...


class SystemClock:
    def now(self) -> float:
        return time.time()


class FakeClock:
    """A clock that only moves when told to (tests)."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self._t = start
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return self._t

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._t += seconds

    def set(self, t: float) -> None:
        with self._lock:
            self._t = t


def iso8601(t: float) -> str:
    """Alibaba's UTC timestamp format: 2026-11-26T09:42:16Z."""
    return datetime.fromtimestamp(t, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# Exactly the format above, ASCII digits only: strptime would also take "2026-1-5T1:2:3Z".
_ISO8601_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z", re.ASCII)


def parse_iso8601(s: str) -> float:
    """Parse exactly YYYY-MM-DDThh:mm:ssZ (UTC); raises ValueError otherwise."""
    match = _ISO8601_RE.fullmatch(s)
    if match is None:
        raise ValueError(f"not YYYY-MM-DDThh:mm:ssZ: {s[:40]!r}")
    year, month, day, hour, minute, second = (int(g) for g in match.groups())
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC).timestamp()
