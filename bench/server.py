"""Scenario 2: both servers at saturation under the same small load generator.

``bench.loadgen``: several client processes, one keep-alive HTTP/1.1 connection each
(``http.client``), closed loop (send, wait for the answer, send again), every request
signed.  Read = DescribeVpcs of one VPC by id; write = CreateVpc.  riconnect runs on one
SQLite file, with 1, 2 and 4 worker processes (``--workers N``), and the baseline code (the
code before this round, one process) beside it; moto_server is werkzeug's threaded server.
Client and server share the machine's 2 cores, so the figures are for "this machine,
generator included"; runs alternate between the servers.  CPU per request is the server's
own CPU time (all its processes) over the requests it answered: less sensitive than
requests/s to what else the machine runs.
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

TARGET_RATIO = 6.0
TARGET_READ_P99_MS = 10.0
N_IDS = 50


def _cpu_seconds(pid: int | None) -> float | None:
    """User + system CPU of a process and its children (uvicorn workers)."""
    if pid is None:
        return None
    try:
        import psutil

        proc = psutil.Process(pid)
        total = sum(proc.cpu_times()[:2])
        for child in proc.children(recursive=True):
            total += sum(child.cpu_times()[:2])
        return float(total)
    except (ImportError, psutil.Error):
        return None


def _with_cpu(pid: int | None, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """``run_load(*args, **kwargs)``, and the server's CPU time per request answered."""
    before = _cpu_seconds(pid)
    result: dict[str, Any] = run_load(*args, **kwargs)
    after = _cpu_seconds(pid)
    if before is not None and after is not None and result["requests"]:
        result["cpu_ms_per_request"] = round((after - before) * 1000 / result["requests"], 3)
    return result


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
    seconds = opts.scaled(8, 2)
    reps = opts.reps
    systems = ["riconnect", "riconnect_workers2"]
    if not opts.quick:
        systems.append("riconnect_workers4")
    if opts.baseline is not None:
        systems.append("baseline")
    if opts.moto:
        systems.append("moto")
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
                            _with_cpu(
                                moto.pid,
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
                workers = int(system[-1]) if "workers" in system else 1
                cloud = riconnect_cloud(opts, workers=workers, base=system == "baseline")
                with running(cloud):
                    ids = _riconnect_ids(cloud.endpoint)
                    for op in ("read", "write"):
                        raw[system][op].append(
                            _with_cpu(
                                cloud.pid,
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
                "cpu_ms_per_request": summary(
                    [r["cpu_ms_per_request"] for r in raw[system][op] if "cpu_ms_per_request" in r],
                    3,
                ),
                "errors": sum(r["errors"] for r in raw[system][op]),
                "failures": [f for r in raw[system][op] for f in r.get("failures", [])][:20],
            }
            for op in ("read", "write")
        }
        table[system]["rss_mib_after"] = summary(rss[system], 1)
    ratios: dict[str, Any] = {}
    for system in ("riconnect", "riconnect_workers2", "riconnect_workers4"):
        if system not in table:
            continue
        for op in ("read", "write"):
            mine = table[system][op]["requests_per_s"]["median"]
            theirs = table["moto"][op]["requests_per_s"]["median"] if opts.moto else None
            ratios[f"{system}_{op}"] = ratio(mine, theirs)
    one = table["riconnect"]
    target_met: dict[str, Any] = {
        k: (None if v is None else v >= TARGET_RATIO) for k, v in ratios.items()
    }
    # --workers 2 at least as fast as one process (reads and writes), on this 2-core machine.
    for op in ("read", "write"):
        target_met[f"workers2_vs_1_{op}"] = (
            table["riconnect_workers2"][op]["requests_per_s"]["median"]
            >= one[op]["requests_per_s"]["median"]
        )
    p99 = one["read"]["p99_ms"]["median"]
    target_met["read_p99"] = None if p99 is None else p99 <= TARGET_READ_P99_MS
    vs_baseline: dict[str, Any] = {}
    if "baseline" in table:
        for op in ("read", "write"):
            vs_baseline[op] = {
                "requests_per_s": ratio(
                    one[op]["requests_per_s"]["median"],
                    table["baseline"][op]["requests_per_s"]["median"],
                ),
                "cpu_ms_per_request": ratio(
                    one[op]["cpu_ms_per_request"]["median"],
                    table["baseline"][op]["cpu_ms_per_request"]["median"],
                ),
            }
    return {
        "scenario": "server",
        "method": __doc__,
        "load": {"processes": processes, "seconds_per_run": seconds, "repetitions": reps},
        "moto": opts.moto,
        "note": opts.moto_note,
        "results": table,
        "ratios": ratios,
        "vs_baseline": vs_baseline,
        "target": {"ratio_min": TARGET_RATIO, "read_p99_ms": TARGET_READ_P99_MS},
        "target_met": target_met,
        "raw": raw,
    }
