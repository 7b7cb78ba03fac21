"""The isolation fixtures of riconnect.testing: a clean cloud per test, a cloud from a
snapshot, and the README's copy-paste example run exactly as written."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from alibabacloud_vpc20160428 import models

from riconnect.testing import LiveCloud, invoke, vpc_client

README = Path(__file__).resolve().parents[2] / "README.md"
HZ = "cn-hangzhou"


def _example() -> dict[str, str]:
    """The README's example files: each fenced block after an ``isolation-example`` mark."""
    text = README.read_text()
    found = re.findall(
        r"<!-- isolation-example: (\S+) -->\s*```python\n(.*?)```", text, flags=re.DOTALL
    )
    return dict(found)


def test_the_readme_example_runs_as_written(tmp_path: Path) -> None:
    files = _example()
    assert set(files) == {"conftest.py", "test_network.py"}
    for name, body in files.items():
        (tmp_path / name).write_text(body)
    # The snapshot its third test names, saved as the comment says.
    with LiveCloud(workdir=tmp_path / "maker") as maker:
        for cidr in ("10.0.0.0/16", "10.1.0.0/16"):
            invoke(maker, "CreateVpc", {"RegionId": HZ, "CidrBlock": cidr})
        subprocess.run(
            [
                sys.executable,
                "-m",
                "riconnect.cli",
                "snapshot",
                "save",
                "two-vpcs.json",
                "--endpoint",
                maker.endpoint,
            ],
            cwd=tmp_path,
            check=True,
            capture_output=True,
            timeout=60,
        )
    env = {k: v for k, v in os.environ.items() if not k.startswith("RICONNECT_")}
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-W",
            "error",
            "-p",
            "no:randomly",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "3 passed" in run.stdout


def test_leaves_a_vpc_and_a_setting_behind(
    riconnect_cloud: LiveCloud, riconnect_region: str
) -> None:
    # Something another test could have left behind on the session cloud.
    invoke(riconnect_cloud, "CreateVpc", {"RegionId": riconnect_region})
    riconnect_cloud.operator.update_settings({"VpcQuota": 0})


def test_the_clean_cloud_fixture(riconnect_clean_cloud: LiveCloud, riconnect_region: str) -> None:
    assert riconnect_clean_cloud.state()["Counts"]["Vpcs"] == 0
    settings = riconnect_clean_cloud.operator.settings()
    assert settings["Overrides"] == {}  # the test before changed the quota
    client = vpc_client(riconnect_clean_cloud)
    made = client.create_vpc(models.CreateVpcRequest(region_id=riconnect_region)).body
    assert made.vpc_id.startswith("vpc-")


@pytest.fixture
def riconnect_snapshot_file(tmp_path: Path, riconnect_cloud: LiveCloud) -> Path:
    """This module chooses its snapshot by overriding the fixture: one VPC named 'from-file'."""
    with LiveCloud(workdir=tmp_path / "source") as source:
        invoke(source, "CreateVpc", {"RegionId": HZ, "VpcName": "from-file"})
        return source.save_snapshot(tmp_path / "one.json.gz")


def test_the_snapshot_fixture_loads_exactly_the_file(riconnect_snapshot_cloud: LiveCloud) -> None:
    state = riconnect_snapshot_cloud.state()
    names = [v["VpcName"] for a in state["Accounts"] for r in a["Regions"] for v in r["Vpcs"]]
    assert names == ["from-file"]
