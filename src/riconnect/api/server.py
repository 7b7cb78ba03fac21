"""Server configuration and start-up: CLI flags, then RICONNECT_* variables, then defaults."""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from riconnect.api.accounts import AccountRegistry, default_registry, load_accounts
from riconnect.api.app import MAX_BODY, App, Cloud
from riconnect.api.faults import FaultInjector
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

    ENV_PREFIX = "RICONNECT_"

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: Any) -> ServerConfig:
        env = dict(os.environ if env is None else env)
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(cls.ENV_PREFIX + f.name.upper())
            if raw is not None:
                values[f.name] = int(raw) if f.type in ("int", int) else raw
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def to_env(self) -> dict[str, str]:
        return {self.ENV_PREFIX + f.name.upper(): str(getattr(self, f.name)) for f in fields(self)}


def load_registry(config: ServerConfig) -> AccountRegistry:
    return load_accounts(config.accounts) if config.accounts else default_registry()


def make_cloud(config: ServerConfig) -> Cloud:
    registry = load_registry(config)
    store = Store(config.db)
    rules = [r for r in (s.strip() for s in config.faults.split(",")) if r]
    section = dict(registry.faults)
    section.setdefault("retry_after_ms", config.retry_after_ms)
    if config.fault_seed:
        section["seed"] = config.fault_seed
    faults = FaultInjector.from_config(section, rules)
    settings = Settings(delays=Delays.parse(config.transitions), vpc_quota=config.vpc_quota)
    cloud = Cloud(
        store=store,
        registry=registry,
        settings=settings,
        faults=faults,
        max_body=config.max_body,
        workers=config.threads,
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
    return App(make_cloud(config))
