"""The data sources of issue 11 item 8 with riconnect's provider alone (Terraform 1.0.3):
alicloud_account, alicloud_regions, alicloud_vpcs, alicloud_resource_manager_resource_groups
and alicloud_express_connect_physical_connections, reading what the cloud holds, and the
official provider's messages for a region that cannot be found.  Their parity with the
official provider, argument by argument, is tests/terraform/differential."""

from __future__ import annotations

from pathlib import Path

import pytest

from riconnect.domain import ids
from riconnect.domain.accounts import DEMO_ACCOUNT_ID, DEMO_PHYSICAL_CONNECTION_ID
from tests.terraform.alicloud.helpers import (
    AliTerraform,
    live_cloud,
    shared_initialized,
    shared_install,
)
from tests.terraform.helpers import requires_terraform

pytestmark = [pytest.mark.terraform, requires_terraform]

CONFIG = """
provider "alicloud" {
  region = "cn-hangzhou"
}

resource "alicloud_vpc" "one" {
  vpc_name   = "data-one"
  cidr_block = "10.0.0.0/8"
}

resource "alicloud_vpc" "two" {
  vpc_name   = "data-two"
  cidr_block = "192.168.0.0/16"
  depends_on = [alicloud_vpc.one]
}

data "alicloud_account" "me" {}

data "alicloud_regions" "current" {
  current = true
}

data "alicloud_regions" "all" {}

data "alicloud_vpcs" "named" {
  name_regex = "^data-"
  depends_on = [alicloud_vpc.one, alicloud_vpc.two]
}

data "alicloud_vpcs" "by_cidr" {
  cidr_block     = "192.168.0.0/16"
  enable_details = false
  depends_on     = [alicloud_vpc.one, alicloud_vpc.two]
}

data "alicloud_resource_manager_resource_groups" "default" {
  name_regex     = "default"
  enable_details = true
}

data "alicloud_express_connect_physical_connections" "enabled" {
  status = "Enabled"
}

output "account" { value = data.alicloud_account.me.id }
output "current" { value = data.alicloud_regions.current.ids }
output "all" { value = length(data.alicloud_regions.all.ids) }
output "named" { value = data.alicloud_vpcs.named.names }
output "named_tables" { value = data.alicloud_vpcs.named.vpcs[*].route_table_id }
output "by_cidr" { value = data.alicloud_vpcs.by_cidr.vpcs }
output "groups" { value = data.alicloud_resource_manager_resource_groups.default.groups }
output "vpc_group" { value = alicloud_vpc.one.resource_group_id }
output "connections" { value = data.alicloud_express_connect_physical_connections.enabled.connections }
"""


def _workdir(tmp_path: Path, factory: pytest.TempPathFactory, cloud: object) -> AliTerraform:
    tf = AliTerraform(tmp_path / "tf", shared_install(factory)["cli_config"], cloud)  # type: ignore[arg-type]
    tf.copy_init_from(shared_initialized(factory))
    return tf


def test_data_sources_read_the_cloud(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    with live_cloud(tmp_path / "cloud") as cloud:
        tf = _workdir(tmp_path, tmp_path_factory, cloud)
        tf.write(CONFIG)
        tf.apply().check()
        out = tf.output()
        assert out["account"] == DEMO_ACCOUNT_ID
        assert out["current"] == ["cn-hangzhou"]
        assert out["all"] > 10
        assert out["named"] == ["data-one", "data-two"]
        assert all(t.startswith("vtb-") for t in out["named_tables"])
        (by_cidr,) = out["by_cidr"]
        assert (by_cidr["vpc_name"], by_cidr["route_table_id"]) == ("data-two", "")
        (group,) = out["groups"]
        assert group["id"] == out["vpc_group"] == ids.default_resource_group(DEMO_ACCOUNT_ID)
        assert (group["name"], group["status"], group["account_id"]) == (
            "default",
            "OK",
            DEMO_ACCOUNT_ID,
        )
        assert {s["status"] for s in group["region_statuses"]} == {"OK"}
        (pc,) = out["connections"]
        assert (pc["id"], pc["status"], pc["type"]) == (
            DEMO_PHYSICAL_CONNECTION_ID,
            "Enabled",
            "VPC",
        )
        tf.plan("-detailed-exitcode").check(0)
        tf.destroy().check()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            'name = "cn-shanghai"\n  current = true',
            'name doesn\'t match current region: "cn-hangzhou"',
        ),
        ('name = "xx-nowhere-1"', "Your query region returned no results."),
    ],
)
def test_regions_errors(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, arguments: str, message: str
) -> None:
    with live_cloud(tmp_path / "cloud") as cloud:
        tf = _workdir(tmp_path, tmp_path_factory, cloud)
        tf.write(
            f'provider "alicloud" {{\n  region = "cn-hangzhou"\n}}\n\ndata "alicloud_regions" "r" {{\n  {arguments}\n}}\n'
        )
        result = tf.plan()
        assert result.returncode == 1
        assert message in result.output
