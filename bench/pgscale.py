"""Scenario 5: write throughput on one PostgreSQL, 1, 2 and 4 server processes, scoped write
locks against the global lock; and what a signature nonce kept in the database costs.

A PostgreSQL cluster of its own (the machine's binaries, ``fsync`` on as in production) and,
per configuration, a fresh database with N ``riconnect serve`` processes on it.  8 client
processes (``bench.loadgen``), closed loop, one keep-alive connection each; client k talks
to server k mod N and signs CreateVpc for account k of 8, so writes spread over 8 (account,
region) scopes, as a team's do.  ``global`` is every write taking one lock, as before scoped
locking (selected with ``RICONNECT_PG_LOCKING=global``); ``scoped`` is the default.  Clients,
servers and PostgreSQL share the machine's 2 cores; configurations alternate.

On a machine whose cores are all busy, the servers' CPU and not the locks set that
throughput, so a second measurement isolates what each locking lets through: N processes
of 4 threads, each thread writing for an account of its own, each write transaction
holding its locks for 5 ms of no CPU (``pg_sleep``, standing for the round trips to a
PostgreSQL on another machine) before it inserts a row.

The nonce figures: the in-process cost of recording 3,000 nonces one after the other, in
memory (a ``:memory:`` cloud), in a SQLite file, and in PostgreSQL.
"""

from __future__ import annotations

import multiprocessing as mp
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import LARGE_QUOTA, Options, ratio, say, summary
from bench.loadgen import run_load
from riconnect.api.nonces import DatabaseNonceCache, MemoryNonceCache, NonceCache, nonce_key
from riconnect.store.db import Store
from riconnect.testing.accounts import AccessKey, Account, write_accounts
from riconnect.testing.live import LiveCloud

CLIENTS = 8
PROCESSES = (1, 2, 4)
LOCKINGS = ("global", "scoped")
NONCES = 3000


def _accounts(path: Path) -> tuple[Path, list[tuple[str, str]]]:
    keys = [(f"LTAIbenchScale{k:04d}", f"benchScaleSecret{k:04d}") for k in range(CLIENTS)]
    accounts = [
        Account(f"70000000000000{k:02d}", name=f"team-{k}", access_keys=[AccessKey(*keys[k])])
        for k in range(CLIENTS)
    ]
    return write_accounts(path, accounts), keys


def _throughput(
    server_url: str, opts: Options, locking: str, processes: int, seconds: int
) -> dict[str, Any]:
    from tests.support.pgserver import new_database

    db = new_database(server_url)
    workdir = Path(tempfile.mkdtemp(prefix="pgscale-", dir=opts.workdir))
    accounts, keys = _accounts(workdir / "accounts.toml")
    clouds = [
        LiveCloud(
            db,
            accounts=accounts,
            vpc_quota=LARGE_QUOTA,
            workdir=workdir / f"server{n}",
            log_level="warning",
            env={"RICONNECT_PG_LOCKING": locking},
            startup_timeout=60,
        )
        for n in range(processes)
    ]
    try:
        for cloud in clouds:
            cloud.start()
        servers = [(c.host, c.port) for c in clouds]
        run_load("riconnect", "write", "", 0, processes=CLIENTS, seconds=1, ids=[],
                 servers=servers, keys=keys)  # fmt: skip
        return run_load(
            "riconnect",
            "write",
            "",
            0,
            processes=CLIENTS,
            seconds=seconds,
            ids=[],
            servers=servers,
            keys=keys,
        )
    finally:
        for cloud in clouds:
            cloud.stop(timeout=10)


def _nonce_cost(server_url: str, workdir: Path) -> dict[str, Any]:
    from tests.support.pgserver import new_database

    stores = {
        "memory": Store(":memory:"),
        "sqlite_file": Store(str(workdir / "nonces.db")),
        "postgres": Store(new_database(server_url)),
    }
    out: dict[str, Any] = {}
    try:
        for name, store in stores.items():
            cache: NonceCache = (
                MemoryNonceCache() if name == "memory" else DatabaseNonceCache(store)
            )
            keys = [nonce_key("LTAIbench", f"{name}-{n}") for n in range(NONCES)]
            started = time.perf_counter()
            for n, key in enumerate(keys):
                assert cache.check_and_add(key, 1_800_000_000.0 + n * 0.001)
            elapsed = time.perf_counter() - started
            out[name] = round(elapsed / NONCES * 1e6, 1)
    finally:
        for store in stores.values():
            store.close()
    return {"calls": NONCES, "us_per_call": out}


HOLD = 0.005  # seconds a write of the lock-capacity measurement holds its locks
THREADS = 4


