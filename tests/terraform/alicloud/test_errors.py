"""Mistakes in a configuration reach the user as Terraform errors naming what is wrong,
never as Python tracebacks."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from riconnect.testing import LiveCloud
from tests.terraform.alicloud.helpers import SEED, AliTerraform, Sdk, live_cloud, seed_workdir
from tests.terraform.helpers import assert_no_traceback, requires_terraform

pytestmark = [pytest.mark.terraform, requires_terraform]


@pytest.fixture
def cloud(tmp_path: Path) -> Iterator[LiveCloud]:
    with live_cloud(tmp_path / "cloud") as c:
        yield c


@pytest.fixture
def tf(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, cloud: LiveCloud) -> AliTerraform:
    return seed_workdir(tmp_path, tmp_path_factory, cloud)


def one_line(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize(
    ("attribute", "good", "bad"),
    [
        ("specification", "Large.2", "Huge.9"),
        ("role", "InitiatingSide", "Sideways"),
    ],
)
def test_bad_value_fails_at_plan(tf: AliTerraform, attribute: str, good: str, bad: str) -> None:
    text = SEED.read_text()
    line = re.search(rf'^(\s*{attribute}\s*= )"{re.escape(good)}"$', text, re.MULTILINE)
    assert line is not None
    tf.write(text.replace(line.group(0), f'{line.group(1)}"{bad}"', 1))

    result = tf.plan()
    assert result.returncode == 1, result.output
    assert_no_traceback(result)
    err = one_line(result.stderr)
    # The Go plugin SDK v1's text (validation.StringInSlice), on the resource's block.
    assert f"Error: expected {attribute} to be one of [" in err
    assert f"], got {bad} with alicloud_router_interface.initiate" in err
    assert 'in resource "alicloud_router_interface" "initiate"' in err
    assert Sdk(tf.cloud).vpcs() == []


MISSING_OPPOSITE = """
resource "alicloud_vpc" "foo" {
  cidr_block = "172.16.0.0/12"
}

resource "alicloud_router_interface" "initiate" {
  opposite_region = "cn-hangzhou"
  router_type     = "VRouter"
  router_id       = alicloud_vpc.foo.router_id
  role            = "InitiatingSide"
  specification   = "Large.2"
}

resource "alicloud_router_interface_connection" "foo" {
  interface_id          = alicloud_router_interface.initiate.id
  opposite_interface_id = "ri-doesnotexist00000000"
}
"""


def test_connection_to_missing_opposite_interface(tf: AliTerraform) -> None:
    tf.write('provider "alicloud" {\n  region = "cn-hangzhou"\n}\n' + MISSING_OPPOSITE)
    result = tf.apply()
    assert result.returncode == 1, result.output
    assert_no_traceback(result)
    err = one_line(result.stderr)
    assert (
        "Error: opposite router interface ri-doesnotexist00000000 not found in cn-hangzhou" in err
    )
    assert 'opposite_interface_id = "ri-doesnotexist00000000"' in err
    assert 'in resource "alicloud_router_interface_connection" "foo"' in err

    # What was built is recorded; the failed connection is not, and changed nothing.
    sdk = Sdk(tf.cloud)
    assert set(tf.resources()) == {"alicloud_vpc.foo", "alicloud_router_interface.initiate"}
    (interface,) = sdk.interfaces()
    assert interface["Status"] == "Idle" and not interface["OppositeInterfaceId"]
    tf.destroy().check()
    assert sdk.interfaces() == [] and sdk.vpcs() == []


def test_cloud_error_is_reported_cleanly(tf: AliTerraform) -> None:
    tf.write(
        'provider "alicloud" {\n  region = "cn-hangzhou"\n}\n'
        'resource "alicloud_vpc" "bad" {\n  cidr_block = "100.64.0.0/16"\n}\n'
    )
    result = tf.apply()
    assert result.returncode == 1, result.output
    assert_no_traceback(result)
    err = one_line(result.stderr)
    assert "Error: CreateVpc failed: InvalidCidrBlock.Malformed:" in err
    assert 'in resource "alicloud_vpc" "bad"' in err
    # An API refusal is not presented as a crash of the provider, and keeps the RequestId.
    assert "The provider failed" not in err
    assert re.search(r"The cloud refused the request \(HTTP 400, RequestId [0-9A-F-]+\)", err), err
    assert tf.resources() == {}
