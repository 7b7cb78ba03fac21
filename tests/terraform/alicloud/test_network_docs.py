"""The official documentation's examples for ``alicloud_vswitch`` and the data sources
``alicloud_regions``, ``alicloud_account``, ``alicloud_zones``, ``alicloud_vpcs``,
``alicloud_vswitches`` (verbatim, as far as issue 13's scope reaches), and
``alicloud_route_entry`` / ``alicloud_route_tables`` / ``alicloud_route_entries`` in their
in-scope form (a router interface as the next hop, the system table), under the real
Terraform: apply, a clean second plan, updates, import by id, destroy.  What was built is
checked through the official SDK."""

from __future__ import annotations

from pathlib import Path

import pytest

from riconnect.testing import DEMO_ACCOUNT_ID, LiveCloud
from tests.terraform.alicloud.helpers import (
    EXAMPLES,
    REGION,
    AliTerraform,
    Sdk,
    live_cloud,
    planned_actions,
    shared_initialized,
    shared_install,
)
from tests.terraform.helpers import Terraform, requires_terraform

pytestmark = [pytest.mark.terraform, requires_terraform]

PROVIDER = 'provider "alicloud" {\n  region = "cn-hangzhou"\n}\n'

# website/docs/r/vswitch.html.markdown, example 1 ("Basic Usage"), verbatim.
VSWITCH_DOC = """
data "alicloud_zones" "foo" {
  available_resource_creation = "VSwitch"
}

resource "alicloud_vpc" "foo" {
  vpc_name   = "terraform-example"
  cidr_block = "172.16.0.0/12"
}

resource "alicloud_vswitch" "foo" {
  vswitch_name = "terraform-example"
  cidr_block   = "172.16.0.0/21"
  vpc_id       = alicloud_vpc.foo.id
  zone_id      = data.alicloud_zones.foo.zones.0.id
}
"""

# website/docs/d/regions.html.markdown, account, zones, vswitches, vpcs: verbatim.
DATA_DOCS = """
data "alicloud_regions" "current_region_ds" {
  current = true
}

output "current_region_id" {
  value = "${data.alicloud_regions.current_region_ds.regions.0.id}"
}

data "alicloud_account" "current" {
}

output "current_account_id" {
  value = "${data.alicloud_account.current.id}"
}

# Declare the data source
data "alicloud_zones" "zones_ds" {
  available_instance_type = "ecs.n4.large"
  available_disk_category = "cloud_ssd"
}

variable "name" {
  default = "vswitchDatasourceName"
}
data "alicloud_zones" "default" {}

resource "alicloud_vpc" "vpc" {
  cidr_block = "172.16.0.0/16"
  vpc_name   = "${var.name}"
}

resource "alicloud_vswitch" "vswitch" {
  vswitch_name      = "${var.name}"
  cidr_block        = "172.16.0.0/24"
  vpc_id            = "${alicloud_vpc.vpc.id}"
  availability_zone = "${data.alicloud_zones.default.zones.0.id}"
}

data "alicloud_vswitches" "default" {
  name_regex = "${alicloud_vswitch.vswitch.vswitch_name}"
}

data "alicloud_vpcs" "vpcs_ds" {
  cidr_block = "172.16.0.0/12"
  status     = "Available"
  name_regex = "^foo"
}

output "first_vpc_id" {
  value = "${data.alicloud_vpcs.vpcs_ds.vpcs.0.id}"
}
"""

# The VPC the alicloud_vpcs example looks for ("^foo", 172.16.0.0/12), made first.
FOO_VPC = """
resource "alicloud_vpc" "named_foo" {
  vpc_name   = "foo-network"
  cidr_block = "172.16.0.0/12"
}
"""

OUTPUTS = """
output "vswitches" {
  value = data.alicloud_vswitches.default.vswitches
}

output "zones" {
  value = data.alicloud_zones.zones_ds.ids
}

output "vpcs" {
  value = data.alicloud_vpcs.vpcs_ds.vpcs
}
"""