def _capacity_worker(url: str, locking: str, index: int, seconds: float, queue: Any) -> None:
    import threading

    from riconnect.domain.entities import Vpc

    store = Store(url, migrate=False, locking=locking)
    counts = [0] * THREADS
    deadline = time.monotonic() + seconds

    def writer(thread: int) -> None:
        account = f"71{index:02d}{thread:012d}"
        n = 0
        while time.monotonic() < deadline:
            n += 1
            vpc = Vpc(
                id=f"vpc-cap{index}t{thread}n{n}-{time.monotonic_ns()}",
                account_id=account,
                region_id="cn-hangzhou",
                vrouter_id=f"vrt-cap{index}t{thread}n{n}-{time.monotonic_ns()}",
                route_table_id=f"vtb-cap{index}t{thread}n{n}-{time.monotonic_ns()}",
                cidr_block="10.0.0.0/8",
                status="Available",
                created_at=0.0,
                modified_at=0.0,
                resource_group_id="rg-bench",
                user_cidrs=[],
                tags=[],
            )
            with store.transaction(write=True, scopes={(account, "cn-hangzhou")}) as tx:
                tx.conn.exec_driver_sql(f"SELECT pg_sleep({HOLD})")
                tx.insert(vpc)
            counts[thread] += 1

    threads = [threading.Thread(target=writer, args=(t,)) for t in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    store.close()
    queue.put(sum(counts))


def _capacity(server_url: str, locking: str, processes: int, seconds: float) -> float:
    from tests.support.pgserver import new_database

    url = new_database(server_url)
    Store(url).close()  # the schema, once
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    procs = [
        ctx.Process(target=_capacity_worker, args=(url, locking, k, seconds, queue))
        for k in range(processes)
    ]
    for proc in procs:
        proc.start()
    total = sum(queue.get(timeout=seconds + 120) for _ in procs)
    for proc in procs:
        proc.join(30)
    return round(total / seconds, 1)


def run(opts: Options) -> dict[str, Any]:
    from tests.support.pgserver import PostgresServer, pg_bin

    bindir = pg_bin()
    if bindir is None:
        raise RuntimeError("no PostgreSQL server binaries (apt-get install postgresql)")
    seconds = opts.scaled(10, 2)
    server = PostgresServer(bindir, fsync=True)
    server.start()
    raw: dict[str, dict[int, list[dict[str, Any]]]] = {
        lk: {n: [] for n in PROCESSES} for lk in LOCKINGS
    }
    capacity: dict[str, dict[str, list[float]]] = {
        lk: {str(n): [] for n in PROCESSES} for lk in LOCKINGS
    }
    try:
        nonces = _nonce_cost(server.url, opts.workdir)
        say(f"pgscale: nonce cost {nonces['us_per_call']} µs per call")
        for rep in range(opts.reps):
            for processes in PROCESSES:
                for locking in LOCKINGS if rep % 2 == 0 else reversed(LOCKINGS):
                    rate = _capacity(server.url, locking, processes, opts.scaled(5, 2))
                    capacity[locking][str(processes)].append(rate)
                    say(f"pgscale: capacity, {locking}, {processes} process(es): {rate} writes/s")
        for rep in range(opts.reps):
            order = [(lk, n) for n in PROCESSES for lk in LOCKINGS]
            for locking, processes in order if rep % 2 == 0 else reversed(order):
                say(f"pgscale: {locking} locking, {processes} process(es), run {rep + 1}")
                result = _throughput(server.url, opts, locking, processes, seconds)
                raw[locking][processes].append(result)
                say(
                    f"pgscale:   {result['requests_per_s']} writes/s, p50 {result['p50_ms']} ms,"
                    f" errors {result['errors']}"
                )
    finally:
        server.close()
    table: dict[str, Any] = {}
    for locking in LOCKINGS:
        table[locking] = {
            str(n): {
                "writes_per_s": summary([r["requests_per_s"] for r in raw[locking][n]], 1),
                "p50_ms": summary([r["p50_ms"] for r in raw[locking][n] if r["p50_ms"]]),
                "p99_ms": summary([r["p99_ms"] for r in raw[locking][n] if r["p99_ms"]]),
                "errors": sum(r["errors"] for r in raw[locking][n]),
            }
            for n in PROCESSES
        }
    ratios = {
        str(n): ratio(
            table["scoped"][str(n)]["writes_per_s"]["median"],
            table["global"][str(n)]["writes_per_s"]["median"],
        )
        for n in PROCESSES
    }
    lock_capacity = {lk: {n: summary(v, 1) for n, v in per.items()} for lk, per in capacity.items()}
    return {
        "scenario": "pgscale",
        "lock_capacity": {
            "hold_ms": HOLD * 1000,
            "threads_per_process": THREADS,
            "results": lock_capacity,
        },
        "method": __doc__,
        "load": {"clients": CLIENTS, "seconds_per_run": seconds, "repetitions": opts.reps},
        "results": table,
        "scoped_over_global": ratios,
        "nonces": nonces,
        "raw": raw,
    }
