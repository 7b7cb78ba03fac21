"""Go ``time.ParseDuration`` strings ("5m", "1h30m", "1.5s") as seconds.

A leaf module: both the ``timeouts`` block and the ``duration`` validator need it.
"""

from __future__ import annotations

import re

_UNITS = {
    "ns": 1e-9,
    "us": 1e-6,
    "µs": 1e-6,
    "μs": 1e-6,
    "ms": 1e-3,
    "s": 1.0,
    "m": 60.0,
    "h": 3600.0,
}
_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)")


def parse_duration(text: str) -> float:
    """Parse a Go ``time.ParseDuration`` string ("5m", "1h30m", "1.5s") into seconds.

    Same grammar as Go, so a string that works with the Go provider works here.
    """
    if not isinstance(text, str):
        raise ValueError(f"invalid duration {text!r}: expected a string")
    s = text.strip()
    sign = 1.0
    if s and s[0] in "+-":
        sign = -1.0 if s[0] == "-" else 1.0
        s = s[1:]
    if s == "0":
        return 0.0
    if not s:
        raise ValueError(f'invalid duration {text!r}: expected e.g. "5m", "1h30m" or "20s"')
    total = 0.0
    pos = 0
    while pos < len(s):
        m = _PART.match(s, pos)
        if m is None:
            raise ValueError(
                f'invalid duration {text!r}: expected e.g. "5m", "1h30m" or "20s" '
                "(units: ns, us, ms, s, m, h)"
            )
        total += float(m.group(1)) * _UNITS[m.group(2)]
        pos = m.end()
    return sign * total
