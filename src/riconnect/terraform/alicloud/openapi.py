"""A lean client of Alibaba Cloud's RPC APIs: the requests the official SDK sends, signed as it
signs them (ACS3-HMAC-SHA256), without importing it.

Why: importing ``alibabacloud_vpc20160428`` with ``alibabacloud_tea_openapi`` (aiohttp,
the credentials chain with its scheduler, 1,213 model modules) took about 0.5 s, and
every one of the 3-5 provider processes Terraform starts per command paid it on its first
call (bench/NOTES.md).  This module needs the standard library only.

What it sends, for the actions of openapi_actions.py: the SDK's request line (the query in
the order the SDK adds it, encoded as ``urlencode`` does), its headers (``host``,
``x-acs-version``, ``x-acs-action``, ``user-agent``, ``x-acs-date``,
``x-acs-signature-nonce``, ``accept``, ``x-acs-content-sha256``,
``x-acs-credentials-provider``, the STS token headers) and its ``Authorization``.
tests/terraform/alicloud/test_openapi_client.py sends each action through both clients and
compares them byte for byte, with the SDK's own nonce and date.  An error answer becomes
:class:`ApiFailure` carrying what the SDK's exceptions carry (code, message, HTTP status,
RequestId, ``x-acs-retry-after``), and a failed connection :class:`TransportError`, shaped
as the SDK's exception for it; the caller (client.py) keeps the retry policy.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import platform
import random
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from riconnect.terraform.alicloud.openapi_actions import ACTIONS

ALGORITHM = "ACS3-HMAC-SHA256"
_EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
# The official SDK's own version (Tea's ``__version__``) is part of its user agent, which
# it signs; this client sends the same agent.
SDK_CORE_VERSION = "0.4.3"


def user_agent() -> str:
    return (
        f"AlibabaCloud ({platform.system()}; {platform.machine()}) "
        f"Python/{platform.python_version()} Core/{SDK_CORE_VERSION} TeaDSL/2"
    )


class ApiFailure(Exception):
    """An error answer (HTTP 4xx/5xx), with the fields of the SDK's exceptions."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        request_id: str,
        data: dict[str, Any],
        retry_after: int | None,
    ) -> None:
        super().__init__(f"code: {status}, {message} request id: {request_id}")
        self.status_code = status
        self.code = code
        self.message = message
        self.request_id = request_id
        self.data = data
        self.retry_after = retry_after  # milliseconds, as the SDK's ThrottlingException


class TransportError(Exception):
    """The request could not be sent or its answer not read.  Shaped as the SDK's
    ``UnretryableException`` for the same failures (no code, no data), so the caller
    treats both alike: the SDK does not retry them, and neither does the provider."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = None
        self.data = None


def flatten(params: dict[str, Any], names: tuple[str, ...]) -> dict[str, str]:
    """The SDK's ``Utils.query``: the known names in the SDK's order; lists become
    ``Name.1``, ``Name.2``; dicts ``Name.Key``; values ``str()`` (True -> "True")."""
    out: dict[str, str] = {}

    def walk(key: str, value: Any) -> None:
        if value is None:
            return
        if isinstance(value, dict):
            for k, v in value.items():
                walk(f"{key}.{k}", v)
        elif isinstance(value, (list, tuple)):
            for index, item in enumerate(value):
                walk(f"{key}.{index + 1}", item)
        elif isinstance(value, bytes):
            out[key] = value.decode()
        else:
            out[key] = str(value)

    for name in names:
        walk(name, params.get(name))
    return out


def canonical_query(query: dict[str, str]) -> str:
    return "&".join(f"{k}={quote(query[k], safe='~')}" for k in sorted(query))


def authorization(
    method: str,
    query: dict[str, str],
    headers: dict[str, str],
    payload_hash: str,
    access_key: str,
    secret: str,
) -> str:
    """The SDK's ``Utils.get_authorization`` for ACS3-HMAC-SHA256 (every header signed)."""
    names = sorted(k.lower() for k in headers)
    lowered = {k.lower(): v.strip() for k, v in headers.items()}
    canonical_headers = "".join(f"{k}:{lowered[k]}\n" for k in names)
    signed = ";".join(names)
    canonical = (
        f"{method}\n/\n{canonical_query(query)}\n{canonical_headers}\n{signed}\n{payload_hash}"
    )
    to_sign = f"{ALGORITHM}\n{hashlib.sha256(canonical.encode()).hexdigest()}"
    signature = hmac.new(secret.encode(), to_sign.encode(), hashlib.sha256).hexdigest()
    return f"{ALGORITHM} Credential={access_key},SignedHeaders={signed},Signature={signature}"


_seq = 0


def nonce() -> str:
    """Shaped as the SDK's ``Utils.get_nonce`` (an MD5 of time, thread, sequence, random)."""
    global _seq
    now = int(time.time() * 1000)
    _seq += 1
    msg = f"{now}-{threading.get_ident()}-{now}-{_seq}-{random.getrandbits(64)}"
    return hashlib.md5(msg.encode()).hexdigest()


