"""The package a user installs, not the editable checkout (issue 16): ``python -m build``
makes a wheel, a fresh venv outside the checkout installs it with its terraform extra, and
``riconnect demo`` runs from another directory, with nothing of the checkout on any path.

The wheel's files come from a copy of the sources, so the build leaves nothing in the
checkout; pip's cache (warm after ``make test`` installed the same dependencies) keeps the
install to tens of seconds.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from tests.cli.helpers import environment

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.slow, pytest.mark.terraform]


def _run(args: list[str], **kw: object) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(args, capture_output=True, text=True, timeout=600, **kw)  # type: ignore[call-overload]
    assert proc.returncode == 0, f"{args}\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
    return proc


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(
        ROOT / "src",
        source / "src",
        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc"),
    )
    _run([sys.executable, "-m", "build", "--wheel", "--outdir", str(tmp / "dist"), str(source)])
    (found,) = (tmp / "dist").glob("riconnect-*.whl")
    return found


def test_the_wheel_holds_every_file_the_package_reads(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    package = ROOT / "src" / "riconnect"
    data = [
        p.relative_to(package.parent).as_posix()
        for p in package.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    ]
    missing = sorted(name for name in data if name not in names)
    assert missing == [], f"not in the wheel: {missing}"
    assert "riconnect/examples/seed/main.tf" in names
    assert "riconnect/store/migrations/script.py.mako" in names


def test_installed_wheel_runs_the_demo_from_anywhere(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    started = time.monotonic()
    _run([sys.executable, "-m", "venv", str(venv)])
    # The user's install: the wheel with its terraform extra (what README says for a clone).
    _run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", f"{wheel}[terraform]"])
    installed = time.monotonic() - started
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # No checkout on any path, and no other terraform: the demo must find the one installed
    # beside the venv's Python.
    env = environment(elsewhere, {"PATH": "/usr/bin:/bin"})
    env.pop("PYTHONPATH", None)
    run = subprocess.run(
        [str(venv / "bin" / "riconnect"), "demo"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Connected: vpc-" in run.stdout and "Destroyed in" in run.stdout
    assert str(venv / "bin" / "terraform") in run.stdout  # the installed one, not another
    assert (elsewhere / ".demo" / "seed" / "main.tf").read_text() == (
        ROOT / "examples" / "seed" / "main.tf"
    ).read_text()
    print(f"wheel installed into a fresh venv in {installed:.0f} s")
