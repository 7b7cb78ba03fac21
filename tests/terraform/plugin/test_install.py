from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from riconnect.terraform.install import (
    ALICLOUD_ADDRESSES,
    ALICLOUD_VERSION,
    platform_dir,
    setup_mirror,
)
from tests.terraform.helpers import TOY_PROVIDER

TOY = str(TOY_PROVIDER)


def test_default_installs_both_alicloud_addresses(tmp_path: Path) -> None:
    result = setup_mirror(tmp_path)
    plat = platform_dir()
    assert result["version"] == ALICLOUD_VERSION
    expected = [
        tmp_path
        / "mirror"
        / address
        / ALICLOUD_VERSION
        / plat
        / f"terraform-provider-alicloud_v{ALICLOUD_VERSION}"
        for address in ALICLOUD_ADDRESSES
    ]
    assert result["launchers"] == expected
    for exe in expected:
        assert stat.S_IMODE(exe.stat().st_mode) == 0o755
        text = exe.read_text()
        assert text.startswith("#!/bin/sh\nexec ")
        assert os.path.abspath(sys.executable) in text
        assert "-m riconnect.terraform.alicloud" in text
    config = (tmp_path / "terraformrc").read_text()
    assert f'path    = "{tmp_path / "mirror"}"' in config
    for address in ALICLOUD_ADDRESSES:
        assert config.count(f'"{address}"') == 2  # included in the mirror, excluded from direct
    assert result["export"] == f"export TF_CLI_CONFIG_FILE={tmp_path / 'terraformrc'}"


def test_custom_module_version_and_address(tmp_path: Path) -> None:
    result = setup_mirror(tmp_path, TOY, "9.8.7", ["example.com/acme/toy"])
    [exe] = result["launchers"]
    assert exe.name == "terraform-provider-toy_v9.8.7"
    assert exe.parent.parent.parent == tmp_path / "mirror" / "example.com" / "acme" / "toy"


def test_launcher_runs_the_module(tmp_path: Path) -> None:
    [exe] = setup_mirror(tmp_path, TOY, "1.0.0", ["h/n/toy"])["launchers"]
    # Not started by Terraform: the plugin refuses, proving the launcher reached Python.
    proc = subprocess.run(
        [str(exe)], capture_output=True, timeout=30, env={"PATH": "/usr/bin:/bin"}
    )
    assert proc.returncode == 1
    assert b"This binary is a plugin" in proc.stderr


def test_launcher_keeps_cwd_off_sys_path(tmp_path: Path) -> None:
    # A module named like one of ours in Terraform's working dir must not shadow it.
    [exe] = setup_mirror(tmp_path / "i", TOY, "1.0.0", ["h/n/toy"])["launchers"]
    work = tmp_path / "work"
    work.mkdir()
    (work / "riconnect").mkdir()
    (work / "riconnect" / "__init__.py").write_text("raise SystemExit('shadowed')\n")
    proc = subprocess.run([str(exe)], capture_output=True, timeout=30, cwd=work)
    assert b"shadowed" not in proc.stderr
    assert b"This binary is a plugin" in proc.stderr


@pytest.mark.parametrize(
    ("machine", "expected"),
    [("x86_64", "amd64"), ("AMD64", "amd64"), ("aarch64", "arm64"), ("arm64", "arm64")],
)
def test_platform_dir(monkeypatch: pytest.MonkeyPatch, machine: str, expected: str) -> None:
    monkeypatch.setattr("platform.machine", lambda: machine)
    monkeypatch.setattr("sys.platform", "linux")
    assert platform_dir() == f"linux_{expected}"


def test_hcl_strings_are_escaped(tmp_path: Path) -> None:
    odd = tmp_path / 'we"ird ${x}'
    setup_mirror(odd, "m", "1.0.0", ["h/n/t"])
    config = (odd / "terraformrc").read_text()
    assert '\\"' in config and "$${x}" in config
