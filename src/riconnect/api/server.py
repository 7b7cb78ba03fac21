"""Server configuration and start-up: CLI flags, then RICONNECT_* variables, then defaults."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from riconnect.api.accounts import AccountRegistry, default_registry, load_accounts
from riconnect.api.app import BODY_TIMEOUT, MAX_BODY, MAX_PARAMS, App, Cloud
from riconnect.api.faults import FaultInjector
from riconnect.api.protocol import GuardedH11Protocol, HttpLimits
from riconnect.domain.clock import Clock, SystemClock
from riconnect.domain.transitions import Delays
from riconnect.service.context import Settings
from riconnect.store.db import Store


def default_db() -> str:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return str(Path(base) / "riconnect" / "riconnect.db")


@dataclass
class ServerConfig:
    """Every setting of ``riconnect serve``; each has a RICONNECT_<NAME> variable."""

    host: str = "127.0.0.1"
    port: int = 18080
    db: str = field(default_factory=default_db)
    accounts: str = ""
    transitions: str = "immediate"
    faults: str = ""  # comma-separated [Action:]Code=rate rules
    fault_seed: str = ""
    retry_after_ms: int = 1000
    vpc_quota: int = 10
    max_body: int = MAX_BODY
    workers: int = 1
    threads: int = 16
    log_level: str = "info"
    # Connection limits (docs/reliability.md): deadlines in seconds, sizes in bytes.
    header_timeout: float = HttpLimits.header_timeout
    body_timeout: float = BODY_TIMEOUT
    write_timeout: float = HttpLimits.write_timeout
    keep_alive: int = HttpLimits.keep_alive
    max_header_size: int = HttpLimits.max_head
    max_params: int = MAX_PARAMS
    # A graceful stop (SIGTERM) waits this long for requests in progress, then cancels them:
    # otherwise a client stalled in the middle of its body held the stop for the whole
    # body deadline.
    shutdown_timeout: float = 5.0

    ENV_PREFIX = "RICONNECT_"

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: Any) -> ServerConfig:
        env = dict(os.environ if env is None else env)
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(cls.ENV_PREFIX + f.name.upper())
            if raw is not None:
                if f.type in ("int", int):
                    values[f.name] = int(raw)
                elif f.type in ("float", float):
                    values[f.name] = float(raw)
                else:
                    values[f.name] = raw
        values.update({k: v for k, v in overrides.items() if v is not None})
        config = cls(**values)
        config.check_limits()
        return config

    def check_limits(self) -> None:
        for name in ("header_timeout", "body_timeout", "write_timeout", "shutdown_timeout"):
            if not 0 < getattr(self, name) <= 3600:
                raise ValueError(f"{name.replace('_', '-')} must be 0 to 3600 seconds")
        for name in ("keep_alive", "max_header_size", "max_params", "max_body"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name.replace('_', '-')} must be positive")

    def http_limits(self) -> HttpLimits:
        return HttpLimits(
            header_timeout=self.header_timeout,
            body_timeout=self.body_timeout,
            write_timeout=self.write_timeout,
            keep_alive=self.keep_alive,
            max_head=self.max_header_size,
        )

    def to_env(self) -> dict[str, str]:
        return {self.ENV_PREFIX + f.name.upper(): str(getattr(self, f.name)) for f in fields(self)}


def load_registry(config: ServerConfig) -> AccountRegistry:
    return load_accounts(config.accounts) if config.accounts else default_registry()


def make_cloud(
    config: ServerConfig,
    *,
    registry: AccountRegistry | None = None,
    clock: Clock | None = None,
    delays: Delays | None = None,
) -> Cloud:
    """The cloud that ``config`` describes, with the accounts' physical connections stored.

    The keywords replace what ``config`` can only name as text (the accounts file, the
    transitions) and the system clock; the in-process test app (riconnect.testing) builds
    its cloud here with them, so tests run the server's own wiring.
    """
    registry = registry if registry is not None else load_registry(config)
    store = Store(config.db)
    rules = [r for r in (s.strip() for s in config.faults.split(",")) if r]
    section = dict(registry.faults)
    section.setdefault("retry_after_ms", config.retry_after_ms)
    if config.fault_seed:
        section["seed"] = config.fault_seed
    faults = FaultInjector.from_config(section, rules)
    delays = delays if delays is not None else Delays.parse(config.transitions)
    settings = Settings(delays=delays, vpc_quota=config.vpc_quota)
    cloud = Cloud(
        store=store,
        registry=registry,
        clock=clock if clock is not None else SystemClock(),
        settings=settings,
        faults=faults,
        max_body=config.max_body,
        workers=config.threads,
        max_params=config.max_params,
        body_timeout=config.body_timeout,
    )
    from riconnect.service.admin import seed_physical_connections

    seed_physical_connections(
        store,
        ((a.id, pc) for a in registry.accounts.values() for pc in a.physical_connections),
        cloud.clock.now(),
    )
    return cloud


def configure_logging(level: str) -> None:
    logging.basicConfig(
        stream=sys.stderr,
        level=getattr(logging, level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    # Alembic narrates every start-up at INFO; only its problems matter here.
    logging.getLogger("alembic").setLevel(logging.WARNING)


def create_app() -> App:
    """uvicorn factory (used with several worker processes): configuration from the environment."""
    config = ServerConfig.from_env()
    configure_logging(config.log_level)
    GuardedH11Protocol.configure(config.http_limits())
    if config.workers > 1:
        watch_supervisor()
    return App(make_cloud(config))


def watch_supervisor(interval: float = 0.25) -> None:
    """In a worker process of ``--workers N``: shut down when the supervisor is gone.

    uvicorn's workers outlive a supervisor killed with SIGKILL (the OOM killer, ``kill -9``):
    they keep serving on the inherited socket, with nobody to restart or stop them, and a new
    ``riconnect serve`` cannot bind the port.  A worker notices that it was re-parented and
    stops like on SIGTERM (in-flight requests finish); if that hangs, it exits anyway.
    """
    supervisor = os.getppid()

    def watch() -> None:
        while os.getppid() == supervisor:
            time.sleep(interval)
        logging.getLogger("riconnect.server").warning(
            "supervisor %d is gone; worker %d stops", supervisor, os.getpid()
        )
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(10)
        os._exit(1)

    threading.Thread(target=watch, name="riconnect-supervisor-watch", daemon=True).start()
