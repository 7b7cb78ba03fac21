"""Every setting of ``riconnect serve``, declared once.

Each field of :class:`ServerConfig` is one setting: its name (the flag ``--name-with-dashes``
and the variable ``RICONNECT_NAME_WITH_UNDERSCORES``), type, default, help text and check.
The CLI options, the environment parsing, :meth:`ServerConfig.to_env` (how ``--workers N``
hands the configuration to its worker processes) and the runtime objects all read this
declaration; nothing else lists the settings.  A flag wins over the variable, the variable
over the default.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from functools import cache
from pathlib import Path
from typing import Any, get_type_hints

ENV_PREFIX = "RICONNECT_"

Check = Callable[[Any], str | None]  # a problem with the value, or None


def default_db() -> str:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return str(Path(base) / "riconnect" / "riconnect.db")


def _seconds(value: float) -> str | None:
    return None if 0 < value <= 3600 else "must be 0 to 3600 seconds"


def _positive(value: int) -> str | None:
    return None if value >= 1 else "must be positive"


def _seed(value: str) -> str | None:
    ok = value == "" or (value.isascii() and value.isdigit() and len(value) <= 18)
    return None if ok else "must be a whole number (at most 18 digits)"


# Characters a token may hold: it also travels in a cookie (the console), which cannot carry
# spaces, commas, semicolons or quotes.
_TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/=")


def _token(value: str) -> str | None:
    if value and (len(value) < 8 or not set(value) <= _TOKEN_CHARS):
        return "must be at least 8 characters of A-Z a-z 0-9 - . _ ~ + / ="
    return None


def _setting(default: Any, help: str, check: Check | None = None) -> Any:
    """A field of :class:`ServerConfig`; ``{default}`` in ``help`` shows the default."""
    metadata = {"help": help, "check": check}
    if callable(default):
        return field(default_factory=default, metadata=metadata)
    return field(default=default, metadata=metadata)


@dataclass(frozen=True)
class ServerConfig:
    host: str = _setting("127.0.0.1", "address to listen on (default {default})")
    port: int = _setting(18080, "TCP port (default {default})")
    db: str = _setting(
        default_db,
        "SQLite file path or SQLAlchemy URL; ':memory:' keeps nothing (default {default})",
    )
    accounts: str = _setting("", "TOML accounts file (default: one demo account, see README)")
    transitions: str = _setting(
        "immediate",
        "how long intermediate states last: immediate | realistic | "
        "fixed:SECONDS | name=SECONDS,... (default {default})",
    )
    faults: str = _setting(
        "",
        "comma-separated fault rules [Action:]Code=rate, e.g. Throttling.User=0.3 (default none)",
    )
    fault_seed: str = _setting("", "random seed for fault injection (default: random)")
    retry_after_ms: int = _setting(
        1000, "x-acs-retry-after sent with injected throttling (default {default})"
    )
    seed: str = _setting(
        "",
        "generated ids and RequestIds repeat from run to run for the same whole number "
        "(default: random)",
        _seed,
    )
    vpc_quota: int = _setting(10, "VPCs per account and region (default {default})")
    max_body: int = _setting(
        1024 * 1024, "largest request body in bytes (default {default})", _positive
    )
    workers: int = _setting(1, "server processes sharing one database (default {default})")
    threads: int = _setting(16, "worker threads per process (default {default})")
    # Connection limits (docs/reliability.md): deadlines in seconds, sizes in bytes.
    header_timeout: float = _setting(
        10.0, "seconds to receive a request line and headers (default {default})", _seconds
    )
    body_timeout: float = _setting(
        30.0, "seconds to receive a request body after its headers (default {default})", _seconds
    )
    write_timeout: float = _setting(
        30.0,
        "seconds a client may leave answers unread before it is cut off (default {default})",
        _seconds,
    )
    keep_alive: int = _setting(
        15, "seconds an idle connection stays open (default {default})", _positive
    )
    max_header_size: int = _setting(
        64 * 1024, "largest request line plus headers in bytes (default {default})", _positive
    )
    # Query and form parameters together.  The largest legitimate request (five filters of
    # 100 values, or 50 resource ids and 20 tags) has a few hundred; parsing, signing and
    # sorting a megabyte of empty parameters would hold the event loop for about a second.
    max_params: int = _setting(
        1000, "most query plus form parameters in one request (default {default})", _positive
    )
    # A graceful stop (SIGTERM) waits this long for requests in progress, then cancels them:
    # otherwise a client stalled in the middle of its body held the stop for the whole body
    # deadline.
    shutdown_timeout: float = _setting(
        5.0, "seconds a graceful stop waits for requests in progress (default {default})", _seconds
    )
    log_level: str = _setting("info", "debug | info | warning | error (default {default})")
    # The operator surface (/riconnect/...: state, reset, snapshots, journal, settings, console).
    admin_token: str = _setting(
        "",
        "the bearer token /riconnect/ asks for (Authorization: Bearer TOKEN); without one it "
        "answers loopback clients only (default none; prefer the variable to the flag)",
        _token,
    )
    journal: str = _setting(
        "", "also append every request to this file, one JSON line each (default: memory only)"
    )
    journal_size: int = _setting(
        1000, "requests kept in memory for GET /riconnect/requests (default {default})", _positive
    )
    max_snapshot: int = _setting(
        256 * 1024 * 1024,
        "largest snapshot POST /riconnect/snapshot accepts, in bytes (default {default})",
        _positive,
    )

    def __post_init__(self) -> None:
        for option in options():
            check = option.check
            problem = check(getattr(self, option.name)) if check is not None else None
            if problem:
                raise ValueError(f"{option.flag.removeprefix('--')} {problem}")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> ServerConfig:
        """Settings from ``RICONNECT_*`` variables (``os.environ`` by default), then
        ``overrides`` that are not None (the CLI flags)."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for option in options():
            raw = env.get(option.env)
            if raw is not None:
                values[option.name] = option.parse(raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def to_env(self) -> dict[str, str]:
        return {option.env: str(getattr(self, option.name)) for option in options()}


@dataclass(frozen=True)
class Option:
    """One setting as the CLI and the environment see it."""

    name: str  # the ServerConfig field
    flag: str  # --max-body
    env: str  # RICONNECT_MAX_BODY
    parse: Callable[[str], Any]  # text -> value: int, float or str
    help: str  # with the default filled in
    check: Check | None


def _shown(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


@cache
def options() -> tuple[Option, ...]:
    """Every setting, in declaration order."""
    types = get_type_hints(ServerConfig)
    out = []
    for f in fields(ServerConfig):
        default = f.default_factory() if callable(f.default_factory) else f.default
        out.append(
            Option(
                name=f.name,
                flag="--" + f.name.replace("_", "-"),
                env=ENV_PREFIX + f.name.upper(),
                parse=types[f.name],
                help=f.metadata["help"].format(default=_shown(default)),
                check=f.metadata["check"],
            )
        )
    return tuple(out)
