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


class SettingError(ValueError):
    """A setting with a value that cannot be used.  The message names the setting as the
    user gave it (``--port 99999`` or ``RICONNECT_WORKERS=0``) and says what would do."""


def default_db() -> str:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return str(Path(base) / "riconnect" / "riconnect.db")


def _seconds(value: float) -> str | None:
    return None if 0 < value <= 3600 else "must be more than 0 and at most 3600 seconds"


def _at_least(low: int, high: int | None = None) -> Check:
    def check(value: int) -> str | None:
        if value < low or (high is not None and value > high):
            return f"must be {low} or more" if high is None else f"must be {low} to {high}"
        return None

    return check


def _port(value: int) -> str | None:
    return None if 0 <= value <= 65535 else "must be a TCP port, 0 to 65535 (0: any free port)"


def _not_empty(value: str) -> str | None:
    return None if value.strip() else "must not be empty"


LOG_LEVELS = ("debug", "info", "warning", "error")


def _log_level(value: str) -> str | None:
    return None if value in LOG_LEVELS else f"must be one of {', '.join(LOG_LEVELS)}"


def _transitions(value: str) -> str | None:
    from riconnect.domain.transitions import Delays

    try:
        Delays.parse(value)
    except ValueError as exc:
        return str(exc)
    return None


def _faults(value: str) -> str | None:
    from riconnect.api.faults import parse_rules

    try:
        parse_rules(value)
    except ValueError as exc:
        return str(exc)
    return None


def _seed(value: str) -> str | None:
    if value == "" or value.lstrip("-").isdigit():
        return None
    return "must be a whole number (or empty for a random seed)"


def _accounts(value: str) -> str | None:
    if value and not Path(value).expanduser().is_file():
        kind = "a directory" if Path(value).expanduser().is_dir() else "no such file"
        return f"{kind}: give the path of a TOML accounts file (see README)"
    return None


def _id_seed(value: str) -> str | None:
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
    """A field of :class:`ServerConfig`.  ``help`` may name ``{default}`` and the names
    :func:`_help_names` fills in."""
    metadata = {"help": help, "check": check}
    if callable(default):
        return field(default_factory=default, metadata=metadata)
    return field(default=default, metadata=metadata)


