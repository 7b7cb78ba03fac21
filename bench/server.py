"""Scenario 2: both servers at saturation under the same small load generator.

``bench.loadgen``: several client processes, one keep-alive HTTP/1.1 connection each
(``http.client``), closed loop (send, wait for the answer, send again), every request
signed.  Read = DescribeVpcs of one VPC by id; write = CreateVpc.  riconnect runs on one
SQLite file, with 1 and with 2 worker processes (``--workers 2``); moto_server is werkzeug's
threaded server.  Client and server share the machine's 2 cores, so the figures are for
"this machine, generator included"; runs alternate between the servers.
"""

from __future__ import annotations

from typing import Any

from bench.common import (
    MotoServer,
    Options,
    boto3_ec2,
    ratio,
    riconnect_cloud,
    rss_mib,
    running,
    say,
    summary,
)
from bench.loadgen import run_load
from riconnect.testing.clients import vpc_client
from riconnect.testing.defaults import DEFAULT_REGION

TARGET_RATIO = 5.0
N_IDS = 50


def _riconnect_ids(endpoint: str) -> list[str]:
    from alibabacloud_vpc20160428 import models

    client = vpc_client(endpoint)
    return [
        str(client.create_vpc(models.CreateVpcRequest(region_id=DEFAULT_REGION)).body.vpc_id)
        for _ in range(N_IDS)
    ]


def _moto_ids(url: str) -> list[str]:
    client = boto3_ec2(url)
    return [str(client.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]) for _ in range(N_IDS)]


def run(opts: Options) -> dict[str, Any]:
    processes = 4
    seconds = opts.scaled(10, 2)
    reps = opts.reps
    systems = ["riconnect", "riconnect_workers2"] + (["moto"] if opts.moto else [])
    raw: dict[str, dict[str, list[dict[str, Any]]]] = {
        s: {"read": [], "write": []} for s in systems
    }
    rss: dict[str, list[float]] = {s: [] for s in systems}
    for rep in range(reps):
        for system in systems:
            say(f"server: {system} run {rep + 1}/{reps}")
            if system == "moto":
                with MotoServer(opts.workdir) as moto:
                    ids = _moto_ids(moto.url)
                    for op in ("read", "write"):
                        raw[system][op].append(
                            run_load(
                                "moto",
                                op,
                                "127.0.0.1",
                                moto.port,
                                processes=processes,
                                seconds=seconds,
                                ids=ids,
                            )
                        )
                    mem = rss_mib(moto.pid)
            else:
                workers = 2 if system.endswith("workers2") else 1
                cloud = riconnect_cloud(opts, workers=workers)
                with running(cloud):
                    ids = _riconnect_ids(cloud.endpoint)
                    for op in ("read", "write"):
                        raw[system][op].append(
                            run_load(
                                "riconnect",
                                op,
                                cloud.host,
                                cloud.port,
                                processes=processes,
                                seconds=seconds,
                                ids=ids,
                            )
                        )
                    mem = rss_mib(cloud.pid)
            if mem is not None:
                rss[system].append(mem)

    table: dict[str, Any] = {}
    for system in systems:
        table[system] = {
            op: {
                "requests_per_s": summary([r["requests_per_s"] for r in raw[system][op]], 1),
                "p50_ms": summary([r["p50_ms"] for r in raw[system][op] if r["p50_ms"]]),
                "p99_ms": summary([r["p99_ms"] for r in raw[system][op] if r["p99_ms"]]),
                "errors": sum(r["errors"] for r in raw[system][op]),
            }
            for op in ("read", "write")
        }
        table[system]["rss_mib_after"] = summary(rss[system], 1)
    ratios: dict[str, Any] = {}
    for system in ("riconnect", "riconnect_workers2"):
        for op in ("read", "write"):
            mine = table[system][op]["requests_per_s"]["median"]
            theirs = table["moto"][op]["requests_per_s"]["median"] if opts.moto else None
            ratios[f"{system}_{op}"] = ratio(mine, theirs)
    return {
        "scenario": "server",
        "method": __doc__,
        "load": {"processes": processes, "seconds_per_run": seconds, "repetitions": reps},
        "moto": opts.moto,
        "note": opts.moto_note,
        "results": table,
        "ratios": ratios,
        "target": {"ratio_min": TARGET_RATIO},
        "target_met": {k: (None if v is None else v >= TARGET_RATIO) for k, v in ratios.items()},
        "raw": raw,
    }
