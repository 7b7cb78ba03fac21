"""Scenario 3: lookups in a large cloud: 1,000,000 router interfaces and 200,000 VPCs on a
SQLite file, and 100,000 interfaces (20,000 VPCs) on PostgreSQL.

Bulk load (documented shortcut): rows are written straight into the SQLite file through
``riconnect.store.db.Store`` -- one write transaction, the store's own tables, rows made from
the domain entities (``riconnect.domain.entities.Vpc`` / ``RouterInterface``, field names =
column names) with executemany -- not through the API, which would take an hour.  The
objects are what the API would have made: VPCs Available, interface pairs Active
(connected both ways), Inactive, or Idle.  Then ``riconnect serve`` starts on that file and
every measurement goes through the HTTP API with signed requests.

Latency: server-side from the access log (logger ``riconnect.access``, field ``ms=``: from
the request reaching the app to the answer being sent, uvicorn's HTTP parsing excluded),
and client-side on loopback (send to last byte, one sequential keep-alive connection).
"""

from __future__ import annotations

import dataclasses
import http.client
import json
import random
import re
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import JSON, insert

from bench.common import Options, percentile, riconnect_cloud, rss_mib, running, say, summary
from bench.postgres import postgres
from riconnect.api.auth import sign_v1
from riconnect.domain import ids
from riconnect.domain.entities import RouterInterface, Vpc
from riconnect.store import schema
from riconnect.store.db import Store
from riconnect.testing import accounts as testing_accounts

REGION = "cn-hangzhou"
TARGET_P99_MS = 5.0
TARGET_PAGE_P99_MS = 10.0
TARGET_RSS_MIB = 200.0


@dataclasses.dataclass(frozen=True)
class Account:
    id: str
    key: str
    secret: str


def _accounts(n: int) -> list[Account]:
    return [
        Account(f"30000000000000{k:02d}", f"LTAI5tBenchScale{k:08d}", f"bench-scale-secret-{k:02d}")
        for k in range(1, n + 1)
    ]


def _write_accounts(path: Path, accounts: list[Account]) -> Path:
    entries = [
        testing_accounts.Account(a.id, access_keys=[testing_accounts.AccessKey(a.key, a.secret)])
        for a in accounts
    ]
    return testing_accounts.write_accounts(path, entries)


def _fast_id(kind: str, rng: random.Random) -> str:
    """An id of the real shape from the bench's seeded PRNG (``ids.new_id`` reads the OS's
    randomness per id: a quarter of the load time at a million rows)."""
    return ids.PREFIXES[kind] + "".join(rng.choices(ids._ALPHABET, k=ids._SUFFIX_LEN))


