"""The other examples (cross-account, cross-region, express connect), verbatim, under the
real Terraform binary; what they build is checked through the SDK with each account's
credentials, in each region."""

from __future__ import annotations

from pathlib import Path

import pytest

from riconnect.domain.accounts import DEMO_ACCESS_POINT_ID, DEMO_PHYSICAL_CONNECTION_ID
from tests.terraform.alicloud.helpers import (
    ACCOUNT_A,
    ACCOUNT_B,
    ACCOUNTS_FILE,
    REGION,
    Sdk,
    assert_connected_pair,
    example_workdir,
    live_cloud,
    planned_actions,
)
from tests.terraform.helpers import requires_terraform

pytestmark = [pytest.mark.terraform, requires_terraform]

SHANGHAI = "cn-shanghai"


def test_cross_account_example(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    with live_cloud(tmp_path / "cloud", accounts=ACCOUNTS_FILE) as cloud:
        # The example sets each account's keys in its provider blocks; the environment's
        # keys (account B's here) must not be what account A's resources use.
        tf = example_workdir(tmp_path, tmp_path_factory, cloud, "cross-account")
        tf.env["ALICLOUD_ACCESS_KEY"], tf.env["ALICLOUD_SECRET_KEY"] = ACCOUNT_B[1:]
        result = tf.apply().check()
        assert "Apply complete! Resources: 6 added, 0 changed, 0 destroyed." in result.stdout
        outputs = tf.output()

        a = Sdk(cloud, *ACCOUNT_A[1:])
        b = Sdk(cloud, *ACCOUNT_B[1:])
        (initiator,) = a.interfaces()
        (acceptor,) = b.interfaces()
        assert initiator["RouterInterfaceId"] == outputs["initiator"]
        assert acceptor["RouterInterfaceId"] == outputs["acceptor"]
        assert_connected_pair(
            initiator, acceptor, initiator_owner=ACCOUNT_A[0], acceptor_owner=ACCOUNT_B[0]
        )
        (vpc_a,) = a.vpcs()
        (vpc_b,) = b.vpcs()
        assert (vpc_a["VpcName"], vpc_a["CidrBlock"]) == ("network-a", "172.16.0.0/12")
        assert (vpc_b["VpcName"], vpc_b["CidrBlock"]) == ("network-b", "192.168.0.0/16")
        assert initiator["RouterId"] == vpc_a["VRouterId"]
        assert acceptor["RouterId"] == vpc_b["VRouterId"]
        assert (initiator["Name"], acceptor["Name"]) == ("a-to-b", "b-from-a")

        tf.plan("-detailed-exitcode").check(0)

        result = tf.destroy().check()
        assert "Destroy complete! Resources: 6 destroyed." in result.stdout
        for sdk in (a, b):
            assert sdk.interface_count() == 0
            assert sdk.vpcs() == []


def test_cross_region_example(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    with live_cloud(tmp_path / "cloud") as cloud:
        tf = example_workdir(tmp_path, tmp_path_factory, cloud, "cross-region")
        result = tf.apply().check()
        assert "Apply complete! Resources: 6 added, 0 changed, 0 destroyed." in result.stdout

        sdk = Sdk(cloud)
        (initiator,) = sdk.interfaces(REGION)
        (acceptor,) = sdk.interfaces(SHANGHAI)
        assert_connected_pair(initiator, acceptor, acceptor_region=SHANGHAI)
        (hangzhou,) = sdk.vpcs(REGION)
        (shanghai,) = sdk.vpcs(SHANGHAI)
        assert hangzhou["VpcName"] == "riconnect-cross-region-hangzhou"
        assert shanghai["VpcName"] == "riconnect-cross-region-shanghai"
        assert initiator["RouterId"] == hangzhou["VRouterId"]
        assert acceptor["RouterId"] == shanghai["VRouterId"]
        assert initiator["OppositeVpcInstanceId"] == shanghai["VpcId"]
        assert (initiator["Spec"], initiator["CrossBorder"]) == ("Large.1", False)
        state = tf.resources()
        assert state["alicloud_router_interface.shanghai"]["id"] == acceptor["RouterInterfaceId"]

        tf.plan("-detailed-exitcode").check(0)

        result = tf.destroy().check()
        assert "Destroy complete! Resources: 6 destroyed." in result.stdout
        for region in (REGION, SHANGHAI):
            assert sdk.interface_count(region) == 0
            assert sdk.vpcs(region) == []


def test_express_connect_example(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    address = "alicloud_express_connect_router_interface.dc_to_office"
    with live_cloud(tmp_path / "cloud") as cloud:
        tf = example_workdir(tmp_path, tmp_path_factory, cloud, "express-connect")
        result = tf.apply().check()
        assert "Apply complete! Resources: 3 added, 0 changed, 0 destroyed." in result.stdout
        link = tf.output()["link"]

        sdk = Sdk(cloud)
        (vbr,) = sdk.vbrs()
        assert vbr["PhysicalConnectionId"] == DEMO_PHYSICAL_CONNECTION_ID
        assert (vbr["AccessPointId"], vbr["VlanId"], vbr["Name"]) == (
            DEMO_ACCESS_POINT_ID,
            100,
            "datacenter",
        )
        (office,) = sdk.vpcs()
        interfaces = {i["RouterInterfaceId"]: i for i in sdk.interfaces()}
        assert len(interfaces) == 2
        vbr_side = interfaces[link["interface"]]
        vpc_side = interfaces[link["vpc_side_interface"]]
        # Fast link: both sides were created and connected at once.
        assert (vbr_side["RouterType"], vbr_side["RouterId"]) == ("VBR", vbr["VbrId"])
        assert (vpc_side["RouterType"], vpc_side["RouterId"]) == ("VRouter", office["VRouterId"])
        assert_connected_pair(vbr_side, vpc_side)
        assert vbr_side["Spec"] == "Mini.2"
        assert vbr_side["Name"] == "dc-to-office"
        assert link["status"] == "Active"
        assert link["bandwidth_mbps"] == vbr_side["Bandwidth"] > 0
        tf.plan("-detailed-exitcode").check(0)

        def status_of_both() -> tuple[str, str]:
            now = {i["RouterInterfaceId"]: i["Status"] for i in sdk.interfaces()}
            return now[vbr_side["RouterInterfaceId"]], now[vpc_side["RouterInterfaceId"]]

        result = tf.plan("-detailed-exitcode", "-var", "status=Inactive").check(2)
        assert planned_actions(result.stdout) == {address: "will be updated in-place"}
        assert '~ status = "Active" -> "Inactive"' in " ".join(result.stdout.split())
        result = tf.apply("-var", "status=Inactive").check()
        assert "Resources: 0 added, 1 changed, 0 destroyed." in result.stdout
        assert status_of_both() == ("Inactive", "Inactive")
        assert tf.resource(address)["status"] == "Inactive"
        tf.plan("-detailed-exitcode", "-var", "status=Inactive").check(0)

        result = tf.apply("-var", "status=Active").check()
        assert "Resources: 0 added, 1 changed, 0 destroyed." in result.stdout
        assert status_of_both() == ("Active", "Active")
        tf.plan("-detailed-exitcode").check(0)

        result = tf.destroy().check()
        assert "Destroy complete! Resources: 3 destroyed." in result.stdout
        assert sdk.interface_count() == 0
        assert sdk.vbrs() == []
        assert sdk.vpcs() == []
