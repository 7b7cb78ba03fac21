"""Scenario 5: write throughput on one PostgreSQL, 1, 2 and 4 server processes, scoped write
locks against the global lock; and what a signature nonce kept in the database costs.

A PostgreSQL cluster of its own (the machine's binaries, ``fsync`` on as in production) and,
per configuration, a fresh database with N ``riconnect serve`` processes on it.  8 client
processes (``bench.loadgen``), closed loop, one keep-alive connection each; client k talks
to server k mod N and signs CreateVpc for account k of 8, so writes spread over 8 (account,
region) scopes, as a team's do.  ``global`` is every write taking one lock, as before scoped
locking (selected with ``RICONNECT_PG_LOCKING=global``); ``scoped`` is the default.  Clients,
servers and PostgreSQL share the machine's 2 cores; configurations alternate.

The nonce figures: the in-process cost of recording 3,000 nonces one after the other, in
memory (a ``:memory:`` cloud), in a SQLite file, and in PostgreSQL.
"""

from __future__ import annotations

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
    try:
        nonces = _nonce_cost(server.url, opts.workdir)
        say(f"pgscale: nonce cost {nonces['us_per_call']} µs per call")
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
    return {
        "scenario": "pgscale",
        "method": __doc__,
        "load": {"clients": CLIENTS, "seconds_per_run": seconds, "repetitions": opts.reps},
        "results": table,
        "scoped_over_global": ratios,
        "nonces": nonces,
        "raw": raw,
    }
