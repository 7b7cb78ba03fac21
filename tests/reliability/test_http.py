"""Hostile HTTP against a live server: malformed requests on raw sockets, the size limits,
and slow or stalled clients (which must be cut off without slowing anyone else down).

Every answer is the Alibaba error envelope with a 4xx status (never uvicorn's plain text),
the server never hangs, and it keeps serving.  The server here runs with short deadlines
(``--header-timeout 1`` …) so the suite is quick; test_documented_limits checks the defaults.
"""

from __future__ import annotations

import contextlib
import signal
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from riconnect.testing import LiveCloud
from tests.reliability.helpers import (
    ACCOUNT_A,
    KEYS,
    Caller,
    Stopwatch,
    build_request,
    decode_answer,
    note,
    record,
    size,
)

HEADER_TIMEOUT = 1.0
BODY_TIMEOUT = 1.0
WRITE_TIMEOUT = 2.0
KEEP_ALIVE = 2
MAX_BODY = 64 * 1024
MARGIN = 1.5  # seconds of slack on a loaded 2-core machine


@pytest.fixture(scope="module")
def cloud(tmp_path_factory: pytest.TempPathFactory, rel_accounts: Path) -> Iterator[LiveCloud]:
    workdir = tmp_path_factory.mktemp("rel-http")
    with LiveCloud(
        workdir / "http.db",
        accounts=rel_accounts,
        vpc_quota=100_000,
        max_body=MAX_BODY,
        workdir=workdir,
        log_level="warning",
        extra_args=[
            "--header-timeout",
            str(HEADER_TIMEOUT),
            "--body-timeout",
            str(BODY_TIMEOUT),
            "--write-timeout",
            str(WRITE_TIMEOUT),
            "--keep-alive",
            str(KEEP_ALIVE),
        ],
    ) as live:
        yield live
        assert live.is_running(), live.log_tail()


# -- raw sockets ------------------------------------------------------------------------------


def connect(cloud: LiveCloud, rcvbuf: int | None = None) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if rcvbuf is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    sock.settimeout(10)
    sock.connect((cloud.host, cloud.port))
    return sock


def read_all(sock: socket.socket, timeout: float) -> tuple[bytes, float, bool]:
    """Everything the server sends until it closes (or ``timeout``): (data, seconds, closed)."""
    started = time.monotonic()
    chunks = []
    closed = False
    sock.settimeout(0.2)
    while time.monotonic() - started < timeout:
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            continue
        except ConnectionResetError:
            closed = True
            break
        if not chunk:
            closed = True
            break
        chunks.append(chunk)
    return b"".join(chunks), time.monotonic() - started, closed


def split_response(data: bytes) -> tuple[int, dict[str, str], bytes, bytes]:
    """(status, headers, body, rest) of the first HTTP/1.1 response in ``data``."""
    head, sep, rest = data.partition(b"\r\n\r\n")
    assert sep, f"no complete response head: {data[:300]!r}"
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    return status, headers, rest[:length], rest[length:]


def exchange(cloud: LiveCloud, payload: bytes, timeout: float = 5.0) -> tuple[int, dict[str, Any]]:
    """Send raw bytes, read until the server closes; the one answer must be an envelope."""
    with contextlib.closing(connect(cloud)) as sock:
        sock.sendall(payload)
        data, _, closed = read_all(sock, timeout)
    assert closed, f"the server kept the connection after {payload[:80]!r}"
    status, headers, body, _ = split_response(data)
    fields = decode_answer(status, headers, body, xml=False)
    assert 400 <= status < 500, (status, fields)
    return status, fields


def healthy(cloud: LiveCloud) -> bool:
    return httpx.get(cloud.url + "/riconnect/health", timeout=5, trust_env=False).status_code == 200


HOST = b"Host: 127.0.0.1\r\n"
BIG = 70 * 1024

