"""Our provider behaves as the official one (aliyun/alicloud v1.285.0) where issue 11 found
it did not: validation of computed-only arguments, the state after apply, suppressed diffs,
defaults and the express interface's import and health-check IP rule.

The real terraform binary drives our provider against a live riconnect cloud; what was
built is checked through the official SDK.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from riconnect.api.actions import ACTIONS
from riconnect.domain.accounts import DEMO_PHYSICAL_CONNECTION_ID
from riconnect.testing import DEMO_ACCOUNT_ID, LiveCloud
from tests.terraform.alicloud.helpers import (
    AliTerraform,
    Sdk,
    initialized_work,
    live_cloud,
)
from tests.terraform.helpers import assert_no_traceback, requires_terraform

pytestmark = [pytest.mark.terraform, requires_terraform]


@pytest.fixture(scope="module")
def cloud(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveCloud]:
    with live_cloud(tmp_path_factory.mktemp("parity-cloud")) as c:
        yield c


@pytest.fixture
def tf(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, cloud: LiveCloud) -> AliTerraform:
    return initialized_work(tmp_path / "work", tmp_path_factory, cloud)


def no_changes(tf: AliTerraform) -> None:
    result = tf.plan("-detailed-exitcode")
    assert result.returncode == 0, result.output


def one_line(text: str) -> str:
    return " ".join(text.split())


PAIR = """
provider "alicloud" {
  region = "cn-hangzhou"
}

resource "alicloud_vpc" "a" {
  cidr_block = "172.16.0.0/12"
}

resource "alicloud_vpc" "b" {
  cidr_block = "192.168.0.0/16"
}
"""


# -- item 1: a computed-only argument is refused at validation -------------------------------


def test_computed_only_argument_is_rejected_at_validation(tf: AliTerraform) -> None:
    tf.write(
        PAIR
        + """
resource "alicloud_router_interface" "x" {
  opposite_region = "cn-hangzhou"
  router_type     = "VRouter"
  router_id       = alicloud_vpc.a.router_id
  role            = "InitiatingSide"
  specification   = "Large.2"
  access_point_id = "ap-cn-hangzhou-jg-B"
}
"""
    )
    result = tf.run("validate", "-no-color")
    assert result.returncode == 1, result.output
    assert_no_traceback(result)
    err = one_line(result.stderr)
    # The Go plugin SDK's text, and not Terraform's "bug in the provider".
    assert 'Error: "access_point_id": this field cannot be set' in err
    assert "bug in the provider" not in err
    assert "Provider produced invalid plan" not in err


# -- item 4: the connection's opposite_router_type defaults to VRouter ---------------------


def test_connection_defaults_opposite_router_type_to_vrouter(tf: AliTerraform) -> None:
    tf.write(
        PAIR
        + f"""
resource "alicloud_router_interface" "init" {{
  opposite_region = "cn-hangzhou"
  router_type     = "VRouter"
  router_id       = alicloud_vpc.a.router_id
  role            = "InitiatingSide"
  specification   = "Large.2"
}}

resource "alicloud_router_interface" "acc" {{
  opposite_region = "cn-hangzhou"
  router_type     = "VRouter"
  router_id       = alicloud_vpc.b.router_id
  role            = "AcceptingSide"
}}

resource "alicloud_router_interface_connection" "acc" {{
  interface_id                = alicloud_router_interface.acc.id
  opposite_interface_id       = alicloud_router_interface.init.id
  opposite_interface_owner_id = "{DEMO_ACCOUNT_ID}"
  opposite_router_id          = alicloud_vpc.a.router_id
}}

resource "alicloud_router_interface_connection" "init" {{
  depends_on                  = [alicloud_router_interface_connection.acc]
  interface_id                = alicloud_router_interface.init.id
  opposite_interface_id       = alicloud_router_interface.acc.id
  opposite_interface_owner_id = "{DEMO_ACCOUNT_ID}"
  opposite_router_id          = alicloud_vpc.b.router_id
}}
"""
    )
    tf.apply().check()
    state = tf.state_objects()
    assert state["alicloud_router_interface_connection.acc"]["opposite_router_type"] == "VRouter"
    acceptor = Sdk(tf.cloud).interface(state["alicloud_router_interface.acc"]["id"])
    assert acceptor["Status"] == "Active"
    assert acceptor["OppositeRouterType"] == "VRouter"
    no_changes(tf)
    tf.destroy().check()


# -- item 5: acceptor and VRouter suppressions --------------------------------------------------


def test_acceptor_and_vrouter_diffs_are_suppressed(tf: AliTerraform) -> None:
    def config(spec: str, source_ip: str) -> str:
        return (
            PAIR
            + f"""
