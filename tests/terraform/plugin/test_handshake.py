"""The go-plugin handshake, exercised on the real toy provider process (no Terraform)."""

from __future__ import annotations

import base64
import os
import selectors
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import grpc
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from tfplugin_proto import tfplugin6_0_pb2 as pb

from riconnect.terraform.plugin.grpc_server import sigterm_handler
from riconnect.terraform.plugin.handshake import MAGIC_COOKIE_VALUE, handshake_line
from tests.terraform.helpers import TOY_PROVIDER

PLUGIN_ENV = {
    "TF_PLUGIN_MAGIC_COOKIE": MAGIC_COOKIE_VALUE,
    "PLUGIN_PROTOCOL_VERSIONS": "6,5",
    "PLUGIN_MIN_PORT": "10000",
    "PLUGIN_MAX_PORT": "25000",
    # Any value turns TLS on; the provider does not verify Terraform's certificate.
    "PLUGIN_CLIENT_CERT": "-----BEGIN CERTIFICATE-----\nunused\n-----END CERTIFICATE-----\n",
}
COMMAND = [sys.executable, str(TOY_PROVIDER)]


def _env(**overrides: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TF_", "PLUGIN_"))}
    env.update(PLUGIN_ENV)
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def _read_line(proc: subprocess.Popen[bytes], timeout: float = 10) -> str:
    assert proc.stdout is not None
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    if not sel.select(timeout):
        raise AssertionError("no handshake line in time")
    return proc.stdout.readline().decode()


@contextmanager
def plugin(**env: str | None) -> Iterator[tuple[subprocess.Popen[bytes], str, float]]:
    started = time.perf_counter()
    proc = subprocess.Popen(
        COMMAND, env=_env(**env), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        line = _read_line(proc)
        yield proc, line, time.perf_counter() - started
    finally:
        if proc.poll() is None:
            proc.terminate()  # SIGTERM: the plugin removes its socket dir (SIGKILL would not)
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


def _parts(line: str) -> list[str]:
    assert line.endswith("\n")
    return line.rstrip("\n").split("|")


def _cert_from(b64: str) -> x509.Certificate:
    assert "=" not in b64  # go-plugin decodes unpadded base64
    der = base64.b64decode(b64 + "=" * (-len(b64) % 4))
    return x509.load_der_x509_certificate(der)


def _channel(line: str) -> grpc.Channel:
    parts = _parts(line)
    target = f"unix:{parts[3]}"
    if len(parts) == 5:
        return grpc.insecure_channel(target)
    pem = _cert_from(parts[5]).public_bytes(serialization.Encoding.PEM)
    creds = grpc.ssl_channel_credentials(root_certificates=pem)
    return grpc.secure_channel(
        target, creds, options=[("grpc.ssl_target_name_override", "localhost")]
    )


def _get_schema(channel: grpc.Channel) -> Any:
    rpc = channel.unary_unary(
        "/tfplugin6.Provider/GetProviderSchema",
        request_serializer=pb.GetProviderSchema.Request.SerializeToString,
        response_deserializer=pb.GetProviderSchema.Response.FromString,
    )
    return rpc(pb.GetProviderSchema.Request(), timeout=5)


def _shutdown(channel: grpc.Channel) -> bytes:
    rpc = channel.unary_unary("/plugin.GRPCController/Shutdown")
    result: bytes = rpc(b"", timeout=5)
    return result


def test_handshake_line_format_and_certificate() -> None:
    with plugin() as (proc, line, _):
        parts = _parts(line)
        assert parts[:3] == ["1", "6", "unix"] and parts[4] == "grpc" and len(parts) == 6
        sock = Path(parts[3])
        assert sock.name == "plugin.sock"
        assert (sock.parent.stat().st_mode & 0o777) == 0o700
        cert = _cert_from(parts[5])
        assert isinstance(cert.public_key(), ec.EllipticCurvePublicKey)
        assert cert.public_key().curve.name == "secp256r1"  # type: ignore[union-attr]
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        assert san.get_values_for_type(x509.DNSName) == ["localhost"]
        with _channel(line) as channel:
            assert "toy_thing" in _get_schema(channel).resource_schemas
            started = time.perf_counter()
            assert _shutdown(channel) == b""
            assert proc.wait(5) == 0
            assert time.perf_counter() - started < 1.5  # go-plugin kills after 2 s
        assert not sock.parent.exists()  # socket dir cleaned up
        assert proc.stdout is not None
        assert proc.stdout.read() == b""  # nothing but the handshake on stdout


def test_fresh_certificate_per_start() -> None:
    with plugin() as (_, first, _t):
        pass
    with plugin() as (_, second, _t):
        pass
    assert _parts(first)[5] != _parts(second)[5]
    assert _parts(first)[3] != _parts(second)[3]


def test_plaintext_without_client_cert() -> None:
    with plugin(PLUGIN_CLIENT_CERT=None) as (proc, line, _):
        assert len(_parts(line)) == 5
        with _channel(line) as channel:
            assert _get_schema(channel).provider.block is not None
            _shutdown(channel)
        assert proc.wait(5) == 0


def test_sigint_is_ignored() -> None:
    with plugin() as (proc, line, _):
        proc.send_signal(signal.SIGINT)
        time.sleep(0.3)
        assert proc.poll() is None
        with _channel(line) as channel:
            _get_schema(channel)
            _shutdown(channel)
        assert proc.wait(5) == 0


def test_sigterm_cleans_up() -> None:
    with plugin() as (proc, line, _):
        proc.terminate()
        assert proc.wait(5) == 0
        assert not Path(_parts(line)[3]).parent.exists()


@pytest.mark.parametrize(
    "env",
    [
        {"TF_PLUGIN_MAGIC_COOKIE": None},
        {"TF_PLUGIN_MAGIC_COOKIE": "wrong"},
    ],
)
def test_wrong_or_missing_cookie_exits(env: dict[str, str | None]) -> None:
    proc = subprocess.run(COMMAND, env=_env(**env), capture_output=True, timeout=30)
    assert proc.returncode == 1
    assert proc.stdout == b""
    assert b"This binary is a plugin" in proc.stderr


def test_protocol_6_required() -> None:
    proc = subprocess.run(
        COMMAND, env=_env(PLUGIN_PROTOCOL_VERSIONS="4,5"), capture_output=True, timeout=30
    )
    assert proc.returncode == 1 and proc.stdout == b""
    assert b"protocol" in proc.stderr


def test_provider_start_failure_is_reported_on_the_handshake_line() -> None:
    # go-plugin quotes an unrecognised first line in its error, so the user sees why.
    code = (
        "from riconnect.terraform.plugin import Provider, run\n"
        "class Broken(Provider):\n"
        "    type_name = 'broken'\n"
        "    def __init__(self):\n"
        "        raise RuntimeError('region table missing')\n"
        "run(Broken)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], env=_env(), capture_output=True, timeout=30)
    assert proc.returncode == 1
    assert proc.stdout == b"RuntimeError: region table missing (the provider failed to start)\n"
    assert b"Traceback" in proc.stderr  # the details go to the log


def test_handshake_line_helper_strips_padding() -> None:
    for der in (b"a", b"ab", b"abc"):
        line = handshake_line(6, "/s", der)
        assert "=" not in line and line.endswith("\n")
    assert handshake_line(6, "/s", None) == "1|6|unix|/s|grpc\n"


def test_every_start_reaches_the_handshake() -> None:
    # How fast is bench/'s job (provider start-up, `make bench`); here: every start answers.
    times = []
    for _ in range(5):
        with plugin() as (_proc, line, elapsed):
            assert line.startswith("1|6|unix|"), line
            times.append(elapsed)
    print(f"start-up to handshake: median {statistics.median(times) * 1000:.0f} ms")


def test_sigterm_while_the_main_thread_holds_the_stop_events_lock() -> None:
    # The signal handler runs in the main thread, possibly in the middle of
    # ``stopped.wait()``, with the event's (non-reentrant) lock held.
    stopped = threading.Event()
    handler = sigterm_handler(stopped)

    def interrupted_wait() -> None:
        with stopped._cond:  # where Event.wait holds it
            handler(signal.SIGTERM, None)

    main = threading.Thread(target=interrupted_wait, daemon=True)
    main.start()
    main.join(10)
    assert not main.is_alive(), "the SIGTERM handler deadlocked on the stop event"
    assert stopped.wait(10)
