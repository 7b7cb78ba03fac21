"""Helpers for the end-to-end tests of the ``alicloud`` provider.

The real ``terraform`` binary drives riconnect's provider (installed through a filesystem
mirror) against a live riconnect cloud (:class:`riconnect.testing.LiveCloud`); what was
built is checked through the official SDK, never through Terraform itself.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from riconnect.terraform.install import setup_mirror
from riconnect.testing import (
    DEMO_ACCESS_KEY_ID,
    DEMO_ACCESS_KEY_SECRET,
    DEMO_ACCOUNT_ID,
    LiveCloud,
    vpc_client,
)
from tests.terraform.helpers import Terraform, TfResult

REPO = Path(__file__).resolve().parents[3]
EXAMPLES = REPO / "examples"
SEED = EXAMPLES / "seed" / "main.tf"
ACCOUNTS_FILE = EXAMPLES / "accounts.toml"
REGION = "cn-hangzhou"
SEED_NAME = "alicloudRouterInterfaceConnectionBasic"

# Accounts of examples/accounts.toml (account A is also the default demo account).
ACCOUNT_A = (DEMO_ACCOUNT_ID, DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET)
ACCOUNT_B = ("2234567890123456", "LTAI5tRiconnectDemoKey02", "riconnectDemoSecret0000000000002")

# One terraform command may take this long before the test fails (a hang must not block CI).
COMMAND_TIMEOUT = 240.0

# Variables through which the caller's shell could point the provider somewhere else.
_PROVIDER_ENV_PREFIXES = ("ALICLOUD_", "ALIBABA_CLOUD_")
_PROVIDER_ENV_NAMES = (
    "VPC_ENDPOINT",
    "STS_ENDPOINT",
    "ECS_ENDPOINT",
    "BSSOPENAPI_ENDPOINT",
    "RESOURCEMANAGER_ENDPOINT",
)


# -- installation ------------------------------------------------------------------------

_SHARED: dict[str, Any] = {}


def shared_install(factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One filesystem mirror of the provider for the whole session."""
    if "install" not in _SHARED:
        _SHARED["install"] = setup_mirror(factory.mktemp("alicloud-install"))
    install: dict[str, Any] = _SHARED["install"]
    return install


def shared_initialized(factory: pytest.TempPathFactory) -> Path:
    """One ``terraform init`` of the seed, copied by tests that do not test init itself."""
    if "initialized" not in _SHARED:
        install = shared_install(factory)
        tf = Terraform(factory.mktemp("alicloud-init"), install["cli_config"])
        shutil.copy(SEED, tf.workdir / "main.tf")
        tf.run("init", "-no-color", "-input=false", timeout=COMMAND_TIMEOUT).check()
        _SHARED["initialized"] = tf.workdir
    initialized: Path = _SHARED["initialized"]
    return initialized


def initialized_work(
    workdir: Path, factory: pytest.TempPathFactory, cloud: LiveCloud
) -> AliTerraform:
    """An ``AliTerraform`` in ``workdir`` against ``cloud``, initialized by copying the
    session's one ``terraform init``."""
    work = AliTerraform(workdir, shared_install(factory)["cli_config"], cloud)
    work.copy_init_from(shared_initialized(factory))
    return work


# -- the cloud ---------------------------------------------------------------------------


@contextlib.contextmanager
def live_cloud(workdir: Path, **options: Any) -> Iterator[LiveCloud]:
    """A private riconnect cloud (immediate transitions unless told otherwise)."""
    options.setdefault("transitions", "immediate")
    options.setdefault("vpc_quota", 50)
    cloud = LiveCloud(workdir=workdir, **options)
    cloud.start()
    try:
        yield cloud
    finally:
        crashed = not cloud.is_running()
        cloud.stop()
    if crashed:
        pytest.fail(f"the riconnect cloud died during the test\n{cloud.log_tail()}")


# -- terraform ---------------------------------------------------------------------------


