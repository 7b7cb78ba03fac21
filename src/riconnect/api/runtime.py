"""The running cloud: everything one server process needs to answer requests, and the one
function that builds it from the settings (used by ``riconnect serve`` and by the in-process
app of riconnect.testing alike)."""

from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from riconnect.api.config import ServerConfig
from riconnect.api.faults import FaultInjector
from riconnect.api.journal import Journal
from riconnect.api.live_settings import LiveSettings, start_up
from riconnect.api.nonces import MemoryNonceCache, NonceCache, nonces_for
from riconnect.domain.accounts import AccountRegistry, AccountsFileError, default_registry
from riconnect.domain.accounts_file import load_accounts
from riconnect.domain.clock import Clock, SystemClock
from riconnect.service.admin import seed_physical_connections
from riconnect.service.context import Settings
from riconnect.store.db import Store

log = logging.getLogger("riconnect.server")


@dataclass
class CloudRuntime:
    """One process's cloud.  ``config`` holds the server's settings (the gateway reads its
    limits there); ``live`` the settings the services apply (its flags, with the overrides
    ``PUT /riconnect/settings`` keeps in the database on top); ``journal`` the requests."""

    store: Store
    registry: AccountRegistry
    clock: Clock = field(default_factory=SystemClock)
    nonces: NonceCache = field(default_factory=MemoryNonceCache)
    config: ServerConfig = field(default_factory=ServerConfig)
    live: LiveSettings | None = None
    journal: Journal | None = None

    def __post_init__(self) -> None:
        # Service functions run here, one store transaction each, off the event loop.
        self.executor = ThreadPoolExecutor(
            max_workers=self.config.threads, thread_name_prefix="riconnect"
        )
        if self.live is None:
            self.live = LiveSettings(self.store, start_up(self.config, self.registry))
        if self.journal is None:
            self.journal = Journal(self.config.journal_size, self.config.journal)
        self.started = time.time()

    @property
    def settings(self) -> Settings:
        """The services' settings as this process last read them."""
        assert self.live is not None
        return self.live.cached.settings

    @property
    def faults(self) -> FaultInjector:
        assert self.live is not None
        return self.live.cached.faults

    def close(self) -> None:
        """Let requests already running in the threads finish (queued ones are dropped: their
        clients are gone), then close the journal and save and close the store.  Every
        graceful stop ends here."""
        self.executor.shutdown(wait=True, cancel_futures=True)
        if self.live is not None:
            self.live.close()
        if self.journal is not None:
            self.journal.close()
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
    try:
        FaultInjector.from_config(dict(registry.faults), ())
    except ValueError as exc:  # the [faults] table of the accounts file
        raise AccountsFileError(registry.source, "", str(exc)) from None
    # A connection for each worker thread, and one for the event loop's reads (a thread that
    # found the pool empty would wait 30 s, then fail).
    store = Store(config.db, connections=config.threads + 1) if store is None else store
    cloud = CloudRuntime(
        store=store, registry=registry, clock=clock, nonces=nonces_for(store), config=config
    )
    seed_physical_connections(store, registry.grants(), clock.now())
    assert cloud.live is not None
    if cloud.live.overrides:
        log.warning(
            "live settings kept in the database override this server's flags: %s "
            "(DELETE /riconnect/settings or `riconnect settings --clear` removes them)",
            cloud.live.overrides,
        )
    return cloud
