"""A small closed-loop HTTP load generator: several processes, one keep-alive connection each.

Every request is signed by the client, for both servers: riconnect with V1 (HMAC-SHA1, as
``aliyun-python-sdk-core`` does, via ``riconnect.api.auth.sign_v1``), moto with botocore's
SigV4 (moto does not check signatures, but signing keeps the client's work comparable).
Latency is measured by the client over loopback, per request, from send to the last byte.
"""

from __future__ import annotations

import http.client
import json
import multiprocessing as mp
import time
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from riconnect.api.auth import sign_v1
from riconnect.testing.defaults import DEFAULT_REGION, DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET

EC2_VERSION = "2016-11-15"


@dataclass(frozen=True)
class Job:
    system: str  # "riconnect" | "moto"
    op: str  # "read" | "write"
    host: str
    port: int
    seconds: float
    max_requests: int
    ids: tuple[str, ...]  # VPC ids to read
    seed: int
    # riconnect: who signs (default: the demo account)
    access_key_id: str = DEMO_ACCESS_KEY_ID
    secret: str = DEMO_ACCESS_KEY_SECRET


def _riconnect_request(job: Job, i: int) -> tuple[str, str, bytes, dict[str, str]]:
    if job.op == "read":
        params = [("Action", "DescribeVpcs"), ("VpcId", job.ids[i % len(job.ids)])]
    else:
        params = [("Action", "CreateVpc"), ("CidrBlock", "172.16.0.0/12")]
    params += [("Version", "2016-04-28"), ("RegionId", DEFAULT_REGION), ("Format", "JSON")]
    signed = sign_v1("POST", params, job.access_key_id, job.secret)
    body = urlencode(signed).encode()
    headers = {"content-type": "application/x-www-form-urlencoded"}
    return "POST", "/", body, headers


def _moto_request(job: Job, i: int, signer: Any) -> tuple[str, str, bytes, dict[str, str]]:
    from botocore.awsrequest import AWSRequest

    if job.op == "read":
        params = {"Action": "DescribeVpcs", "VpcId.1": job.ids[i % len(job.ids)]}
    else:
        params = {"Action": "CreateVpc", "CidrBlock": "10.0.0.0/16"}
    params["Version"] = EC2_VERSION
    body = urlencode(params)
    url = f"http://{job.host}:{job.port}/"
    req = AWSRequest(
        "POST",
        url,
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
    )
    signer.add_auth(req)
    return "POST", "/", body.encode(), {k: str(v) for k, v in req.headers.items()}


def _code(data: bytes) -> str:
    """``Code`` and ``RequestId`` of an error answer, or the start of its body."""
    try:
        body = json.loads(data)
        return f"{body.get('Code')} RequestId {body.get('RequestId')}"
    except (ValueError, AttributeError):
        return repr(data[:200])


def _worker(job: Job, queue: Any) -> None:
    signer = None
    if job.system == "moto":
        from botocore.auth import SigV4Auth
        from botocore.credentials import Credentials

        signer = SigV4Auth(Credentials("testing", "testing"), "ec2", "us-east-1")
    latencies: list[float] = []
    errors = 0
    statuses: dict[int, int] = {}
    # What went wrong, told apart: a non-200 answer (with its error Code and RequestId, to
    # find it in the server's log) is the server's; an exception is the connection's.
    failures: list[str] = []
    conn = http.client.HTTPConnection(job.host, job.port, timeout=30)
    deadline = time.perf_counter() + job.seconds
    i = job.seed
    started = time.perf_counter()
    try:
        while len(latencies) + errors < job.max_requests and time.perf_counter() < deadline:
            if job.system == "riconnect":
                method, path, body, headers = _riconnect_request(job, i)
            else:
                method, path, body, headers = _moto_request(job, i, signer)
            i += 1
            t0 = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
            except (OSError, http.client.HTTPException) as exc:
                errors += 1
                failures.append(f"client {type(exc).__name__}: {exc}"[:300])
                conn.close()
                conn = http.client.HTTPConnection(job.host, job.port, timeout=30)
                continue
            latencies.append(time.perf_counter() - t0)
            statuses[resp.status] = statuses.get(resp.status, 0) + 1
            if resp.status != 200:
                errors += 1
                failures.append(f"HTTP {resp.status} {_code(data)}"[:300])
    finally:
        conn.close()
    queue.put(
        {
            "latencies": latencies,
            "errors": errors,
            "statuses": statuses,
            "failures": failures[:20],
            "elapsed": time.perf_counter() - started,
        }
    )


def run_load(
    system: str,
    op: str,
    host: str,
    port: int,
    *,
    processes: int,
    seconds: float,
    ids: list[str],
    max_requests: int = 200_000,
    servers: list[tuple[str, int]] | None = None,
    keys: list[tuple[str, str]] | None = None,
) -> dict[str, Any]:
    """``processes`` closed-loop clients for ``seconds``; returns throughput and latencies.

    With ``servers``, client k talks to server k mod len(servers) (instead of host:port);
    with ``keys`` (AccessKey id, secret), client k signs with key k mod len(keys).
    """
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    servers = servers or [(host, port)]
    keys = keys or [(DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET)]
    jobs = [
        Job(
            system,
            op,
            *servers[k % len(servers)],
            seconds,
            max_requests,
            tuple(ids),
            seed=k * 7919,
            access_key_id=keys[k % len(keys)][0],
            secret=keys[k % len(keys)][1],
        )
        for k in range(processes)
    ]
    procs = [ctx.Process(target=_worker, args=(job, queue), daemon=True) for job in jobs]
    started = time.perf_counter()
    for p in procs:
        p.start()
    results = [queue.get(timeout=seconds + 120) for _ in procs]
    wall = time.perf_counter() - started
    for p in procs:
        p.join(30)
        if p.is_alive():
            p.kill()
    latencies = sorted(x for r in results for x in r["latencies"])
    elapsed = max(r["elapsed"] for r in results)
    statuses: dict[str, int] = {}
    for r in results:
        for code, n in r["statuses"].items():
            statuses[str(code)] = statuses.get(str(code), 0) + n

    def pct(p: float) -> float | None:
        if not latencies:
            return None
        k = max(0, min(len(latencies) - 1, round(p / 100 * len(latencies) + 0.5) - 1))
        return round(float(latencies[k]) * 1000, 2)

    ok = sum(n for code, n in statuses.items() if code == "200")
    return {
        "failures": [f for r in results for f in r["failures"]][:20],
        "requests": len(latencies),
        "ok": ok,
        "errors": sum(r["errors"] for r in results),
        "statuses": statuses,
        "seconds": round(elapsed, 3),
        "wall_seconds": round(wall, 3),
        "requests_per_s": round(ok / elapsed, 1) if elapsed else 0.0,
        "p50_ms": pct(50),
        "p99_ms": pct(99),
        "run_id": uuid.uuid4().hex[:8],
    }
