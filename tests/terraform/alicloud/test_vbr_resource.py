"""``alicloud_express_connect_virtual_border_router`` argument for argument with the official
provider (v1.285.0): every argument at create, each updatable one changed in place (a clean
plan after), ``status`` through Terminate/Recover, the ForceNew ``physical_connection_id``
replaced, import then a clean plan, and the removed and validated arguments.

The real terraform binary drives our provider against a live riconnect cloud whose demo
account holds two physical connections; what was built is checked through the official SDK.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from riconnect.domain.accounts import DEMO_PHYSICAL_CONNECTION_ID, physical_connection_id
from riconnect.testing import DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET, DEMO_ACCOUNT_ID, LiveCloud
from tests.terraform.alicloud.helpers import (
    AliTerraform,
    Sdk,
    initialized_work,
    live_cloud,
    planned_actions,
)
from tests.terraform.helpers import assert_no_traceback, requires_terraform

pytestmark = [pytest.mark.terraform, requires_terraform]

SECOND_PC = physical_connection_id(DEMO_ACCOUNT_ID, 1)
ADDRESS = "alicloud_express_connect_virtual_border_router.v"
ACCOUNTS = f"""
[[account]]
id = "{DEMO_ACCOUNT_ID}"
name = "vbr-owner"
[[account.access_key]]
id = "{DEMO_ACCESS_KEY_ID}"
secret = "{DEMO_ACCESS_KEY_SECRET}"
[[account.physical_connection]]
access_point_id = "ap-cn-hangzhou-jg-B"
region = "cn-hangzhou"
[[account.physical_connection]]
access_point_id = "ap-cn-hangzhou-jg-B"
region = "cn-hangzhou"
"""

EVERYTHING = {
    "physical_connection_id": f'"{DEMO_PHYSICAL_CONNECTION_ID}"',
    "vlan_id": "101",
    "local_gateway_ip": '"10.254.0.1"',
    "peer_gateway_ip": '"10.254.0.2"',
    "peering_subnet_mask": '"255.255.255.252"',
    "virtual_border_router_name": '"edge-one"',
    "description": '"first"',
    "circuit_code": '"longtel001"',
    "bandwidth": "50",
    "enable_ipv6": "true",
    "local_ipv6_gateway_ip": '"2408:4004:cc::1"',
    "peer_ipv6_gateway_ip": '"2408:4004:cc::2"',
    "peering_ipv6_subnet_mask": '"2408:4004:cc::/56"',
    "mtu": "1500",
    "min_rx_interval": "300",
    "min_tx_interval": "400",
    "detect_multiplier": "5",
    "sitelink_enable": "false",
    "status": '"active"',
    "resource_group_id": '"rg-vbrfirst01"',
    "tags": '{ env = "test", team = "net" }',
    "vbr_owner_id": f'"{DEMO_ACCOUNT_ID}"',
    "associated_physical_connections": (
        f'jsonencode([{{ PhysicalConnectionId = "{DEMO_PHYSICAL_CONNECTION_ID}" }}])'
    ),
}
# Every updatable argument with another value.
CHANGED = {
    **EVERYTHING,
    "vlan_id": "102",
    "local_gateway_ip": '"10.253.0.1"',
    "peer_gateway_ip": '"10.253.0.6"',
    "peering_subnet_mask": '"255.255.255.248"',
    "virtual_border_router_name": '"edge-two"',
    "description": '"second"',
    "circuit_code": '"longtel002"',
    "bandwidth": "200",
    "local_ipv6_gateway_ip": '"2408:4004:dd::1"',
    "peer_ipv6_gateway_ip": '"2408:4004:dd::2"',
    "peering_ipv6_subnet_mask": '"2408:4004:dd::/64"',
    "mtu": "8500",
    "min_rx_interval": "500",
    "min_tx_interval": "600",
    "detect_multiplier": "10",
    "sitelink_enable": "true",
    "resource_group_id": '"rg-vbrsecond2"',
    "tags": '{ env = "prod", owner = "ops" }',
}


def _config(args: dict[str, str]) -> str:
    body = "\n".join(f"  {k} = {v}" for k, v in args.items())
    return f'provider "alicloud" {{\n  region = "cn-hangzhou"\n}}\n\nresource "alicloud_express_connect_virtual_border_router" "v" {{\n{body}\n}}\n'


@pytest.fixture(scope="module")
def cloud(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveCloud]:
    work = tmp_path_factory.mktemp("vbr-cloud")
    accounts = work / "accounts.toml"
    accounts.write_text(ACCOUNTS)
    with live_cloud(work, accounts=accounts) as c:
        yield c


@pytest.fixture
def tf(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, cloud: LiveCloud) -> AliTerraform:
    return initialized_work(tmp_path / "work", tmp_path_factory, cloud)


def _no_changes(tf: AliTerraform) -> None:
    result = tf.plan("-detailed-exitcode", "-no-color")
    assert result.returncode == 0, result.output


def _live(tf: AliTerraform, vbr_id: str) -> dict[str, Any]:
    found = [v for v in Sdk(tf.cloud).vbrs() if v["VbrId"] == vbr_id]
    assert len(found) == 1, f"{vbr_id} not listed"
    return found[0]


def _tags(live: dict[str, Any]) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in live["Tags"]["Tags"]}


def test_every_argument_created_updated_in_place_replaced_and_imported(
    tf: AliTerraform,
) -> None:
    tf.write(_config(EVERYTHING))
    applied = tf.apply()
    applied.check()
    assert "[DEPRECATED] Field `associated_physical_connections`" in applied.output
    state = tf.state_objects()[ADDRESS]
    vbr_id = state["id"]
    live = _live(tf, vbr_id)
    assert (live["VlanId"], live["Name"], live["Description"], live["CircuitCode"]) == (
        101,
        "edge-one",
        "first",
        "longtel001",
    )
    assert (live["Bandwidth"], live["EnableIpv6"], live["PeerIpv6GatewayIp"]) == (
        50,
        True,
        "2408:4004:cc::2",
    )
    # The link settings CreateVirtualBorderRouter does not take went through Modify.
    assert (live["Mtu"], live["MinRxInterval"], live["MinTxInterval"]) == (1500, 300, 400)
    assert (live["DetectMultiplier"], live["SitelinkEnable"]) == (5, False)
    assert live["ResourceGroupId"] == "rg-vbrfirst01"
    assert _tags(live) == {"env": "test", "team": "net"}
    assert state["create_time"] == live["CreationTime"] != ""
    assert state["route_table_id"] == live["RouteTableId"] != ""
    assert (state["status"], state["mtu"], state["detect_multiplier"]) == ("active", 1500, 5)
    _no_changes(tf)

    # Every updatable argument in place.
    tf.write(_config(CHANGED))
    plan = tf.plan("-no-color")
    assert planned_actions(plan.stdout) == {ADDRESS: "will be updated in-place"}, plan.stdout
    tf.apply().check()
    live = _live(tf, vbr_id)
    assert (live["VlanId"], live["LocalGatewayIp"], live["PeerGatewayIp"]) == (
        102,
        "10.253.0.1",
        "10.253.0.6",
    )
    assert (live["PeeringSubnetMask"], live["Name"], live["Description"]) == (
        "255.255.255.248",
        "edge-two",
        "second",
    )
    assert (live["CircuitCode"], live["Bandwidth"], live["LocalIpv6GatewayIp"]) == (
        "longtel002",
        200,
        "2408:4004:dd::1",
    )
    assert live["PeeringIpv6SubnetMask"] == "2408:4004:dd::/64"
    assert (live["Mtu"], live["MinRxInterval"], live["MinTxInterval"]) == (8500, 500, 600)
    assert (live["DetectMultiplier"], live["SitelinkEnable"]) == (10, True)
    assert live["ResourceGroupId"] == "rg-vbrsecond2"
    assert _tags(live) == {"env": "prod", "owner": "ops"}
    _no_changes(tf)

    # Removing optional texts clears them in place; enable_ipv6 goes off.
    trimmed = {
        k: v
        for k, v in CHANGED.items()
        if k
        not in ("description", "circuit_code", "vbr_owner_id", "associated_physical_connections")
    }
    trimmed["enable_ipv6"] = "false"
    tf.write(_config(trimmed))
    tf.apply().check()
    live = _live(tf, vbr_id)
    assert (live["Description"], live["CircuitCode"], live["EnableIpv6"]) == ("", "", False)
    _no_changes(tf)

    # status drives Terminate and Recover.
    tf.write(_config({**trimmed, "status": '"terminated"'}))
    tf.apply().check()
    assert _live(tf, vbr_id)["Status"] == "terminated"
    _no_changes(tf)
    tf.write(_config(trimmed))
    tf.apply().check()
    assert _live(tf, vbr_id)["Status"] == "active"
    _no_changes(tf)

    # Import reads every argument back: a clean plan.
    tf.state_rm(ADDRESS).check()
    tf.import_(ADDRESS, vbr_id).check()
    _no_changes(tf)

    # The one ForceNew argument.
    tf.write(_config({**trimmed, "physical_connection_id": f'"{SECOND_PC}"'}))
    plan = tf.plan("-no-color")
    assert planned_actions(plan.stdout) == {ADDRESS: "must be replaced"}, plan.stdout
    tf.apply().check()
    new_id = tf.state_objects()[ADDRESS]["id"]
    assert new_id != vbr_id
    assert _live(tf, new_id)["PhysicalConnectionId"] == SECOND_PC
    assert [v for v in Sdk(tf.cloud).vbrs() if v["VbrId"] == vbr_id] == []
    _no_changes(tf)
    tf.destroy().check()
    assert [v for v in Sdk(tf.cloud).vbrs() if v["VbrId"] == new_id] == []


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            {"include_cross_account_vbr": "true"},
            'Error: "include_cross_account_vbr": [REMOVED] Field `include_cross_account_vbr` '
            "has been removed from provider version 1.263.0.",
        ),
        ({"mtu": "9000"}, "expected mtu to be one of [0 1500 8500], got 9000"),
        ({"route_table_id": '"vtb-x"'}, 'Error: "route_table_id": this field cannot be set'),
        ({"create_time": '"now"'}, 'Error: "create_time": this field cannot be set'),
    ],
)
def test_refused_at_validation(tf: AliTerraform, extra: dict[str, str], message: str) -> None:
    tf.write(_config({**EVERYTHING, **extra}))
    result = tf.run("validate", "-no-color")
    assert result.returncode == 1, result.output
    assert_no_traceback(result)
    assert message in " ".join(result.stderr.split()), result.stderr
