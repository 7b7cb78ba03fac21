"""``riconnect terraform setup DIR``: the command line users run to install the provider."""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.terraform.alicloud.helpers import COMMAND_TIMEOUT, SEED
from tests.terraform.helpers import requires_terraform, terraform_binary, terraform_env

pytestmark = [pytest.mark.terraform, requires_terraform]

ALIYUN_SOURCE = """
terraform {
  required_providers {
    alicloud = { source = "aliyun/alicloud" }
  }
}

resource "alicloud_vpc" "a" {
  cidr_block = "10.0.0.0/8"
}
"""


def riconnect_cli() -> list[str]:
    script = Path(sys.executable).parent / "riconnect"
    return [str(script)] if script.exists() else [sys.executable, "-m", "riconnect.cli"]


def test_cli_setup_lets_plain_terraform_init_work(tmp_path: Path) -> None:
    # A relative directory with a space: the printed line must be absolute and quoted.
    proc = subprocess.run(
        [*riconnect_cli(), "terraform", "setup", "tf mirror"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, proc.stderr
    export_line = proc.stdout.strip().splitlines()[-1]
    config = tmp_path / "tf mirror" / "terraformrc"
    assert shlex.split(export_line) == ["export", f"TF_CLI_CONFIG_FILE={config}"]
    assert config.is_file()
    assert "filesystem_mirror" in config.read_text()

    binary = terraform_binary()
    assert binary is not None
    # Plain `terraform` with only what the export line sets: nothing else points at the
    # mirror (the machine's own TF_CLI_CONFIG_FILE names a missing file).
    env = terraform_env(Path("/nonexistent/terraformrc"))
    del env["TF_CLI_CONFIG_FILE"]
    env["EXPORT_LINE"] = export_line
    env["PATH"] = f"{Path(binary).parent}:{env.get('PATH', '')}"

    def shell(workdir: Path, command: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["sh", "-c", f'eval "$EXPORT_LINE" && {command}'],
            cwd=workdir,
            env=env,
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT,
            stdin=subprocess.DEVNULL,
        )

    for name, address in (
        ("hashicorp", "registry.terraform.io/hashicorp/alicloud"),
        ("aliyun", "registry.terraform.io/aliyun/alicloud"),
    ):
        workdir = tmp_path / name
        workdir.mkdir()
        if name == "hashicorp":
            shutil.copy(SEED, workdir / "main.tf")  # no required_providers: hashicorp/alicloud
        else:
            (workdir / "main.tf").write_text(ALIYUN_SOURCE)
        result = shell(workdir, "terraform init -input=false -no-color")
        assert result.returncode == 0, result.stdout + result.stderr
        assert f"Installing {address.removeprefix('registry.terraform.io/')}" in result.stdout
        lock = (workdir / ".terraform.lock.hcl").read_text()
        assert f'provider "{address}"' in lock
        assert '"h1:' in lock

        # The installed provider really starts: Terraform reads its schema from it.
        result = shell(workdir, "terraform providers schema -json")
        assert result.returncode == 0, result.stderr
        schemas = json.loads(result.stdout)["provider_schemas"][address]
        assert "alicloud_router_interface_connection" in schemas["resource_schemas"]
        assert "alicloud_router_interfaces" in schemas["data_source_schemas"]
