"""The official alicloud provider (aliyun/alicloud, the Go binary) on the seed example, timed
beside riconnect's provider against the same riconnect server (part of scenario 4).

It runs as a user runs it: the binary in a filesystem mirror, ``riconnect_override.tf``
written by riconnect's own override code (endpoints, protocol, account) and riconnect as the
HTTP proxy, Terraform started directly (the override file is written once, not per command,
so ``riconnect terraform run``'s own start-up is not counted).

Most of the official provider's time on riconnect is its own fixed waits: plugin SDK v1's
``StateChangeConf`` sleeps its ``Delay`` before the first poll however fast the cloud is.  On
the seed these are, in aliyun/terraform-provider-alicloud v1.285.0, the 5 s ``Delay`` after
``CreateVpc`` (resource_alicloud_vpc.go; the two VPCs wait in parallel) and the 5 s after
``DeleteVpc``; the interface and connection waits poll at once (service_alicloud_vpc.go), and
a plan makes no waits.  ``FIXED_WAITS_S`` holds them; the share is that over the median.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

from bench.common import REPO, ratio

BUILD_SCRIPT = REPO / "scripts" / "build-official-provider"
FIXED_WAITS_S = {"apply": 5.0, "noop_plan": 0.0, "destroy": 5.0}
STEPS = ("apply", "noop_plan", "destroy")


def binary() -> Path | str:
    """The built official provider, or why there is none (the bench does not build it)."""
    given = os.environ.get("RICONNECT_OFFICIAL_PROVIDER")
    if given:
        return (
            Path(given)
            if Path(given).is_file()
            else f"RICONNECT_OFFICIAL_PROVIDER={given}: no file"
        )
    try:
        status = subprocess.run(
            ["bash", str(BUILD_SCRIPT), "--status"], capture_output=True, text=True, timeout=60
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError) as exc:
        status = str(exc)
    if status.startswith("ready "):
        return Path(status.split(" ", 1)[1])
    return (
        f"not measured: the official provider is not built here ({status or 'no status'}); "
        "`bash scripts/build-official-provider` builds it"
    )


def cli_config(exe: Path, target: Path) -> Path:
    """A Terraform CLI config whose filesystem mirror holds ``exe`` as aliyun/alicloud."""
    from tests.terraform.scenarios import official_mirror

    return official_mirror(exe, target).cli_config


def environment(cloud_url: str, credentials: dict[str, str]) -> dict[str, str]:
    """What ``riconnect terraform run`` gives Terraform besides the override file."""
    from riconnect.terraform.override import parse_endpoint, proxy_environment

    return proxy_environment(credentials, parse_endpoint(cloud_url))


def write_override(workdir: Path, cloud_url: str, env: dict[str, str]) -> Path:
    from riconnect.terraform.override import parse_endpoint
    from riconnect.terraform.override import write_override as write

    return write(workdir, parse_endpoint(cloud_url), env)


def compare(official: dict[str, Any], ours: dict[str, Any]) -> dict[str, Any]:
    """Per step: the official provider's time over ours, its fixed waits' share of its own
    time, and the ratio once those waits are taken away."""
    out: dict[str, Any] = {"fixed_waits_s": FIXED_WAITS_S}
    for step in STEPS:
        theirs, mine = official[step]["median"], ours[step]["median"]
        wait = FIXED_WAITS_S[step]
        out[step] = {
            "official_vs_ours": ratio(theirs, mine),
            "fixed_share": ratio(wait, theirs),
            "official_without_waits_vs_ours": ratio(
                None if theirs is None else theirs - wait, mine
            ),
        }
    return out