MALFORMED: dict[str, tuple[bytes, int, str]] = {
    # name: (bytes on the wire, status, code)
    "garbage request line": (b"GARBAGE\r\n\r\n", 400, "MalformedHttpRequest"),
    "binary noise": (bytes(range(256)) + b"\r\n\r\n", 400, "MalformedHttpRequest"),
    "no target": (b"GET\r\n\r\n", 400, "MalformedHttpRequest"),
    "HTTP/1.1 without Host": (b"POST / HTTP/1.1\r\n\r\n", 400, "MalformedHttpRequest"),
    "header without colon": (
        b"POST / HTTP/1.1\r\n" + HOST + b"Broken\r\n\r\n",
        400,
        "MalformedHttpRequest",
    ),
    "space in header name": (
        b"POST / HTTP/1.1\r\n" + HOST + b"Bad Name: x\r\n\r\n",
        400,
        "MalformedHttpRequest",
    ),
    "control byte in header value": (
        b"POST / HTTP/1.1\r\n" + HOST + b"X-A: a\x00b\r\n\r\n",
        400,
        "MalformedHttpRequest",
    ),
    "non-numeric Content-Length": (
        b"POST / HTTP/1.1\r\n" + HOST + b"Content-Length: ten\r\n\r\n",
        400,
        "MalformedHttpRequest",
    ),
    "negative Content-Length": (
        b"POST / HTTP/1.1\r\n" + HOST + b"Content-Length: -5\r\n\r\n",
        400,
        "MalformedHttpRequest",
    ),
    "two different Content-Lengths": (
        b"POST / HTTP/1.1\r\n" + HOST + b"Content-Length: 1\r\nContent-Length: 2\r\n\r\nab",
        400,
        "MalformedHttpRequest",
    ),
    "bad chunk size": (
        b"POST / HTTP/1.1\r\n" + HOST + b"Transfer-Encoding: chunked\r\n\r\nzz\r\nab\r\n0\r\n\r\n",
        400,
        "MalformedHttpRequest",
    ),
    "unknown transfer coding": (
        b"POST / HTTP/1.1\r\n" + HOST + b"Transfer-Encoding: gzip\r\n\r\n",
        400,
        "MalformedHttpRequest",
    ),
    "request line over the head limit": (
        b"GET /?" + b"a" * BIG + b" HTTP/1.1\r\n" + HOST + b"\r\n",
        431,
        "RequestHeaderFieldsTooLarge",
    ),
    "one header over the head limit": (
        b"POST / HTTP/1.1\r\n" + HOST + b"X-Big: " + b"b" * BIG + b"\r\n\r\n",
        431,
        "RequestHeaderFieldsTooLarge",
    ),
    "thousands of headers": (
        b"POST / HTTP/1.1\r\n"
        + HOST
        + b"".join(b"X-H%d: v\r\n" % i for i in range(6000))
        + b"\r\n",
        431,
        "RequestHeaderFieldsTooLarge",
    ),
    "non-ASCII bytes in the target": (
        b"GET /\xff\xfe HTTP/1.1\r\n" + HOST + b"\r\n",
        400,
        "MalformedHttpRequest",
    ),
}
# Well-formed HTTP that riconnect refuses (answered by the app, connection kept).
REFUSED: dict[str, tuple[bytes, int, str]] = {
    "Content-Length and chunked": (
        b"POST / HTTP/1.1\r\n"
        + HOST
        + b"Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        400,
        "MissingParameter",
    ),
    "folded header": (
        b"POST / HTTP/1.1\r\n" + HOST + b"X-A: a\r\n  b\r\n\r\n",
        400,
        "MissingParameter",
    ),
    "unknown protocol version": (
        b"GET / HTTP/9.9\r\n" + HOST + b"\r\n",
        400,
        "MissingParameter",
    ),
    "wrong path": (
        b"POST /v2/api HTTP/1.1\r\n" + HOST + b"Content-Length: 0\r\n\r\n",
        404,
        "InvalidPath",
    ),
    "dot segments": (b"GET /../../etc/passwd HTTP/1.1\r\n" + HOST + b"\r\n", 404, "InvalidPath"),
    "percent-encoded NUL in path": (b"GET /%00 HTTP/1.1\r\n" + HOST + b"\r\n", 404, "InvalidPath"),
    # A proxy request for a host that is not Alibaba's (api/request.py origin_form).
    "absolute-form target": (
        b"GET http://evil.example/x HTTP/1.1\r\n" + HOST + b"\r\n",
        403,
        "Forbidden.ProxyTarget",
    ),
    "asterisk target": (b"OPTIONS * HTTP/1.1\r\n" + HOST + b"\r\n", 404, "InvalidPath"),
    "PUT": (
        b"PUT / HTTP/1.1\r\n" + HOST + b"Content-Length: 0\r\n\r\n",
        403,
        "UnsupportedHTTPMethod",
    ),
    "DELETE": (b"DELETE / HTTP/1.1\r\n" + HOST + b"\r\n", 403, "UnsupportedHTTPMethod"),
    "TRACE": (b"TRACE / HTTP/1.1\r\n" + HOST + b"\r\n", 403, "UnsupportedHTTPMethod"),
    "long method": (b"X" * 200 + b" / HTTP/1.1\r\n" + HOST + b"\r\n", 403, "UnsupportedHTTPMethod"),
    "HTTP/1.0 without Host": (
        b"GET /?Action=Nope&Version=1 HTTP/1.0\r\n\r\n",
        404,
        "InvalidAction.NotFound",
    ),
    "malformed percent-encoding": (
        b"GET /?Action=%zz&Version=%&%%%=1&&&==& HTTP/1.1\r\n" + HOST + b"\r\n",
        404,
        "InvalidAction.NotFound",
    ),
    "invalid UTF-8 in the query": (
        b"GET /?Action=%ff%fe&Version=%c3 HTTP/1.1\r\n" + HOST + b"\r\n",
        404,
        "InvalidAction.NotFound",
    ),
    "unsigned JSON body": (
        b"POST / HTTP/1.1\r\n"
        + HOST
        + b"Content-Type: application/json\r\nContent-Length: 18\r\n\r\n"
        b'{"Action":"x"}    ',
        400,
        "MissingParameter",
    ),
    "multipart body": (
        b"POST /?Action=DescribeRegions&Version=2016-04-28 HTTP/1.1\r\n"
        + HOST
        + b"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 9\r\n\r\n--x--\r\n\r\n",
        400,
        "MissingSignature",
    ),
}


