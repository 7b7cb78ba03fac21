"""README's Terraform block works as printed after ``make`` (issue 16: it named ``riconnect``
and ``terraform``, which are not on PATH then).

It runs in a directory laid out like the checkout (``.venv`` and ``examples/seed``), with
HOME there too; the only change is the port, 18080 -> a free one, so that the test cannot
meet another server on this machine.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from riconnect.testing.live import free_port
from tests.cli.helpers import environment

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.terraform, pytest.mark.slow]


def terraform_block() -> str:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Use Terraform against riconnect", 1)[1]
    found = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert found is not None
    return found.group(1)


def test_block_names_commands_that_make_installs() -> None:
    for line in terraform_block().splitlines():
        word = line.split()[0] if line.split() else ""
        if word in ("riconnect", "terraform", "cd"):
            pytest.fail(f"not on PATH after make: {line}")


def test_terraform_block_runs_as_printed(tmp_path: Path) -> None:
    venv = Path(sys.prefix)
    if not (venv / "bin" / "terraform").exists():
        pytest.skip("outside tool: terraform beside this Python (the test extra)")
    (tmp_path / ".venv").symlink_to(venv)
    shutil.copytree(ROOT / "examples" / "seed", tmp_path / "examples" / "seed")
    port = free_port()
    script = "set -e\n" + terraform_block().replace("18080", str(port))
    env = environment(tmp_path)
    env["RICONNECT_PORT"] = str(port)
    log = tmp_path / "block.log"
    # Output to a file: the backgrounded server keeps whatever it inherits open.
    with log.open("w") as out, (tmp_path / "answer").open("w+") as answer:
        answer.write("yes\n")
        answer.seek(0)
        proc = subprocess.Popen(
            ["bash", "-c", script],
            cwd=tmp_path,
            env=env,
            stdin=answer,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # the backgrounded server is in this group, stopped below
        )
        try:
            proc.wait(timeout=300)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
    out_text = log.read_text()
    assert proc.returncode == 0, out_text
    assert "Apply complete! Resources: 6 added" in out_text
