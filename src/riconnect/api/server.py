"""``riconnect serve``: check everything once, bind, say where the cloud is, serve, and stop
cleanly.

Order matters to a user:

1. Everything that could be wrong (settings, the accounts file, the database) is found before
   any worker process exists, and said in one line (:func:`serve` raises; the CLI prints).
2. The socket is bound; only then the banner names the real address (``--port 0``), the
   database (passwords masked), the accounts, transitions, faults and processes in effect.
3. A signal (SIGINT from Ctrl-C, SIGTERM from ``kill``, systemd or a container runtime) is
   logged, requests in progress get ``--shutdown-timeout`` seconds, and the store is saved
   (a WAL checkpoint: the database file alone then holds the whole cloud) before the
   process ends.  As uvicorn does, the signal is then re-raised, so the exit status says
   which signal stopped the server.
"""

from __future__ import annotations

import errno
import logging
import socket

import uvicorn

from riconnect import __version__
from riconnect.api.app import App
from riconnect.api.config import ServerConfig, SettingError
from riconnect.api.http import GuardedH11Protocol
from riconnect.api.runtime import CloudRuntime, build_cloud
from riconnect.api.serving import CloudServer, shown_db, uvicorn_options
from riconnect.api.startup import configure_logging

log = logging.getLogger("riconnect.server")


def bind(config: ServerConfig) -> socket.socket:
    """The listening socket, or SettingError naming --host or --port."""
    host, port = config.host, config.port
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise SettingError(f"{config.given('host')}: unknown host ({exc.strerror})") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # uvicorn's own socket has protocol 0, and asyncio sets TCP_NODELAY only on accepted
        # connections whose protocol is IPPROTO_TCP: every answer (headers and body are two
        # writes) waited for the client's delayed ACK, about 40 ms.  Linux copies the
        # listener's TCP_NODELAY to each accepted connection.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        where = f"{host}:{port}"
        if exc.errno == errno.EADDRINUSE:
            problem = (
                f"address already in use ({where}, by another program): stop it, or choose "
                "another port (0: any free port)"
            )
            raise SettingError(f"{config.given('port')}: {problem}") from None
        if exc.errno == errno.EADDRNOTAVAIL:
            raise SettingError(f"{config.given('host')}: not an address of this machine") from None
        if exc.errno == errno.EACCES:
            raise SettingError(
                f"{config.given('port')}: not allowed to listen there (ports below "
                "1024 need privileges): choose another port"
            ) from None
        raise SettingError(f"cannot listen on {where}: {exc.strerror}") from None
    sock.set_inheritable(True)
    return sock


def banner(config: ServerConfig, cloud: CloudRuntime, port: int) -> str:
    host = f"[{config.host}]" if ":" in config.host else config.host
    registry = cloud.registry
    if config.accounts:
        count = len(registry.accounts)
        accounts = f"{config.accounts} ({count} account{'s' if count != 1 else ''})"
    else:
        from riconnect.domain.accounts import DEMO_ACCESS_KEY_ID

        accounts = f"the demo account (AccessKey {DEMO_ACCESS_KEY_ID}, see README)"
    rules = [
        f"{'' if r.action == '*' else r.action + ':'}{r.code}={r.rate:g}"
        for r in cloud.faults.rules
    ]
    faults = ", ".join(rules) if rules else "none"
    if rules and config.fault_seed:
        faults += f" (seed {config.fault_seed})"
    processes = "1 process" if config.workers == 1 else f"{config.workers} processes"
    lines = [
        f"riconnect {__version__}: the cloud is at http://{host}:{port}",
        f"  database     {shown_db(config.db)}",
        f"  accounts     {accounts}",
        f"  transitions  {config.transitions}",
        f"  faults       {faults}",
        f"  workers      {processes}, {config.threads} threads each",
        "Stop with Ctrl-C (or SIGTERM); the state is saved on the way out.",
    ]
    return "\n".join(lines)


def _say(text: str) -> None:
    import sys

    print(text, file=sys.stderr, flush=True)


def serve(config: ServerConfig) -> int:
    """Run the server until a signal stops it.  Raises SettingError, AccountsFileError or
    StoreOpenError (all one line) for what must be fixed before it can start."""
    configure_logging(config.log_level)
    GuardedH11Protocol.configure(config)
    # The port first: a refusal there must not have created a database.  Then the whole
    # cloud, once, so that a bad accounts file or database is found before any worker
    # process exists (uvicorn restarted a worker failing at start forever).
    sock = bind(config)
    try:
        cloud = build_cloud(config)
    except BaseException:
        sock.close()
        raise
    port = sock.getsockname()[1]
    if config.workers > 1:
        from riconnect.api.supervisor import Supervisor

        cloud.close()  # no open database connection may cross into the workers
        _say(banner(config, cloud, port))
        try:
            return Supervisor(config, sock).run()
        except KeyboardInterrupt:  # re-raised SIGINT, after the clean stop
            return 130
    server = CloudServer(uvicorn.Config(App(cloud), **uvicorn_options(config)), cloud)
    _say(banner(config, cloud, port))
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn re-raises the SIGINT it caught, after the clean stop
        return 130
    finally:
        sock.close()
    return 0
