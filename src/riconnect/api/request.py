"""The request as the gateway reads it: one value, and the steps that read it.

:func:`read_head` turns the ASGI scope into a :class:`Request` (method, path, query pairs,
headers); :func:`read_body` adds the body and, for a form, its pairs.  Each step can refuse
the request with an :class:`ApiError`, answered in the ``Format`` of what was read before
it (:attr:`Request.wants_xml`).  The action comes from the parameters (:func:`find_action`).
A :class:`Request` is what authentication checks: it is the
:class:`~riconnect.api.auth.SignedRequest` the signature covers.
"""

from __future__ import annotations

import asyncio
import dataclasses
import ipaddress
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from riconnect.api import render
from riconnect.api.actions import ACTIONS, NAMES, VERSIONS, Action
from riconnect.api.auth import SignedRequest, collect_headers
from riconnect.api.config import ServerConfig
from riconnect.domain.errors import ApiError

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]

_FORM = "application/x-www-form-urlencoded"


class GatewayError(ApiError):
    """An error of the HTTP gateway itself (deadlines, limits); the connection is closed
    after its answer."""


class ClientGone(Exception):
    """The client disconnected before its request was complete: nothing to run or answer."""


@dataclass(frozen=True)
class Request(SignedRequest):
    """An RPC request: the query, the headers, and once read, the body and its form pairs."""

    @property
    def wants_xml(self) -> bool:
        """``Format=XML`` among the pairs read so far (the last value of a name counts)."""
        return render.wants_xml(dict((*self.query, *self.form)))

    def params(self) -> dict[str, str]:
        """Query and form parameters together; a name given twice must have one value."""
        merged: dict[str, str] = {}
        for key, value in (*self.query, *self.form):
            if key in merged and merged[key] != value:
                raise ApiError("InvalidParameter.Duplicate", name=key[:100])
            merged[key] = value
        return merged

    def check_route(self) -> None:
        """Every RPC action is ``GET`` or ``POST`` on ``/``."""
        if self.path != "/":
            raise ApiError("InvalidPath", path=self.path[:200])
        if self.method not in ("GET", "POST"):
            raise ApiError("UnsupportedHTTPMethod")


def _pairs(text: str, budget: int, limit: int) -> list[tuple[str, str]]:
    try:
        return parse_qsl(text, keep_blank_values=True, errors="replace", max_num_fields=budget)
    except ValueError:
        raise GatewayError("TooManyParameters", limit=limit) from None


# Hosts whose absolute-form requests riconnect answers as its own (see origin_form).
ALIBABA_API_DOMAIN = "aliyuncs.com"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def origin_form(path: str, server: Any = None) -> str:
    """The path of a forward-proxy request (an absolute-form target, RFC 9112 §3.2.2) for an
    Alibaba Cloud API host, so that riconnect answers it as if it had been sent here.

    With ``HTTP_PROXY`` pointing at riconnect (``riconnect terraform run`` sets it), requests
    a client sends to the real endpoints arrive here instead of leaving the machine: the Go
    provider's V1 SDK resolves another region's endpoint from its built-in table (v1.285.0
    connectivity/client.go:452 registers only the provider's own region), e.g.
    resource_alicloud_router_interface_connection.go:124 looks the opposite interface up at
    ``http://vpc.aliyuncs.com/``.  Only ``*.aliyuncs.com`` and riconnect's own address
    (a loopback host on its own port) are accepted; anything else is refused
    (``Forbidden.ProxyTarget``): riconnect is not a general proxy.
    """
    lowered = path[:8].lower()
    if not lowered.startswith(("http://", "https://")):
        return path
    rest = path.split("://", 1)[1]
    authority, _, tail = rest.partition("/")
    hostport = authority.rpartition("@")[2].lower()
    if hostport.startswith("["):  # [::1]:8080
        host, _, port_text = hostport[1:].partition("]")
        port_text = port_text.removeprefix(":")
    else:
        host, _, port_text = hostport.partition(":")
    host = host.rstrip(".")
    port = int(port_text) if port_text.isascii() and port_text.isdigit() else None
    if host == ALIBABA_API_DOMAIN or host.endswith("." + ALIBABA_API_DOMAIN):
        return "/" + tail
    own_port = server[1] if isinstance(server, tuple | list) and len(server) == 2 else None
    if _is_loopback(host) and (port or 80) == own_port:
        return "/" + tail
    raise ApiError("Forbidden.ProxyTarget", host=authority[:100])


def read_head(scope: Scope, config: ServerConfig) -> Request:
    """The request line and headers (``config.max_params`` bounds the query's pairs); an
    absolute-form target becomes its path (:func:`origin_form`)."""
    query = _pairs(
        scope.get("query_string", b"").decode("utf-8", "replace"),
        config.max_params,
        config.max_params,
    )
    return Request(
        method=scope.get("method", "GET"),
        path=origin_form(scope.get("path", "/"), scope.get("server")),
        query=query,
        form=[],
        body=b"",
        headers=collect_headers(scope.get("headers", [])),
    )


async def read_body(request: Request, receive: Receive, config: ServerConfig) -> Request:
    """``request`` with its body, within ``max_body`` bytes and ``body_timeout`` seconds, and
    a form body's pairs (query and form together within ``max_params``)."""
    limit = config.max_body
    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > limit:
        raise ApiError("RequestTooLarge", limit=limit)  # no need to read any of it
    chunks: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(config.body_timeout):
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    if declared.isascii() and declared.isdigit() and int(declared) == size:
                        break  # complete (typically an empty body): the client left early
                    # A request cut short is not run on what happened to arrive.
                    raise ClientGone()
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > limit:
                    raise ApiError("RequestTooLarge", limit=limit)
                chunks.append(chunk)
                if not message.get("more_body", False):
                    break
    except TimeoutError:
        raise GatewayError("RequestTimeout", seconds=config.body_timeout) from None
    body = b"".join(chunks)
    form: list[tuple[str, str]] = []
    if request.headers.get("content-type", "").lower().startswith(_FORM):
        budget = max(config.max_params - len(request.query), 0)
        form = _pairs(body.decode("utf-8", "replace"), budget, config.max_params)
    return dataclasses.replace(request, body=body, form=form)


def find_action(request: Request, params: dict[str, str]) -> Action:
    """The action ``(Version, Action)`` names; a V3 request may name them in its (signed)
    ``x-acs-action`` and ``x-acs-version`` headers instead."""
    name, version = params.get("Action", ""), params.get("Version", "")
    if request.headers.get("authorization", "").startswith("ACS3-"):
        # Only V3 signs headers: a V1 request's action must come from its signed parameters.
        name = name or request.headers.get("x-acs-action", "")
        version = version or request.headers.get("x-acs-version", "")
    if not name:
        raise ApiError("MissingParameter", name="Action")
    if not version:
        raise ApiError("MissingParameter", name="Version")
    action = ACTIONS.get((version, name))
    if action is None:
        if version not in VERSIONS and name in NAMES:
            raise ApiError("InvalidVersion", version=version[:40], action=name[:80])
        raise ApiError("InvalidAction.NotFound")
    return action
