"""Running the ``riconnect`` command as a user would: a subprocess, its own environment."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Run:
    args: Sequence[str]
    returncode: int
    stdout: str
    stderr: str

    def error_line(self) -> str:
        """The one line a refusal prints; fails unless it is exactly one line, with a
        non-zero status, no traceback and nothing on stdout."""
        lines = self.stderr.strip().splitlines()
        where = f"riconnect {' '.join(self.args)}"
        assert self.returncode not in (0, None), f"{where}: exit status 0\n{self.stderr}"
        assert "Traceback" not in self.stderr, f"{where}: traceback\n{self.stderr}"
        assert len(lines) == 1, f"{where}: {len(lines)} lines on stderr:\n{self.stderr}"
        assert self.stdout.strip() == "", f"{where}: stdout {self.stdout!r}"
        return lines[0]


def environment(home: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The caller's environment without RICONNECT_* settings, with HOME (and so the default
    database) under ``home``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RICONNECT_")}
    env.pop("XDG_DATA_HOME", None)
    env["HOME"] = str(home)
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra or {})
    return env


def riconnect(
    *args: str,
    home: Path,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 60,
) -> Run:
    proc = subprocess.run(
        [sys.executable, "-m", "riconnect.cli", *args],
        capture_output=True,
        text=True,
        env=environment(home, env),
        cwd=cwd or home,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    return Run(args, proc.returncode, proc.stdout, proc.stderr)
