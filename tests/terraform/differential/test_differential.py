"""The differential suite: the official provider (aliyun/alicloud v1.285.0) and riconnect's,
the same configurations, each against a fresh riconnect cloud of its own, compared.

Cases are generated from the official schema (cases.py, data_cases.py, validation.py): every
argument of every resource (set, then changed: in place or replaced, as the plans say),
import after each step, every data-source argument, one doubtful value per argument and
every computed-only attribute set in configuration.  Run with ``-m differential``.

A case whose difference is known is marked ``xfail(strict=True)`` by expectations.py with
the reason: an item of issue 11 not yet done (it flips to a pass, and so fails, when it
lands), or an official bug riconnect deliberately does not copy (docs/fidelity.md lists
them).  Differences between a null and the zero value SDK v1 stores for an unset attribute
("" / false / {} / a timeouts object of nulls) are compared per type
(``test_zero_values``), not per case.

Cost: every command of the official provider loads a 400 MB binary and its 2.7 MB schema,
so the cases of one type share one configuration (one resource instance per case), one
directory per step, one cloud per provider, and one ``terraform init`` per provider; a
case whose plan is refused is planned again without it, so one refusal hides nothing else.
About 15 minutes on a 2-core machine that other jobs load 10-fold, 3 jobs at a time
(RICONNECT_DIFFERENTIAL_WORKERS).

Needs the official binary (scripts/build-official-provider; RICONNECT_OFFICIAL_PROVIDER) and
a Terraform >= 1.5 (import blocks); without them the tests skip as an outside tool.
"""

from __future__ import annotations

import os
import pickle
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from riconnect.terraform.alicloud.data_sources import DATA_SOURCES
from riconnect.terraform.alicloud.resources import RESOURCES
from riconnect.testing import LiveCloud
from tests.terraform.differential import cases as C
from tests.terraform.differential.compare import Differences, compare_case
from tests.terraform.differential.data_cases import data_cases, render_data
from tests.terraform.differential.expectations import expected
from tests.terraform.differential.runner import GroupResult, initialize, run_group
from tests.terraform.differential.validation import (
    ValidationResult,
    run_validation,
    validation_cases,
)
from tests.terraform.scenarios import (
    newest_terraform,
    official_binary,
    official_mirror,
    python_provider,
    terraform_version,
)

pytestmark = [
    pytest.mark.terraform,
    pytest.mark.slow,
    pytest.mark.official_provider,
    pytest.mark.differential,
]

CLOUD = {"transitions": "immediate", "vpc_quota": 300}
OURS_RESOURCES = {
    r.type_name: set(r.schema.block.attribute_map) | set(r.schema.block.block_map)
    for r in (lazy.load() for lazy in RESOURCES)
}
OURS_DATA = {
    d.type_name: set(d.schema.block.attribute_map) for d in (lazy.load() for lazy in DATA_SOURCES)
}
OURS_ALL = {**OURS_RESOURCES, **OURS_DATA}


def _shared(kind: str, type_name: str) -> frozenset[str]:
    official = set(C.official_schema()[kind][type_name]["block"]["attributes"])
    ours = OURS_ALL.get(type_name, set())
    return frozenset(official & ours)


