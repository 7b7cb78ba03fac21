"""Test helpers and pytest fixtures for code that talks to riconnect.

Use them in your own infrastructure tests by adding one line to your ``conftest.py``::

    pytest_plugins = ["riconnect.testing"]

and then, for example::

    from alibabacloud_vpc20160428 import models

    def test_my_network(riconnect_vpc, riconnect_region):
        vpc = riconnect_vpc.create_vpc(models.CreateVpcRequest(region_id=riconnect_region))
        assert vpc.body.vpc_id.startswith("vpc-")

What is here:

* :class:`LiveCloud` runs ``riconnect serve`` as a real subprocess on a free port: the same
  server your program would talk to, with its own database file that survives restarts.
* :func:`vpc_client`, :func:`sts_client` (the ``alibabacloud_*`` SDKs) and :func:`acs_client`
  (``aliyun-python-sdk-core``) build official clients pointed at a cloud, over plain HTTP and
  never at the real Alibaba Cloud (the core SDK always gets an explicit endpoint, so it
  never asks the Location service).
* :func:`inprocess_app` builds the ASGI app on an in-memory store with a :class:`FakeClock`,
  and :func:`signed_request` calls it (or a :class:`LiveCloud`) with a correctly signed
  request, without any server: for fast tests of the wire protocol.
* Fixtures, all prefixed ``riconnect_`` so they do not clash with yours:

  ``riconnect_cloud_options`` (session)
      keyword arguments for the session :class:`LiveCloud`; override this fixture in your
      ``conftest.py`` to change them (for example ``transitions="realistic"``).
  ``riconnect_cloud`` (session)
      a :class:`LiveCloud` on a temporary SQLite file with the demo account.
  ``riconnect_region`` (session)
      ``"cn-hangzhou"``.
  ``riconnect_vpc`` / ``riconnect_sts`` / ``riconnect_acs``
      a V2 VPC client, an STS client and a core ``AcsClient`` on ``riconnect_cloud``.
  ``riconnect_app``
      a fresh in-process :class:`~riconnect.api.app.App` per test (``riconnect_app.cloud``
      holds the store and the fake clock).

The session cloud is shared by every test in the run, so give resources unique names
(:func:`unique_name`) and filter what you list by the ids you created.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import dataclasses
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
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, TypeVar
from urllib.parse import quote, urlencode

import pytest

from riconnect.api.auth import sign_v1, sign_v3
from riconnect.domain.accounts import (
    DEMO_ACCESS_KEY_ID,
    DEMO_ACCESS_KEY_SECRET,
    DEMO_ACCOUNT_ID,
    DEMO_REGION_ID,
    AccountRegistry,
    default_registry,
)

if TYPE_CHECKING:
    import httpx

    from riconnect.api.app import App
    from riconnect.api.runtime import CloudRuntime as Cloud
    from riconnect.domain.clock import Clock
    from riconnect.domain.transitions import Delays

__all__ = [
    "DEFAULT_REGION",
    "DEMO_ACCESS_KEY_ID",
    "DEMO_ACCESS_KEY_SECRET",
    "DEMO_ACCOUNT_ID",
    "STS_VERSION",
    "VPC_VERSION",
    "CloudStartError",
    "LiveCloud",
    "RiconnectApiError",
    "acs_client",
    "free_port",
    "inprocess_app",
    "invoke",
    "riconnect_acs",
    "riconnect_app",
    "riconnect_cloud",
    "riconnect_cloud_options",
    "riconnect_region",
    "riconnect_sts",
    "riconnect_vpc",
    "signed_request",
    "signed_request_async",
    "sts_client",
    "unique_name",
    "vpc_client",
    "wait_until",
]

DEFAULT_REGION = DEMO_REGION_ID  # "cn-hangzhou"
VPC_VERSION = "2016-04-28"
STS_VERSION = "2015-04-01"
HEALTH_PATH = "/riconnect/health"

T = TypeVar("T")


# -- small helpers -------------------------------------------------------------------------


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


def _endpoint_of(target: str | LiveCloud) -> str:
    endpoint = target.endpoint if isinstance(target, LiveCloud) else target
    if "://" in endpoint:
        # The SDKs would sign the scheme as part of the host header; see vpc-api.md §7.1.
        raise ValueError(f"endpoint must be host:port without a scheme, got {endpoint!r}")
    return endpoint


# -- a live server -------------------------------------------------------------------------


class CloudStartError(RuntimeError):
    """``riconnect serve`` did not become healthy; the message ends with its stderr."""


# Running servers, held strongly so none is orphaned by garbage collection; killed at exit.
_RUNNING: set[LiveCloud] = set()
# Health checks go straight to the local server, whatever proxy the environment names.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


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
            self._wait_healthy(self.proc)
        except BaseException:
            self._terminate(signal.SIGKILL)
            raise

    def _wait_healthy(self, proc: subprocess.Popen[bytes]) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while True:
            code = proc.poll()
            if code is not None:
                raise CloudStartError(
                    f"riconnect serve exited with status {code} during start-up "
                    f"(port {self.port}, db {self.db}).\n{self.log_tail()}"
                )
            if self._healthy() and _listens(proc.pid, self.port):
                return
            if time.monotonic() >= deadline:
                raise CloudStartError(
                    f"riconnect serve did not answer {HEALTH_PATH} within "
                    f"{self.startup_timeout} s (port {self.port}).\n{self.log_tail()}"
                )
            time.sleep(0.05)

    def _healthy(self) -> bool:
        try:
            with _DIRECT.open(self.url + HEALTH_PATH, timeout=1.0) as resp:
                return bool(resp.status == 200)
        except (urllib.error.URLError, OSError):
            return False

    def healthy(self) -> bool:
        """True when the server answers its health check now."""
        return self.is_running() and self._healthy()

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


# -- official SDK clients ------------------------------------------------------------------


def vpc_client(
    endpoint: str | LiveCloud,
    access_key_id: str = DEMO_ACCESS_KEY_ID,
    secret: str = DEMO_ACCESS_KEY_SECRET,
    signature_algorithm: str | None = None,
    *,
    region_id: str = DEFAULT_REGION,
    read_timeout_ms: int = 15_000,
    connect_timeout_ms: int = 5_000,
) -> Any:
    """An ``alibabacloud_vpc20160428.client.Client`` on ``http://<endpoint>``.

    The default signer is V3 (ACS3-HMAC-SHA256); ``signature_algorithm="v2"`` selects the
    classic HMAC-SHA1 signer (the SDK's naming).  ``region_id`` is not sent on the wire;
    each request model carries its own ``region_id``.

    The SDK sends through ``HTTP_PROXY``/``http_proxy`` when the environment names one,
    even for 127.0.0.1 (it does not honour ``NO_PROXY``): unset them for tests.
    """
    from alibabacloud_vpc20160428.client import Client

    return Client(
        _config(
            endpoint,
            access_key_id,
            secret,
            signature_algorithm,
            region_id,
            read_timeout_ms,
            connect_timeout_ms,
        )
    )


def sts_client(
    endpoint: str | LiveCloud,
    access_key_id: str = DEMO_ACCESS_KEY_ID,
    secret: str = DEMO_ACCESS_KEY_SECRET,
    signature_algorithm: str | None = None,
    *,
    region_id: str = DEFAULT_REGION,
    read_timeout_ms: int = 15_000,
    connect_timeout_ms: int = 5_000,
) -> Any:
    """An ``alibabacloud_sts20150401.client.Client`` (GetCallerIdentity) on the same server."""
    from alibabacloud_sts20150401.client import Client

    return Client(
        _config(
            endpoint,
            access_key_id,
            secret,
            signature_algorithm,
            region_id,
            read_timeout_ms,
            connect_timeout_ms,
        )
    )


def _config(
    endpoint: str | LiveCloud,
    access_key_id: str,
    secret: str,
    signature_algorithm: str | None,
    region_id: str,
    read_timeout_ms: int,
    connect_timeout_ms: int,
) -> Any:
    from alibabacloud_tea_openapi.models import Config

    address = _endpoint_of(endpoint)  # host:port, no scheme (vpc-api.md §7.1)
    config = Config(
        access_key_id=access_key_id,
        access_key_secret=secret,
        endpoint=address,
        protocol="http",  # the SDK's default is HTTPS
        region_id=region_id,
        read_timeout=read_timeout_ms,
        connect_timeout=connect_timeout_ms,
    )
    if signature_algorithm is not None:
        config.signature_algorithm = signature_algorithm
    return config


def acs_client(
    endpoint: str | LiveCloud,
    region: str = DEFAULT_REGION,
    ak: str = DEMO_ACCESS_KEY_ID,
    sk: str = DEMO_ACCESS_KEY_SECRET,
    *,
    timeout: int = 15,
    connect_timeout: int = 5,
    auto_retry: bool = False,
) -> Any:
    """An ``aliyunsdkcore.client.AcsClient`` whose Vpc and Sts endpoints for ``region`` are
    ``endpoint``, so it never consults the Location service (vpc-api.md §7.3).

    Requests built with ``CommonRequest`` should still name ``domain=endpoint``.  The core
    SDK sends the client's region as ``RegionId``; use one client per region.
    """
    from aliyunsdkcore.client import AcsClient

    client = AcsClient(
        ak,
        sk,
        region,
        auto_retry=auto_retry,
        timeout=timeout,
        connect_timeout=connect_timeout,
    )
    ep = _endpoint_of(endpoint)
    for product in ("Vpc", "Sts"):
        client.add_endpoint(region, product, ep)
    return client


# -- in-process ----------------------------------------------------------------------------


def inprocess_app(
    *,
    clock: Clock | None = None,
    registry: AccountRegistry | None = None,
    delays: Delays | None = None,
    vpc_quota: int = 10,
    max_body: int | None = None,
    workers: int = 4,
) -> tuple[App, Cloud]:
    """The ASGI app on a fresh in-memory store with a :class:`FakeClock` (by default).

    Nothing is shared between calls.  Call ``cloud.executor.shutdown()`` when done (the
    ``riconnect_app`` fixture does).  Requests signed by :func:`signed_request` use the
    cloud's clock for their timestamps, so a fake clock far from real time works.
    """
    from riconnect.api.app import App
    from riconnect.api.config import ServerConfig
    from riconnect.api.runtime import build_cloud
    from riconnect.domain.clock import FakeClock
    from riconnect.domain.transitions import Delays

    config = ServerConfig(
        db=":memory:",
        transitions=(delays if delays is not None else Delays()).spec(),
        vpc_quota=vpc_quota,
        threads=workers,
    )
    if max_body is not None:
        config = dataclasses.replace(config, max_body=max_body)
    cloud = build_cloud(
        config,
        registry=registry if registry is not None else default_registry(),
        clock=clock if clock is not None else FakeClock(),
    )
    return App(cloud), cloud


Pairs = Mapping[str, str] | Sequence[tuple[str, str]]
Signature = Literal["v1", "v3"] | None
_ASGI_HOST = "riconnect.test"


def _pairs(values: Pairs | None) -> list[tuple[str, str]]:
    if values is None:
        return []
    items = values.items() if isinstance(values, Mapping) else values
    return [(str(k), str(v)) for k, v in items]


def _build(
    target: App | LiveCloud | str,
    action: str | None,
    params: Pairs | None,
    *,
    version: str,
    form: Pairs | None,
    signature: Signature,
    access_key_id: str,
    secret: str,
    timestamp: float | None,
    nonce: str | None,
    method: str,
    path: str,
    headers: Mapping[str, str] | None,
    body: bytes | None,
) -> tuple[str, str, dict[str, str], bytes]:
    """(method, url, headers, body) of a request signed like the SDKs sign theirs."""
    if isinstance(target, LiveCloud | str):
        host = _endpoint_of(target)
        now = time.time()
    else:
        host = _ASGI_HOST
        now = target.cloud.clock.now()  # the in-process cloud's clock may be fake
    if timestamp is None:
        timestamp = now
    query = _pairs(params)
    form_pairs = _pairs(form)
    out_headers = {"host": host}
    if form is not None:
        out_headers["content-type"] = "application/x-www-form-urlencoded"
    out_headers.update({k.lower(): v for k, v in (headers or {}).items()})
    payload = body if body is not None else urlencode(form_pairs, quote_via=quote).encode()

    if signature == "v3":
        if action is not None:
            out_headers["x-acs-action"] = action
            out_headers["x-acs-version"] = version
        out_headers = sign_v3(
            method,
            path,
            query,
            out_headers,
            payload,
            access_key_id,
            secret,
            timestamp=timestamp,
            nonce=nonce,
        )
    else:
        if action is not None:
            query = [("Action", action), ("Version", version), *query]
        if signature == "v1":
            # V1 signs query and form parameters alike; send the signature fields in the URL.
            signed = sign_v1(
                method,
                [*query, *form_pairs],
                access_key_id,
                secret,
                timestamp=timestamp,
                nonce=nonce,
            )
            query = signed[: len(query)] + signed[len(query) + len(form_pairs) :]
    url = f"http://{host}{path}"
    if query:
        url += "?" + urlencode(query, quote_via=quote)
    return method, url, out_headers, payload


def signed_request(
    target: App | LiveCloud | str,
    action: str | None,
    params: Pairs | None = None,
    *,
    version: str = VPC_VERSION,
    form: Pairs | None = None,
    signature: Signature = "v1",
    access_key_id: str = DEMO_ACCESS_KEY_ID,
    secret: str = DEMO_ACCESS_KEY_SECRET,
    timestamp: float | None = None,
    nonce: str | None = None,
    method: str = "POST",
    path: str = "/",
    headers: Mapping[str, str] | None = None,
    body: bytes | None = None,
    timeout: float = 15.0,
) -> httpx.Response:
    """Send one signed RPC request and return the raw ``httpx.Response``.

    ``target`` is an in-process :class:`App` (through ``httpx.ASGITransport``, no server), a
    :class:`LiveCloud` or a ``host:port`` endpoint.

    * ``signature="v1"``: HMAC-SHA1 like aliyun-python-sdk-core; ``Action``/``Version`` and
      the signature fields go in the query.
    * ``signature="v3"``: ACS3-HMAC-SHA256 like the V2 SDK's default; ``Action``/``Version``
      go in ``x-acs-action``/``x-acs-version`` headers and every header is signed.
    * ``signature=None``: unsigned.

    ``params`` go in the URL query, ``form`` in an ``x-www-form-urlencoded`` body (both are
    signed); ``body`` overrides the body bytes.  ``timestamp`` defaults to the in-process
    cloud's clock, or to the real time for a live server.
    """
    method, url, out_headers, payload = _build(
        target,
        action,
        params,
        version=version,
        form=form,
        signature=signature,
        access_key_id=access_key_id,
        secret=secret,
        timestamp=timestamp,
        nonce=nonce,
        method=method,
        path=path,
        headers=headers,
        body=body,
    )
    if isinstance(target, LiveCloud | str):
        return _http_client().request(
            method, url, headers=out_headers, content=payload, timeout=timeout
        )
    return asyncio.run(_asgi_send(target, method, url, out_headers, payload, timeout))


_HTTP: list[httpx.Client] = []
_HTTP_LOCK = threading.Lock()


def _http_client() -> httpx.Client:
    """One shared client for live servers (building one costs tens of milliseconds)."""
    import httpx

    with _HTTP_LOCK:
        if not _HTTP:
            client = httpx.Client(trust_env=False)  # no proxies: the cloud is local
            atexit.register(client.close)
            _HTTP.append(client)
        return _HTTP[0]


async def signed_request_async(
    target: App,
    action: str | None,
    params: Pairs | None = None,
    *,
    version: str = VPC_VERSION,
    form: Pairs | None = None,
    signature: Signature = "v1",
    access_key_id: str = DEMO_ACCESS_KEY_ID,
    secret: str = DEMO_ACCESS_KEY_SECRET,
    timestamp: float | None = None,
    nonce: str | None = None,
    method: str = "POST",
    path: str = "/",
    headers: Mapping[str, str] | None = None,
    body: bytes | None = None,
    timeout: float = 15.0,
) -> httpx.Response:
    """:func:`signed_request` for an in-process app, from inside a running event loop."""
    method, url, out_headers, payload = _build(
        target,
        action,
        params,
        version=version,
        form=form,
        signature=signature,
        access_key_id=access_key_id,
        secret=secret,
        timestamp=timestamp,
        nonce=nonce,
        method=method,
        path=path,
        headers=headers,
        body=body,
    )
    return await _asgi_send(target, method, url, out_headers, payload, timeout)


async def _asgi_send(
    app: App, method: str, url: str, headers: dict[str, str], body: bytes, timeout: float
) -> httpx.Response:
    import httpx

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, timeout=timeout) as client:
        response = await client.request(method, url, headers=headers, content=body)
        await response.aread()
        return response


class RiconnectApiError(Exception):
    """A non-2xx answer to :func:`invoke`: the error envelope's fields."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        self.status = status
        self.body = body
        self.code: str = str(body.get("Code", ""))
        self.message: str = str(body.get("Message", ""))
        self.request_id: str = str(body.get("RequestId", ""))
        super().__init__(f"{status} {self.code}: {self.message} (RequestId {self.request_id})")


def invoke(
    target: App | LiveCloud | str,
    action: str,
    params: Pairs | None = None,
    **kwargs: Any,
) -> dict[str, Any]:
    """:func:`signed_request` and decode the JSON body; raises :class:`RiconnectApiError`
    for an error answer."""
    response = signed_request(target, action, params, **kwargs)
    body = response.json()
    if response.status_code >= 300:
        raise RiconnectApiError(response.status_code, body)
    if not isinstance(body, dict):  # pragma: no cover - every answer is an object
        raise TypeError(f"unexpected JSON body {body!r}")
    return body


# -- pytest fixtures -----------------------------------------------------------------------


@pytest.fixture(scope="session")
def riconnect_cloud_options() -> dict[str, Any]:
    """Keyword arguments for the session :class:`LiveCloud`; override to change them.

    The quota is large because every test of the run shares this one cloud.
    """
    return {"vpc_quota": 100_000, "transitions": "immediate"}


@pytest.fixture(scope="session")
def riconnect_cloud(
    tmp_path_factory: pytest.TempPathFactory, riconnect_cloud_options: dict[str, Any]
) -> Iterator[LiveCloud]:
    """One live server for the whole test session, on a temporary SQLite file."""
    workdir = tmp_path_factory.mktemp("riconnect-cloud")
    options = {"db": workdir / "riconnect.db", "workdir": workdir, **riconnect_cloud_options}
    cloud = LiveCloud(**options)
    cloud.start()
    try:
        yield cloud
    finally:
        crashed = not cloud.is_running()
        cloud.stop()
    if crashed:
        pytest.fail(f"the session riconnect server died during the run\n{cloud.log_tail()}")


@pytest.fixture(scope="session")
def riconnect_region() -> str:
    return DEFAULT_REGION


@pytest.fixture
def riconnect_vpc(riconnect_cloud: LiveCloud) -> Any:
    """``alibabacloud_vpc20160428`` client (V3 signatures) on the session cloud, demo account."""
    return vpc_client(riconnect_cloud)


@pytest.fixture
def riconnect_sts(riconnect_cloud: LiveCloud) -> Any:
    """``alibabacloud_sts20150401`` client on the session cloud, demo account."""
    return sts_client(riconnect_cloud)


@pytest.fixture
def riconnect_acs(riconnect_cloud: LiveCloud, riconnect_region: str) -> Any:
    """``aliyunsdkcore`` ``AcsClient`` on the session cloud (needs aliyun-python-sdk-core)."""
    return acs_client(riconnect_cloud, riconnect_region)


@pytest.fixture
def riconnect_app() -> Iterator[App]:
    """A fresh in-process app (in-memory store, FakeClock) per test; ``.cloud`` holds both."""
    app, cloud = inprocess_app()
    try:
        yield app
    finally:
        cloud.executor.shutdown(wait=True, cancel_futures=True)
        cloud.store.close()
