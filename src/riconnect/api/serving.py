"""The uvicorn server of one ``riconnect serve`` process, shared by a single server
(api/server.py) and each worker of ``--workers N`` (api/supervisor.py): it logs the stop
and saves the store on the way out."""

from __future__ import annotations

import logging
import signal
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import uvicorn

from riconnect.api.config import ServerConfig
from riconnect.api.http import GuardedH11Protocol
from riconnect.api.runtime import CloudRuntime
from riconnect.store.opening import mask_password

log = logging.getLogger("riconnect.server")


def event_loop() -> str:
    """uvloop where it is installed (a dependency on Linux and macOS): its loop and transports
    are native code, and the deadlines of api/http.py use only the asyncio API it
    implements (call_later, pause_writing/resume_writing, abort).  Else asyncio's."""
    try:
        import uvloop  # noqa: F401
    except ImportError:
        return "asyncio"
    return "uvloop"


def uvicorn_options(config: ServerConfig) -> dict[str, Any]:
    return {
        "log_level": "warning",
        "loop": event_loop(),
        "access_log": False,
        # Always h11 (with deadlines, see api/http.py): uvicorn's "auto" would pick
        # httptools when installed, which ignores the head size limit.
        "http": GuardedH11Protocol,
        "timeout_keep_alive": config.keep_alive,
        "h11_max_incomplete_event_size": config.max_header_size,
        "timeout_graceful_shutdown": config.shutdown_timeout,
        "lifespan": "on",
    }


def shown_db(db: str) -> str:
    """The database as messages show it: a file's full path, a URL without its password."""
    if db == ":memory:" or "://" in db:
        return mask_password(db)
    return str(Path(db).expanduser().resolve())


def saved_where(config: ServerConfig) -> str:
    if config.db == ":memory:":
        return "nothing kept (--db :memory:)"
    return f"state saved in {shown_db(config.db)}"


class CloudServer(uvicorn.Server):
    """uvicorn's server, saying when it stops and saving the store on the way out.

    ``announce``: log the stop (the supervisor does it for its workers).  ``on_started``
    runs once the server accepts connections.
    """

    def __init__(
        self,
        config: uvicorn.Config,
        cloud: CloudRuntime,
        *,
        announce: bool = True,
        on_started: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(config)
        self.cloud = cloud
        self.announce = announce
        self.on_started = on_started

    def handle_exit(self, sig: int, frame: Any) -> None:
        if self.announce and not self.should_exit:
            log.info(
                "%s: stopping; requests in progress get %g s, then the state is saved",
                signal.Signals(sig).name,
                self.cloud.config.shutdown_timeout,
            )
        super().handle_exit(sig, frame)

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if self.started and self.on_started is not None:
            self.on_started()

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        await super().shutdown(sockets=sockets)
        # The lifespan shutdown closed the cloud already, unless a second Ctrl-C skipped it.
        self.cloud.close()
        if self.announce:
            log.info("stopped; %s", saved_where(self.cloud.config))