def _tools() -> tuple[Path, str] | str:
    binary = official_binary(wait=float(os.environ.get("RICONNECT_OFFICIAL_WAIT", 45 * 60)))
    if isinstance(binary, str):
        return binary
    newest = newest_terraform()
    if isinstance(newest, str):
        return newest
    if terraform_version(newest[0]) < (1, 5):
        return f"outside tool: Terraform >= 1.5 (import blocks); the newest here is {newest[1]}"
    return binary, newest[0]


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any] | str:
    """Every group for both providers: {"group/provider": result}.
    RICONNECT_DIFFERENTIAL_DUMP=FILE keeps a run's results; RICONNECT_DIFFERENTIAL_REPLAY=FILE
    compares a kept run again (for working on the comparison, not for CI)."""
    replay = os.environ.get("RICONNECT_DIFFERENTIAL_REPLAY")
    if replay:
        kept: dict[str, Any] = pickle.loads(Path(replay).read_bytes())
        return kept
    tools = _tools()
    if isinstance(tools, str):
        return tools
    binary, terraform = tools
    root = tmp_path_factory.mktemp("differential")
    setups = {
        "official": official_mirror(binary, root / "official-mirror"),
        "python": python_provider(root / "python-install"),
    }

    # One init per provider (the official binary is 400 MB), shared by every directory.
    initialized = {}
    for provider, setup in setups.items():
        with LiveCloud(workdir=root / f"init-cloud-{provider}", **CLOUD) as cloud:
            initialized[provider] = initialize(root / f"init-{provider}", cloud, setup, terraform)

    def resource_job(group: C.ResourceGroup, provider: str) -> GroupResult:
        known = None if provider == "official" else OURS_RESOURCES[group.type]
        steps = [
            (step, lambda held, dropped, s=step: C.render(group, s, known, held, dropped))
            for step in ("first", "second")
        ]
        folder = root / f"{group.type}-{provider}"
        return run_group(folder, setups[provider], terraform, initialized[provider], steps, CLOUD)

    def data_job(provider: str) -> GroupResult:
        known = None if provider == "official" else OURS_DATA
        steps = [("read", lambda held, dropped: render_data(known, dropped))]
        folder = root / f"data-{provider}"
        return run_group(folder, setups[provider], terraform, initialized[provider], steps, CLOUD)

    def validation_job(provider: str) -> ValidationResult:
        known = None if provider == "official" else OURS_ALL
        folder = root / f"validation-{provider}"
        with LiveCloud(workdir=folder / "cloud", **CLOUD) as cloud:
            return run_validation(
                folder, cloud, setups[provider], terraform, initialized[provider], known
            )

    jobs: dict[tuple[str, str], Any] = {}
    workers = int(os.environ.get("RICONNECT_DIFFERENTIAL_WORKERS", "3"))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        # Longest first: the official provider's resource groups (its fixed waits), then ours.
        for provider in ("official", "python"):
            for group in C.RESOURCE_GROUPS[::-1]:
                jobs[(group.type, provider)] = pool.submit(resource_job, group, provider)
        for provider in ("official", "python"):
            jobs[("data", provider)] = pool.submit(data_job, provider)
            jobs[("validation", provider)] = pool.submit(validation_job, provider)
        found = {f"{g}/{p}": future.result() for (g, p), future in jobs.items()}
    dump = os.environ.get("RICONNECT_DIFFERENTIAL_DUMP")
    if dump:  # for studying a run's differences without running it again
        Path(dump).write_bytes(pickle.dumps(found))
    return found


def _pair(results: dict[str, Any] | str, group: str) -> tuple[Any, Any]:
    if isinstance(results, str):
        if results.startswith("outside tool:"):
            pytest.skip(results)
        pytest.fail(results)
    return results[f"{group}/official"], results[f"{group}/python"]


def _report(differences: list[str]) -> str:
    return "\n".join(line[:500] for line in differences[:60])


def _param(case_id: str) -> Any:
    reason = expected(case_id)
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(case_id, id=case_id, marks=marks)


RESOURCE_CASES = {c.id: c for group in C.RESOURCE_GROUPS for c in C.cases(group)}


@pytest.mark.parametrize("case_id", [_param(c) for c in RESOURCE_CASES])
def test_resource_case(results: dict[str, Any] | str, case_id: str) -> None:
    case = RESOURCE_CASES[case_id]
    official, ours = _pair(results, case.group.type)
    found = compare_case(case.address, official, ours, _shared("resource_schemas", case.group.type))
    assert not found.real, _report(found.real)


@pytest.mark.parametrize("type_name", [_param(f"zero:{g.type}") for g in C.RESOURCE_GROUPS])
def test_zero_values(results: dict[str, Any] | str, type_name: str) -> None:
    group = type_name.split(":", 1)[1]
    official, ours = _pair(results, group)
    zero: list[str] = []
    for case in RESOURCE_CASES.values():
        if case.group.type == group:
            shared = _shared("resource_schemas", group)
            zero += [
                f"{case.name}: {line}"
                for line in compare_case(case.address, official, ours, shared).zero
            ]
    assert not zero, _report(zero)


DATA_CASES = {c.address: c for c in data_cases()}


@pytest.mark.parametrize("address", [_param(a) for a in DATA_CASES])
def test_data_case(results: dict[str, Any] | str, address: str) -> None:
    case = DATA_CASES[address]
    official, ours = _pair(results, "data")
    found: Differences = compare_case(
        address, official, ours, _shared("data_source_schemas", case.type)
    )
    assert not found.real + found.zero, _report(found.real + found.zero)


VALIDATION_CASES = {c.address: c for c in validation_cases()}


@pytest.mark.parametrize("address", [_param(f"validate:{a}") for a in VALIDATION_CASES])
def test_validation_case(results: dict[str, Any] | str, address: str) -> None:
    address = address.split(":", 1)[1]
    official, ours = _pair(results, "validation")
    for result in (official, ours):
        assert not result.harness, result.harness
    if address in ours.left_out:
        pytest.fail(f"ours lacks the argument {ours.left_out[address]!r}")
    want = sorted((d.severity, d.summary, d.detail) for d in official.diagnostics.get(address, []))
    got = sorted((d.severity, d.summary, d.detail) for d in ours.diagnostics.get(address, []))
    assert got == want, f"official: {want}\nours:     {got}"
