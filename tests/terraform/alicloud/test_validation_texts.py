"""Validation texts: ``terraform validate -json`` gives with our provider the diagnostics the
official provider (aliyun/alicloud v1.285.0, Go plugin SDK v1.17.2) gives for the same
configuration: the same severities and summaries, no detail, and each one on its resource's
block (SDK v1 sends no attribute path).

``OFFICIAL`` was recorded from the official provider's binary on this configuration
(tests/terraform/differential/ compares the two providers live, one argument at a time).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from riconnect.testing import LiveCloud
from tests.terraform.alicloud.helpers import (
    AliTerraform,
    initialized_work,
    live_cloud,
)
from tests.terraform.helpers import requires_terraform

pytestmark = [pytest.mark.terraform, requires_terraform]

NOTE = (
    " \n[NOTE] set env variable TF_SKIP_RESOURCE_SCHEMA_VALIDATION to true can skip the error "
    "and get a warning"
)

CONFIG = r"""
resource "alicloud_vpc" "a" {
  dns_hostname_status = "bad"
  name = "x"
  vpc_name = "y"
}
resource "alicloud_express_connect_router_interface" "b" {
  opposite_region_id = "cn-hangzhou"
  router_type = "VRouter"
  router_id = "vrt-1"
  role = "InitiatingSide"
  spec = "Huge"
  period = 1.5
  pricing_cycle = "Week"
  hc_rate = 2.5
}
resource "alicloud_router_interface" "c" {
  opposite_region = "cn-hangzhou"
  router_type = "VRX"
  router_id = "vrt-1"
  role = "InitiatingSide"
  specification = "Large.2"
  name = "x"
  description = "y"
  period = 10
  opposite_access_point_id = "ap-1"
}
data "alicloud_vpcs" "d" {
  name_regex = "("
  status = "bad"
  page_size = 1.5
}
data "alicloud_router_interfaces" "e" {
  status = "bad"
}

