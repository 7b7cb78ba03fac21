"""examples/connected-vpcs, verbatim, under the real Terraform binary, with ``riconnect reach``
asked before the routes exist, after, and once one route is removed again.

What was built is checked through the official SDK; reachability through the command a
user types (``riconnect reach``, a separate process talking HTTP to the live cloud).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from riconnect.testing import LiveCloud
from tests.terraform.alicloud.helpers import REGION, Sdk, example_workdir, live_cloud
from tests.terraform.helpers import requires_terraform

pytestmark = [pytest.mark.terraform, requires_terraform]

A_IP, B_IP = "172.16.1.10", "192.168.1.20"


def reach(cloud: LiveCloud, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "riconnect.cli", "reach", *args, "--endpoint", cloud.url],
        capture_output=True,
        text=True,
        timeout=60,
    )


def vswitches(sdk: Sdk) -> list[dict[str, object]]:
    from alibabacloud_vpc20160428 import models

    body = sdk.call(
        "describe_vswitches", models.DescribeVSwitchesRequest(region_id=REGION, page_size=50)
    )
    items: list[dict[str, object]] = body["VSwitches"]["VSwitch"]
    return items


def custom_routes(sdk: Sdk, table_id: str) -> list[dict[str, object]]:
    from alibabacloud_vpc20160428 import models

    body = sdk.call(
        "describe_route_entry_list",
        models.DescribeRouteEntryListRequest(
            region_id=REGION, route_table_id=table_id, route_entry_type="Custom", max_result=100
        ),
    )
    items: list[dict[str, object]] = body["RouteEntrys"]["RouteEntry"]
    return items


def test_connected_vpcs_example(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    with live_cloud(tmp_path / "cloud") as cloud:
        tf = example_workdir(tmp_path, tmp_path_factory, cloud, "connected-vpcs")
        sdk = Sdk(cloud)

        # Before the routes: the link is up, but nothing sends traffic to it.
        tf.apply(
            "-target=alicloud_router_interface_connection.a",
            "-target=alicloud_vswitch.a",
            "-target=alicloud_vswitch.b",
        ).check()
        out = tf.output()
        vsw_a, vsw_b = out["vswitch_a"], out["vswitch_b"]
        before = reach(cloud, vsw_a, A_IP, B_IP)
        assert before.returncode == 1, before.stdout + before.stderr
        assert "NOT reachable" in before.stdout
        assert "blocked on the way there: NO_ROUTE" in before.stdout

        # After: the whole example.
        result = tf.apply().check()
        assert "Apply complete! Resources: 2 added, 0 changed, 0 destroyed." in result.stdout
        for args in ((vsw_a, A_IP, B_IP), (vsw_b, B_IP, A_IP)):
            there = reach(cloud, *args)
            assert there.returncode == 0, there.stdout + there.stderr
            assert f"{args[0]} {args[1]} -> {args[2]}: reachable" in there.stdout
            assert "return path:" in there.stdout

        vpc_a = sdk.vpc_by_cidr("172.16.0.0/12")
        vpc_b = sdk.vpc_by_cidr("192.168.0.0/16")
        assert sorted(v["CidrBlock"] for v in vswitches(sdk)) == ["172.16.1.0/24", "192.168.1.0/24"]
        state = tf.resources()
        routes_a = custom_routes(sdk, str(state["alicloud_vpc.a"]["route_table_id"]))
        assert [(r["DestinationCidrBlock"], r["RouteEntryName"]) for r in routes_a] == [
            ("192.168.0.0/16", "to-riconnect-connected-b")
        ]
        ri_a = state["alicloud_router_interface.a"]["id"]
        table_a = state["alicloud_vpc.a"]["route_table_id"]
        assert state["alicloud_route_entry.a_to_b"]["id"] == ":".join(
            [table_a, vpc_a["VRouterId"], "192.168.0.0/16", "RouterInterface", ri_a]
        )
        assert vpc_b["VSwitchIds"]["VSwitchId"] == [vsw_b]

        tf.plan("-detailed-exitcode").check(0)

        # Removing one route: reach names what is missing, in both directions.
        tf.destroy("-target=alicloud_route_entry.b_to_a").check()
        table_b = state["alicloud_vpc.b"]["route_table_id"]
        there = reach(cloud, vsw_a, A_IP, B_IP)
        assert there.returncode == 1
        assert "blocked on the return path: NO_ROUTE" in there.stdout
        assert f"Route table {table_b} of {vpc_b['VpcId']} has no route for {A_IP}" in there.stdout
        back = reach(cloud, vsw_b, B_IP, A_IP)
        assert back.returncode == 1
        assert "blocked on the way there: NO_ROUTE" in back.stdout

        result = tf.destroy().check()
        assert "Destroy complete!" in result.stdout
        assert sdk.vpcs() == []
        assert sdk.interface_count() == 0
        assert vswitches(sdk) == []