resource "alicloud_router_interface" "acc" {{
  opposite_region        = "cn-hangzhou"
  router_type            = "VRouter"
  router_id              = alicloud_vpc.b.router_id
  role                   = "AcceptingSide"
  specification          = "{spec}"
  health_check_source_ip = "{source_ip}"
}}

resource "alicloud_router_interface" "init" {{
  opposite_region        = "cn-hangzhou"
  router_type            = "VRouter"
  router_id              = alicloud_vpc.a.router_id
  role                   = "InitiatingSide"
  specification          = "Large.2"
  health_check_source_ip = "{source_ip}"
  health_check_target_ip = "10.0.0.2"
}}
"""
        )

    # Half-set health-check IPs are accepted on a VRouter (the official provider ignores them).
    tf.write(config("Large.1", "10.0.0.1"))
    tf.apply().check()
    state = tf.state_objects()
    sdk = Sdk(tf.cloud)
    acc = state["alicloud_router_interface.acc"]
    # The state is what the cloud says: an acceptor is a Negative VRouter.
    assert acc["specification"] == "Negative"
    for name in ("acc", "init"):
        live = sdk.interface(state[f"alicloud_router_interface.{name}"]["id"])
        assert live["HealthCheckSourceIp"] == "", "a VRouter's health-check IPs are never sent"
        assert live["HealthCheckTargetIp"] == ""
    no_changes(tf)
    # Changing what is suppressed plans nothing.
    tf.write(config("Large.2", "10.0.0.9"))
    no_changes(tf)
    tf.destroy().check()


# -- item 2: the state after apply is what the cloud says -----------------------------------


def test_vpc_resource_group_change_is_applied_and_read_back(tf: AliTerraform) -> None:
    def config(group: str) -> str:
        return f"""
provider "alicloud" {{
  region = "cn-hangzhou"
}}

resource "alicloud_vpc" "a" {{
  cidr_block        = "172.16.0.0/12"
  resource_group_id = {group}
}}
"""

    tf.write(config("null"))
    tf.apply().check()
    vpc_id = tf.state_objects()["alicloud_vpc.a"]["id"]
    tf.write(config('"rg-parity0001"'))
    tf.apply().check()
    live = next(v for v in Sdk(tf.cloud).vpcs() if v["VpcId"] == vpc_id)
    assert live["ResourceGroupId"] == "rg-parity0001"
    assert tf.state_objects()["alicloud_vpc.a"]["resource_group_id"] == "rg-parity0001"
    no_changes(tf)
    tf.destroy().check()


# -- item 6: alicloud_vpc's arguments, item 9: the CIDR block may shrink and switch --------


def _vpc_config(**args: str) -> str:
    body = "\n".join(f"  {k} = {v}" for k, v in args.items())
    return f"""
provider "alicloud" {{
  region = "cn-hangzhou"
}}

