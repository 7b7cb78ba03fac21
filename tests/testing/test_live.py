"""riconnect.testing itself: the fixtures users get, and LiveCloud's behaviour."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path
from typing import Any

import pytest
from alibabacloud_vpc20160428 import models as vpc_models
from aliyunsdkvpc.request.v20160428.DescribeVpcsRequest import DescribeVpcsRequest

from riconnect.testing import (
    DEMO_ACCOUNT_ID,
    CloudStartError,
    LiveCloud,
    RiconnectApiError,
    invoke,
    unique_name,
    vpc_client,
    wait_until,
)


def test_user_fixtures(
    riconnect_vpc: Any, riconnect_acs: Any, riconnect_sts: Any, riconnect_region: str
) -> None:
    """What a user's test looks like with ``pytest_plugins = ["riconnect.testing"]``."""
    name = unique_name("user")
    created = riconnect_vpc.create_vpc(
        vpc_models.CreateVpcRequest(region_id=riconnect_region, vpc_name=name)
    )
    vpc_id = created.body.vpc_id
    request = DescribeVpcsRequest()
    request.set_VpcName(name)
    listed = json.loads(riconnect_acs.do_action_with_exception(request))
    assert [v["VpcId"] for v in listed["Vpcs"]["Vpc"]] == [vpc_id]
    assert riconnect_sts.get_caller_identity().body.account_id == DEMO_ACCOUNT_ID
    riconnect_vpc.delete_vpc(vpc_models.DeleteVpcRequest(region_id=riconnect_region, vpc_id=vpc_id))


def test_session_cloud_is_shared(riconnect_cloud: LiveCloud) -> None:
    assert riconnect_cloud.healthy()
    assert riconnect_cloud.endpoint == f"127.0.0.1:{riconnect_cloud.port}"
    assert riconnect_cloud.url == f"http://{riconnect_cloud.endpoint}"
    assert Path(riconnect_cloud.db).exists()


def test_start_failure_shows_server_output(tmp_path: Path) -> None:
    bad = tmp_path / "accounts.toml"
    bad.write_text("[[account]]\nid = 42\n")
    cloud = LiveCloud(workdir=tmp_path, accounts=bad, startup_timeout=20)
    with pytest.raises(CloudStartError) as info:
        cloud.start()
    message = str(info.value)
    assert "exited with status 2" in message
    assert "id must be a quoted string of 16 digits" in message  # the server's own words
    assert not cloud.is_running()


def test_restart_keeps_port_and_state(tmp_path: Path) -> None:
    with LiveCloud(tmp_path / "r.db", workdir=tmp_path) as cloud:
        port, first_pid = cloud.port, cloud.pid
        vpc_id = invoke(cloud, "CreateVpc", {"RegionId": "cn-hangzhou"})["VpcId"]
        assert cloud.kill(signal.SIGKILL) == -signal.SIGKILL
        assert not cloud.healthy()
        cloud.restart()
        assert (cloud.port, cloud.starts) == (port, 2) and cloud.pid != first_pid
        body = invoke(cloud, "DescribeVpcAttribute", {"RegionId": "cn-hangzhou", "VpcId": vpc_id})
        assert body["VpcId"] == vpc_id
        assert "--- start:" in cloud.log_tail(1000)
    assert not cloud.is_running()
    assert (tmp_path / "r.db").exists()  # a workdir given by the caller is left alone


def test_own_workdir_is_removed(tmp_path: Path) -> None:
    cloud = LiveCloud()
    with cloud:
        assert cloud.db.startswith(str(cloud.workdir))
        assert Path(cloud.db).exists()
    assert not cloud.workdir.exists()


def test_outer_riconnect_variables_do_not_leak(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RICONNECT_VPC_QUOTA", "0")  # would make every CreateVpc fail
    with LiveCloud(workdir=tmp_path, env={"RICONNECT_MAX_BODY": "64"}) as cloud:
        assert invoke(cloud, "CreateVpc", {"RegionId": "cn-hangzhou"})["VpcId"]
        # ... while env= does reach the server.
        with pytest.raises(RiconnectApiError) as info:
            invoke(cloud, "DescribeVpcs", {"RegionId": "cn-hangzhou"}, form={"P": "x" * 100})
        assert info.value.code == "RequestTooLarge"
    assert os.environ["RICONNECT_VPC_QUOTA"] == "0"


def test_endpoint_must_not_have_a_scheme() -> None:
    with pytest.raises(ValueError, match="without a scheme"):
        vpc_client("http://127.0.0.1:1")


def test_wait_until() -> None:
    calls = iter([0, 0, 5])
    assert wait_until(lambda: next(calls), timeout=5, interval=0) == 5
    with pytest.raises(TimeoutError, match="never"):
        wait_until(lambda: False, timeout=0.05, interval=0.01, message="never")
