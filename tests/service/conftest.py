"""Fixtures of the in-process service tests: an in-memory store and the service of a fresh
account (``tests.support.router_interface.Service``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from riconnect.domain.clock import FakeClock
from riconnect.domain.transitions import Delays
from riconnect.store.db import Store
from tests.support.router_interface import Service, new_account_id


@pytest.fixture(scope="session")
def memory_store() -> Iterator[Store]:
    """One in-memory store for the in-process tests; each test uses fresh account ids."""
    store = Store(":memory:")
    yield store
    store.close()


DEFAULT_DELAYS = Delays(ri_connect=3, ri_activate=2, ri_deactivate=2, ri_delete=1, ri_modify_spec=2)


@pytest.fixture
def svc(memory_store: Store) -> Service:
    """The service of a fresh account, with a fake clock and non-zero delays."""
    return Service(memory_store, FakeClock(1_800_000_000.0), DEFAULT_DELAYS, new_account_id())
