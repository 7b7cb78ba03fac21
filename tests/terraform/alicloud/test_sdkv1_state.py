"""Plans and states as the official provider's plugin SDK v1 makes them (issue 11 §0, §1.2,
§1.4): a deprecated twin keeps its prior value in the plan, computed attributes plan their
prior values, Read stores "" / false / 0 / {} where SDK v1 does, a suppressed ``period`` is
neither stored nor diffed, and the express interface leaves an Idle -> Inactive request
undone without an error.  Real Terraform (1.0.3 and the newest here) against a live cloud.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from riconnect.domain.accounts import DEMO_PHYSICAL_CONNECTION_ID
from riconnect.testing import LiveCloud
from tests.terraform.alicloud.helpers import (
    AliTerraform,
    live_cloud,
    shared_initialized,
    shared_install,
)
from tests.terraform.helpers import requires_terraform
from tests.terraform.scenarios import newest_terraform

pytestmark = [pytest.mark.terraform, requires_terraform]


@pytest.fixture(scope="module")
def cloud(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveCloud]:
    with live_cloud(tmp_path_factory.mktemp("sdkv1-cloud")) as c:
        yield c


@pytest.fixture(params=["1.0.3", "newest"])
def tf(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
    cloud: LiveCloud,
) -> Iterator[AliTerraform]:
    install = shared_install(tmp_path_factory)
    work = AliTerraform(tmp_path / "work", install["cli_config"], cloud)
    if request.param == "1.0.3":
        work.copy_init_from(shared_initialized(tmp_path_factory))
    else:
        newest = newest_terraform()
        if isinstance(newest, str):
            pytest.skip(newest)
        work.binary = newest[0]
        work.write('provider "alicloud" {}\nresource "alicloud_vpc" "init" {}\n')
        work.run("init", "-no-color", "-input=false").check()
    yield work
    work.destroy()  # the cloud is shared: a failed test leaves nothing to the next one


def planned(tf: AliTerraform) -> dict[str, dict[str, Any]]:
    """``{address: change}`` of a saved plan (after, after_unknown, actions)."""
    tf.run("plan", "-no-color", "-input=false", "-out", "tf.plan").check()
    data = json.loads(tf.run("show", "-json", "tf.plan").check().stdout)
    return {c["address"]: c["change"] for c in data.get("resource_changes", [])}


VPC = """
provider "alicloud" {{
  region = "cn-hangzhou"
}}

resource "alicloud_vpc" "v" {{
  cidr_block = "10.0.0.0/16"
  vpc_name   = "{name}"
}}
"""


def test_vpc_twin_is_planned_apart_and_read_stores_zero_values(tf: AliTerraform) -> None:
    tf.write(VPC.format(name="one"))
    create = planned(tf)["alicloud_vpc.v"]
    assert create["after_unknown"].get("name") is True, "the twin is unknown on create"
    tf.apply().check()
    v = tf.state_objects()["alicloud_vpc.v"]
    assert (v["name"], v["vpc_name"]) == ("one", "one")
    # What SDK v1's Read stores for an empty answer, and nothing where it sets nothing.
    assert (v["description"], v["classic_link_enabled"], v["ipv6_cidr_block"]) == ("", False, "")
    assert v["tags"] is None, "the plan's null beats the read's {} right after apply"
    assert v["ipv6_isp"] is None and v["dry_run"] is None

    tf.write(VPC.format(name="two"))
    change = planned(tf)["alicloud_vpc.v"]
    assert change["actions"] == ["update"]
    assert (change["after"]["vpc_name"], change["after"]["name"]) == ("two", "one")
    assert not any(change["after_unknown"].values()), change["after_unknown"]
    assert change["after"]["tags"] == {}, "refreshed: the read's {} is the state now"
    tf.apply().check()
    v = tf.state_objects()["alicloud_vpc.v"]
    assert (v["name"], v["vpc_name"]) == ("two", "two"), "the read sets both"
    assert tf.plan("-detailed-exitcode").returncode == 0
    # The deprecated twin alone carries a rename too.
    tf.write(VPC.format(name="three").replace("vpc_name  ", "name      "))
    change = planned(tf)["alicloud_vpc.v"]
    assert (change["after"]["vpc_name"], change["after"]["name"]) == ("two", "three")
    tf.apply().check()
    v = tf.state_objects()["alicloud_vpc.v"]
    assert (v["name"], v["vpc_name"]) == ("three", "three")
    assert tf.plan("-detailed-exitcode").returncode == 0
    tf.destroy().check()


LINK = """
provider "alicloud" {{
  region = "cn-hangzhou"
}}

