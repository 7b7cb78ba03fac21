"""Scenario 1: the official SDKs, sequentially, riconnect (SQLite file) versus moto_server.

riconnect: ``alibabacloud_vpc20160428`` (V3 signatures, the SDK's default) against
``riconnect serve --db FILE --vpc-quota 1000000``.  moto: boto3 EC2 against ``moto_server``.
Runs alternate (riconnect, moto, riconnect, moto, ...), each on a fresh server; one
sequential client; calls/s = calls / wall time of the block, client included.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from bench.common import (
    MotoServer,
    Options,
    boto3_ec2,
    ratio,
    riconnect_cloud,
    running,
    say,
    summary,
)
from riconnect.testing.clients import vpc_client
from riconnect.testing.defaults import DEFAULT_REGION, DEMO_ACCOUNT_ID
from riconnect.testing.signing import signed_request

REGION = DEFAULT_REGION
PAGE = 50  # riconnect's (and Alibaba's) largest PageSize
OPS = ("create_vpc", "describe_vpc_by_id", "list_vpcs", "connect_networks")


def _rate(calls: int, seconds: float) -> float:
    return calls / seconds if seconds > 0 else 0.0


class _Riconnect:
    def __init__(self, endpoint: str) -> None:
        from alibabacloud_vpc20160428 import models

        self.m = models
        self.c = vpc_client(endpoint)
        self._n = 0

    def warm_up(self) -> None:
        self.c.describe_vpcs(self.m.DescribeVpcsRequest(region_id=REGION, page_size=1))

    def create_vpc(self) -> tuple[str, str]:
        self._n += 1
        body = self.c.create_vpc(
            self.m.CreateVpcRequest(region_id=REGION, cidr_block="172.16.0.0/12")
        ).body
        return str(body.vpc_id), str(body.vrouter_id)

    def describe_vpc(self, vpc_id: str) -> None:
        body = self.c.describe_vpcs(self.m.DescribeVpcsRequest(region_id=REGION, vpc_id=vpc_id))
        assert len(body.body.vpcs.vpc) == 1

    def list_vpcs(self, expected: int) -> int:
        """Every VPC, page by page; returns the number of calls."""
        calls, seen, page = 0, 0, 1
        while calls < 1000:
            body = self.c.describe_vpcs(
                self.m.DescribeVpcsRequest(region_id=REGION, page_size=PAGE, page_number=page)
            ).body
            calls += 1
            seen += len(body.vpcs.vpc)
            if seen >= body.total_count or not body.vpcs.vpc:
                break
            page += 1
        assert seen == expected, (seen, expected)
        return calls

    def connect_networks(self) -> int:
        """Two VPCs connected by a pair of interfaces, until both are Active; returns calls."""
        m = self.m
        vpc1, vrt1 = self.create_vpc()
        vpc2, vrt2 = self.create_vpc()

        def create(router: str, role: str, spec: str) -> str:
            req = m.CreateRouterInterfaceRequest(
                region_id=REGION,
                opposite_region_id=REGION,
                router_type="VRouter",
                router_id=router,
                role=role,
                spec=spec,
            )
            return str(self.c.create_router_interface(req).body.router_interface_id)

        init = create(vrt1, "InitiatingSide", "Large.2")
        acc = create(vrt2, "AcceptingSide", "Negative")
        for ri_id, at, router in ((acc, init, vrt1), (init, acc, vrt2)):
            self.c.modify_router_interface_attribute(
                m.ModifyRouterInterfaceAttributeRequest(
                    region_id=REGION,
                    router_interface_id=ri_id,
                    opposite_interface_id=at,
                    opposite_router_id=router,
                    opposite_router_type="VRouter",
                    opposite_interface_owner_id=int(DEMO_ACCOUNT_ID),
                )
            )
        self.c.connect_router_interface(
            m.ConnectRouterInterfaceRequest(region_id=REGION, router_interface_id=init)
        )
        calls = 7
        for _ in range(100):
            calls += 1
            req = m.DescribeRouterInterfacesRequest(
                region_id=REGION,
                filter=[
                    m.DescribeRouterInterfacesRequestFilter(
                        key="RouterInterfaceId", value=[init, acc]
                    )
                ],
            )
            items = self.c.describe_router_interfaces(req).body.router_interface_set
            if all(i.status == "Active" for i in items.router_interface_type):
                return calls
            time.sleep(0.01)
        raise RuntimeError("interfaces did not become Active")


class _Moto:
    def __init__(self, url: str) -> None:
        self.c = boto3_ec2(url)

    def warm_up(self) -> None:
        self.c.describe_vpcs()  # the first EC2 call builds moto's backend (about 1 s)

    def create_vpc(self) -> tuple[str, str]:
        vpc_id = self.c.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        return str(vpc_id), ""

    def describe_vpc(self, vpc_id: str) -> None:
        assert len(self.c.describe_vpcs(VpcIds=[vpc_id])["Vpcs"]) == 1

    def list_vpcs(self, expected: int) -> int:
        vpcs = self.c.describe_vpcs()["Vpcs"]
        assert len(vpcs) == expected + 1, len(vpcs)  # plus moto's default VPC
        return 1

    def connect_networks(self) -> int:
        a, _ = self.create_vpc()
        b, _ = self.create_vpc()
        pcx = self.c.create_vpc_peering_connection(VpcId=a, PeerVpcId=b)
        self.c.accept_vpc_peering_connection(
            VpcPeeringConnectionId=pcx["VpcPeeringConnection"]["VpcPeeringConnectionId"]
        )
        return 4


def _one_run(client: Any, opts: Options) -> dict[str, dict[str, float]]:
    n_create = opts.scaled(200, 30)
    n_describe = opts.scaled(200, 30)
    n_list = opts.scaled(20, 2)
    n_connect = opts.scaled(50, 5)
    client.warm_up()
    out: dict[str, dict[str, float]] = {}

    ids: list[str] = []
    started = time.perf_counter()
    for _ in range(n_create):
        ids.append(client.create_vpc()[0])
    secs = time.perf_counter() - started
    out["create_vpc"] = {"calls": n_create, "seconds": secs, "calls_per_s": _rate(n_create, secs)}

    started = time.perf_counter()
    for i in range(n_describe):
        client.describe_vpc(ids[i % len(ids)])
    secs = time.perf_counter() - started
    out["describe_vpc_by_id"] = {
        "calls": n_describe,
        "seconds": secs,
        "calls_per_s": _rate(n_describe, secs),
    }

    calls = 0
    started = time.perf_counter()
    for _ in range(n_list):
        calls += client.list_vpcs(n_create)
    secs = time.perf_counter() - started
    out["list_vpcs"] = {
        "vpcs_listed": n_create,
        "listings": n_list,
        "calls": calls,
        "seconds": secs,
        "calls_per_s": _rate(calls, secs),
        "listings_per_s": _rate(n_list, secs),
    }

    calls = 0
    started = time.perf_counter()
    for _ in range(n_connect):
        calls += client.connect_networks()
    secs = time.perf_counter() - started
    out["connect_networks"] = {
        "connections": n_connect,
        "calls": calls,
        "seconds": secs,
        "calls_per_s": _rate(calls, secs),
        "connections_per_s": _rate(n_connect, secs),
    }
    return out


class _Canned:
    """A keep-alive HTTP server in a thread that answers every request with one fixed body."""

    def __init__(self, body: bytes, content_type: str) -> None:
        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def _answer(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                if length:
                    self.rfile.read(length)
                self.send_response(200)
                self.send_header("content-type", content_type)
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = int(self.server.server_address[1])
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> _Canned:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def _calls_per_s(call: Callable[[], Any], n: int) -> float:
    for _ in range(max(5, n // 10)):
        call()
    started = time.perf_counter()
    for _ in range(n):
        call()
    return round(n / (time.perf_counter() - started), 1)


def client_floor(rc_body: bytes, moto_body: bytes | None, n: int) -> dict[str, Any]:
    """Calls/s of each SDK when the server costs nothing: describe one VPC by id."""
    out: dict[str, Any] = {}
    with _Canned(rc_body, "application/json;charset=utf-8") as canned:
        rc = _Riconnect(f"127.0.0.1:{canned.port}")
        out["alibaba"] = _calls_per_s(
            lambda: rc.c.describe_vpcs(rc.m.DescribeVpcsRequest(region_id=REGION, vpc_id="x")), n
        )
    if moto_body is not None:
        with _Canned(moto_body, "text/xml;charset=UTF-8") as canned:
            ec2 = boto3_ec2(f"http://127.0.0.1:{canned.port}")
            out["boto3"] = _calls_per_s(lambda: ec2.describe_vpcs(VpcIds=["vpc-x"]), n)
    return {"describe_vpc_by_id": out}


def _captured_bodies(opts: Options) -> tuple[bytes, bytes | None]:
    """Real answers of both servers to describe-one-VPC, to replay from the canned server."""
    cloud = riconnect_cloud(opts)
    with running(cloud):
        rc = _Riconnect(cloud.endpoint)
        vpc_id, _ = rc.create_vpc()
        rc_body = signed_request(
            cloud, "DescribeVpcs", [("RegionId", REGION), ("VpcId", vpc_id)]
        ).content
    if not opts.moto:
        return rc_body, None
    captured: list[bytes] = []
    with MotoServer(opts.workdir) as moto:
        mc = _Moto(moto.url)
        vpc_id, _ = mc.create_vpc()
        mc.c.meta.events.register(
            "after-call.ec2.DescribeVpcs",
            lambda http_response, **kw: captured.append(http_response.content),
        )
        mc.describe_vpc(vpc_id)
    return rc_body, captured[0]


def run(opts: Options) -> dict[str, Any]:
    runs: dict[str, list[dict[str, dict[str, float]]]] = {"riconnect": [], "moto": []}
    for rep in range(opts.reps):
        cloud = riconnect_cloud(opts)
        with running(cloud):
            say(f"sdk: riconnect run {rep + 1}/{opts.reps}")
            runs["riconnect"].append(_one_run(_Riconnect(cloud.endpoint), opts))
        if opts.moto:
            with MotoServer(opts.workdir) as moto:
                say(f"sdk: moto run {rep + 1}/{opts.reps}")
                runs["moto"].append(_one_run(_Moto(moto.url), opts))
    say("sdk: client floor (canned answers)")
    floor = client_floor(*_captured_bodies(opts), n=opts.scaled(500, 50))

    def agg(system: str, op: str, key: str) -> dict[str, Any]:
        return summary([r[op][key] for r in runs[system] if key in r[op]], 1)

    ops: dict[str, Any] = {}
    for op in OPS:
        entry: dict[str, Any] = {}
        for system in ("riconnect", "moto"):
            if not runs[system]:
                entry[system] = None
                continue
            first = runs[system][0][op]
            entry[system] = {
                "calls_per_run": first["calls"],
                "calls_per_s": agg(system, op, "calls_per_s"),
            }
            for extra in ("listings_per_s", "connections_per_s"):
                if extra in first:
                    entry[system][extra] = agg(system, op, extra)
        rc, mo = entry["riconnect"], entry["moto"]
        # Ratio of medians; per-listing and per-connection ratios where the call counts differ.
        entry["ratio_calls"] = ratio(
            rc["calls_per_s"]["median"], mo["calls_per_s"]["median"] if mo else None
        )
        for extra in ("listings_per_s", "connections_per_s"):
            if extra in rc:
                entry[f"ratio_{extra.removesuffix('_per_s')}"] = ratio(
                    rc[extra]["median"], mo[extra]["median"] if mo else None
                )
        ops[op] = entry
    headline = {
        "create_vpc": ops["create_vpc"]["ratio_calls"],
        "describe_vpc_by_id": ops["describe_vpc_by_id"]["ratio_calls"],
        "list_vpcs": ops["list_vpcs"].get("ratio_listings"),
        "connect_networks": ops["connect_networks"]["ratio_calls"],
    }
    return {
        "scenario": "sdk",
        "method": __doc__,
        "repetitions": opts.reps,
        "moto": opts.moto,
        "note": opts.moto_note,
        "operations": ops,
        "client_floor": floor,
        "ratios": headline,
        "target": {"ratio_min": 2.0},
        "target_met": {k: (None if v is None else v >= 2.0) for k, v in headline.items()},
        "raw": runs,
    }
