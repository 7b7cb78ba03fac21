from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from riconnect.terraform.install import setup_mirror
from tests.terraform.helpers import (
    TOY_ADDRESS,
    TOY_PROVIDER,
    TOY_VERSION,
    Terraform,
    ToyTerraform,
    toy_header,
)


@pytest.fixture(scope="session")
def toy_install(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return setup_mirror(
        tmp_path_factory.mktemp("toy-install"),
        str(TOY_PROVIDER),
        version=TOY_VERSION,
        addresses=[TOY_ADDRESS],
    )


@pytest.fixture(scope="session")
def toy_initialized(tmp_path_factory: pytest.TempPathFactory, toy_install: dict[str, Any]) -> Path:
    """One ``terraform init`` shared by the e2e tests (they copy its result)."""
    tf = Terraform(tmp_path_factory.mktemp("toy-init"), toy_install["cli_config"])
    tf.write(toy_header())
    tf.init().check()
    return tf.workdir


@pytest.fixture
def toy_tf(
    tmp_path: Path, toy_install: dict[str, Any], toy_initialized: Path
) -> Callable[[str], ToyTerraform]:
    """``toy_tf(body)``: an initialized work dir whose main.tf is header + body.

    The provider stores objects in ``<tmp>/store`` (``tf.store``).
    """

    def make(body: str) -> ToyTerraform:
        tf = ToyTerraform(tmp_path / "work", toy_install["cli_config"])
        tf.copy_init_from(toy_initialized)
        tf.store = tmp_path / "store"
        tf.set_body(body)
        return tf

    return make