resource "alicloud_vpc" "v" {{
{body}
}}
"""


def test_vpc_arguments_in_place_and_import(tf: AliTerraform) -> None:
    sdk = Sdk(tf.cloud)
    tf.write(
        _vpc_config(
            vpc_name='"parity"',
            cidr_block='"172.16.0.0/12"',
            description='"first"',
            classic_link_enabled="true",
            enable_ipv6="true",
            ipv6_isp='"BGP"',
            secondary_cidr_blocks='["10.0.0.0/16"]',
            tags='{ env = "test" }',
        )
    )
    tf.apply().check()
    state = tf.state_objects()["alicloud_vpc.v"]
    live = sdk.call_vpc_attribute(state["id"])
    assert live["ClassicLinkEnabled"] is True
    assert live["SecondaryCidrBlocks"]["SecondaryCidrBlock"] == ["10.0.0.0/16"]
    assert state["classic_link_enabled"] is True
    assert state["ipv6_cidr_block"] == live["Ipv6CidrBlock"] != ""
    assert state["ipv6_cidr_blocks"] == [
        {"ipv6_cidr_block": live["Ipv6CidrBlock"], "ipv6_isp": "BGP"}
    ]
    assert state["ipv6_isp"] == "BGP"
    assert state["secondary_cidr_blocks"] == ["10.0.0.0/16"]
    assert state["route_table_id"] and state["system_route_table_name"] == ""
    no_changes(tf)

    # Shrink the block (item 9), turn ClassicLink and IPv6 off, add a secondary block and
    # move the VPC to another resource group, in place.
    tf.write(
        _vpc_config(
            vpc_name='"parity"',
            cidr_block='"172.16.0.0/16"',
            description='"second"',
            classic_link_enabled="false",
            enable_ipv6="false",
            secondary_cidr_blocks='["10.1.0.0/16", "10.0.0.0/16"]',
            resource_group_id='"rg-parity0002"',
            tags='{ env = "prod" }',
        )
    )
    plan = tf.plan("-no-color")
    assert "must be replaced" not in plan.stdout, plan.stdout
    tf.apply().check()
    state = tf.state_objects()["alicloud_vpc.v"]
    live = sdk.call_vpc_attribute(state["id"])
    assert (live["CidrBlock"], live["ClassicLinkEnabled"], live["Ipv6CidrBlock"]) == (
        "172.16.0.0/16",
        False,
        "",
    )
    assert sorted(live["SecondaryCidrBlocks"]["SecondaryCidrBlock"]) == [
        "10.0.0.0/16",
        "10.1.0.0/16",
    ]
    assert live["ResourceGroupId"] == "rg-parity0002"
    assert (state["ipv6_cidr_block"], state["ipv6_cidr_blocks"]) == ("", [])
    assert state["description"] == live["Description"] == "second"
    no_changes(tf)

    # Switch to another range and back out a secondary block; the same blocks in another
    # order plan nothing (the official suppression).
    tf.write(
        _vpc_config(
            vpc_name='"parity"',
            cidr_block='"192.168.0.0/16"',
            description='"second"',
            secondary_cidr_blocks='["10.1.0.0/16"]',
            resource_group_id='"rg-parity0002"',
            tags='{ env = "prod" }',
        )
    )
    tf.apply().check()
    live = sdk.call_vpc_attribute(state["id"])
    assert live["CidrBlock"] == "192.168.0.0/16"
    assert live["SecondaryCidrBlocks"]["SecondaryCidrBlock"] == ["10.1.0.0/16"]
    no_changes(tf)

    # Import reads every argument back: no change and no replacement afterwards.
    tf.state_rm("alicloud_vpc.v").check()
    tf.import_("alicloud_vpc.v", state["id"]).check()
    no_changes(tf)
    tf.destroy().check()
    assert [v for v in sdk.vpcs() if v["VpcId"] == state["id"]] == []


def test_default_vpc(tf: AliTerraform) -> None:
    tf.write(_vpc_config(is_default="true"))
    tf.apply().check()
    state = tf.state_objects()["alicloud_vpc.v"]
    assert (state["is_default"], state["cidr_block"]) == (True, "172.16.0.0/12")
    live = Sdk(tf.cloud).call_vpc_attribute(state["id"])
    assert live["IsDefault"] is True
    no_changes(tf)
    tf.destroy().check()


# -- items 3 and 7: the express interface's import, health-check IPs, tags and refund -------


def _express(**args: str) -> str:
    body = "\n".join(f"  {k} = {v}" for k, v in args.items())
    return f"""
provider "alicloud" {{
  region = "cn-hangzhou"
}}

resource "alicloud_vpc" "office" {{
  cidr_block = "10.0.0.0/8"
}}

resource "alicloud_express_connect_virtual_border_router" "dc" {{
  physical_connection_id = "{DEMO_PHYSICAL_CONNECTION_ID}"
  vlan_id                = 101
  local_gateway_ip       = "10.254.0.1"
  peer_gateway_ip        = "10.254.0.2"
  peering_subnet_mask    = "255.255.255.252"
}}

