"""Signed RPC requests to a riconnect cloud, built like the SDKs build theirs. No pytest here.

One builder, :func:`build_request`, turns an action, its parameters and a
:class:`RequestOptions` into a :class:`PreparedRequest`; one sender, :func:`send`, delivers it
to a live server (``host:port`` or :class:`~riconnect.testing.live.LiveCloud`, over one
shared ``httpx.Client``) or to an in-process :class:`~riconnect.api.app.App` (through
``httpx.ASGITransport``, no socket).  :func:`signed_request`, :func:`signed_request_async` and
:func:`invoke` are those two steps with keyword options, so a test reads
``invoke(app, "CreateVpc", {"RegionId": "cn-hangzhou"}, signature="v3")``.

Timestamps default to the target's clock: the real time for a live server, the in-process
cloud's clock (often a ``FakeClock`` far from real time) for an app.
"""

from __future__ import annotations

import asyncio
import atexit
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import quote, urlencode, urlsplit

from riconnect.api.auth import sign_v1, sign_v3
from riconnect.testing.defaults import DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET, VPC_VERSION
from riconnect.testing.live import LiveCloud, endpoint_of

if TYPE_CHECKING:
    import httpx

    from riconnect.api.app import App

__all__ = [
    "ASGI_HOST",
    "PreparedRequest",
    "RequestOptions",
    "RiconnectApiError",
    "build_request",
    "invoke",
    "send",
    "send_async",
    "signed_request",
    "signed_request_async",
]

Pairs = Mapping[str, str] | Sequence[tuple[str, str]]
Signature = Literal["v1", "v3"] | None
# Header lines as httpx takes them: a mapping, or pairs that may repeat a name or carry bytes.
HeaderLines = Mapping[str, str] | Sequence[tuple[str, str]] | Sequence[tuple[bytes, bytes]]
ASGI_HOST = "riconnect.test"  # the host an in-process app is addressed by


@dataclass(frozen=True)
class RequestOptions:
    """How one request is built, signed and sent (the keywords of :func:`signed_request`).

    * ``signature="v1"``: HMAC-SHA1 like aliyun-python-sdk-core; ``Action``/``Version`` and
      the signature fields go in the query.
    * ``signature="v3"``: ACS3-HMAC-SHA256 like the V2 SDK's default; ``Action``/``Version``
      go in ``x-acs-action``/``x-acs-version`` headers and every header is signed.
    * ``signature=None``: unsigned.

    ``form`` goes in an ``x-www-form-urlencoded`` body (signed like the query); ``body``
    overrides the body bytes.  ``timestamp`` defaults to the target's clock.
    """

    version: str = VPC_VERSION
    form: Pairs | None = None
    signature: Signature = "v1"
    access_key_id: str = DEMO_ACCESS_KEY_ID
    secret: str = field(default=DEMO_ACCESS_KEY_SECRET, repr=False)
    timestamp: float | None = None
    nonce: str | None = None
    method: str = "POST"
    path: str = "/"
    headers: Mapping[str, str] | None = None
    body: bytes | None = None
    timeout: float = 15.0


@dataclass(frozen=True)
class PreparedRequest:
    """One request ready to send: nothing in it is computed again when it is sent."""

    method: str
    url: str
    headers: HeaderLines = field(default_factory=dict)
    body: bytes = b""
    timeout: float = 15.0

    @property
    def target(self) -> str:
        """The request target of the HTTP request line: path and query, no host."""
        parts = urlsplit(self.url)
        return parts.path + (f"?{parts.query}" if parts.query else "")


def _pairs(values: Pairs | None) -> list[tuple[str, str]]:
    if values is None:
        return []
    items = values.items() if isinstance(values, Mapping) else values
    return [(str(k), str(v)) for k, v in items]


