"""``riconnect serve --workers N``: N server processes on one listening socket.

uvicorn's own supervisor restarted a worker that died at start, forever, whatever the cause
(a corrupt or newer database made ``serve`` spin).  Here the supervisor has already checked
everything once (api/server.py) and then:

* a worker that exits before it served is a start failure: the supervisor stops the other
  workers, logs that worker's error and exits non-zero;
* a worker that dies after it served (killed, out of memory) is replaced, once per death;
  a replacement that fails at start stops everything as above;
* SIGINT or SIGTERM is logged once, passed to the workers as SIGTERM (each finishes its
  requests and saves its store), and after they have exited the supervisor checkpoints the
  database itself, so the file alone holds the whole cloud whatever the workers managed.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import socket
import sys
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from riconnect.api.config import ServerConfig

log = logging.getLogger("riconnect.server")

# A worker's exit status when it could not start (uvicorn uses 3 for the same).
START_FAILURE = 3


def run_worker(config: ServerConfig, sock: socket.socket, conn: Connection) -> None:
    """A worker process: build the cloud, serve on ``sock``, tell the supervisor how the
    start went through ``conn`` (``("ready",)`` or ``("failed", message)``)."""
    import uvicorn

    from riconnect.api.app import App
    from riconnect.api.http import GuardedH11Protocol
    from riconnect.api.runtime import build_cloud
    from riconnect.api.serving import CloudServer, uvicorn_options
    from riconnect.api.startup import configure_logging, watch_supervisor

    configure_logging(config.log_level)
    GuardedH11Protocol.configure(config)
    try:
        cloud = build_cloud(config)
    except Exception as exc:  # told to the supervisor, which stops the server with it
        conn.send(("failed", str(exc) or type(exc).__name__))
        sys.exit(START_FAILURE)
    watch_supervisor()
    server = CloudServer(
        uvicorn.Config(App(cloud), **uvicorn_options(config)),
        cloud,
        announce=False,
        on_started=lambda: conn.send(("ready",)),
    )
    # Ctrl-C reaches every process of the terminal's group; the supervisor stops this one.
    with contextlib.suppress(KeyboardInterrupt):
        server.run(sockets=[sock])


Target = Callable[[ServerConfig, socket.socket, Connection], None]


class _Worker:
    def __init__(self, ctx: Any, target: Target, config: ServerConfig, sock: socket.socket):
        self.conn, child = ctx.Pipe(duplex=False)
        self.process = ctx.Process(target=target, args=(config, sock, child), daemon=False)
        self.process.start()
        child.close()
        self.ready = False
        self.failure = ""

    def read(self) -> None:
        try:
            while self.conn.poll():
                message = self.conn.recv()
                if message[0] == "ready":
                    self.ready = True
                elif message[0] == "failed":
                    self.failure = message[1]
        except (EOFError, OSError):
            pass


class Supervisor:
    def __init__(
        self, config: ServerConfig, sock: socket.socket, target: Target = run_worker
    ) -> None:
        self.config = config
        self.sock = sock
        self.target = target
        self.signals: list[int] = []

    def run(self) -> int:
        from riconnect.api.startup import SUPERVISOR_ENV

        # Workers watch this pid (api/startup.py): one still starting when the supervisor is
        # SIGKILLed would otherwise take its new parent for the supervisor.
        os.environ[SUPERVISOR_ENV] = str(os.getpid())
        ctx = multiprocessing.get_context("spawn")
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda sig, _frame: self.signals.append(sig))
        workers = [
            _Worker(ctx, self.target, self.config, self.sock) for _ in range(self.config.workers)
        ]
        status = 0
        try:
            status = self._watch(ctx, workers)
        finally:
            self._stop(workers)
            self.sock.close()
        if status:
            return status
        self._save()
        if self.signals:
            # As a single server does (uvicorn re-raises what it caught): the exit status
            # says which signal stopped the server.
            first = self.signals[0]
            signal.signal(first, signal.SIG_DFL)
            signal.raise_signal(first)
        return 0

    def _watch(self, ctx: Any, workers: list[_Worker]) -> int:
        from multiprocessing.connection import wait

        while not self.signals:
            wait([w.process.sentinel for w in workers] + [w.conn for w in workers], timeout=0.5)
            for i, worker in enumerate(workers):
                worker.read()
                if worker.process.is_alive():
                    continue
                worker.read()
                code = worker.process.exitcode
                if not worker.ready:
                    why = worker.failure or f"exit status {code}, see the log above"
                    log.error(
                        "worker %d of %d failed to start (%s); stopping the server",
                        i + 1,
                        len(workers),
                        why,
                    )
                    return 1
                log.warning(
                    "worker %d (pid %s) exited with status %s; starting another",
                    i + 1,
                    worker.process.pid,
                    code,
                )
                workers[i] = _Worker(ctx, self.target, self.config, self.sock)
        log.info(
            "%s: stopping %d workers; requests in progress get %g s, then the state is saved",
            signal.Signals(self.signals[0]).name,
            len(workers),
            self.config.shutdown_timeout,
        )
        return 0

    def _stop(self, workers: list[_Worker]) -> None:
        for worker in workers:
            if worker.process.is_alive() and worker.process.pid is not None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(worker.process.pid, signal.SIGTERM)
        deadline = time.monotonic() + self.config.shutdown_timeout + 10
        for worker in workers:
            worker.process.join(max(0.0, deadline - time.monotonic()))
            if worker.process.is_alive():
                log.warning("worker pid %s did not stop in time; killed", worker.process.pid)
                worker.process.kill()
                worker.process.join()

    def _save(self) -> None:
        """Checkpoint the database once every worker has gone (the last one's own checkpoint
        may have found the others still reading)."""
        from riconnect.api.serving import saved_where
        from riconnect.store.db import Store, StoreOpenError

        if self.config.db != ":memory:":
            try:
                Store(self.config.db, migrate=False, create=False).close()
            except StoreOpenError as exc:
                log.warning("final checkpoint skipped: %s", exc)
        log.info("stopped; %s", saved_where(self.config))
