"""The seed example (examples/seed/main.tf, verbatim) under the real Terraform binary.

Each test has its own riconnect cloud, so every SDK listing below sees only what that
test's Terraform built.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from riconnect.testing import LiveCloud
from tests.terraform.alicloud.helpers import (
    REGION,
    SEED,
    SEED_NAME,
    AliTerraform,
    Sdk,
    assert_connected_pair,
    live_cloud,
    planned_actions,
    seed_workdir,
    shared_install,
    statuses,
    wait_for,
)
from tests.terraform.helpers import requires_terraform

pytestmark = [pytest.mark.terraform, requires_terraform]

CONNECTIONS = (
    "alicloud_router_interface_connection.foo",
    "alicloud_router_interface_connection.bar",
)


@pytest.fixture
def cloud(tmp_path: Path) -> Iterator[LiveCloud]:
    with live_cloud(tmp_path / "cloud") as c:
        yield c


@pytest.fixture
def applied(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, cloud: LiveCloud
) -> AliTerraform:
    """The seed, applied."""
    tf = seed_workdir(tmp_path, tmp_path_factory, cloud)
    tf.apply().check()
    return tf


def pair_ids(tf: AliTerraform) -> tuple[str, str]:
    state = tf.resources()
    return (
        state["alicloud_router_interface.initiate"]["id"],
        state["alicloud_router_interface.opposite"]["id"],
    )


# -- 1 -----------------------------------------------------------------------------------


def test_seed_applies_and_connects_both_vpcs(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, cloud: LiveCloud
) -> None:
    tf = seed_workdir(tmp_path, tmp_path_factory, cloud, init=True)
    assert (tf.workdir / "main.tf").read_bytes() == SEED.read_bytes()
    lock = (tf.workdir / ".terraform.lock.hcl").read_text()
    assert 'provider "registry.terraform.io/hashicorp/alicloud"' in lock
    assert '"h1:' in lock
    mirror = shared_install(tmp_path_factory)["mirror_dir"]
    provider_dir = next((tf.workdir / ".terraform" / "providers").rglob("linux_*"))
    assert provider_dir.resolve().is_relative_to(Path(mirror).resolve())

    result = tf.apply().check()
    assert "Apply complete! Resources: 6 added, 0 changed, 0 destroyed." in result.stdout

    sdk = Sdk(cloud)
    foo = sdk.vpc_by_cidr("172.16.0.0/12")
    bar = sdk.vpc_by_cidr("192.168.0.0/16")
    assert foo["VpcName"] == bar["VpcName"] == SEED_NAME
    interfaces = sdk.interfaces()
    assert len(interfaces) == 2
    by_role = {i["Role"]: i for i in interfaces}
    initiator, acceptor = by_role["InitiatingSide"], by_role["AcceptingSide"]
    assert_connected_pair(initiator, acceptor)
    # Which VPCs they join: the initiator sits on foo's vRouter, the acceptor on bar's.
    assert initiator["RouterId"] == foo["VRouterId"] and initiator["VpcInstanceId"] == foo["VpcId"]
    assert acceptor["RouterId"] == bar["VRouterId"] and acceptor["VpcInstanceId"] == bar["VpcId"]
    assert initiator["OppositeVpcInstanceId"] == bar["VpcId"]
    assert acceptor["OppositeVpcInstanceId"] == foo["VpcId"]
    assert initiator["RouterType"] == acceptor["RouterType"] == "VRouter"
    assert (initiator["Spec"], acceptor["Spec"]) == ("Large.2", "Negative")
    assert (initiator["Name"], initiator["Description"]) == (SEED_NAME, SEED_NAME)
    assert acceptor["Name"] == acceptor["Description"] == f"{SEED_NAME}-opposite"
    assert initiator["ChargeType"] == "AfterPay"
    # Terraform recorded the same objects.
    assert pair_ids(tf) == (initiator["RouterInterfaceId"], acceptor["RouterInterfaceId"])
    state = tf.resources()
    assert state["alicloud_vpc.foo"]["router_id"] == foo["VRouterId"]
    assert state["alicloud_router_interface_connection.foo"]["id"] == initiator["RouterInterfaceId"]

    tf.plan("-detailed-exitcode").check(0)


def test_vpc_create_sends_what_the_official_provider_sends(
    applied: AliTerraform, cloud: LiveCloud
) -> None:
    # Per VPC, as the Go provider (v1.285.0) sends them: CreateVpc, the wait's
    # DescribeVpcAttribute (one poll: transitions are immediate), the update step's
    # DescribeRouteTableList, then the Read's DescribeVpcAttribute and DescribeRouteTableList.
    actions = re.findall(r"riconnect\.access POST (\w+) ", cloud.log_path.read_text())
    vpc_actions = [a for a in actions if a in VPC_ACTIONS]
    assert sorted(vpc_actions) == sorted(
        ["CreateVpc", "DescribeVpcAttribute", "DescribeRouteTableList"] * 2
        + ["DescribeVpcAttribute", "DescribeRouteTableList"] * 2
    ), vpc_actions


VPC_ACTIONS = frozenset({"CreateVpc", "DescribeVpcAttribute", "DescribeRouteTableList"})


# -- 2 -----------------------------------------------------------------------------------


def test_changing_opposite_interface_plans_a_replacement(applied: AliTerraform) -> None:
    sdk = Sdk(applied.cloud)
    before = statuses(sdk)
    initiator, acceptor = pair_ids(applied)
    third_vpc = sdk.create_vpc("10.0.0.0/8")
    third = sdk.create_acceptor(third_vpc["VRouterId"])

    main = applied.workdir / "main.tf"
    text = main.read_text()
    old = "opposite_interface_id = alicloud_router_interface.opposite.id"
    assert text.count(old) == 1  # only the connection foo names the acceptor
    main.write_text(text.replace(old, f'opposite_interface_id = "{third}"'))

    result = applied.plan("-detailed-exitcode").check(2)
    out = result.stdout
    assert planned_actions(out) == {"alicloud_router_interface_connection.foo": "must be replaced"}
    assert re.search(
        rf'~ opposite_interface_id\s+= "{acceptor}" -> "{third}" # forces replacement', out
    ), out
    assert "Plan: 1 to add, 0 to change, 1 to destroy." in out
    # A plan changes nothing in the cloud.
    after = statuses(sdk)
    assert after[initiator] == after[acceptor] == "Active"
    assert {k: v for k, v in after.items() if k != third} == before


# -- 3 -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["foo", "bar"])
def test_state_rm_and_import_connection(applied: AliTerraform, name: str) -> None:
    address = f"alicloud_router_interface_connection.{name}"
    recorded = applied.resource(address)
    ri_id = recorded["id"]

    applied.state_rm(address).check()
    assert address not in applied.resources()
    result = applied.plan("-detailed-exitcode").check(2)
    assert planned_actions(result.stdout) == {address: "will be created"}

    result = applied.import_(address, ri_id).check()
    assert "Import successful!" in result.stdout
    imported = applied.resource(address)
    for key in (
        "id",
        "interface_id",
        "opposite_interface_id",
        "opposite_router_id",
        "opposite_router_type",
        "opposite_interface_owner_id",
    ):
        assert imported[key] == recorded[key], key
    applied.plan("-detailed-exitcode").check(0)
    # Importing touched nothing in the cloud.
    assert set(statuses(Sdk(applied.cloud)).values()) == {"Active"}


# -- 4 -----------------------------------------------------------------------------------


def test_destroy_leaves_nothing_behind(applied: AliTerraform) -> None:
    sdk = Sdk(applied.cloud)
    assert sdk.interface_count() == 2 and len(sdk.vpcs()) == 2

    result = applied.destroy().check()
    assert "Destroy complete! Resources: 6 destroyed." in result.stdout

    assert sdk.interface_count() == 0
    assert sdk.interfaces() == []
    assert sdk.vpcs() == []
    assert applied.resources() == {}


# -- 9 -----------------------------------------------------------------------------------


def test_drift_deactivated_pair_is_planned_and_repaired(applied: AliTerraform) -> None:
    sdk = Sdk(applied.cloud)
    initiator, acceptor = pair_ids(applied)
    sdk.deactivate(initiator)
    wait_for(
        lambda: statuses(sdk) == {initiator: "Inactive", acceptor: "Inactive"},
        "the pair to be Inactive",
    )

    result = applied.plan("-detailed-exitcode").check(2)
    assert planned_actions(result.stdout) == dict.fromkeys(CONNECTIONS, "will be created")
    assert "Plan: 2 to add, 0 to change, 0 to destroy." in result.stdout
    # Planning (which refreshes) repaired nothing: Read has no side effects.
    assert statuses(sdk) == {initiator: "Inactive", acceptor: "Inactive"}

    result = applied.apply().check()
    assert "Apply complete! Resources: 2 added, 0 changed, 0 destroyed." in result.stdout
    assert statuses(sdk) == {initiator: "Active", acceptor: "Active"}
    assert_connected_pair(sdk.interface(initiator), sdk.interface(acceptor))
    applied.plan("-detailed-exitcode").check(0)


# -- 11 ----------------------------------------------------------------------------------

DATA_SOURCES = """
data "alicloud_router_interfaces" "all_filters" {
  status        = "Active"
  router_id     = alicloud_vpc.foo.router_id
  role          = "InitiatingSide"
  specification = "Large.2"
  name_regex    = "^alicloudRouterInterfaceConnectionBasic$"
  ids           = [alicloud_router_interface.initiate.id]
}

