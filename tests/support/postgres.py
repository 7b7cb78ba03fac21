"""Throwaway PostgreSQL servers for the tests that need one.

Uses the machine's PostgreSQL binaries (Debian's postgresql package; .ci/run installs it)
or RICONNECT_TEST_POSTGRES_URL when set.  Skips, saying why, when neither is available.

* ``postgres_url``: one server for the whole session; ``pg_database``: a fresh database on
  it per test; :func:`new_database` makes one for a longer-lived fixture.
* ``private_postgres``: a server of the test's own (:class:`PostgresServer`), which the test
  may stop and start again (the reliability suite restarts it under load).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.support.pgserver import PostgresServer, new_database, pg_bin

__all__ = ["PostgresServer", "new_database", "pg_database", "postgres_url", "private_postgres"]

SKIP_REASON = "outside tool: no PostgreSQL server binaries (apt-get install postgresql)"


def _server_or_skip() -> PostgresServer:
    bindir = pg_bin()
    if bindir is None:
        pytest.skip(SKIP_REASON)
    server = PostgresServer(bindir)
    try:
        server.start()
    except BaseException:
        server.close()
        raise
    return server


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    url = os.environ.get("RICONNECT_TEST_POSTGRES_URL")
    if url:
        yield url
        return
    server = _server_or_skip()
    try:
        yield server.url
    finally:
        server.close()


@pytest.fixture
def pg_database(postgres_url: str) -> str:
    """A fresh, empty database per test."""
    return new_database(postgres_url)


@pytest.fixture
def private_postgres() -> Iterator[PostgresServer]:
    """A PostgreSQL server of this test's own, which it may stop and restart."""
    server = _server_or_skip()
    try:
        yield server
    finally:
        server.close()