@dataclass(frozen=True)
class ServerConfig:
    host: str = _setting("127.0.0.1", "address to listen on (default {default})", _not_empty)
    port: int = _setting(18080, "TCP port; 0 picks a free one (default {default})", _port)
    db: str = _setting(
        default_db,
        "SQLite file path or postgresql:// URL; ':memory:' keeps nothing (default {default})",
        _not_empty,
    )
    accounts: str = _setting(
        "", "TOML accounts file (default: one demo account, see README)", _accounts
    )
    transitions: str = _setting(
        "immediate",
        "how long intermediate states last: immediate (none), realistic (seconds, like the "
        "real service), fixed:SECONDS (every one), or NAME=SECONDS,... with NAME one of "
        "{transition_names} (default {default})",
        _transitions,
    )
    faults: str = _setting(
        "",
        "inject transient errors: comma-separated [Action:]Code=RATE rules with Code one of "
        "{fault_codes} and RATE 0 to 1, e.g. Throttling.User=0.3,"
        "CreateVpc:ServiceUnavailable=0.1 (default none)",
        _faults,
    )
    fault_seed: str = _setting("", "random seed for fault injection (default: random)", _seed)
    retry_after_ms: int = _setting(
        1000, "x-acs-retry-after sent with injected throttling (default {default})", _at_least(0)
    )
    seed: str = _setting(
        "",
        "generated ids and RequestIds repeat from run to run for the same whole number "
        "(default: random)",
        _id_seed,
    )
    vpc_quota: int = _setting(10, "VPCs per account and region (default {default})", _at_least(0))
    max_body: int = _setting(
        1024 * 1024, "largest request body in bytes (default {default})", _at_least(1)
    )
    workers: int = _setting(
        1, "server processes sharing one database (default {default})", _at_least(1, 64)
    )
    threads: int = _setting(
        16, "worker threads per process (default {default})", _at_least(1, 1024)
    )
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
        15, "seconds an idle connection stays open (default {default})", _at_least(1)
    )
    max_header_size: int = _setting(
        64 * 1024, "largest request line plus headers in bytes (default {default})", _at_least(1)
    )
    # Query and form parameters together.  The largest legitimate request (five filters of
    # 100 values, or 50 resource ids and 20 tags) has a few hundred; parsing, signing and
    # sorting a megabyte of empty parameters would hold the event loop for about a second.
    max_params: int = _setting(
        1000, "most query plus form parameters in one request (default {default})", _at_least(1)
    )
    # A graceful stop (SIGTERM) waits this long for requests in progress, then cancels them:
    # otherwise a client stalled in the middle of its body held the stop for the whole body
    # deadline.
    shutdown_timeout: float = _setting(
        5.0, "seconds a graceful stop waits for requests in progress (default {default})", _seconds
    )
    log_level: str = _setting("info", " | ".join(LOG_LEVELS) + " (default {default})", _log_level)
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
        1000,
        "requests kept in memory for GET /riconnect/requests (default {default})",
        _at_least(1, 10**6),
    )
    max_snapshot: int = _setting(
        256 * 1024 * 1024,
        "largest snapshot POST /riconnect/snapshot accepts, in bytes (default {default})",
        _at_least(1),
    )

    def __post_init__(self) -> None:
        for option in options():
            value = getattr(self, option.name)
            problem = option.check(value) if option.check is not None else None
            if problem:
                raise SettingError(f"{option.flag} {_shown(value)}: {problem}")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> ServerConfig:
        """Settings from ``RICONNECT_*`` variables (``os.environ`` by default), then
        ``overrides`` that are not None (the CLI flags, as typed or already parsed).

        Raises :class:`SettingError` naming the flag or the variable whose value is wrong.
        """
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        labels: dict[str, str] = {}
        for option in options():
            raw: Any = overrides.get(option.name)
            if raw is not None:
                label = f"{option.flag} {raw}"
                labels[option.name] = option.flag
            elif option.env in env:
                raw = env[option.env]
                label = f"{option.env}={raw}"
                labels[option.name] = option.env
            else:
                continue
            values[option.name] = value = option.read(raw, label)
            problem = option.check(value) if option.check is not None else None
            if problem:
                raise SettingError(f"{label}: {problem}")
        config = cls(**values)
        object.__setattr__(config, "_labels", labels)
        return config

    def label(self, name: str) -> str:
        """How the user gave setting ``name``: its flag, or its variable when it came from
        the environment (for messages about the value)."""
        labels: dict[str, str] = getattr(self, "_labels", {})
        return labels.get(name) or "--" + name.replace("_", "-")

    def given(self, name: str, shown: str | None = None) -> str:
        """Setting ``name`` with its value as the user gave it: ``--port 80`` or
        ``RICONNECT_PORT=80`` (``shown`` replaces the value, e.g. without a password)."""
        label = self.label(name)
        value = _shown(getattr(self, name)) if shown is None else shown
        return f"{label} {value}" if label.startswith("--") else f"{label}={value}"

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

    def read(self, raw: Any, label: str) -> Any:
        """``raw`` (text from a flag or a variable) as this setting's type."""
        if not isinstance(raw, str) or self.parse is str:
            return raw
        try:
            return self.parse(raw.strip())
        except ValueError:
            kind = "a whole number" if self.parse is int else "a number"
            raise SettingError(f"{label}: must be {kind}") from None


def _shown(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _help_names() -> dict[str, str]:
    """The lists help texts show, from where they are declared."""
    from riconnect.api.faults import TRANSIENT_CODES
    from riconnect.domain.transitions import Delays

    return {
        "transition_names": ", ".join(f.name for f in fields(Delays)),
        "fault_codes": ", ".join(TRANSIENT_CODES),
    }


@cache
def options() -> tuple[Option, ...]:
    """Every setting, in declaration order."""
    types = get_type_hints(ServerConfig)
    names = _help_names()
    out = []
    for f in fields(ServerConfig):
        default = f.default_factory() if callable(f.default_factory) else f.default
        out.append(
            Option(
                name=f.name,
                flag="--" + f.name.replace("_", "-"),
                env=ENV_PREFIX + f.name.upper(),
                parse=types[f.name],
                help=f.metadata["help"].format(default=_shown(default), **names),
                check=f.metadata["check"],
            )
        )
    return tuple(out)
