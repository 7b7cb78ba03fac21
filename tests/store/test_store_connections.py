"""Connections: as many transactions at once as the server has worker threads."""

from __future__ import annotations

import threading
from pathlib import Path

from riconnect.domain.entities import Vpc
from riconnect.store.db import Store


def test_every_thread_gets_a_connection_at_once(tmp_path: Path) -> None:
    # 20 transactions open together: with a pool smaller than that, a thread waited 30 s
    # for a connection and then failed (an InternalError for its request).
    n = 20
    store = Store(str(tmp_path / "cloud.db"), connections=n)
    barrier = threading.Barrier(n, timeout=20)
    failures: list[BaseException] = []

    def hold() -> None:
        try:
            with store.transaction(write=False) as tx:
                tx.get(Vpc, "1", "vpc-none")
                barrier.wait()
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=hold) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    store.close()
    assert failures == []


def test_inline_reads_on_a_file_until_it_is_closed(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "cloud.db"))
    assert store.inline_reads
    with store.inline_read() as tx:
        assert tx.get(Vpc, "1", "vpc-none") is None
    store.close()  # closes the inline connection too, before the checkpoint
    assert not store.inline_reads


def test_memory_stores_do_not_read_inline() -> None:
    assert not Store(":memory:").inline_reads