def timestamp() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


@dataclass(frozen=True)
class Credentials:
    access_key: str
    secret: str
    security_token: str = ""


@dataclass
class Prepared:
    """One request as it goes on the wire."""

    method: str
    target: str  # path and query
    headers: dict[str, str]
    body: bytes


def prepare(
    product: str,
    action: str,
    params: dict[str, Any],
    host: str,
    credentials: Credentials,
    *,
    date: str | None = None,
    signature_nonce: str | None = None,
) -> Prepared:
    """The request the SDK would send for ``action`` with ``params`` (given ``date`` and
    ``signature_nonce``, which the SDK makes fresh for each attempt)."""
    version, query_names, body_names = ACTIONS[(product, action)]
    query = flatten(params, query_names)
    headers = {
        "host": host,
        "x-acs-version": version,
        "x-acs-action": action,
        "user-agent": user_agent(),
        "x-acs-date": date or timestamp(),
        "x-acs-signature-nonce": signature_nonce or nonce(),
        "accept": "application/json",
    }
    body = b""
    payload_hash = _EMPTY_SHA256
    form = flatten(params, body_names)
    if form:
        body = urlencode({k: form[k] for k in sorted(form)}).encode()
        payload_hash = hashlib.sha256(body).hexdigest()
        headers["content-type"] = "application/x-www-form-urlencoded"
    headers["x-acs-content-sha256"] = payload_hash
    if credentials.security_token:
        headers["x-acs-credentials-provider"] = "static_sts"
        headers["x-acs-accesskey-id"] = credentials.access_key
        headers["x-acs-security-token"] = credentials.security_token
    else:
        headers["x-acs-credentials-provider"] = "static_ak"
    headers["Authorization"] = authorization(
        "POST", query, headers, payload_hash, credentials.access_key, credentials.secret
    )
    target = "/" + ("?" + urlencode(query) if query else "")
    return Prepared("POST", target, headers, body)


class Connection:
    """Keep-alive HTTP(S) connections to one endpoint, one per thread (the provider serves
    Terraform's calls on several threads at once)."""

    def __init__(self, host: str, scheme: str, connect_timeout: float, read_timeout: float):
        self.host = host
        self.scheme = scheme
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self._local = threading.local()

    def _open(self) -> Any:
        import http.client

        if self.scheme == "https":
            import ssl

            context = ssl.create_default_context()
            try:  # the CA bundle the SDK (through requests) trusts
                import certifi

                context.load_verify_locations(certifi.where())
            except ImportError:
                pass
            return http.client.HTTPSConnection(
                self.host, timeout=self.connect_timeout, context=context
            )
        return http.client.HTTPConnection(self.host, timeout=self.connect_timeout)

    def send(self, request: Prepared) -> tuple[int, dict[str, str], bytes]:
        import http.client

        conn = getattr(self._local, "conn", None)
        fresh = conn is None
        for attempt in (1, 2):
            if conn is None:
                conn = self._local.conn = self._open()
            try:
                if conn.sock is None:
                    # The connect timeout for connecting, the read timeout afterwards.
                    conn.connect()
                    sock: Any = conn.sock
                    sock.settimeout(self.read_timeout)
                # Content-Length last, where the SDK's transport (urllib3) puts it.
                headers = {**request.headers, "Content-Length": str(len(request.body))}
                conn.request(request.method, request.target, request.body, headers)
                response = conn.getresponse()
                data = response.read()
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                conn = self._local.conn = None
                # A kept connection the server closed meanwhile: one fresh try (a new
                # connection's failure is the caller's to retry).
                if attempt == 1 and not fresh:
                    continue
                raise TransportError(str(exc) or type(exc).__name__) from exc
            headers = {k.lower(): v for k, v in response.getheaders()}
            if response.will_close:
                conn.close()
            return response.status, headers, data
        raise AssertionError("unreachable")


def answer(status: int, headers: dict[str, str], data: bytes) -> dict[str, Any]:
    """The decoded body of a success; :class:`ApiFailure` for an error, read as the SDK
    reads it (JSON, or XML's ``Error`` element)."""
    if 400 <= status < 600:
        err: dict[str, Any]
        if headers.get("content-type") == "text/xml;charset=utf-8":
            err = _xml_error(data)
        else:
            err = json.loads(data or b"{}")
        request_id = err.get("RequestId") or err.get("requestId")
        code = err.get("Code") or err.get("code")
        message = err.get("Message") or err.get("message")
        return_after = headers.get("x-acs-retry-after", "")
        retry_after = int(return_after) if return_after.isdigit() else None
        raise ApiFailure(status, f"{code}", f"{message}", f"{request_id}", err, retry_after or None)
    body: dict[str, Any] = json.loads(data)
    return body


def _xml_error(data: bytes) -> dict[str, Any]:
    from xml.etree import ElementTree

    root = ElementTree.fromstring(data)
    return {child.tag: child.text or "" for child in root}
