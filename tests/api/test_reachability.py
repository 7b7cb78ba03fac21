"""GET /riconnect/reachability on a live server: a pair across two accounts (the analysis
follows the peer into the other account), the answer's shape, and its errors; and the
``riconnect reach`` command's output and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

import pytest
from alibabacloud_vpc20160428 import models as m

from riconnect.testing import LiveCloud, free_port, vpc_client

REGION = "cn-hangzhou"


def get(cloud: LiveCloud, **query: str) -> tuple[int, dict[str, Any]]:
    url = f"{cloud.url}/riconnect/reachability?{urllib.parse.urlencode(query)}"
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def reach(cloud: LiveCloud | str, *args: str) -> subprocess.CompletedProcess[str]:
    endpoint = cloud.url if isinstance(cloud, LiveCloud) else cloud
    return subprocess.run(
        [sys.executable, "-m", "riconnect.cli", "reach", *args, "--endpoint", endpoint],
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture(scope="module")
def cross_account(multi_account_cloud: LiveCloud, two_accounts: Any) -> dict[str, str]:
    """Account A's VPC 10.10.0.0/16 linked to account B's 10.20.0.0/16, routes both ways."""
    cloud, t = multi_account_cloud, two_accounts
    a = vpc_client(cloud, t.a.id, t.a.secret)
    b = vpc_client(cloud, t.b.id, t.b.secret)
    out: dict[str, str] = {}
    for name, client, cidr, vsw in (
        ("a", a, "10.10.0.0/16", "10.10.1.0/24"),
        ("b", b, "10.20.0.0/16", "10.20.1.0/24"),
    ):
        vpc = client.create_vpc(m.CreateVpcRequest(region_id=REGION, cidr_block=cidr)).body
        out[f"vpc_{name}"], out[f"vrt_{name}"], out[f"vtb_{name}"] = (
            vpc.vpc_id,
            vpc.vrouter_id,
            vpc.route_table_id,
        )
        out[f"vsw_{name}"] = client.create_vswitch(
            m.CreateVSwitchRequest(
                region_id=REGION, vpc_id=vpc.vpc_id, zone_id="cn-hangzhou-h", cidr_block=vsw
            )
        ).body.v_switch_id
    out["ri_a"] = a.create_router_interface(
        m.CreateRouterInterfaceRequest(
            region_id=REGION,
            role="InitiatingSide",
            router_type="VRouter",
            router_id=out["vrt_a"],
            spec="Large.1",
            opposite_region_id=REGION,
        )
    ).body.router_interface_id
    out["ri_b"] = b.create_router_interface(
        m.CreateRouterInterfaceRequest(
            region_id=REGION,
            role="AcceptingSide",
            router_type="VRouter",
            router_id=out["vrt_b"],
            spec="Negative",
            opposite_region_id=REGION,
        )
    ).body.router_interface_id
    for client, me, other, router, owner in (
        (b, out["ri_b"], out["ri_a"], out["vrt_a"], t.a_id),
        (a, out["ri_a"], out["ri_b"], out["vrt_b"], t.b_id),
    ):
        client.modify_router_interface_attribute(
            m.ModifyRouterInterfaceAttributeRequest(
                region_id=REGION,
                router_interface_id=me,
                opposite_interface_id=other,
                opposite_router_id=router,
                opposite_router_type="VRouter",
                opposite_interface_owner_id=owner,
            )
        )
    a.connect_router_interface(
        m.ConnectRouterInterfaceRequest(region_id=REGION, router_interface_id=out["ri_a"])
    )
    for client, table, dest, ri in (
        (a, out["vtb_a"], "10.20.0.0/16", out["ri_a"]),
        (b, out["vtb_b"], "10.10.0.0/16", out["ri_b"]),
    ):
        client.create_route_entry(
            m.CreateRouteEntryRequest(
                region_id=REGION,
                route_table_id=table,
                destination_cidr_block=dest,
                next_hop_type="RouterInterface",
                next_hop_id=ri,
            )
        )
    return out


def test_reachable_across_accounts(
    multi_account_cloud: LiveCloud, cross_account: dict[str, str], two_accounts: Any
) -> None:
    status, body = get(
        multi_account_cloud,
        source=cross_account["vsw_a"],
        source_ip="10.10.1.5",
        destination_ip="10.20.1.7",
    )
    assert status == 200, body
    assert body["reachable"] is True and body["blocker"] is None
    assert (body["sourceType"], body["sourceIpAddress"], body["targetIpAddress"]) == (
        "vsw",
        "10.10.1.5",
        "10.20.1.7",
    )
    assert [h["nodeType"] for h in body["hops"]] == [
        "VSW",
        "VROUTER",
        "ROUTE_TABLE",
        "ROUTE_ENTRY",
        "ROUTER_INTERFACE",
        "ROUTER_INTERFACE",
        "VROUTER",
        "ROUTE_TABLE",
        "ROUTE_ENTRY",
        "VSW",
    ]
    interfaces = [h for h in body["hops"] if h["nodeType"] == "ROUTER_INTERFACE"]
    assert [(h["id"], h["accountId"], h["status"]) for h in interfaces] == [
        (cross_account["ri_a"], two_accounts.a_id, "Active"),
        (cross_account["ri_b"], two_accounts.b_id, "Active"),
    ]
    assert body["hops"][-1]["id"] == cross_account["vsw_b"]
    assert body["reverseHops"][-1]["id"] == cross_account["vsw_a"]
    # A VPC as the source, from B's side.
    status, back = get(
        multi_account_cloud,
        source=cross_account["vpc_b"],
        source_ip="10.20.1.7",
        destination_ip="10.10.1.5",
    )
    assert status == 200 and back["reachable"] is True and back["sourceType"] == "vpc"


def test_errors(
    multi_account_cloud: LiveCloud, cross_account: dict[str, str], two_accounts: Any
) -> None:
    cases = [
        ({"source_ip": "10.10.1.5", "destination_ip": "10.20.1.7"}, 400, "MissingParameter"),
        (
            {"source": cross_account["vsw_a"], "source_ip": "10.10.1.500", "destination_ip": "x"},
            400,
            "InvalidParameter",
        ),
        (
            {"source": "i-abc", "source_ip": "1.1.1.1", "destination_ip": "1.1.1.2"},
            400,
            "InvalidParameter",
        ),
        (
            {"source": "vsw-nosuch", "source_ip": "1.1.1.1", "destination_ip": "1.1.1.2"},
            404,
            "InvalidVSwitchId.NotFound",
        ),
        (
            {"source": "vpc-nosuch", "source_ip": "1.1.1.1", "destination_ip": "1.1.1.2"},
            404,
            "InvalidVpcID.NotFound",
        ),
        (  # the source exists, but not in the account asked about
            {
                "source": cross_account["vsw_a"],
                "source_ip": "10.10.1.5",
                "destination_ip": "10.20.1.7",
                "account": two_accounts.b_id,
            },
            404,
            "InvalidVSwitchId.NotFound",
        ),
    ]
    for query, status, code in cases:
        got, body = get(multi_account_cloud, **query)
        assert (got, body["Code"]) == (status, code), (query, body)
        assert body["RequestId"]


def test_reach_command(multi_account_cloud: LiveCloud, cross_account: dict[str, str]) -> None:
    ok = reach(multi_account_cloud, cross_account["vsw_a"], "10.10.1.5", "10.20.1.7")
    assert ok.returncode == 0, ok.stderr
    first = ok.stdout.splitlines()[0]
    assert first == f"{cross_account['vsw_a']} 10.10.1.5 -> 10.20.1.7: reachable"
    assert f"interface   {cross_account['ri_b']}" in ok.stdout
    # Nothing routes 10.30/16: the first VPC's table has no route for it.
    blocked = reach(multi_account_cloud, cross_account["vsw_a"], "10.10.1.5", "10.30.0.1")
    assert blocked.returncode == 1
    assert "blocked on the way there: NO_ROUTE" in blocked.stdout
    as_json = reach(multi_account_cloud, "--json", cross_account["vsw_a"], "10.10.1.5", "10.30.0.1")
    assert json.loads(as_json.stdout)["blocker"]["errorCode"] == "NO_ROUTE"
    unknown = reach(multi_account_cloud, "vsw-nosuch", "10.10.1.5", "10.30.0.1")
    assert unknown.returncode == 2 and "InvalidVSwitchId.NotFound" in unknown.stderr
    nobody = reach(f"http://127.0.0.1:{free_port()}", "vsw-x", "1.1.1.1", "1.1.1.2")
    assert nobody.returncode == 2 and "cannot reach the cloud" in nobody.stderr
