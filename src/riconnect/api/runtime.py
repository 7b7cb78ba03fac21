"""The running cloud: everything one server process needs to answer requests, and the one
function that builds it from the settings (used by ``riconnect serve`` and by the in-process
app of riconnect.testing alike)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from riconnect.api.config import ServerConfig
from riconnect.api.faults import FaultInjector
from riconnect.api.nonces import MemoryNonceCache, NonceCache
from riconnect.domain.accounts import AccountRegistry, AccountsFileError, default_registry
from riconnect.domain.accounts_file import load_accounts
from riconnect.domain.clock import Clock, SystemClock
from riconnect.domain.transitions import Delays
from riconnect.service.admin import seed_physical_connections
from riconnect.service.context import Settings
from riconnect.store.db import Store


@dataclass
class CloudRuntime:
    """One process's cloud.  ``config`` holds the server's settings (the gateway reads its
    limits there); ``settings`` is what the services apply, derived from it by
    :func:`build_cloud`."""

    store: Store
    registry: AccountRegistry
    clock: Clock = field(default_factory=SystemClock)
    settings: Settings = field(default_factory=Settings)
    nonces: NonceCache = field(default_factory=MemoryNonceCache)
    faults: FaultInjector = field(default_factory=FaultInjector)
    config: ServerConfig = field(default_factory=ServerConfig)

    def __post_init__(self) -> None:
        # Service functions run here, one store transaction each, off the event loop.
        self.executor = ThreadPoolExecutor(
            max_workers=self.config.threads, thread_name_prefix="riconnect"
        )

    def close(self) -> None:
        """Let requests already running in the threads finish (queued ones are dropped: their
        clients are gone), then save and close the store.  Every graceful stop ends here."""
        self.executor.shutdown(wait=True, cancel_futures=True)
        self.store.close()


def build_cloud(
    config: ServerConfig,
    *,
    registry: AccountRegistry | None = None,
    clock: Clock | None = None,
    store: Store | None = None,
) -> CloudRuntime:
    """The cloud ``config`` describes.  ``registry``, ``clock`` and ``store`` replace what
    the settings would give (the accounts file, the system clock, the ``db`` setting), for
    tests.  The physical connections the accounts grant are seeded into the store."""
    if registry is None:
        registry = load_accounts(config.accounts) if config.accounts else default_registry()
    clock = SystemClock() if clock is None else clock
    rules = [r for r in (s.strip() for s in config.faults.split(",")) if r]
    section = dict(registry.faults)
    try:
        faults = FaultInjector.from_config(section, ())
    except ValueError as exc:  # the [faults] table of the accounts file
        raise AccountsFileError(registry.source, "", str(exc)) from None
    section.setdefault("retry_after_ms", config.retry_after_ms)
    if config.fault_seed:
        section["seed"] = config.fault_seed
    faults = FaultInjector.from_config(section, rules)
    store = Store(config.db) if store is None else store
    cloud = CloudRuntime(
        store=store,
        registry=registry,
        clock=clock,
        settings=Settings(delays=Delays.parse(config.transitions), vpc_quota=config.vpc_quota),
        faults=faults,
        config=config,
    )
    seed_physical_connections(store, registry.grants(), clock.now())
    return cloud