data "alicloud_router_interfaces" "by_status" {
  status     = "Active"
  depends_on = [alicloud_router_interface_connection.foo]
}

data "alicloud_router_interfaces" "inactive" {
  status     = "Inactive"
  depends_on = [alicloud_router_interface_connection.foo]
}

data "alicloud_router_interfaces" "by_router" {
  router_id = alicloud_vpc.bar.router_id
}

data "alicloud_router_interfaces" "by_role" {
  role       = "AcceptingSide"
  depends_on = [alicloud_router_interface_connection.foo]
}

data "alicloud_router_interfaces" "by_specification" {
  specification = "Large.2"
  depends_on    = [alicloud_router_interface_connection.foo]
}

data "alicloud_router_interfaces" "by_name" {
  # Go's syntax, as the official provider reads it: \\z is not Python's.
  name_regex = "(?i)-OPPOSITE\\\\z"
  depends_on = [alicloud_router_interface_connection.foo]
}

data "alicloud_router_interfaces" "by_ids" {
  ids = [alicloud_router_interface.opposite.id]
}

output "all_filters" {
  value = data.alicloud_router_interfaces.all_filters
}

output "ids" {
  value = {
    by_status        = data.alicloud_router_interfaces.by_status.ids
    inactive         = data.alicloud_router_interfaces.inactive.ids
    by_router        = data.alicloud_router_interfaces.by_router.ids
    by_role          = data.alicloud_router_interfaces.by_role.ids
    by_specification = data.alicloud_router_interfaces.by_specification.ids
    by_name          = data.alicloud_router_interfaces.by_name.ids
    by_ids           = data.alicloud_router_interfaces.by_ids.ids
  }
}
"""


def test_data_source_router_interfaces(applied: AliTerraform) -> None:
    initiator, acceptor = pair_ids(applied)
    sdk = Sdk(applied.cloud)
    live = sdk.interface(initiator)
    foo = sdk.vpc_by_cidr("172.16.0.0/12")
    applied.write(DATA_SOURCES, "data.tf")

    result = applied.apply().check()
    assert "Resources: 0 added, 0 changed, 0 destroyed." in result.stdout
    outputs = applied.output()

    found = outputs["all_filters"]
    assert found["ids"] == [initiator]
    # The official provider's id: dataResourceIdHash, the CRC-32 of each id and "-".
    assert found["id"] == str(zlib.crc32(f"{initiator}-".encode()))
    assert found["names"] == [SEED_NAME]
    (item,) = found["interfaces"]
    assert item["id"] == initiator
    assert item["status"] == "Active"
    assert item["role"] == "InitiatingSide"
    assert item["specification"] == "Large.2"
    assert item["router_id"] == foo["VRouterId"]
    assert item["router_type"] == "VRouter"
    assert item["vpc_id"] == foo["VpcId"]
    assert item["name"] == item["description"] == SEED_NAME
    assert item["opposite_interface_id"] == acceptor
    assert item["opposite_router_id"] == live["OppositeRouterId"]
    assert item["opposite_region_id"] == REGION
    assert item["opposite_interface_owner_id"] == str(live["OppositeInterfaceOwnerId"])
    assert item["access_point_id"] == ""

    ids = outputs["ids"]
    assert sorted(ids.pop("by_status")) == sorted([initiator, acceptor])
    assert ids == {
        "inactive": [],
        "by_router": [acceptor],
        "by_role": [acceptor],
        "by_specification": [initiator],
        "by_name": [acceptor],
        "by_ids": [acceptor],
    }
    applied.plan("-detailed-exitcode").check(0)