def build_request(
    target: App | LiveCloud | str,
    action: str | None,
    params: Pairs | None = None,
    options: RequestOptions | None = None,
) -> PreparedRequest:
    """The request the SDKs would send for ``action`` with query ``params`` to ``target``."""
    o = options if options is not None else RequestOptions()
    if isinstance(target, LiveCloud | str):
        host = endpoint_of(target)
        now = time.time()
    else:
        host = ASGI_HOST
        now = target.cloud.clock.now()  # the in-process cloud's clock may be fake
    timestamp = now if o.timestamp is None else o.timestamp
    query = _pairs(params)
    form_pairs = _pairs(o.form)
    headers = {"host": host}
    if o.form is not None:
        headers["content-type"] = "application/x-www-form-urlencoded"
    headers.update({k.lower(): v for k, v in (o.headers or {}).items()})
    payload = o.body if o.body is not None else urlencode(form_pairs, quote_via=quote).encode()

    if o.signature == "v3":
        if action is not None:
            headers["x-acs-action"] = action
            headers["x-acs-version"] = o.version
        headers = sign_v3(
            o.method,
            o.path,
            query,
            headers,
            payload,
            o.access_key_id,
            o.secret,
            timestamp=timestamp,
            nonce=o.nonce,
        )
    else:
        if action is not None:
            query = [("Action", action), ("Version", o.version), *query]
        if o.signature == "v1":
            # V1 signs query and form parameters alike; send the signature fields in the URL.
            signed = sign_v1(
                o.method,
                [*query, *form_pairs],
                o.access_key_id,
                o.secret,
                timestamp=timestamp,
                nonce=o.nonce,
            )
            query = signed[: len(query)] + signed[len(query) + len(form_pairs) :]
    url = f"http://{host}{o.path}"
    if query:
        url += "?" + urlencode(query, quote_via=quote)
    return PreparedRequest(o.method, url, headers, payload, o.timeout)


def send(target: App | LiveCloud | str, request: PreparedRequest) -> httpx.Response:
    """Deliver ``request`` to a live server or, without any socket, to an in-process app."""
    if isinstance(target, LiveCloud | str):
        return _http_client().request(
            request.method,
            request.url,
            headers=request.headers,
            content=request.body,
            timeout=request.timeout,
        )
    return asyncio.run(send_async(target, request))


async def send_async(app: App, request: PreparedRequest) -> httpx.Response:
    """:func:`send` to an in-process app, from inside a running event loop."""
    import httpx

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, timeout=request.timeout) as client:
        response = await client.request(
            request.method, request.url, headers=request.headers, content=request.body
        )
        await response.aread()
        return response


def signed_request(
    target: App | LiveCloud | str,
    action: str | None,
    params: Pairs | None = None,
    **options: Any,
) -> httpx.Response:
    """Send one signed RPC request and return the raw ``httpx.Response``.

    ``target`` is an in-process :class:`App`, a :class:`LiveCloud` or a ``host:port``
    endpoint; ``params`` go in the URL query; ``options`` are the fields of
    :class:`RequestOptions` (``signature``, ``form``, ``access_key_id``, ``secret``,
    ``timestamp``, ``method``, ...).
    """
    return send(target, build_request(target, action, params, RequestOptions(**options)))


async def signed_request_async(
    target: App, action: str | None, params: Pairs | None = None, **options: Any
) -> httpx.Response:
    """:func:`signed_request` for an in-process app, from inside a running event loop."""
    return await send_async(
        target, build_request(target, action, params, RequestOptions(**options))
    )


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
    **options: Any,
) -> dict[str, Any]:
    """:func:`signed_request` and decode the JSON body; raises :class:`RiconnectApiError`
    for an error answer."""
    response = signed_request(target, action, params, **options)
    body = response.json()
    if response.status_code >= 300:
        raise RiconnectApiError(response.status_code, body)
    if not isinstance(body, dict):  # pragma: no cover - every answer is an object
        raise TypeError(f"unexpected JSON body {body!r}")
    return body