class AliTerraform(Terraform):
    """A Terraform work dir whose provider talks to ``cloud`` with the given AccessKey.

    Every command runs in its own process group and is killed with its providers when it
    exceeds ``COMMAND_TIMEOUT``.
    """

    def __init__(
        self,
        workdir: Path,
        cli_config: Path,
        cloud: LiveCloud,
        access_key: str = DEMO_ACCESS_KEY_ID,
        secret: str = DEMO_ACCESS_KEY_SECRET,
    ) -> None:
        super().__init__(workdir, cli_config)
        self.cloud = cloud
        self.env = {
            k: v
            for k, v in self.env.items()
            if not k.startswith(_PROVIDER_ENV_PREFIXES) and k not in _PROVIDER_ENV_NAMES
        }
        self.env.update(
            {
                "ALICLOUD_ACCESS_KEY": access_key,
                "ALICLOUD_SECRET_KEY": secret,
                "ALIBABA_CLOUD_ENDPOINT_VPC": cloud.url,
                "ALIBABA_CLOUD_ENDPOINT_STS": cloud.url,
                "ALIBABA_CLOUD_ENDPOINT_ECS": cloud.url,
                "ALIBABA_CLOUD_ENDPOINT_BSSOPENAPI": cloud.url,
                "ALIBABA_CLOUD_ENDPOINT_RESOURCEMANAGER": cloud.url,
                # The cloud is on loopback: never through a proxy.
                "NO_PROXY": "127.0.0.1,localhost",
                "no_proxy": "127.0.0.1,localhost",
            }
        )

    def run(self, *args: str, timeout: float = COMMAND_TIMEOUT) -> TfResult:
        started = time.monotonic()
        proc = subprocess.Popen(
            [self.binary, *args],
            cwd=self.workdir,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            stdout, stderr = proc.communicate()
            raise AssertionError(
                f"terraform {' '.join(args)} did not finish within {timeout:g} s:\n"
                f"{stdout}{stderr}\n{self.cloud.log_tail()}"
            ) from None
        return TfResult(args, proc.returncode, stdout, stderr, time.monotonic() - started)

    def state_rm(self, address: str) -> TfResult:
        return self.run("state", "rm", "-no-color", address)

    def show_json(self) -> dict[str, Any]:
        result = self.run("show", "-json", "-no-color").check()
        data: dict[str, Any] = json.loads(result.stdout)
        return data

    def state_objects(self) -> dict[str, dict[str, Any]]:
        """``{address: values}`` of the managed resources ``terraform show -json`` reports."""
        root = (self.show_json().get("values") or {}).get("root_module") or {}
        return {
            r["address"]: r["values"] for r in root.get("resources", []) if r["mode"] == "managed"
        }


def seed_workdir(
    tmp_path: Path,
    factory: pytest.TempPathFactory,
    cloud: LiveCloud,
    *,
    name: str = "seed",
    init: bool = False,
) -> AliTerraform:
    """A work dir holding examples/seed/main.tf verbatim, initialized (copied init unless
    ``init``)."""
    install = shared_install(factory)
    tf = AliTerraform(tmp_path / name, install["cli_config"], cloud)
    shutil.copy(SEED, tf.workdir / "main.tf")
    if init:
        tf.init().check()
    else:
        tf.copy_init_from(shared_initialized(factory))
    return tf


def example_workdir(
    tmp_path: Path, factory: pytest.TempPathFactory, cloud: LiveCloud, example: str
) -> AliTerraform:
    """A work dir holding ``examples/<example>/main.tf`` verbatim, initialized."""
    install = shared_install(factory)
    tf = AliTerraform(tmp_path / example, install["cli_config"], cloud)
    shutil.copy(EXAMPLES / example / "main.tf", tf.workdir / "main.tf")
    tf.copy_init_from(shared_initialized(factory))
    return tf


# -- the SDK -----------------------------------------------------------------------------


class Sdk:
    """What the cloud holds, seen through the official VPC SDK by one account.

    Throttling (injected by the fault tests) is retried, so checks see the real state.
    """

    def __init__(
        self,
        cloud: LiveCloud,
        access_key: str = DEMO_ACCESS_KEY_ID,
        secret: str = DEMO_ACCESS_KEY_SECRET,
    ) -> None:
        self.client = vpc_client(cloud, access_key, secret)

    def call(self, method: str, request: Any) -> dict[str, Any]:
        from Tea.exceptions import TeaException

        deadline = time.monotonic() + 60
        while True:
            try:
                body: dict[str, Any] = getattr(self.client, method)(request).body.to_map()
                return body
            except TeaException as exc:
                if "Throttling" not in str(exc.code) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    # -- listings
    def interfaces(self, region: str = REGION) -> list[dict[str, Any]]:
        from alibabacloud_vpc20160428 import models

        out: list[dict[str, Any]] = []
        page = 1
        while True:
            body = self.call(
                "describe_router_interfaces",
                models.DescribeRouterInterfacesRequest(
                    region_id=region, page_size=50, page_number=page
                ),
            )
            batch = (body.get("RouterInterfaceSet") or {}).get("RouterInterfaceType") or []
            out.extend(batch)
            if len(out) >= int(body.get("TotalCount", 0)) or not batch:
                return out
            page += 1

    def interface_count(self, region: str = REGION) -> int:
        from alibabacloud_vpc20160428 import models

        body = self.call(
            "describe_router_interfaces",
            models.DescribeRouterInterfacesRequest(region_id=region, page_size=50),
        )
        return int(body["TotalCount"])

    def interface(self, ri_id: str, region: str = REGION) -> dict[str, Any]:
        found = [i for i in self.interfaces(region) if i["RouterInterfaceId"] == ri_id]
        assert len(found) == 1, f"router interface {ri_id} not found in {region}"
        return found[0]

    def vpcs(self, region: str = REGION) -> list[dict[str, Any]]:
        from alibabacloud_vpc20160428 import models

        body = self.call(
            "describe_vpcs", models.DescribeVpcsRequest(region_id=region, page_size=50)
        )
        vpcs: list[dict[str, Any]] = (body.get("Vpcs") or {}).get("Vpc") or []
        assert int(body["TotalCount"]) == len(vpcs), "more VPCs than one page"
        return vpcs

    def vpc_by_cidr(self, cidr: str, region: str = REGION) -> dict[str, Any]:
        found = [v for v in self.vpcs(region) if v["CidrBlock"] == cidr]
        assert len(found) == 1, f"expected one VPC with {cidr} in {region}, got {found}"
        return found[0]

    def call_vpc_attribute(self, vpc_id: str, region: str = REGION) -> dict[str, Any]:
        from alibabacloud_vpc20160428 import models

        return self.call(
            "describe_vpc_attribute",
            models.DescribeVpcAttributeRequest(region_id=region, vpc_id=vpc_id),
        )

    def vbrs(self, region: str = REGION) -> list[dict[str, Any]]:
        from alibabacloud_vpc20160428 import models

        body = self.call(
            "describe_virtual_border_routers",
            models.DescribeVirtualBorderRoutersRequest(region_id=region, page_size=50),
        )
        vbrs: list[dict[str, Any]] = (body.get("VirtualBorderRouterSet") or {}).get(
            "VirtualBorderRouterType"
        ) or []
        return vbrs

    # -- changes made behind Terraform's back
    def deactivate(self, ri_id: str, region: str = REGION) -> None:
        from alibabacloud_vpc20160428 import models

        self.call(
            "deactivate_router_interface",
            models.DeactivateRouterInterfaceRequest(region_id=region, router_interface_id=ri_id),
        )

    def create_vpc(self, cidr: str, region: str = REGION) -> dict[str, Any]:
        from alibabacloud_vpc20160428 import models

        vpc_id = self.call(
            "create_vpc", models.CreateVpcRequest(region_id=region, cidr_block=cidr)
        )["VpcId"]
        vpc: dict[str, Any] = wait_for(
            lambda: next(
                (
                    v
                    for v in self.vpcs(region)
                    if v["VpcId"] == vpc_id and v["Status"] == "Available"
                ),
                None,
            ),
            f"VPC {vpc_id} Available",
        )
        return vpc

    def create_acceptor(self, router_id: str, region: str = REGION) -> str:
        from alibabacloud_vpc20160428 import models

        ri_id: str = self.call(
            "create_router_interface",
            models.CreateRouterInterfaceRequest(
                region_id=region,
                router_type="VRouter",
                router_id=router_id,
                role="AcceptingSide",
                spec="Negative",
                opposite_region_id=region,
            ),
        )["RouterInterfaceId"]
        return ri_id


def wait_for(predicate: Callable[[], Any], what: str, timeout: float = 60.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def statuses(sdk: Sdk, region: str = REGION) -> dict[str, str]:
    return {i["RouterInterfaceId"]: i["Status"] for i in sdk.interfaces(region)}


def assert_connected_pair(
    initiator: dict[str, Any],
    acceptor: dict[str, Any],
    initiator_owner: str = DEMO_ACCOUNT_ID,
    acceptor_owner: str = DEMO_ACCOUNT_ID,
    initiator_region: str = REGION,
    acceptor_region: str = REGION,
) -> None:
    """Both sides Active, each one's Opposite* fields naming the other."""
    for side, other, other_owner, other_region in (
        (initiator, acceptor, acceptor_owner, acceptor_region),
        (acceptor, initiator, initiator_owner, initiator_region),
    ):
        rid = side["RouterInterfaceId"]
        assert side["Status"] == "Active", f"{rid} is {side['Status']}"
        assert side["OppositeInterfaceId"] == other["RouterInterfaceId"], rid
        assert side["OppositeRouterId"] == other["RouterId"], rid
        assert side["OppositeRouterType"] == other["RouterType"], rid
        assert side["OppositeRegionId"] == other_region, rid
        assert str(side["OppositeInterfaceOwnerId"]) == other_owner, rid
        assert side["OppositeInterfaceStatus"] == "Active", rid
    assert initiator["Role"] == "InitiatingSide"
    assert acceptor["Role"] == "AcceptingSide"


# -- terraform running in the background -------------------------------------------------


class Background:
    """A terraform command in its own process group, its output collected as it comes."""

    def __init__(self, tf: AliTerraform, *args: str) -> None:
        self.tf = tf
        self.proc = tf.popen(*args)
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_for_line(self, predicate: Callable[[str], bool], timeout: float) -> str:
        deadline = time.monotonic() + timeout
        seen = 0
        while time.monotonic() < deadline:
            while seen < len(self.lines):
                line = self.lines[seen]
                seen += 1
                if predicate(line):
                    return line
            if self.proc.poll() is not None and seen >= len(self.lines):
                self._reader.join(5)
                if seen >= len(self.lines):
                    break
            time.sleep(0.02)
        self.kill()
        raise AssertionError(f"expected output did not appear:\n{self.output}")

    def interrupt(self) -> None:
        Terraform.interrupt(self.proc)

    def wait(self, timeout: float = COMMAND_TIMEOUT) -> int:
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(
                f"terraform did not exit within {timeout:g} s:\n{self.output}"
            ) from None
        self._reader.join(10)
        return code

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)


_ACTION_RE = re.compile(
    r"^\s*# (\S+) (will be created|will be destroyed|will be updated in-place|"
    r"must be replaced|will be read during apply)",
    re.MULTILINE,
)


def planned_actions(plan_output: str) -> dict[str, str]:
    """``{address: "will be created" | "must be replaced" | ...}`` from a plan's output
    (the "changed outside of Terraform" notes are not actions)."""
    return dict(_ACTION_RE.findall(plan_output.split("Terraform will perform")[-1]))
