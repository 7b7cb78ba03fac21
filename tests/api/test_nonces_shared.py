"""Replay protection across server processes: nonces live in the database.

A signed request accepted by one ``riconnect serve`` is refused with ``SignatureNonceUsed``
by every other process on the same database (two servers on one SQLite file, the workers
of ``--workers 2``, two servers on one PostgreSQL), whichever signature version; and the
nonce table itself: expiry, the sweep, and two processes racing with one nonce.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from riconnect.api.nonces import (
    DatabaseNonceCache,
    LoopNonceCache,
    MemoryNonceCache,
    nonce_key,
    nonces_for,
)
from riconnect.store.db import HandOver, Store
from riconnect.testing import LiveCloud
from riconnect.testing.signing import RequestOptions, build_request
from tests.support.postgres import new_database

BACKENDS = ["sqlite", "postgres"]


@pytest.fixture(scope="module", params=BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database every process of the module's tests shares: a SQLite file or a PostgreSQL
    one."""
    if request.param == "postgres":
        pytest.importorskip("psycopg", reason="the postgres extra is not installed")
        return new_database(request.getfixturevalue("postgres_url"))
    return str(tmp_path_factory.mktemp("nonces") / "shared.db")


@pytest.fixture(scope="module")
def two_servers(
    db: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[LiveCloud, LiveCloud]]:
    workdir = tmp_path_factory.mktemp("servers")
    a = LiveCloud(db, workdir=workdir / "a", log_level="warning")
    b = LiveCloud(db, workdir=workdir / "b", log_level="warning")
    with a, b:
        yield a, b


def _send_to(server: LiveCloud, request: Any) -> httpx.Response:
    """Send ``request`` (built for another server) to ``server``'s socket unchanged, as a
    load balancer in front of both would: same Host header, same bytes."""
    url = httpx.URL(request.url).copy_with(host=server.host, port=server.port)
    with httpx.Client(trust_env=False) as http:
        return http.request(
            request.method, url, headers=request.headers, content=request.body, timeout=15
        )


@pytest.mark.parametrize("signature", ["v1", "v3"])
def test_a_replay_to_another_process_is_refused(
    two_servers: tuple[LiveCloud, LiveCloud], signature: str
) -> None:
    a, b = two_servers
    request = build_request(
        a, "DescribeVpcs", {"RegionId": "cn-hangzhou"}, RequestOptions(signature=signature)
    )
    first = _send_to(a, request)
    assert first.status_code == 200, first.text
    for server in (b, a, b):
        again = _send_to(server, request)
        assert again.status_code == 400, again.text
        assert again.json()["Code"] == "SignatureNonceUsed"
    # A fresh nonce is accepted by either.
    for server in (a, b):
        fresh = build_request(a, "DescribeVpcs", {"RegionId": "cn-hangzhou"})
        assert _send_to(server, fresh).status_code == 200


def test_a_replay_to_another_worker_is_refused(tmp_path: Path) -> None:
    """``--workers 2``: each new connection may land on either worker; none accepts a replay."""
    with LiveCloud(tmp_path / "w.db", workdir=tmp_path, extra_args=["--workers", "2"]) as cloud:
        request = build_request(cloud, "DescribeRegions", {})
        assert _send_to(cloud, request).status_code == 200
        codes = {_send_to(cloud, request).json()["Code"] for _ in range(8)}  # new connections
        assert codes == {"SignatureNonceUsed"}


def test_an_in_memory_cloud_keeps_its_nonces_in_memory(tmp_path: Path) -> None:
    memory = Store(":memory:")
    on_file = Store(str(tmp_path / "n.db"))
    try:
        assert isinstance(nonces_for(memory), MemoryNonceCache)
        assert isinstance(nonces_for(on_file), DatabaseNonceCache)
    finally:
        memory.close()
        on_file.close()


