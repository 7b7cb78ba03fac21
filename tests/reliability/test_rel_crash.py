"""Crash safety: SIGKILL at random moments under a mixed write load loses nothing."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import psutil

from riconnect.testing import LiveCloud


def test_workers_stop_when_their_supervisor_is_killed(tmp_path: Path) -> None:
    """`serve --workers 2` with its supervisor SIGKILLed: the workers used to keep serving on
    the inherited socket, orphaned, so a restart could not bind the port and the old workers
    answered with no one to stop them.  Now they notice and shut down."""
    cloud = LiveCloud(tmp_path / "w.db", workdir=tmp_path, extra_args=["--workers", "2"])
    with cloud:
        workers = psutil.Process(cloud.pid).children(recursive=True)
        assert len(workers) >= 2
        assert cloud.healthy()
        assert cloud.kill(signal.SIGKILL) == -signal.SIGKILL
        gone, alive = psutil.wait_procs(workers, timeout=15)
        assert not alive, f"orphaned workers still running: {[p.pid for p in alive]}"
        time.sleep(0.2)
        cloud.start()  # the port is free again
        assert cloud.healthy()