def workdir(
    tmp_path: Path, factory: pytest.TempPathFactory, cloud: LiveCloud, body: str
) -> AliTerraform:
    tf = AliTerraform(tmp_path / "work", shared_install(factory)["cli_config"], cloud)
    tf.copy_init_from(shared_initialized(factory))
    tf.write(PROVIDER + body)
    return tf


def test_vswitch_and_data_source_docs(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    with live_cloud(tmp_path / "cloud") as cloud:
        tf = workdir(tmp_path, tmp_path_factory, cloud, FOO_VPC)
        tf.apply().check()
        tf.write(PROVIDER + FOO_VPC + VSWITCH_DOC + DATA_DOCS + OUTPUTS)
        result = tf.apply().check()
        assert "Apply complete! Resources: 4 added, 0 changed, 0 destroyed." in result.stdout
        out = tf.output()
        assert out["current_region_id"] == REGION
        assert out["current_account_id"] == DEMO_ACCOUNT_ID
        assert out["zones"] == [f"cn-hangzhou-{x}" for x in "befghijk"]
        sdk = Sdk(cloud)
        (named,) = [v for v in sdk.vpcs() if v["VpcName"] == "foo-network"]
        assert out["first_vpc_id"] == named["VpcId"]
        (found,) = out["vpcs"]
        assert (found["vpc_name"], found["cidr_block"], found["status"]) == (
            "foo-network",
            "172.16.0.0/12",
            "Available",
        )
        assert found["route_table_id"].startswith("vtb-") and found["vswitch_ids"] == []

        state = tf.resources()
        vsw = state["alicloud_vswitch.foo"]
        assert (vsw["cidr_block"], vsw["zone_id"], vsw["status"]) == (
            "172.16.0.0/21",
            "cn-hangzhou-b",
            "Available",
        )
        assert vsw["availability_zone"] == "cn-hangzhou-b" and vsw["name"] == "terraform-example"
        (listed,) = out["vswitches"]
        assert listed["id"] == state["alicloud_vswitch.vswitch"]["id"]
        assert listed["route_table_id"] == state["alicloud_vpc.vpc"]["route_table_id"]
        assert listed["available_ip_address_count"] == 252

        tf.plan("-detailed-exitcode").check(0)

        # Update in place: name, description, tags (the acceptance test's steps).
        updated = (PROVIDER + FOO_VPC + VSWITCH_DOC + DATA_DOCS + OUTPUTS).replace(
            '  vswitch_name = "terraform-example"\n',
            '  vswitch_name = "renamed"\n  description  = "web tier"\n'
            '  tags         = { Environment = "test" }\n',
        )
        tf.write(updated)
        plan = tf.plan().check()
        assert planned_actions(plan.stdout)["alicloud_vswitch.foo"] == "will be updated in-place"
        tf.apply().check()
        from alibabacloud_vpc20160428 import models

        attrs = sdk.call(
            "describe_vswitch_attributes",
            models.DescribeVSwitchAttributesRequest(region_id=REGION, v_switch_id=vsw["id"]),
        )
        assert (attrs["VSwitchName"], attrs["Description"]) == ("renamed", "web tier")
        assert attrs["Tags"]["Tag"] == [{"Key": "Environment", "Value": "test"}]
        tf.plan("-detailed-exitcode").check(0)

        # Import by id: the same state, and no diff afterwards.
        before = tf.resource("alicloud_vswitch.foo")
        tf.state_rm("alicloud_vswitch.foo").check()
        tf.import_("alicloud_vswitch.foo", vsw["id"]).check()
        after = tf.resource("alicloud_vswitch.foo")
        for key in ("cidr_block", "vpc_id", "zone_id", "vswitch_name", "description", "tags"):
            assert after[key] == before[key], key
        tf.plan("-detailed-exitcode").check(0)

        result = tf.destroy().check()
        assert "Destroy complete! Resources: 5 destroyed." in result.stdout
        assert sdk.vpcs() == []


ROUTE_DOCS = """
data "alicloud_route_tables" "system" {
  vpc_id           = alicloud_vpc.a.id
  route_table_type = "System"
  depends_on       = [alicloud_vswitch.a]
}

data "alicloud_route_entries" "custom" {
  route_table_id = alicloud_route_entry.a_to_b.route_table_id
  type           = "Custom"
}

data "alicloud_route_entries" "all" {
  route_table_id = alicloud_route_entry.a_to_b.route_table_id
}

output "tables" {
  value = data.alicloud_route_tables.system.tables
}

output "custom" {
  value = data.alicloud_route_entries.custom.entries
}

output "all" {
  value = data.alicloud_route_entries.all.entries
}
"""


def test_route_entry_import_and_route_data_sources(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    with live_cloud(tmp_path / "cloud") as cloud:
        body = (EXAMPLES / "connected-vpcs" / "main.tf").read_text()
        tf = workdir(tmp_path, tmp_path_factory, cloud, "")
        tf.write(body + ROUTE_DOCS)
        tf.apply().check()
        out = tf.output()
        state = tf.resources()
        (table,) = out["tables"]
        assert table["id"] == state["alicloud_vpc.a"]["route_table_id"]
        assert (table["route_table_type"], table["vpc_id"]) == (
            "System",
            state["alicloud_vpc.a"]["id"],
        )
        assert table["vswitch_ids"] == [out["vswitch_a"]]
        ri_a = state["alicloud_router_interface.a"]["id"]
        assert out["custom"] == [
            {
                "type": "Custom",
                "next_hop_type": "RouterInterface",
                "status": "Available",
                "instance_id": ri_a,
                "route_table_id": table["id"],
                "cidr_block": "192.168.0.0/16",
            }
        ]
        assert {(e["cidr_block"], e["next_hop_type"]) for e in out["all"]} == {
            ("172.16.1.0/24", "local"),
            ("100.64.0.0/10", "service"),
            ("192.168.0.0/16", "RouterInterface"),
        }
        entry = state["alicloud_route_entry.a_to_b"]
        assert entry["router_id"] == state["alicloud_vpc.a"]["router_id"]
        tf.plan("-detailed-exitcode").check(0)

        tf.state_rm("alicloud_route_entry.a_to_b").check()
        tf.import_("alicloud_route_entry.a_to_b", entry["id"]).check()
        imported = tf.resource("alicloud_route_entry.a_to_b")
        for key in (
            "route_table_id",
            "destination_cidrblock",
            "nexthop_type",
            "nexthop_id",
            "name",
        ):
            assert imported[key] == entry[key], key
        tf.plan("-detailed-exitcode").check(0)

        # A malformed import id is refused with the expected format.
        other = tf.resource("alicloud_route_entry.b_to_a")["id"]
        tf.state_rm("alicloud_route_entry.b_to_a").check()
        bad = tf.import_("alicloud_route_entry.b_to_a", "vtb-x:192.168.0.0/16")
        assert bad.returncode != 0
        assert "route_table_id:router_id:destination_cidrblock:nexthop_type:nexthop_id" in (
            bad.stdout + bad.stderr
        )
        tf.import_("alicloud_route_entry.b_to_a", other).check()
        tf.plan("-detailed-exitcode").check(0)

        tf.destroy().check()
        assert Sdk(cloud).vpcs() == []


def test_the_provider_schema_lists_the_new_types(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    tf = Terraform(tmp_path / "schema", shared_install(tmp_path_factory)["cli_config"])
    tf.copy_init_from(shared_initialized(tmp_path_factory))
    tf.write(PROVIDER)
    schema = tf.run("providers", "schema", "-json").check()
    for name in (
        "alicloud_vswitch",
        "alicloud_route_entry",
        "alicloud_regions",
        "alicloud_zones",
        "alicloud_account",
        "alicloud_vpcs",
        "alicloud_vswitches",
        "alicloud_route_tables",
        "alicloud_route_entries",
    ):
        assert f'"{name}"' in schema.stdout, name