resource "alicloud_vpc" "office" {{
  cidr_block = "10.0.0.0/8"
}}

resource "alicloud_vpc" "other" {{
  cidr_block = "172.16.0.0/12"
}}

resource "alicloud_express_connect_virtual_border_router" "dc" {{
  physical_connection_id     = "{pc}"
  vlan_id                    = 100
  local_gateway_ip           = "10.254.0.1"
  peer_gateway_ip            = "10.254.0.2"
  peering_subnet_mask        = "255.255.255.252"
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
  payment_type                = "PayAsYouGo"
  description                 = "{description}"
  hc_threshold                = "8"
  {status}
}}

resource "alicloud_router_interface" "legacy" {{
  opposite_region = "cn-hangzhou"
  router_type     = "VRouter"
  router_id       = alicloud_vpc.other.router_id
  role            = "InitiatingSide"
  specification   = "Large.2"
  period          = 3
}}
"""
VOLATILE = ("bandwidth", "business_status", "opposite_bandwidth", "opposite_interface_status")


def test_express_plans_prior_values_and_period_is_suppressed(tf: AliTerraform) -> None:
    tf.write(LINK.format(pc=DEMO_PHYSICAL_CONNECTION_ID, description="one", status=""))
    assert planned(tf)["alicloud_router_interface.legacy"]["after"]["period"] is None
    tf.apply().check()
    state = tf.state_objects()
    x, legacy = (
        state["alicloud_express_connect_router_interface.x"],
        state["alicloud_router_interface.legacy"],
    )
    assert legacy["period"] is None, "PostPaid: period suppressed, never stored"
    assert (legacy["name"], legacy["health_check_source_ip"]) == ("", "")
    assert (x["router_interface_name"], x["hc_rate"], x["status"]) == ("", 0, "Idle")
    # hc_threshold only reaches the cloud through the modify after create.
    tf.run("state", "rm", "alicloud_express_connect_router_interface.x").check()
    tf.import_("alicloud_express_connect_router_interface.x", x["id"]).check()
    imported = tf.state_objects()["alicloud_express_connect_router_interface.x"]
    assert imported["hc_threshold"] == "8"

    # A description change: computed attributes plan their prior values, none unknown.
    # status Inactive on an Idle interface: the official provider does nothing.
    tf.write(
        LINK.format(pc=DEMO_PHYSICAL_CONNECTION_ID, description="two", status='status = "Inactive"')
    )
    change = planned(tf)["alicloud_express_connect_router_interface.x"]
    assert not any(change["after_unknown"].values()), change["after_unknown"]
    assert {k: change["after"][k] for k in VOLATILE} == {k: x[k] for k in VOLATILE}
    tf.apply().check()
    x = tf.state_objects()["alicloud_express_connect_router_interface.x"]
    assert (x["description"], x["status"]) == ("two", "Idle")
    again = planned(tf)
    assert again["alicloud_express_connect_router_interface.x"]["actions"] == ["update"]
    assert again["alicloud_router_interface.legacy"]["actions"] == ["no-op"]

    # Imported, the legacy interface has no period: the configured one still plans nothing.
    tf.run("state", "rm", "alicloud_router_interface.legacy").check()
    tf.import_("alicloud_router_interface.legacy", legacy["id"]).check()
    assert planned(tf)["alicloud_router_interface.legacy"]["actions"] == ["no-op"]
    tf.destroy().check()