def test_nonces_expire_and_are_swept(db: str) -> None:
    store = Store(db)
    try:
        cache = DatabaseNonceCache(store, ttl=100)
        key = nonce_key("LTAIkey", "n1")
        assert cache.check_and_add(key, 1000.0)
        assert not cache.check_and_add(key, 1050.0)  # within the ttl
        assert not cache.check_and_add(key, 1099.9)
        assert cache.check_and_add(key, 1100.0)  # expired: accepted, recorded anew
        assert not cache.check_and_add(key, 1150.0)
        # Another AccessKey with the same nonce is another key.
        assert cache.check_and_add(nonce_key("LTAIother", "n1"), 1150.0)
        assert cache.check_and_add(nonce_key("LTAIkey", "n2"), 1150.0)
        assert store.nonces.sweep(1199.0) == 0  # nothing has expired yet
        assert store.nonces.sweep(1200.0) == 1  # n1 (recorded anew at 1100)
        assert store.nonces.sweep(1250.0) == 2  # n1 of the other key and n2 (1150 + 100)
        assert cache.check_and_add(key, 1300.0)
    finally:
        store.close()


def test_two_processes_racing_with_one_nonce_accept_it_once(db: str) -> None:
    """Two stores (two connection pools, as two processes have) and many threads present the
    same nonces at once: each is accepted exactly once."""
    stores = [Store(db), Store(db)]
    try:
        caches = [DatabaseNonceCache(s) for s in stores]
        keys = [nonce_key("LTAIrace", f"nonce-{n}") for n in range(20)]
        accepted: list[str] = []
        lock = threading.Lock()
        barrier = threading.Barrier(8)

        def worker(index: int) -> None:
            cache = caches[index % 2]
            barrier.wait()
            for key in keys:
                if cache.check_and_add(key, 5000.0):
                    with lock:
                        accepted.append(key)

        threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert sorted(accepted) == sorted(keys)
    finally:
        for store in stores:
            store.close()


def test_the_event_loop_records_nonces_in_the_same_table(tmp_path: Path) -> None:
    """Reads on a SQLite file authenticate on the event loop (api/app.py): their nonces go
    to the same rows, so a replay is refused whichever path records it first; while another
    writer holds the file, the loop records nothing and hands the request over."""
    path = tmp_path / "loop.db"
    store, other_process = Store(str(path)), Store(str(path))
    try:
        loop_cache = LoopNonceCache(DatabaseNonceCache(store))
        thread_cache = DatabaseNonceCache(other_process)
        assert loop_cache.check_and_add(nonce_key("LTAIkey", "n1"), 1000.0)
        assert not thread_cache.check_and_add(nonce_key("LTAIkey", "n1"), 1001.0)
        assert thread_cache.check_and_add(nonce_key("LTAIkey", "n2"), 1000.0)
        assert not loop_cache.check_and_add(nonce_key("LTAIkey", "n2"), 1001.0)
        writer = sqlite3.connect(path, isolation_level=None)
        writer.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(HandOver):
                loop_cache.check_and_add(nonce_key("LTAIkey", "n3"), 1002.0)
        finally:
            writer.execute("ROLLBACK")
            writer.close()
        # Nothing was recorded: the worker thread that takes the request over accepts it.
        assert thread_cache.check_and_add(nonce_key("LTAIkey", "n3"), 1002.0)
    finally:
        store.close()
        other_process.close()


def test_a_read_that_meets_a_writer_is_answered_once(tmp_path: Path) -> None:
    """A read sent while another program holds the write lock on the file: the event loop
    cannot record its nonce at once, a worker thread waits for the lock and answers; the
    replay is still refused."""
    path = tmp_path / "busy.db"
    with LiveCloud(path, workdir=tmp_path, log_level="warning") as cloud:
        request = build_request(cloud, "DescribeVpcs", {"RegionId": "cn-hangzhou"})
        writer = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        writer.execute("BEGIN IMMEDIATE")
        release = threading.Timer(0.5, lambda: writer.execute("ROLLBACK"))
        release.start()
        try:
            first = _send_to(cloud, request)
        finally:
            release.join()
            writer.close()
        assert first.status_code == 200, first.text
        again = _send_to(cloud, request)
        assert again.status_code == 400 and again.json()["Code"] == "SignatureNonceUsed"