def send_keep_alive(cloud: LiveCloud, payload: bytes) -> tuple[int, dict[str, Any]]:
    """Send a well-formed request; read exactly one answer; the connection stays usable."""
    with contextlib.closing(connect(cloud)) as sock:
        sock.sendall(payload)
        data = b""
        sock.settimeout(5)
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            assert chunk, f"closed without an answer to {payload[:80]!r}"
            data += chunk
        head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").lower()
        length = int(head.split("content-length:", 1)[1].split("\r\n", 1)[0])
        while len(data.split(b"\r\n\r\n", 1)[1]) < length:
            data += sock.recv(65536)
        status, headers, body, _ = split_response(data)
        return status, decode_answer(status, headers, body, xml=False)


@pytest.mark.parametrize("case", list(MALFORMED))
def test_malformed_http_is_answered_with_an_envelope(cloud: LiveCloud, case: str) -> None:
    payload, status, code = MALFORMED[case]
    got_status, fields = exchange(cloud, payload)
    assert (got_status, fields["Code"]) == (status, code)
    assert healthy(cloud)
    record("fuzz", http_cases=1)


@pytest.mark.parametrize("case", list(REFUSED))
def test_refused_requests_are_answered_with_an_envelope(cloud: LiveCloud, case: str) -> None:
    payload, status, code = REFUSED[case]
    got_status, fields = send_keep_alive(cloud, payload)
    assert (got_status, fields["Code"]) == (status, code)
    record("fuzz", http_cases=1)