variable "x" { type = string }
variable "n" { type = number }
resource "alicloud_vswitch" "a2" {
  name = "x"
  vswitch_name = "y"
  zone_id = "z"
  availability_zone = "z2"
  description = ""
  ipv6_cidr_block_mask = 1.5
}
resource "alicloud_vswitch" "b" {
  vpc_id = "vpc-1"
  cidr_block = "10.0.0.0/24"
}
resource "alicloud_vswitch" "c" {
  vpc_id = "vpc-1"
  cidr_block = "10.0.0.0/24"
  zone_id = var.x
  name = var.x
  vswitch_name = "q"
}
resource "alicloud_route_entry" "d" {
  route_table_id = "vtb-1"
  destination_cidrblock = "10.0.0.0/24"
  nexthop_type = "Instance"
  nexthop_id = "i-1"
  name = "x"
  router_id = "vrt-1"
}
data "alicloud_zones" "e" {
  available_instance_type = "xecs.g"
  available_resource_creation = "Bad"
  network_type = "bad"
}
data "alicloud_route_tables" "f" {
  route_table_type = "bad"
  router_type = "bad"
  status = "bad"
  name_regex = "a**"
  page_size = 2.5
}
resource "alicloud_express_connect_virtual_border_router" "g" {
  physical_connection_id = "pc-1"
  vlan_id = 1.5
  local_gateway_ip = "10.0.0.1"
  peer_gateway_ip = "10.0.0.2"
  peering_subnet_mask = "255.255.255.252"
  bandwidth = 2.5
  route_table_id = "x"
}
resource "alicloud_express_connect_router_interface" "h" {
  opposite_region_id = "cn-hangzhou"
  router_type = "VRouter"
  router_id = "vrt-1"
  role = "InitiatingSide"
  spec = "Mini.2"
  pricing_cycle = "Week"
  payment_type = "x"
  auto_pay = true
  status = var.x
  period = var.n
  vpc_instance_id = "v"
}
resource "alicloud_vpc" "i" {
  name = var.x
  vpc_name = "y"
  ipv4_cidr_mask = 1.5
  secondary_cidr_mask = 2.5
  router_table_id = "x"
}
data "alicloud_vswitches" "j" {
  name_regex = "\\q"
  vswitch_owner_id = 1.5
  status = "x"
}
resource "alicloud_router_interface_connection" "k" {
  interface_id = "ri-1"
  opposite_interface_id = "ri-2"
  opposite_router_type = "x"
}
"""

OFFICIAL: dict[str, list[tuple[str, str]]] = {
    "alicloud_express_connect_router_interface.b": [
        (
            "error",
            "expected spec to be one of [Mini.2 Mini.5 Small.1 Small.2 Small.5 Middle.1 Middle.2 Middle.5 Large.1 Large.2 Large.5 Xlarge.1 Negative], got Huge"
            + NOTE,
        ),
        ("error", "hc_rate: must be a whole number, got 2.5"),
        ("error", "period: must be a whole number, got 1.5"),
    ],
    "alicloud_express_connect_router_interface.h": [
        ("error", '"vpc_instance_id": this field cannot be set'),
        ("error", "expected payment_type to be one of [PayAsYouGo Subscription], got x" + NOTE),
        (
            "warning",
            "\"auto_pay\": [DEPRECATED] Field 'auto_pay' has been deprecated since provider version 1.263.0.",
        ),
    ],
    "alicloud_express_connect_virtual_border_router.g": [
        ("error", '"route_table_id": this field cannot be set'),
        ("error", "bandwidth: must be a whole number, got 2.5"),
        ("error", "vlan_id: must be a whole number, got 1.5"),
    ],
    "alicloud_route_entry.d": [
        ("error", '"router_id": this field cannot be set'),
        ("error", "expected length of name to be in the range (2 - 128), got x" + NOTE),
    ],
    "alicloud_router_interface.c": [
        ("error", "expected length of description to be in the range (2 - 256), got y"),
        ("error", "expected length of name to be in the range (2 - 128), got x"),
        ("error", "expected period to be in the range (1 - 9), got 10"),
        ("error", "expected period to be one of [12 24 36], got 10"),
        ("error", "expected router_type to be one of [VRouter VBR], got VRX"),
        (
            "warning",
            "\"opposite_access_point_id\": [DEPRECATED] Attribute 'opposite_access_point_id' has been deprecated from version 1.11.0.",
        ),
        (
            "warning",
            "This resource has been deprecated since v1.199.0 and will be removed in the future. Please use 'alicloud_express_connect_router_interface' instead.",
        ),
    ],
    "alicloud_router_interface_connection.k": [
        ("error", "expected opposite_router_type to be one of [VRouter VBR], got x"),
        (
            "warning",
            "This resource has been deprecated since v1.199.0 and will be removed in the future. Please use 'alicloud_express_connect_router_interface' instead.",
        ),
    ],
    "alicloud_vpc.a": [
        ("error", '"vpc_name": conflicts with name'),
        ("error", "expected dns_hostname_status to be one of [ENABLED DISABLED], got bad" + NOTE),
        (
            "warning",
            "\"name\": [DEPRECATED] Field 'name' has been deprecated since provider version 1.119.0. New field 'vpc_name' instead.",
        ),
    ],
    "alicloud_vpc.i": [
        ("error", '"router_table_id": this field cannot be set'),
        ("error", "ipv4_cidr_mask: must be a whole number, got 1.5"),
        ("error", "secondary_cidr_mask: must be a whole number, got 2.5"),
        (
            "warning",
            "\"name\": [DEPRECATED] Field 'name' has been deprecated since provider version 1.119.0. New field 'vpc_name' instead.",
        ),
        (
            "warning",
            "\"secondary_cidr_mask\": [DEPRECATED] Field 'secondary_cidr_mask' has been deprecated from provider version 1.248.0. Field 'secondary_cidr_blocks' has been deprecated from provider version 1.248.0 and it will be removed in the future version. Please use the new resource 'alicloud_vpc_ipv4_cidr_block'. `secondary_cidr_mask` attributes and `alicloud_vpc_ipv4_cidr_block` resource cannot be used at the same time.",
        ),
    ],
    "alicloud_vswitch.a2": [
        ("error", '"vswitch_name": conflicts with name'),
        (
            "error",
            '"zone_id": only one of `availability_zone,zone_id` can be specified, but `availability_zone,zone_id` were specified.',
        ),
        ("error", "ipv6_cidr_block_mask: must be a whole number, got 1.5"),
        (
            "warning",
            "\"availability_zone\": [DEPRECATED] Field 'availability_zone' has been deprecated from provider version 1.119.0. New field 'zone_id' instead.",
        ),
        (
            "warning",
            "\"name\": [DEPRECATED] Field 'name' has been deprecated from provider version 1.119.0. New field 'vswitch_name' instead.",
        ),
    ],
    "alicloud_vswitch.b": [
        ("error", '"zone_id": one of `availability_zone,zone_id` must be specified'),
    ],
    "alicloud_vswitch.c": [
        (
            "warning",
            "\"name\": [DEPRECATED] Field 'name' has been deprecated from provider version 1.119.0. New field 'vswitch_name' instead.",
        ),
    ],
    "data.alicloud_route_tables.f": [
        ("error", '"name_regex": error parsing regexp: invalid nested repetition operator: `**`'),
        ("error", "expected route_table_type to be one of [System Custom], got bad" + NOTE),
        ("error", "expected router_type to be one of [VRouter VBR], got bad"),
        ("error", "expected status to be one of [Available Pending], got bad"),
        ("error", "page_size: must be a whole number, got 2.5"),
    ],
    "data.alicloud_router_interfaces.e": [
        ("error", "expected status to be one of [Active Inactive Idle], got bad"),
        (
            "warning",
            "This data source has been deprecated since v1.199.0 and will be removed in the future. Please use 'alicloud_express_connect_router_interfaces' instead.",
        ),
    ],
    "data.alicloud_vpcs.d": [
        ("error", '"name_regex": error parsing regexp: missing closing ): `(`'),
        ("error", "expected status to be one of [Available Pending], got bad"),
        ("error", "page_size: must be a whole number, got 1.5"),
    ],
    "data.alicloud_vswitches.j": [
        ("error", '"name_regex": error parsing regexp: invalid escape sequence: `\\q`'),
        ("error", "expected status to be one of [Available Pending], got x"),
        ("error", "vswitch_owner_id: must be a whole number, got 1.5"),
    ],
    "data.alicloud_zones.e": [
        (
            "error",
            "expected available_resource_creation to be one of [Instance Rds PolarDB KVStore VSwitch Disk IoOptimized FunctionCompute Elasticsearch Slb MongoDB Gpdb HBase ADB], got Bad",
        ),
        ("error", "expected network_type to be one of [Vpc Classic], got bad"),
        ("error", "invalid value for available_instance_type (prefix must be 'ecs.')"),
    ],
}


@pytest.fixture(scope="module")
def cloud(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveCloud]:
    # validate never calls the cloud; the work dir's environment names one.
    with live_cloud(tmp_path_factory.mktemp("validation-cloud")) as c:
        yield c


@pytest.fixture
def tf(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, cloud: LiveCloud) -> AliTerraform:
    return initialized_work(tmp_path / "work", tmp_path_factory, cloud)


def validate(tf: AliTerraform, config: str) -> dict[str, list[tuple[str, str]]]:
    """The diagnostics on each block, by its address: (severity, summary)."""
    tf.write(config)
    result = tf.run("validate", "-json", "-no-color")
    lines = config.splitlines()
    found: dict[str, list[tuple[str, str]]] = {}
    for d in json.loads(result.stdout)["diagnostics"]:
        if d["summary"] == "Provider development overrides are in effect":
            continue
        assert d["detail"] == "", d
        # No attribute path: Terraform points at the block's first line, as for SDK v1.
        header = lines[d["range"]["start"]["line"] - 1]
        match = re.fullmatch(r'(resource|data) "(\w+)" "(\w+)" \{', header)
        assert match, (header, d["summary"])
        kind, type_name, name = match.groups()
        address = f"{'data.' if kind == 'data' else ''}{type_name}.{name}"
        found.setdefault(address, []).append((d["severity"], d["summary"]))
    return {address: sorted(items) for address, items in found.items()}


def test_diagnostics_are_the_official_providers(tf: AliTerraform) -> None:
    assert validate(tf, CONFIG) == OFFICIAL


def test_skipping_schema_validation_turns_the_providers_own_checks_into_warnings(
    tf: AliTerraform,
) -> None:
    # The official provider's own validators (not the SDK's) honour this variable.
    tf.env["TF_SKIP_RESOURCE_SCHEMA_VALIDATION"] = "true"
    found = validate(
        tf,
        """
data "alicloud_route_tables" "f" {
  route_table_type = "bad"
  router_type      = "bad"
}
""",
    )
    assert found == {
        "data.alicloud_route_tables.f": [
            ("error", "expected router_type to be one of [VRouter VBR], got bad"),
            ("warning", "expected route_table_type to be one of [System Custom], got bad"),
        ]
    }
