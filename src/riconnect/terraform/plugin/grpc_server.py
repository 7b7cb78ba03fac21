"""``serve()``: run a provider as a go-plugin gRPC server until Terraform shuts it down."""

from __future__ import annotations

import importlib
import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable
from types import ModuleType
from typing import Any

from . import handshake
from .base import Provider
from .log import configure_logging, get_logger

log = get_logger("server")

# Protocol version -> module with VERSION, SERVICE and generic_handler(engine).
PROTOCOLS = {
    5: "riconnect.terraform.plugin.tfplugin5",
    6: "riconnect.terraform.plugin.tfplugin6",
}

CONTROLLER_SERVICE = "plugin.GRPCController"
# Time for the Shutdown reply itself to leave; Terraform has no other call in flight.
STOP_GRACE_SECONDS = 0.5
# Terraform gone without Shutdown (SIGKILL): we get reparented; poll for that.
PARENT_POLL_SECONDS = 1.0


def serve(provider_factory: Callable[[], Provider]) -> None:
    """Serve ``provider_factory()`` to Terraform; blocks until Shutdown.

    Exits with status 1 and a message on stderr when not started by Terraform.
    """
    env = os.environ
    try:
        handshake.check_cookie(env)
        versions = getattr(provider_factory, "protocol_versions", (6,))
        version = handshake.choose_protocol(env, [v for v in versions if v in PROTOCOLS])
    except handshake.HandshakeError as exc:
        handshake.fail(exc)
        return

    # Terraform sends Ctrl-C to the whole process group and then drives the shutdown
    # itself (StopProvider, then Shutdown); dying here would orphan objects mid-create.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    configure_logging()

    stopped = threading.Event()
    signal.signal(signal.SIGTERM, sigterm_handler(stopped))

    try:
        server, socket_dir, line = _start(provider_factory, version, env, stopped)
    except Exception as exc:
        log.error("provider failed to start", exc_info=True)
        # go-plugin quotes a malformed handshake line in its error ("Unrecognized remote
        # plugin message: ..."), which is the only way to show the user why we failed.
        sys.stdout.write(f"{type(exc).__name__}: {exc} (the provider failed to start)\n")
        sys.stdout.flush()
        raise SystemExit(1) from None
    sys.stdout.write(line)
    sys.stdout.flush()
    # Anything printed from here on would be read by go-plugin as protocol noise.
    sys.stdout = sys.stderr
    log.debug("serving protocol %d on %s", version, socket_dir)

    parent = os.getppid()
    try:
        while not stopped.wait(PARENT_POLL_SECONDS):
            if os.getppid() != parent:
                log.warning("Terraform exited without shutting the provider down")
                break
    finally:
        server.stop(STOP_GRACE_SECONDS).wait()
        shutil.rmtree(socket_dir, ignore_errors=True)


def sigterm_handler(stopped: threading.Event) -> Callable[[int, Any], None]:
    """SIGTERM stops the server.  The handler runs in the main thread, which may be inside
    ``stopped.wait()`` holding the event's lock: ``set()`` there would wait for that lock
    forever (one start in 20 of a start-up benchmark hung so), so another thread sets it."""

    def handler(signum: int, frame: Any) -> None:
        threading.Thread(target=stopped.set, name="sigterm", daemon=True).start()

    return handler


def _start(
    provider_factory: Callable[[], Provider],
    version: int,
    env: Any,
    stopped: threading.Event,
) -> tuple[Any, str, str]:
    from concurrent.futures import ThreadPoolExecutor

    import grpc  # imported after the cookie check so a misuse fails fast

    from .engine import Engine

    protocol: ModuleType = importlib.import_module(PROTOCOLS[version])
    engine = Engine(provider_factory())

    def shutdown(request: bytes, context: grpc.ServicerContext) -> bytes:
        log.debug("Shutdown")
        stopped.set()
        return b""  # plugin.Empty: no fields, so raw bytes need no message class

    controller = grpc.method_handlers_generic_handler(
        CONTROLLER_SERVICE, {"Shutdown": grpc.unary_unary_rpc_method_handler(shutdown)}
    )
    server = grpc.server(
        ThreadPoolExecutor(max_workers=16, thread_name_prefix="rpc"),
        handlers=[protocol.generic_handler(engine), controller],
        options=[
            ("grpc.max_receive_message_length", 256 * 1024 * 1024),
            ("grpc.max_send_message_length", 256 * 1024 * 1024),
        ],
    )
    socket_dir, socket_path = handshake.make_socket_dir()
    address = f"unix:{socket_path}"
    der: bytes | None = None
    try:
        if env.get("PLUGIN_CLIENT_CERT"):
            cert = handshake.generate_certificate()
            der = cert.der
            # Terraform's client cert (ECDSA P-521) cannot be verified by grpcio's
            # BoringSSL, so it is not required; the 0700 socket directory is the access
            # control.
            creds = grpc.ssl_server_credentials(
                [(cert.key_pem, cert.cert_pem)], require_client_auth=False
            )
            server.add_secure_port(address, creds)
        else:
            server.add_insecure_port(address)
        server.start()
    except BaseException:
        shutil.rmtree(socket_dir, ignore_errors=True)
        raise
    return server, socket_dir, handshake.handshake_line(version, socket_path, der)


def run(provider_factory: Callable[[], Provider]) -> None:
    """Entry point for ``python -m your.provider``: serve and exit promptly."""
    started = time.monotonic()
    serve(provider_factory)
    log.debug("exiting after %.1f s", time.monotonic() - started)
    _flush_logs()
    # Skip interpreter teardown: with gRPC loaded it costs 40-70 ms (measured) per
    # process, and Terraform waits for the exit 3-5 times per command.
    os._exit(0)


def _flush_logs() -> None:
    import logging

    for handler in logging.getLogger().handlers:
        handler.flush()
    sys.stderr.flush()