def test_a_server_under_garbage_keeps_serving(cloud: LiveCloud) -> None:
    """Many malformed requests at once, from many connections; then business as usual."""
    payloads = [p for p, _, _ in MALFORMED.values()] * size(3, 20)
    errors: list[str] = []

    def blast(chunk: list[bytes]) -> None:
        for payload in chunk:
            try:
                exchange(cloud, payload, timeout=10)
            except Exception as exc:  # collected, asserted below
                errors.append(repr(exc))

    threads = [threading.Thread(target=blast, args=(payloads[i::8],)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors[:5]
    caller = Caller(cloud.endpoint)
    reply = caller.call("DescribeVpcs", KEYS[ACCOUNT_A], "cn-hangzhou")
    assert reply.ok, reply.body
    record("fuzz", http_cases=len(payloads))


# -- limits -----------------------------------------------------------------------------------


def signed_bytes(
    cloud: LiveCloud,
    action: str,
    params: list[tuple[str, str]],
    form: list[tuple[str, str]] = (),  # type: ignore[assignment]
    extra_headers: bytes = b"",
    body: bytes | None = None,
) -> bytes:
    path, headers, payload = build_request(
        cloud.endpoint, action, params, KEYS[ACCOUNT_A], form=form
    )
    if body is not None:
        payload = body
    lines = [f"POST {path} HTTP/1.1".encode()]
    lines += [f"{k}: {v}".encode() for k, v in headers.items()]
    lines.append(b"content-length: %d" % len(payload))
    return b"\r\n".join(lines) + b"\r\n" + extra_headers + b"\r\n" + payload


def test_body_over_the_limit_is_refused_before_it_is_read(cloud: LiveCloud) -> None:
    # Content-Length says 2 MiB; only the head is sent. The answer comes at once, and the
    # connection is closed instead of draining two megabytes.
    head = (
        b"POST /?Action=DescribeVpcs&Version=2016-04-28 HTTP/1.1\r\n"
        + HOST
        + b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 2097152\r\n\r\n"
    )
    started = time.monotonic()
    status, fields = exchange(cloud, head)
    assert (status, fields["Code"]) == (413, "RequestTooLarge")
    assert time.monotonic() - started < BODY_TIMEOUT


def test_chunked_body_over_the_limit(cloud: LiveCloud) -> None:
    chunk = b"a=" + b"x" * 8190
    body = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(12)) + b"0\r\n\r\n"
    payload = (
        b"POST /?Action=DescribeVpcs&Version=2016-04-28 HTTP/1.1\r\n"
        + HOST
        + b"Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n"
        + body
    )
    status, fields = exchange(cloud, payload)
    assert (status, fields["Code"]) == (413, "RequestTooLarge")


def test_body_at_the_limit_is_accepted(cloud: LiveCloud) -> None:
    filler = "x" * (MAX_BODY - 200)
    caller = Caller(cloud.endpoint)
    path, headers, body = build_request(
        cloud.endpoint,
        "DescribeVpcs",
        [("RegionId", "cn-hangzhou")],
        KEYS[ACCOUNT_A],
        form=[("Padding", filler)],
    )
    assert len(body) <= MAX_BODY
    response = caller.http.post(f"{cloud.url}{path}", headers=headers, content=body)
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("where", ["query", "form"])
def test_parameter_count_limit(cloud: LiveCloud, where: str) -> None:
    """At most 1000 parameters: beyond that, one cheap refusal instead of seconds of CPU
    spent parsing and signing (found by this suite: a 1 MiB body of empty parameters held
    the event loop for about a second per request)."""
    caller = Caller(cloud.endpoint)

    def attempt(count: int) -> httpx.Response:
        pairs = [(f"P{i}", "") for i in range(count)]
        query = [("RegionId", "cn-hangzhou")] + (pairs if where == "query" else [])
        form = pairs if where == "form" else []
        path, headers, body = build_request(
            cloud.endpoint, "DescribeVpcs", query, KEYS[ACCOUNT_A], form=form
        )
        return caller.http.post(f"{cloud.url}{path}", headers=headers, content=body)

    fits = attempt(900)  # plus RegionId and the signature parameters: under 1000
    assert fits.status_code == 200, fits.text
    refused = attempt(1200)
    fields = decode_answer(refused.status_code, refused.headers, refused.content, xml=False)
    assert (refused.status_code, fields["Code"]) == (400, "TooManyParameters")


def test_documented_limits() -> None:
    """The defaults docs/reliability.md states are the ones `riconnect serve` uses."""
    from riconnect.api.config import ServerConfig

    config = ServerConfig()
    limits = {
        "max_body_bytes": config.max_body,
        "max_header_bytes": config.max_header_size,
        "max_params": config.max_params,
        "header_timeout_s": config.header_timeout,
        "body_timeout_s": config.body_timeout,
        "write_timeout_s": config.write_timeout,
        "keep_alive_s": config.keep_alive,
        "shutdown_timeout_s": config.shutdown_timeout,
    }
    assert limits == {
        "max_body_bytes": 1024 * 1024,
        "max_header_bytes": 64 * 1024,
        "max_params": 1000,
        "header_timeout_s": 10.0,
        "body_timeout_s": 30.0,
        "write_timeout_s": 30.0,
        "keep_alive_s": 15,
        "shutdown_timeout_s": 5.0,
    }
    doc = (Path(__file__).resolve().parents[2] / "docs" / "reliability.md").read_text()
    for flag in (
        "--max-body",
        "--max-header-size",
        "--max-params",
        "--header-timeout",
        "--body-timeout",
        "--write-timeout",
        "--keep-alive",
        "--shutdown-timeout",
    ):
        assert flag in doc, flag
    note("limits", **limits)


# -- slow and stalled clients ---------------------------------------------------------------------


def test_silent_connection_is_closed(cloud: LiveCloud) -> None:
    with contextlib.closing(connect(cloud)) as sock:
        data, elapsed, closed = read_all(sock, HEADER_TIMEOUT + 5)
    assert closed and data == b"", data[:200]
    assert HEADER_TIMEOUT - 0.2 <= elapsed <= HEADER_TIMEOUT + MARGIN


@pytest.mark.parametrize("trickle", [False, True], ids=["stalled", "trickling"])
def test_half_a_request_head_gets_408(cloud: LiveCloud, trickle: bool) -> None:
    """A stalled head, and a slowloris head that sends a byte every 0.2 s forever: the head
    deadline counts from the first byte, so trickling does not extend it."""
    with contextlib.closing(connect(cloud)) as sock:
        sock.sendall(b"POST /?Action=DescribeRegions HTTP/1.1\r\nHost: x\r\n")
        started = time.monotonic()
        if trickle:
            sock.settimeout(0.2)
            with contextlib.suppress(OSError):
                while time.monotonic() - started < HEADER_TIMEOUT + 5:
                    sock.sendall(b"X")
                    with contextlib.suppress(TimeoutError):
                        if sock.recv(1, socket.MSG_PEEK):
                            break
        data, _, closed = read_all(sock, HEADER_TIMEOUT + 5)
        elapsed = time.monotonic() - started
    assert closed
    status, headers, body, _ = split_response(data)
    assert (status, decode_answer(status, headers, body, xml=False)["Code"]) == (
        408,
        "RequestTimeout",
    )
    assert elapsed <= HEADER_TIMEOUT + MARGIN


def test_half_a_body_gets_408(cloud: LiveCloud) -> None:
    head = (
        b"POST /?Action=DescribeRegions&Version=2016-04-28 HTTP/1.1\r\n"
        + HOST
        + b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nA=1"
    )
    with contextlib.closing(connect(cloud)) as sock:
        sock.sendall(head)
        data, elapsed, closed = read_all(sock, BODY_TIMEOUT + 5)
    assert closed
    status, headers, body, _ = split_response(data)
    assert (status, decode_answer(status, headers, body, xml=False)["Code"]) == (
        408,
        "RequestTimeout",
    )
    assert elapsed <= BODY_TIMEOUT + MARGIN


def test_idle_keep_alive_connection_is_closed(cloud: LiveCloud) -> None:
    with contextlib.closing(connect(cloud)) as sock:
        sock.sendall(b"GET /riconnect/health HTTP/1.1\r\n" + HOST + b"\r\n")
        data, elapsed, closed = read_all(sock, KEEP_ALIVE + 5)
    assert closed and b" 200 " in data.split(b"\r\n", 1)[0]
    assert elapsed <= KEEP_ALIVE + MARGIN


def _established(ports: tuple[int, int]) -> bool:
    """Whether the TCP connection local port -> remote port (both on loopback) is open."""
    import psutil

    return any(
        c.laddr and c.raddr and (c.laddr.port, c.raddr.port) == ports
        for c in psutil.net_connections(kind="tcp")
        if c.status == psutil.CONN_ESTABLISHED
    )


def test_a_client_that_stops_reading_is_cut_off(cloud: LiveCloud) -> None:
    """Pipelined requests whose answers are never read: once the socket buffers are full the
    server waits at most the write deadline, then drops the connection (before, the request
    task waited forever and the connection was never released)."""
    caller = Caller(cloud.endpoint)
    for n in range(50):  # 50 VPCs: each DescribeVpcs page is about 50 KB
        assert caller.call("CreateVpc", KEYS[ACCOUNT_A], "cn-shanghai", {"VpcName": f"big-{n}"}).ok
    requests = [
        signed_bytes(cloud, "DescribeVpcs", [("RegionId", "cn-shanghai"), ("PageSize", "50")])
        for _ in range(200)
    ]
    probe = Caller(cloud.endpoint)
    sock = connect(cloud, rcvbuf=4096)
    with contextlib.closing(sock):
        sock.sendall(b"".join(requests))
        # The server is stuck writing, then gives up.  A fixed pause is not enough on a
        # loaded machine (the server may still be computing answers, and a client that
        # drains it then was never stuck): wait, a minute at most, for the server's end of
        # this connection to leave ESTABLISHED.
        server_end = (sock.getpeername()[1], sock.getsockname()[1])
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and _established(server_end):
            time.sleep(0.25)
        # Meanwhile other clients are served.
        started = time.monotonic()
        assert probe.call("DescribeRegions", KEYS[ACCOUNT_A], None).ok
        assert time.monotonic() - started < 1.0
        data, _, closed = read_all(sock, 20)
    assert closed
    answered = data.count(b"HTTP/1.1 200 OK")
    assert answered < len(requests), "the server wrote every answer: nothing was cut off"


def test_stalled_and_idle_connections_do_not_slow_others_down(cloud: LiveCloud) -> None:
    """Hundreds of idle, half-sent and slowly-read connections at once; a normal client
    keeps getting prompt answers, and every stalled connection is closed by a deadline."""
    idle_count = size(150, 1000)
    half_count = size(50, 200)
    sockets: list[socket.socket] = []
    try:
        for _ in range(idle_count):
            sockets.append(connect(cloud))  # silent: head deadline
        for i in range(half_count):
            sock = connect(cloud)
            if i % 2:
                sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nX-Slow: ")  # head deadline
            else:
                sock.sendall(  # body deadline
                    b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\nAc"
                )
            sockets.append(sock)
        for _ in range(size(50, 200)):  # served once, then idle: keep-alive deadline
            sock = connect(cloud)
            sock.sendall(b"GET /riconnect/health HTTP/1.1\r\n" + HOST + b"\r\n")
            sockets.append(sock)

        probe = Caller(cloud.endpoint)
        watch = Stopwatch()
        until = time.monotonic() + max(HEADER_TIMEOUT, BODY_TIMEOUT) + 0.5
        while time.monotonic() < until:
            started = time.monotonic()
            assert probe.call("DescribeRegions", KEYS[ACCOUNT_A], None).ok
            watch.add(time.monotonic() - started)

        deadline = time.monotonic() + KEEP_ALIVE + MARGIN + 3
        open_ones = list(sockets)
        while open_ones and time.monotonic() < deadline:
            still = []
            for sock in open_ones:
                sock.settimeout(0)
                try:
                    while chunk := sock.recv(65536):
                        pass
                    if chunk == b"":
                        continue  # closed by the server
                except (BlockingIOError, TimeoutError):
                    still.append(sock)
                except ConnectionResetError:
                    continue
            open_ones = still
            time.sleep(0.1)
        assert not open_ones, f"{len(open_ones)} of {len(sockets)} connections were never closed"
    finally:
        for sock in sockets:
            sock.close()
    assert watch.worst < 1.0, f"slowest answer meanwhile {watch.worst:.3f} s"
    assert watch.percentile(0.95) < 0.3, watch.percentile(0.95)
    record(
        "slow",
        stalled_connections=len(sockets),
        timed_out=len(sockets),
        probe_requests=len(watch.samples),
    )
    note(
        "slow",
        probe_worst_ms=round(watch.worst * 1000, 1),
        probe_p95_ms=round(watch.percentile(0.95) * 1000, 1),
    )


def test_stalled_clients_do_not_hold_up_a_graceful_stop(tmp_path: Path, rel_accounts: Path) -> None:
    """SIGTERM with a client stalled in the middle of its body: uvicorn waited for that
    request until the body deadline (30 s by default), so a graceful stop took 30 s or was
    escalated to SIGKILL.  Requests in progress now get at most --shutdown-timeout (5 s)."""
    live = LiveCloud(tmp_path / "stop.db", accounts=rel_accounts, workdir=tmp_path)
    live.start()
    sockets = []
    try:
        for payload in (
            b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nab",  # half a body
            b"POST / HTTP/1.1\r\nHost: x\r\nX-A: ",  # half a head
            b"",  # silent
        ):
            sock = connect(live)
            if payload:
                sock.sendall(payload)
            sockets.append(sock)
        time.sleep(0.3)
        started = time.monotonic()
        status = live.stop(timeout=20)
        elapsed = time.monotonic() - started
    finally:
        for sock in sockets:
            sock.close()
        live.close()
    assert status == -signal.SIGTERM, f"not a graceful stop: {status}"
    assert elapsed < 5.0 + MARGIN + 1, f"the stop took {elapsed:.1f} s"


def test_slow_readers_do_not_slow_others_down(cloud: LiveCloud) -> None:
    """Clients that pipeline hundreds of requests and read the answers a trickle at a time
    (2 KB every 50 ms): the server keeps their connections (they make progress) while a
    normal client is served promptly."""
    readers = size(4, 16)
    stop = threading.Event()
    received = [0] * readers

    def slow_reader(index: int) -> None:
        requests = [signed_bytes(cloud, "DescribeRegions", []) for _ in range(200)]
        with contextlib.closing(connect(cloud, rcvbuf=4096)) as sock:
            sock.sendall(b"".join(requests))
            sock.settimeout(1)
            while not stop.is_set():
                with contextlib.suppress(TimeoutError):
                    chunk = sock.recv(2048)
                    if not chunk:
                        return
                    received[index] += len(chunk)
                time.sleep(0.05)

    threads = [threading.Thread(target=slow_reader, args=(i,)) for i in range(readers)]
    for thread in threads:
        thread.start()
    time.sleep(0.5)
    probe = Caller(cloud.endpoint)
    watch = Stopwatch()
    until = time.monotonic() + size(2.0, 10.0)
    while time.monotonic() < until:
        started = time.monotonic()
        assert probe.call("DescribeRegions", KEYS[ACCOUNT_A], None).ok
        watch.add(time.monotonic() - started)
    stop.set()
    for thread in threads:
        thread.join(10)
    assert all(r > 4096 for r in received), received  # they were being served, slowly
    assert watch.worst < 1.0, f"slowest answer meanwhile {watch.worst:.3f} s"
    assert watch.percentile(0.95) < 0.3, watch.percentile(0.95)
    record("slow", stalled_connections=readers, probe_requests=len(watch.samples))
