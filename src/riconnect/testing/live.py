"""A riconnect server as a real subprocess, and the small waits around it. No pytest here.

:class:`LiveCloud` runs ``riconnect serve`` on a free port: the same server a program would
talk to, with its own database file that survives restarts.  :func:`free_port` and
:func:`wait_healthy` are its two halves for callers that manage the process themselves
(``riconnect demo`` keeps its cloud running after it exits, which a :class:`LiveCloud` never
does).  :func:`wait_until` is the deadline-poll to use instead of ``time.sleep``.

This module imports neither pytest nor an SDK, so tools outside a test run (the demo, the
benchmarks) can use it; the fixtures built on it are in :mod:`riconnect.testing.fixtures`.
"""

from __future__ import annotations

import atexit
import contextlib
import errno
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
import weakref
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from riconnect.operator_client import OperatorClient

__all__ = [
    "HEALTH_PATH",
    "CloudStartError",
    "LiveCloud",
    "endpoint_of",
    "free_port",
    "unique_name",
    "wait_healthy",
    "wait_until",
]

HEALTH_PATH = "/riconnect/health"

T = TypeVar("T")


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that was free a moment ago (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def unique_name(prefix: str = "rc") -> str:
    """``prefix`` plus 10 random hex digits: a name no other test in the run uses."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def wait_until(
    predicate: Callable[[], T],
    timeout: float = 10.0,
    interval: float = 0.05,
    message: str = "condition",
) -> T:
    """Call ``predicate`` until it returns something truthy, and return that.

    Raises ``TimeoutError`` after ``timeout`` seconds.  The deadline-poll to use instead
    of ``time.sleep`` when waiting for a resource to reach a state.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise TimeoutError(f"{message} not reached within {timeout} s")
        time.sleep(interval)


def endpoint_of(target: str | LiveCloud) -> str:
    """``host:port`` of a :class:`LiveCloud` or of an endpoint string, refusing a scheme."""
    endpoint = target.endpoint if isinstance(target, LiveCloud) else target
    if "://" in endpoint:
        # The SDKs would sign the scheme as part of the host header (they take the
        # protocol as a separate setting).
        raise ValueError(f"endpoint must be host:port without a scheme, got {endpoint!r}")
    return endpoint


class CloudStartError(RuntimeError):
    """``riconnect serve`` did not become healthy; the message ends with its stderr."""


# Health checks go straight to the local server, whatever proxy the environment names.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _answers_health(url: str) -> bool:
    try:
        with _DIRECT.open(url + HEALTH_PATH, timeout=1.0) as resp:
            return bool(resp.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def _no_details() -> str:
    return ""


def wait_healthy(
    proc: subprocess.Popen[bytes],
    url: str,
    timeout: float = 30.0,
    *,
    port: int | None = None,
    where: str | None = None,
    details: Callable[[], str] = _no_details,
) -> None:
    """Wait until the server process ``proc`` answers ``url`` + :data:`HEALTH_PATH`.

    With ``port``, an answer counts only once ``proc`` itself holds the listening socket on
    it, so another server that grabbed the port first cannot pass for this one.

    Raises :class:`CloudStartError` when ``proc`` exits first or ``timeout`` seconds pass; the
    message names ``where`` (default: ``url``) and ends with ``details()`` (e.g. a log tail).
    """
    where = url if where is None else where
    deadline = time.monotonic() + timeout
    while True:
        code = proc.poll()
        if code is not None:
            raise CloudStartError(
                f"riconnect serve exited with status {code} during start-up ({where})."
                + _suffix(details)
            )
        if _answers_health(url) and (port is None or _listens(proc.pid, port)):
            return
        if time.monotonic() >= deadline:
            raise CloudStartError(
                f"riconnect serve did not answer {HEALTH_PATH} within {timeout} s ({where})."
                + _suffix(details)
            )
        time.sleep(0.05)


def _suffix(details: Callable[[], str]) -> str:
    text = details()
    return "\n" + text if text else ""


# Running servers, held strongly so none is orphaned by garbage collection; killed at exit.
_RUNNING: set[LiveCloud] = set()


@atexit.register
def _stop_all_live_clouds() -> None:  # pragma: no cover - runs at interpreter exit
    for cloud in list(_RUNNING):
        with contextlib.suppress(Exception):
            cloud.kill()


class LiveCloud:
    """``riconnect serve`` as a subprocess (``sys.executable -m riconnect.cli serve``).

    ``db`` defaults to a SQLite file in a temporary directory that lives as long as this
    object's context; give a path to keep state across :class:`LiveCloud` objects.  The
    server's stdout and stderr go to :attr:`log_path` (appended to across restarts).

    ``RICONNECT_*`` variables of the calling environment are *not* passed on, so a setting
    in your shell cannot change a test server; use ``env`` (added last) to set them.

    The port is chosen once and kept by :meth:`restart`, so clients built for
    :attr:`endpoint` keep working across restarts.
    """

    def __init__(
        self,
        db: str | os.PathLike[str] | None = None,
        *,
        accounts: str | os.PathLike[str] | None = None,
        transitions: str | None = None,
        faults: str | None = None,
        vpc_quota: int | None = None,
        max_body: int | None = None,
        extra_args: Sequence[str] = (),
        env: Mapping[str, str] | None = None,
        host: str = "127.0.0.1",
        port: int | None = None,
        workdir: str | os.PathLike[str] | None = None,
        startup_timeout: float = 30.0,
        log_level: str = "info",
    ) -> None:
        self._own_workdir = workdir is None
        self.workdir = Path(tempfile.mkdtemp(prefix="riconnect-") if workdir is None else workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        if self._own_workdir:  # removed by close(), or at the latest when this object goes
            weakref.finalize(self, shutil.rmtree, str(self.workdir), True)
        self.db = str(self.workdir / "riconnect.db") if db is None else os.fspath(db)
        self.accounts = None if accounts is None else os.fspath(accounts)
        self.host = host
        self._fixed_port = port is not None
        self.port = port if port is not None else free_port(host)
        self.startup_timeout = startup_timeout
        self.options: dict[str, str] = {}
        for flag, value in (
            ("--accounts", self.accounts),
            ("--transitions", transitions),
            ("--faults", faults),
            ("--vpc-quota", vpc_quota),
            ("--max-body", max_body),
            ("--log-level", log_level),
        ):
            if value is not None:
                self.options[flag] = str(value)
        self.extra_args = tuple(extra_args)
        self.extra_env = dict(env or {})
        self.log_path = self.workdir / f"riconnect-{uuid.uuid4().hex[:8]}.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self._lock = threading.Lock()

    # -- addresses
    @property
    def endpoint(self) -> str:
        """``host:port``: what the SDKs take as their endpoint (no scheme)."""
        return f"{self.host}:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.endpoint}"

    @property
    def pid(self) -> int | None:
        return None if self.proc is None else self.proc.pid

    # -- lifecycle
    def command(self) -> list[str]:
        cmd = [sys.executable, "-m", "riconnect.cli", "serve"]
        cmd += ["--host", self.host, "--port", str(self.port), "--db", self.db]
        for flag, value in self.options.items():
            cmd += [flag, value]
        return cmd + list(self.extra_args)

    def environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("RICONNECT_")}
        env["PYTHONUNBUFFERED"] = "1"
        env.update(self.extra_env)
        return env

    def is_running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def start(self) -> LiveCloud:
        """Start the server and wait until it answers its health check."""
        with self._lock:
            if self.is_running():
                return self
            attempts = 1 if self._fixed_port or self.starts else 3
            for attempt in range(attempts):
                try:
                    self._start_once()
                    break
                except CloudStartError as exc:
                    # Someone took our port between free_port() and the bind: pick another
                    # (only before the first successful start, when no client knows the port).
                    if attempt + 1 == attempts or not _port_taken(str(exc)):
                        raise
                    self.port = free_port(self.host)
            self.starts += 1
            _RUNNING.add(self)
            return self

    def _start_once(self) -> None:
        with self.log_path.open("ab") as log:
            log.write(f"--- start: {' '.join(self.command())}\n".encode())
            log.flush()
            self.proc = subprocess.Popen(
                self.command(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=self.environment(),
            )
        try:
            wait_healthy(
                self.proc,
                self.url,
                self.startup_timeout,
                port=self.port,
                where=f"port {self.port}, db {self.db}",
                details=self.log_tail,
            )
        except BaseException:
            self._terminate(signal.SIGKILL)
            raise

    def healthy(self) -> bool:
        """True when the server answers its health check now."""
        return self.is_running() and _answers_health(self.url)

    def kill(self, sig: int = signal.SIGKILL, timeout: float = 10.0) -> int | None:
        """Send ``sig`` (default SIGKILL: no clean-up at all) and wait for the exit.

        Returns the exit status (negative signal number when killed), None if not running.
        """
        with self._lock:
            return self._terminate(sig, timeout)

    def stop(self, timeout: float = 10.0) -> int | None:
        """Graceful stop (SIGTERM), then SIGKILL after ``timeout`` seconds.

        Returns the exit status: ``-SIGTERM`` after a graceful stop (uvicorn re-raises the
        signal it caught once it has shut down), ``-SIGKILL`` if it had to be killed.
        """
        with self._lock:
            return self._terminate(signal.SIGTERM, timeout)

    def _terminate(self, sig: int, timeout: float = 10.0) -> int | None:
        proc = self.proc
        if proc is None:
            return None
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(sig)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout)
        _RUNNING.discard(self)
        return proc.returncode

    def restart(self, timeout: float = 10.0) -> LiveCloud:
        """Stop (if running) and start again on the same port and database."""
        self.stop(timeout)
        return self.start()

    @property
    def returncode(self) -> int | None:
        return None if self.proc is None else self.proc.poll()

    def log_tail(self, lines: int = 40) -> str:
        """The last ``lines`` lines of the server's output, for failure messages."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no server output)"
        tail = text.splitlines()[-lines:]
        return "--- riconnect serve output (tail) ---\n" + "\n".join(tail)

    def close(self) -> None:
        """Stop the server and delete the temporary directory if this object made it."""
        self.stop()
        if self._own_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> LiveCloud:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "running" if self.is_running() else "stopped"
        return f"<LiveCloud {self.endpoint} db={self.db} {state}>"

    # -- the operator surface (/riconnect/...)
    @property
    def operator(self) -> OperatorClient:
        """A client of this server's operator surface (state, reset, snapshots, journal,
        settings), with the admin token given in ``env`` if any."""
        from riconnect.operator_client import OperatorClient

        return OperatorClient(self.url, token=self.extra_env.get("RICONNECT_ADMIN_TOKEN", ""))

    def reset(self, account: str | None = None) -> None:
        """Empty the cloud (or one account), keeping the accounts: milliseconds."""
        self.operator.reset(account)

    def state(self, account: str | None = None) -> dict[str, Any]:
        """Every resource by account and region (``GET /riconnect/state``)."""
        return self.operator.state(account)

    def save_snapshot(self, path: str | os.PathLike[str]) -> Path:
        """Write a consistent snapshot of the running cloud to ``path``."""
        target = Path(path)
        target.write_bytes(self.operator.save_snapshot(compress=target.suffix == ".gz"))
        return target

    def load_snapshot(self, path: str | os.PathLike[str]) -> dict[str, Any]:
        """Replace the running cloud by the snapshot at ``path`` (atomically)."""
        return self.operator.load_snapshot(Path(path).read_bytes())


def _port_taken(text: str) -> bool:
    return "address already in use" in text.lower() or f"[errno {errno.EADDRINUSE}]" in text.lower()


def _listens(pid: int, port: int) -> bool:
    """True when process ``pid`` holds the listening socket on ``port``.

    Guards against a health check answered by some other server that grabbed the port
    first.  Without psutil (a test extra) the check is skipped.
    """
    try:
        import psutil
    except ImportError:  # pragma: no cover
        return True
    try:
        proc = psutil.Process(pid)
        conns = proc.net_connections(kind="tcp")
    except (psutil.Error, OSError):  # pragma: no cover - e.g. not permitted on this OS
        return True
    return any(c.status == psutil.CONN_LISTEN and c.laddr and c.laddr.port == port for c in conns)
