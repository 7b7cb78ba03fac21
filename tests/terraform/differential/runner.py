"""One provider through the steps of one group of differential cases, against its own fresh
riconnect cloud, under ``riconnect terraform run`` (tests/terraform/scenarios.py's Runner).

Per step: ``plan -out`` and its JSON (the plan compared), ``apply`` of that plan (errors kept
per address), ``show -json`` (the state compared), a second plan (what the provider would
change right after its own apply), and the import of every managed resource into an empty
state through ``import`` blocks in a second directory (one plan imports them all: the
imported values and the plan after them are compared).  Import blocks need Terraform 1.5.

What a step produced is kept as plain data (:class:`StepResult`); test_differential.py
compares the two providers' results case by case.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from riconnect.testing import LiveCloud
from tests.terraform.scenarios import ProviderSetup, Runner

# Ids riconnect issues (random, so different in the two clouds) and timestamps.
_ID = re.compile(r"^(vpc|vrt|vtb|ri|vbr|rg|vsw|pc)-[a-z0-9]{8,}$")
_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
# IPv6 blocks: each cloud draws a VPC's /56 at random (enable_ipv6), so only the prefix
# length is compared.
_IPV6_BLOCK = re.compile(r"^[0-9a-f]{1,4}(:[0-9a-f]{0,4})+::?/(\d+)$")
# Alibaba error codes quoted in a provider's error (both providers quote the cloud's code).
# The official provider writes "Code: X"; ours "<Action> failed: X: message".
_CODE = re.compile(
    r"(?:\b(?:Code|code)[\"']?\s*[:=]\s*[\"']?|\bfailed: )([A-Z][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)+)"
)


def normalize(value: Any) -> Any:
    """``value`` with ids, timestamps and IPv6 blocks replaced by placeholders."""
    if isinstance(value, dict):
        return {k: normalize(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalize(v) for v in value]
    if isinstance(value, str):
        match = _ID.match(value)
        if match:
            return f"<{match.group(1)}-id>"
        if _TIME.match(value):
            return "<time>"
        match = _IPV6_BLOCK.match(value)
        if match:
            return f"<ipv6-block>/{match.group(2)}"
    return value


def is_zero(value: Any) -> bool:
    """Null or the zero value SDK v1 stores for an unset attribute ("", 0, false, empty
    collections, a timeouts object of nulls)."""
    if isinstance(value, dict):
        return all(is_zero(v) for v in value.values()) if value else True
    return value in (None, "", 0, False, [])


@dataclass
class Diagnostic:
    severity: str
    summary: str
    detail: str

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(_CODE.findall(f"{self.summary}\n{self.detail}"))


@dataclass
class Change:
    actions: list[str]
    before: Any
    after: Any
    after_unknown: Any
    replace_paths: list[Any]

    def changed(self) -> list[str]:
        """Top-level attributes the change touches (unknown after counts as changed)."""
        before, after = self.before or {}, self.after or {}
        unknown = self.after_unknown or {}
        names = set(before) | set(after)
        return sorted(
            n
            for n in names
            if unknown.get(n) is True
            or normalize(before.get(n)) != normalize(after.get(n))
            and not (is_zero(before.get(n)) and is_zero(after.get(n)))
        )


@dataclass
class StepResult:
    plan_errors: dict[str, list[Diagnostic]] = field(default_factory=dict)
    plan: dict[str, Change] = field(default_factory=dict)
    apply_errors: dict[str, list[Diagnostic]] = field(default_factory=dict)
    state: dict[str, Any] = field(default_factory=dict)
    after_apply: dict[str, Change] = field(default_factory=dict)
    imported: dict[str, Any] = field(default_factory=dict)
    after_import: dict[str, Change] = field(default_factory=dict)
    import_errors: dict[str, list[Diagnostic]] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)


@dataclass
class GroupResult:
    provider: str
    steps: dict[str, StepResult] = field(default_factory=dict)
    left_out: dict[str, str] = field(default_factory=dict)  # case id -> argument
    harness: str = ""  # a failure of the harness itself (the cloud died, a command hung)
    seconds: float = 0.0


def _json_lines(text: str) -> list[dict[str, Any]]:
    out = []
    for line in text.splitlines():
        if line.startswith("{"):
            try:
                out.append(json.loads(line))
            except ValueError:
                continue
    return out


def _diagnostics(text: str) -> dict[str, list[Diagnostic]]:
    """Error and warning diagnostics of a ``-json`` command, by resource address ("" when
    the diagnostic names none)."""
    found: dict[str, list[Diagnostic]] = {}
    for message in _json_lines(text):
        if message.get("type") != "diagnostic":
            continue
        d = message["diagnostic"]
        found.setdefault(d.get("address", ""), []).append(
            Diagnostic(d["severity"], d.get("summary", ""), d.get("detail", ""))
        )
    return found


def _changes(plan: dict[str, Any]) -> dict[str, Change]:
    return {
        rc["address"]: Change(
            rc["change"]["actions"],
            rc["change"].get("before"),
            rc["change"].get("after"),
            rc["change"].get("after_unknown"),
            rc["change"].get("replace_paths") or [],
        )
        for rc in plan.get("resource_changes", [])
    }


# (held, dropped) -> (configuration, {case id: argument the provider lacks}).
Render = Callable[[frozenset[str], frozenset[str]], tuple[str, dict[str, str]]]


class GroupRun:
    """The steps of one group for one provider, in ``workdir``, against ``cloud``."""

    def __init__(
        self,
        workdir: Path,
        cloud: LiveCloud,
        setup: ProviderSetup,
        terraform: str,
        initialized: Path,
    ) -> None:
        self.workdir = workdir
        self.cloud = cloud
        self.setup = setup
        self.terraform = terraform
        self.initialized = initialized

    def _dir(self, name: str) -> Runner:
        path = self.workdir / name
        path.mkdir(parents=True, exist_ok=True)
        # One init per provider: its plugin directory is shared, never copied (the official
        # binary is 400 MB).
        if not (path / ".terraform").exists():
            (path / ".terraform").symlink_to(self.initialized / ".terraform")
            shutil.copy(self.initialized / ".terraform.lock.hcl", path / ".terraform.lock.hcl")
        return Runner(path, self.cloud, self.setup, self.terraform)

    def _show(self, tf: Runner, *args: str) -> dict[str, Any]:
        result = tf("show", "-json", *args)
        lines = _json_lines(result.stdout)
        if result.returncode != 0 or not lines:
            raise RuntimeError(
                f"show -json {' '.join(args)}: exit {result.returncode}\n{result.stdout}"
            )
        return lines[0]

    def step(self, name: str, config: str) -> StepResult:
        out = StepResult()
        tf = self._dir("work")
        (tf.workdir / "main.tf").write_text(config)
        planned = tf("plan", "-json", "-input=false", f"-out={name}.tfplan")
        out.log.append(f"plan {name}: exit {planned.returncode}")
        out.plan_errors = _diagnostics(planned.stdout)
        if planned.returncode != 0:
            out.log.append(planned.stdout[-4000:])
            return out
        out.plan = _changes(self._show(tf, f"{name}.tfplan"))
        applied = tf("apply", "-json", "-input=false", f"{name}.tfplan")
        out.log.append(f"apply {name}: exit {applied.returncode}")
        out.apply_errors = {
            a: [d for d in ds if d.severity == "error"]
            for a, ds in _diagnostics(applied.stdout).items()
            if any(d.severity == "error" for d in ds)
        }
        state = self._show(tf)
        resources = ((state.get("values") or {}).get("root_module") or {}).get("resources", [])
        out.state = {r["address"]: r["values"] for r in resources}
        again = tf(
            "plan", "-json", "-input=false", "-detailed-exitcode", f"-out={name}-again.tfplan"
        )
        if again.returncode == 2:
            out.after_apply = _changes(self._show(tf, f"{name}-again.tfplan"))
        elif again.returncode == 0:
            pass  # no changes: every address no-op (compare.py reads a missing one so)
        else:
            out.log.append(
                f"plan after apply {name}: exit {again.returncode}\n{again.stdout[-3000:]}"
            )
        self._import(name, config, out)
        return out

    def _import(self, name: str, config: str, out: StepResult) -> None:
        imp = self._dir(f"import-{name}")
        blocks = "".join(
            f'import {{\n  to = {address}\n  id = "{values["id"]}"\n}}\n'
            for address, values in out.state.items()
            if not address.startswith("data.")
        )
        (imp.workdir / "main.tf").write_text(config)
        (imp.workdir / "imports.tf").write_text(blocks)
        planned = imp("plan", "-json", "-input=false", "-out=import.tfplan")
        out.import_errors = _diagnostics(planned.stdout)
        if planned.returncode != 0:
            out.log.append(
                f"import plan {name}: exit {planned.returncode}\n{planned.stdout[-3000:]}"
            )
            return
        changes = _changes(self._show(imp, "import.tfplan"))
        out.imported = {a: c.before for a, c in changes.items() if a in out.state}
        out.after_import = changes


def initialize(workdir: Path, cloud: LiveCloud, setup: ProviderSetup, terraform: str) -> Path:
    """``terraform init`` once for a provider; the directories of its groups share it."""
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "main.tf").write_text('resource "alicloud_vpc" "init" {}\n')
    result = Runner(workdir, cloud, setup, terraform)("init", "-no-color", "-input=false")
    if result.returncode != 0:
        raise RuntimeError(f"init ({setup.name}): {result.stdout}")
    return workdir


def run_group(
    workdir: Path,
    setup: ProviderSetup,
    terraform: str,
    initialized: Path,
    steps: list[tuple[str, Render]],
    cloud_options: dict[str, Any],
) -> GroupResult:
    """Every step of a group for one provider, in a fresh cloud of its own, in directories
    sharing the provider's one ``initialized`` directory."""
    result = GroupResult(setup.name)
    began = time.monotonic()
    cloud = LiveCloud(workdir=workdir / "cloud", **cloud_options)
    try:
        cloud.start()
        run = GroupRun(workdir, cloud, setup, terraform, initialized)
        held: frozenset[str] = frozenset()
        dropped: frozenset[str] = frozenset()
        for index, (name, render) in enumerate(steps):
            # A plan refused for some addresses is planned again without their changes, so
            # one refused case does not hide the others; the refusals are kept.
            refused: dict[str, list[Diagnostic]] = {}
            for _ in range(4):
                config, left_out = render(held, dropped)
                result.left_out.update(left_out)
                outcome = run.step(name, config)
                errors = {
                    a: ds
                    for a, ds in outcome.plan_errors.items()
                    if a and any(d.severity == "error" for d in ds)
                }
                if not errors or not outcome.log[0].endswith("exit 1"):
                    break
                refused.update(errors)
                if index == 0:
                    dropped |= set(errors)
                else:
                    held |= set(errors)
            outcome.plan_errors = {**refused, **outcome.plan_errors}
            result.steps[name] = outcome
    except Exception as exc:  # the comparison reports it; nothing is half-compared
        result.harness = f"{type(exc).__name__}: {exc}"
        if not cloud.is_running():
            result.harness += f"\n{cloud.log_tail()}"
    finally:
        cloud.close()
        result.seconds = time.monotonic() - began
    return result
