"""A throwaway PostgreSQL cluster started from the machine's binaries (Debian's postgresql
package; .ci/run installs it).  No pytest here: the test fixtures (tests/support/postgres.py)
and the benchmarks (bench/pgscale.py) both use it."""

from __future__ import annotations

import glob
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from riconnect.testing import free_port


def pg_bin() -> Path | None:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(candidate, "initdb").exists():
            return Path(candidate)
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _as_postgres(cmd: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


class PostgresServer:
    """A PostgreSQL cluster in a temporary directory, on a free port of 127.0.0.1.

    ``fsync`` off by default (tests): a crash of PostgreSQL (an immediate shutdown) still
    loses nothing it acknowledged, since the operating system keeps what was written; only a
    crash of the machine would.
    """

    def __init__(self, bindir: Path, *, fsync: bool = False) -> None:
        self.bindir = bindir
        self.fsync = fsync
        self.workdir = Path(tempfile.mkdtemp(prefix="riconnect-pg-"))
        self.data = self.workdir / "data"
        self.data.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.workdir, "postgres", "postgres")
            shutil.chown(self.data, "postgres", "postgres")
        self.port = free_port()
        self.log_path = self.workdir / "postgres.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.restarts = 0
        subprocess.run(
            _as_postgres(
                [str(bindir / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres"]
            ),
            check=True,
            capture_output=True,
            timeout=120,
        )

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def start(self, timeout: float = 60) -> None:
        log = open(self.log_path, "ab")  # noqa: SIM115 - the child holds it
        self.process = subprocess.Popen(
            _as_postgres(
                [
                    str(self.bindir / "postgres"),
                    "-D",
                    str(self.data),
                    "-p",
                    str(self.port),
                    "-k",
                    str(self.workdir),
                    "-c",
                    "listen_addresses=127.0.0.1",
                    "-c",
                    f"fsync={'on' if self.fsync else 'off'}",
                    "-c",
                    "max_connections=200",
                ]
            ),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while not self.ready():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("PostgreSQL did not start:\n" + self.log_tail())
            time.sleep(0.1)

    def ready(self) -> bool:
        done = subprocess.run(
            [str(self.bindir / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port)],
            capture_output=True,
        )
        return done.returncode == 0

    def stop(self, mode: str = "fast", timeout: float = 60) -> None:
        """``fast``: roll back every session and shut down cleanly (an administrator's
        restart); ``immediate``: every process exits at once, recovery runs at the next start
        (PostgreSQL's own crash)."""
        process = self.process
        if process is None or process.poll() is not None:
            return
        sig = {"fast": signal.SIGINT, "immediate": signal.SIGQUIT, "smart": signal.SIGTERM}[mode]
        # The postmaster runs as the postgres user under runuser: signal it, not runuser.
        pid_file = self.data / "postmaster.pid"
        try:
            os.kill(int(pid_file.read_text().split()[0]), sig)
        except (OSError, ValueError, IndexError):
            process.send_signal(sig)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout)

    def restart(self, mode: str = "fast") -> None:
        self.stop(mode)
        self.start()
        self.restarts += 1

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def close(self) -> None:
        self.stop("fast")
        shutil.rmtree(self.workdir, ignore_errors=True)


def new_database(server_url: str) -> str:
    """A fresh, empty database on the server at ``server_url``; its URL."""
    import psycopg

    name = f"rc_{os.getpid()}_{time.monotonic_ns()}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return server_url.rsplit("/", 1)[0] + "/" + name