resource "alicloud_express_connect_router_interface" "x" {{
  router_type                 = "VBR"
  router_id                   = alicloud_express_connect_virtual_border_router.dc.id
  access_point_id             = "ap-cn-hangzhou-jg-B"
  role                        = "InitiatingSide"
  spec                        = "Mini.2"
  opposite_region_id          = "cn-hangzhou"
  opposite_router_type        = "VRouter"
  opposite_router_id          = alicloud_vpc.office.router_id
  opposite_interface_owner_id = "{DEMO_ACCOUNT_ID}"
  fast_link_mode              = false
  payment_type                = "Subscription"
  period                      = 1
  pricing_cycle               = "Month"
  health_check_source_ip      = "10.254.0.1"
  health_check_target_ip      = "10.254.0.2"
{body}
}}
"""


def test_express_import_health_check_tags_and_refund(tf: AliTerraform) -> None:
    sdk = Sdk(tf.cloud)
    tf.write(_express(tags='{ env = "test" }'))
    tf.apply().check()
    ri_id = tf.state_objects()["alicloud_express_connect_router_interface.x"]["id"]
    assert sdk.interface(ri_id)["ChargeType"] == "Prepaid"

    # Item 3: import records fast_link_mode (false), so nothing is replaced afterwards.
    tf.state_rm("alicloud_express_connect_router_interface.x").check()
    tf.import_("alicloud_express_connect_router_interface.x", ri_id).check()
    assert (
        tf.state_objects()["alicloud_express_connect_router_interface.x"]["fast_link_mode"] is False
    )
    plan = tf.plan("-no-color")
    assert "0 to add" in plan.stdout and "0 to destroy" in plan.stdout, plan.stdout
    tf.apply().check()  # period and pricing_cycle are never read back: recorded again
    no_changes(tf)

    # Item 3: delete_health_check_ip alone is not sent (it would delete both IPs).
    tf.write(_express(tags='{ env = "test" }', delete_health_check_ip="true"))
    tf.apply().check()
    live = sdk.interface(ri_id)
    assert (live["HealthCheckSourceIp"], live["HealthCheckTargetIp"]) == (
        "10.254.0.1",
        "10.254.0.2",
    )
    no_changes(tf)

    # Item 7: tags and the resource group change in place, and the state is the cloud's.
    tf.write(
        _express(
            tags='{ env = "prod", team = "net" }',
            resource_group_id='"rg-parity0003"',
            delete_health_check_ip="true",
        )
    )
    tf.apply().check()
    live = sdk.interface(ri_id)
    assert live["ResourceGroupId"] == "rg-parity0003"
    assert {t["Key"]: t["Value"] for t in live["Tags"]["Tags"]} == {"env": "prod", "team": "net"}
    no_changes(tf)

    # Item 7: a subscription is released through BssOpenApi RefundInstance.
    tf.destroy().check()
    assert ri_id not in {i["RouterInterfaceId"] for i in sdk.interfaces()}


@pytest.mark.skipif(
    ("2016-04-28", "ModifyRouteTableAttributes") not in ACTIONS,
    reason="the cloud serves ModifyRouteTableAttributes once the route-table work (issue 13) "
    "is merged",
)
def test_vpc_system_route_table_arguments(tf: AliTerraform) -> None:
    # Item 6: the system route table's name, description and route propagation
    # (ModifyRouteTableAttributes), set on create and changed in place.
    tf.write(
        _vpc_config(
            cidr_block='"172.16.0.0/12"',
            system_route_table_name='"main"',
            system_route_table_description='"the system table"',
            system_route_table_route_propagation_enable="false",
        )
    )
    tf.apply().check()
    state = tf.state_objects()["alicloud_vpc.v"]
    assert (
        state["system_route_table_name"],
        state["system_route_table_description"],
        state["system_route_table_route_propagation_enable"],
    ) == ("main", "the system table", False)
    no_changes(tf)
    tf.write(
        _vpc_config(
            cidr_block='"172.16.0.0/12"',
            system_route_table_name='"renamed"',
            system_route_table_route_propagation_enable="true",
        )
    )
    tf.apply().check()
    state = tf.state_objects()["alicloud_vpc.v"]
    assert state["system_route_table_name"] == "renamed"
    assert state["system_route_table_route_propagation_enable"] is True
    tf.destroy().check()
