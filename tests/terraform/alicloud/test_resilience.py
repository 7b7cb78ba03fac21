"""The seed under adverse conditions: a throttling cloud, and Ctrl-C in the middle of an
apply."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.terraform.alicloud.helpers import (
    REGION,
    AliTerraform,
    Background,
    Sdk,
    assert_connected_pair,
    live_cloud,
    seed_workdir,
)
from tests.terraform.helpers import requires_terraform

pytestmark = [pytest.mark.terraform, requires_terraform]

FAULT_SEED = "20240607"


def throttled_requests(log: Path) -> int:
    return len(re.findall(r"code=Throttling\.User\b", log.read_text(errors="replace")))


def test_seed_survives_throttling(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    with live_cloud(
        tmp_path / "cloud",
        faults="Throttling.User=0.3",
        extra_args=["--retry-after-ms", "50", "--fault-seed", FAULT_SEED],
    ) as cloud:
        tf = seed_workdir(tmp_path, tmp_path_factory, cloud)
        result = tf.apply().check()
        assert "Apply complete! Resources: 6 added, 0 changed, 0 destroyed." in result.stdout
        throttled_apply = throttled_requests(cloud.log_path)
        # The provider really met throttling, and retried its way through it.
        assert throttled_apply >= 3, cloud.log_tail()

        sdk = Sdk(cloud)
        by_role = {i["Role"]: i for i in sdk.interfaces()}
        assert_connected_pair(by_role["InitiatingSide"], by_role["AcceptingSide"])

        before_destroy = throttled_requests(cloud.log_path)
        result = tf.destroy().check()
        assert "Destroy complete! Resources: 6 destroyed." in result.stdout
        assert throttled_requests(cloud.log_path) > before_destroy, cloud.log_tail()
        assert sdk.interface_count() == 0
        assert sdk.vpcs() == []


# -- Ctrl-C ------------------------------------------------------------------------------


def cloud_objects(sdk: Sdk) -> dict[str, dict[str, Any]]:
    """Every VPC and router interface of the account, by id."""
    objects = {v["VpcId"]: v for v in sdk.vpcs(REGION)}
    objects.update({i["RouterInterfaceId"]: i for i in sdk.interfaces(REGION)})
    return objects


def assert_state_matches_cloud(tf: AliTerraform, sdk: Sdk) -> dict[str, dict[str, Any]]:
    recorded = tf.state_objects()
    cloud = cloud_objects(sdk)
    in_state: set[str] = set()
    for address, values in recorded.items():
        kind = address.split(".")[0]
        obj = cloud.get(values["id"])
        assert obj is not None, f"{address} ({values['id']}) is in the state, not in the cloud"
        if kind == "alicloud_router_interface_connection":
            # A recorded connection: its interface names its opposite (an acceptor's stays
            # Idle until the initiator connects) and has not been deactivated.
            assert obj["OppositeInterfaceId"] == values["opposite_interface_id"], address
            assert obj["OppositeRouterId"] == values["opposite_router_id"], address
            assert str(obj["OppositeInterfaceOwnerId"]) == values["opposite_interface_owner_id"]
            assert obj["Status"] != "Inactive", address
        else:
            in_state.add(values["id"])
    orphans = {k: v.get("Status") for k, v in cloud.items() if k not in in_state}
    assert not orphans, f"in the cloud but not in Terraform's state: {orphans}"
    return recorded


@pytest.mark.parametrize(
    "address",
    [
        "alicloud_vpc.foo",  # in flight: waiting for Pending -> Available
        "alicloud_router_interface_connection.foo",  # in flight: Connecting -> Active
    ],
)
def test_sigint_during_apply_keeps_state_and_cloud_in_step(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, address: str
) -> None:
    with live_cloud(tmp_path / "cloud", transitions="fixed:3") as cloud:
        tf = seed_workdir(tmp_path, tmp_path_factory, cloud)
        sdk = Sdk(cloud)
        apply = Background(tf, "apply", "-auto-approve", "-input=false", "-no-color")
        apply.wait_for_line(lambda line: line.startswith(f"{address}: Creating..."), timeout=180)
        apply.interrupt()  # Ctrl-C: SIGINT to terraform and its providers
        code = apply.wait(timeout=180)
        output = apply.output
        assert code != 0, output
        assert "Interrupt received." in output, output
        assert "Apply complete!" not in output, output
        assert "Traceback" not in output, output
        # The operation in flight was allowed to finish, and was recorded.
        interrupted_at = output.index("Interrupt received.")
        assert output.index(f"{address}: Creation complete", interrupted_at) > 0, output

        recorded = assert_state_matches_cloud(tf, sdk)
        assert address in recorded

        # Terraform carries on where it stopped.
        result = tf.apply().check()
        assert f"Resources: {6 - len(recorded)} added, 0 changed, 0 destroyed." in result.stdout
        assert len(assert_state_matches_cloud(tf, sdk)) == 6
        by_role = {i["Role"]: i for i in sdk.interfaces()}
        assert_connected_pair(by_role["InitiatingSide"], by_role["AcceptingSide"])
        tf.plan("-detailed-exitcode").check(0)

        tf.destroy().check()
        assert cloud_objects(sdk) == {}
