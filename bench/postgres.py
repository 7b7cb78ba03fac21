"""A throwaway PostgreSQL server for the scale scenario (Debian's binaries, as the tests use:
tests/support/postgres.py); None when the machine has none."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from riconnect.testing.live import free_port


def _bindir() -> Path | None:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(candidate, "initdb").exists():
            return Path(candidate)
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _as_postgres(cmd: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root.
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@contextlib.contextmanager
def postgres(where: Path) -> Iterator[str | None]:
    """A fresh server's URL (fsync off: a benchmark, not a store to keep), or None."""
    bindir = _bindir()
    if bindir is None:
        yield None
        return
    # Not under ``where``: the postgres user must reach it, and the bench's own directory is
    # private to root (mkdtemp).
    workdir = Path(tempfile.mkdtemp(prefix="riconnect-bench-pg-"))
    data = workdir / "data"
    data.mkdir()
    if os.geteuid() == 0:
        shutil.chown(workdir, "postgres", "postgres")
        shutil.chown(data, "postgres", "postgres")
    port = free_port()
    subprocess.run(
        _as_postgres([str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"]),
        check=True,
        capture_output=True,
        timeout=120,
    )
    with (workdir / "postgres.log").open("wb") as log:
        server = subprocess.Popen(
            _as_postgres(
                [
                    str(bindir / "postgres"),
                    "-D",
                    str(data),
                    "-p",
                    str(port),
                    "-k",
                    str(workdir),
                    "-c",
                    "listen_addresses=127.0.0.1",
                    "-c",
                    "fsync=off",
                ]
            ),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                ready = subprocess.run(
                    [str(bindir / "pg_isready"), "-h", "127.0.0.1", "-p", str(port)],
                    capture_output=True,
                    check=False,
                )
                if ready.returncode == 0:
                    break
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((workdir / "postgres.log").read_text()[-2000:])
                time.sleep(0.2)
            yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
        finally:
            server.terminate()
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()
            shutil.rmtree(workdir, ignore_errors=True)