def _build(
    account: str, n_vpcs: int, n_ris: int, t0: float, rng: random.Random
) -> tuple[list[Vpc], list[RouterInterface]]:
    rg = ids.default_resource_group(account)
    vpcs = [
        Vpc(
            id=_fast_id("vpc", rng),
            account_id=account,
            region_id=REGION,
            vrouter_id=_fast_id("vrouter", rng),
            route_table_id=_fast_id("route_table", rng),
            cidr_block="172.16.0.0/12",
            status="Available",
            created_at=t0 + i * 0.001,
            modified_at=t0 + i * 0.001,
            resource_group_id=rg,
            name=f"scale-{i}",
        )
        for i in range(n_vpcs)
    ]
    ris: list[RouterInterface] = []
    for p in range(n_ris // 2):
        a_vpc, b_vpc = vpcs[p % n_vpcs], vpcs[(p + 1) % n_vpcs]
        roll = rng.random()
        status = "Active" if roll < 0.7 else ("Inactive" if roll < 0.8 else "Idle")
        created = t0 + 100 + p * 0.002
        a = RouterInterface(
            id=_fast_id("router_interface", rng),
            account_id=account,
            region_id=REGION,
            role="InitiatingSide",
            router_type="VRouter",
            router_id=a_vpc.vrouter_id,
            spec="Large.2",
            status=status,
            created_at=created,
            modified_at=created,
            opposite_region_id=REGION,
            resource_group_id=rg,
            vpc_id=a_vpc.id,
            name=f"init-{p}",
        )
        b = RouterInterface(
            id=_fast_id("router_interface", rng),
            account_id=account,
            region_id=REGION,
            role="AcceptingSide",
            router_type="VRouter",
            router_id=b_vpc.vrouter_id,
            spec="Negative",
            status=status,
            created_at=created + 0.001,
            modified_at=created + 0.001,
            opposite_region_id=REGION,
            resource_group_id=rg,
            vpc_id=b_vpc.id,
            name=f"acc-{p}",
        )
        if status != "Idle":
            for me, other in ((a, b), (b, a)):
                me.opposite_interface_id = other.id
                me.opposite_router_id = other.router_id
                me.opposite_router_type = "VRouter"
                me.opposite_interface_owner_id = account
                me.peer_id, me.peer_account_id, me.peer_region_id = other.id, account, REGION
                me.connected_at = created + 1
        ris += [a, b]
    return vpcs, ris


def _insert_sqlite(conn: Any, table: Any, objs: list[Any]) -> None:
    """The rows through the driver itself, as SQLAlchemy would store them (JSON as text,
    booleans as 0/1): SQLAlchemy's per-row parameter processing was a third of the load time."""
    columns = [c.name for c in table.columns]
    as_json = {c.name for c in table.columns if isinstance(c.type, JSON)}
    sql = (
        f"INSERT INTO {table.name} ({', '.join(columns)}) "
        f"VALUES ({', '.join('?' for _ in columns)})"
    )

    def row(o: Any) -> tuple[Any, ...]:
        d = vars(o)
        return tuple(
            json.dumps(d[c]) if c in as_json else (int(d[c]) if isinstance(d[c], bool) else d[c])
            for c in columns
        )

    cursor = conn.connection.driver_connection.cursor()
    for k in range(0, len(objs), 5000):
        cursor.executemany(sql, [row(o) for o in objs[k : k + 5000]])
    cursor.close()


def bulk_load(
    db: str, accounts: list[Account], n_vpcs: int, n_ris: int, seed: int = 7
) -> dict[str, Any]:
    """Write the rows; returns the timings and the ids to look up."""
    rng = random.Random(seed)
    started = time.perf_counter()
    store = Store(db)
    per_vpcs, per_ris = n_vpcs // len(accounts), n_ris // len(accounts)
    t0 = time.time() - 86400
    sample: dict[str, dict[str, list[str]]] = {}
    rows = 0
    build_s = insert_s = 0.0
    for a in accounts:
        b0 = time.perf_counter()
        vpcs, ris = _build(a.id, per_vpcs, per_ris, t0, rng)
        b1 = time.perf_counter()
        with store.transaction(write=True) as tx:
            for table, objs in ((schema.vpcs, vpcs), (schema.router_interfaces, ris)):
                if store.is_sqlite:
                    _insert_sqlite(tx.conn, table, objs)
                    continue
                for k in range(0, len(objs), 5000):
                    chunk = [dict(vars(o)) for o in objs[k : k + 5000]]  # asdict() deep-copies
                    tx.conn.execute(insert(table), chunk)
        build_s += b1 - b0
        insert_s += time.perf_counter() - b1
        rows += len(vpcs) + len(ris)
        sample[a.id] = {
            "vpcs": [v.id for v in rng.sample(vpcs, min(500, len(vpcs)))],
            "ris": [r.id for r in rng.sample(ris, min(2000, len(ris)))],
            "active": [str(sum(1 for r in ris if r.status == "Active"))],
        }
    if store.is_postgres:
        with store.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
            size = conn.exec_driver_sql("SELECT pg_database_size(current_database())").scalar()
            conn.commit()
    store.close()
    if not store.is_postgres:
        size = Path(db).stat().st_size
    return {
        "seconds": time.perf_counter() - started,
        "build_seconds": build_s,
        "insert_seconds": insert_s,
        "rows": rows,
        "db_mib": round(int(size or 0) / 1024 / 1024, 1),
        "sample": sample,
    }


class _Client:
    """One keep-alive connection; V1-signed form posts; returns (status, rid, ms, body)."""

    def __init__(self, host: str, port: int) -> None:
        self.conn = http.client.HTTPConnection(host, port, timeout=60)

    def call(self, account: Account, params: list[tuple[str, str]]) -> tuple[str, float, Any]:
        params = [*params, ("Version", "2016-04-28"), ("RegionId", REGION)]
        body = urlencode(sign_v1("POST", params, account.key, account.secret)).encode()
        t0 = time.perf_counter()
        self.conn.request(
            "POST", "/", body=body, headers={"content-type": "application/x-www-form-urlencoded"}
        )
        resp = self.conn.getresponse()
        data = resp.read()
        ms = (time.perf_counter() - t0) * 1000
        if resp.status != 200:
            raise RuntimeError(f"{params[0]}: HTTP {resp.status} {data[:300]!r}")
        return resp.getheader("x-acs-request-id") or "", ms, json.loads(data)

    def close(self) -> None:
        self.conn.close()


_ACCESS = re.compile(r"ms=([0-9.]+) rid=(\S+)")


def _server_ms(log: Path) -> dict[str, float]:
    out: dict[str, float] = {}
    for line in log.read_text(errors="replace").splitlines():
        if "riconnect.access" in line:
            m = _ACCESS.search(line)
            if m:
                out[m.group(2)] = float(m.group(1))
    return out


def _stats(values: list[float]) -> dict[str, Any]:
    def r(x: float | None) -> float | None:
        return None if x is None else round(x, 2)

    return {
        "n": len(values),
        "p50_ms": r(percentile(values, 50)),
        "p99_ms": r(percentile(values, 99)),
        "max_ms": r(max(values) if values else None),
    }


def _blocks(values: list[tuple[float, int]], n_blocks: int) -> dict[str, Any]:
    per = [[ms for ms, b in values if b == k] for k in range(n_blocks)]
    return {
        stat: summary([x for x in (percentile(v, pct) for v in per) if x is not None], 2)
        for stat, pct in (("p50_ms", 50.0), ("p99_ms", 99.0))
    }


def run(opts: Options) -> dict[str, Any]:
    result = measure(
        opts,
        "sqlite",
        None,
        n_ris=opts.scaled(1_000_000, 2_000),
        n_vpcs=opts.scaled(200_000, 400),
    )
    if opts.quick:
        result["postgres"] = {"skipped": "not in --quick"}
        return result
    try:
        with postgres(opts.workdir) as url:
            if url is None:
                result["postgres"] = {"skipped": "outside tool: no PostgreSQL server binaries"}
            else:
                result["postgres"] = measure(opts, "postgres", url, n_ris=100_000, n_vpcs=20_000)
    except Exception as exc:  # keep the SQLite figures; say why PostgreSQL has none
        result["postgres"] = {"error": f"{type(exc).__name__}: {exc}"[:500]}
    return result


def measure(opts: Options, kind: str, url: str | None, n_ris: int, n_vpcs: int) -> dict[str, Any]:
    """Bulk-load one database (a SQLite file when ``url`` is None), serve it, query it."""
    n_accounts = opts.scaled(4, 2)
    n_calls = opts.scaled(500, 100)
    accounts = _accounts(n_accounts)
    where = Path(tempfile.mkdtemp(prefix="scale-", dir=opts.workdir))
    db = url or str(where / "riconnect.db")
    accounts_file = _write_accounts(where / "accounts.toml", accounts)
    cloud = riconnect_cloud(opts, db=db, accounts=accounts_file)
    say(f"scale ({kind}): bulk-loading {n_ris} router interfaces and {n_vpcs} VPCs")
    loaded = bulk_load(db, accounts, n_vpcs, n_ris)
    sample = loaded.pop("sample")
    rng = random.Random(11)
    result: dict[str, Any] = {
        "scenario": "scale",
        "method": __doc__,
        "database": kind,
        "size": {
            "router_interfaces": n_ris,
            "vpcs": n_vpcs,
            "accounts": n_accounts,
            "region": REGION,
            "status_mix": "pairs: 70% Active, 10% Inactive, 20% Idle",
        },
        "load": {k: round(v, 2) if isinstance(v, float) else v for k, v in loaded.items()},
    }
    by_id = {a.id: a for a in accounts}
    n_blocks = opts.scaled(3, 1)
    queries: dict[str, list[tuple[str, float, int]]] = {
        "ri_by_id": [],
        "ri_by_status": [],
        "ri_by_status_last": [],
        "vpc_by_id": [],
    }
    started = time.perf_counter()
    with running(cloud):
        result["start_seconds"] = round(time.perf_counter() - started, 2)
        result["rss_mib_idle"] = rss_mib(cloud.pid)
        client = _Client(cloud.host, cloud.port)
        try:
            # Warm-up: the first call of each kind pays imports and statement compilation.
            for a in accounts:
                client.call(a, [("Action", "DescribeVpcs"), ("VpcId", sample[a.id]["vpcs"][0])])
            say(f"scale: {n_blocks} blocks of {n_calls} calls of each query")
            for i in range(n_calls * n_blocks):
                block = i // n_calls
                a = by_id[rng.choice(list(by_id))]
                ri_id = rng.choice(sample[a.id]["ris"])
                rid, ms, body = client.call(
                    a,
                    [
                        ("Action", "DescribeRouterInterfaces"),
                        ("Filter.1.Key", "RouterInterfaceId"),
                        ("Filter.1.Value.1", ri_id),
                    ],
                )
                assert body["TotalCount"] == 1, body
                queries["ri_by_id"].append((rid, ms, block))

                active = int(sample[a.id]["active"][0])
                page = rng.randint(1, max(1, active // 50))
                rid, ms, body = client.call(
                    a,
                    [
                        ("Action", "DescribeRouterInterfaces"),
                        ("Filter.1.Key", "Status"),
                        ("Filter.1.Value.1", "Active"),
                        ("PageSize", "50"),
                        ("PageNumber", str(page)),
                    ],
                )
                assert body["TotalCount"] == active, (body["TotalCount"], active)
                queries["ri_by_status"].append((rid, ms, block))

                # The deepest page of all: what an offset scan would pay most for.
                last = max(1, -(-active // 50))
                rid, ms, body = client.call(
                    a,
                    [
                        ("Action", "DescribeRouterInterfaces"),
                        ("Filter.1.Key", "Status"),
                        ("Filter.1.Value.1", "Active"),
                        ("PageSize", "50"),
                        ("PageNumber", str(last)),
                    ],
                )
                assert len(body["RouterInterfaceSet"]["RouterInterfaceType"]) == active - 50 * (
                    last - 1
                ), body["TotalCount"]
                queries["ri_by_status_last"].append((rid, ms, block))

                vpc_id = rng.choice(sample[a.id]["vpcs"])
                rid, ms, body = client.call(a, [("Action", "DescribeVpcs"), ("VpcId", vpc_id)])
                assert body["TotalCount"] == 1, body
                queries["vpc_by_id"].append((rid, ms, block))
                if i % 500 == 499:
                    say(f"scale: {i + 1}/{n_calls * n_blocks}")
        finally:
            client.close()
        result["rss_mib_after"] = rss_mib(cloud.pid)
        time.sleep(0.5)  # let the last access-log lines reach the file
        server = _server_ms(cloud.log_path)
    result["blocks"] = n_blocks
    result["calls_per_block"] = n_calls
    result["queries"] = {
        name: {
            "server_side": _stats([server[rid] for rid, _, _ in calls if rid in server]),
            "client_side_loopback": _stats([ms for _, ms, _ in calls]),
            # The machine is shared: p50/p99 per block of calls, then median (min-max).
            "server_side_blocks": _blocks(
                [(server[rid], b) for rid, _, b in calls if rid in server], n_blocks
            ),
        }
        for name, calls in queries.items()
    }
    q = result["queries"]
    worst_by_id = max(
        (q[k]["server_side_blocks"]["p99_ms"]["median"] or 0.0) for k in ("ri_by_id", "vpc_by_id")
    )
    worst_page = max(
        (q[k]["server_side_blocks"]["p99_ms"]["median"] or 0.0)
        for k in ("ri_by_status", "ri_by_status_last")
    )
    result["target"] = {
        "p99_by_id_ms": TARGET_P99_MS,
        "p99_page_ms": TARGET_PAGE_P99_MS,
        "rss_mib": TARGET_RSS_MIB,
    }
    result["target_met"] = {
        "p99_by_id": worst_by_id <= TARGET_P99_MS,
        "p99_page": worst_page <= TARGET_PAGE_P99_MS,
        "rss": (result["rss_mib_after"] or 0.0) <= TARGET_RSS_MIB,
    }
    return result
