"""Start-up pieces of ``riconnect serve``'s processes: logging, the guard that stops a worker
whose supervisor died, and an ASGI factory for running the app under another server
(``uvicorn riconnect.api.startup:create_app --factory``).  ``riconnect serve`` itself is
api/server.py (one process) and api/supervisor.py (``--workers N``); the settings are
declared in api/config.py; the cloud is built by api/runtime.py."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time

from riconnect.api.app import App
from riconnect.api.config import ServerConfig
from riconnect.api.http import GuardedH11Protocol
from riconnect.api.runtime import build_cloud

SUPERVISOR_ENV = "RICONNECT_SUPERVISOR_PID"


def configure_logging(level: str) -> None:
    logging.basicConfig(
        stream=sys.stderr,
        level=getattr(logging, level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    # Alembic narrates every start-up at INFO; only its problems matter here.
    logging.getLogger("alembic").setLevel(logging.WARNING)


def create_app() -> App:
    """ASGI app factory: configuration from the ``RICONNECT_*`` environment."""
    config = ServerConfig.from_env()
    configure_logging(config.log_level)
    GuardedH11Protocol.configure(config)
    if config.workers > 1:
        watch_supervisor()
    return App(build_cloud(config))


def watch_supervisor(interval: float = 0.25) -> None:
    """In a worker process of ``--workers N``: shut down when the supervisor is gone.

    uvicorn's workers outlive a supervisor killed with SIGKILL (the OOM killer, ``kill -9``):
    they keep serving on the inherited socket, with nobody to restart or stop them, and a new
    ``riconnect serve`` cannot bind the port.  A worker notices that it was re-parented and
    stops like on SIGTERM (in-flight requests finish); if that hangs, it exits anyway.
    """
    # The supervisor names itself (SUPERVISOR_ENV): a worker still starting when the
    # supervisor was killed would otherwise take its new parent (init) for the supervisor
    # and wait forever.
    supervisor = int(os.environ.get(SUPERVISOR_ENV) or os.getppid())

    def watch() -> None:
        while os.getppid() == supervisor:
            time.sleep(interval)
        logging.getLogger("riconnect.server").warning(
            "supervisor %d is gone; worker %d stops", supervisor, os.getpid()
        )
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(10)
        os._exit(1)

    threading.Thread(target=watch, name="riconnect-supervisor-watch", daemon=True).start()
