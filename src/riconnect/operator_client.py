"""A client of a running server's operator surface (``/riconnect/...``), standard library only.

Used by ``riconnect state|reset|snapshot|status|requests|settings|reach --endpoint`` and by
``riconnect.testing`` (``LiveCloud.operator``, the isolation fixtures).  It talks to the
server directly, whatever proxy the environment names, and sends the admin token as
``Authorization: Bearer`` when it has one (default: ``RICONNECT_ADMIN_TOKEN``).
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlencode

__all__ = ["DEFAULT_ENDPOINT", "OperatorClient", "OperatorError", "Unreachable", "base_url"]

DEFAULT_ENDPOINT = "http://127.0.0.1:18080"
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class OperatorError(Exception):
    """An error answer: the envelope's Code and Message."""

    def __init__(self, status: int, code: str, message: str, request_id: str = "") -> None:
        self.status = status
        self.code = code
        self.message = message
        self.request_id = request_id
        super().__init__(f"{status} {code}: {message}")


class Unreachable(OperatorError):
    """No server answered at the endpoint."""


def base_url(endpoint: str) -> str:
    """``http://host:port`` from ``host:port`` or a URL (a trailing slash dropped)."""
    endpoint = endpoint.strip().rstrip("/")
    return endpoint if "://" in endpoint else "http://" + endpoint


class OperatorClient:
    def __init__(
        self, endpoint: str = DEFAULT_ENDPOINT, token: str | None = None, timeout: float = 60.0
    ) -> None:
        self.url = base_url(endpoint)
        self.token = os.environ.get("RICONNECT_ADMIN_TOKEN") if token is None else token
        self.timeout = timeout

    def __repr__(self) -> str:
        return f"<OperatorClient {self.url}>"

    # -- transport
    def call(
        self,
        method: str,
        path: str,
        query: dict[str, Any] | None = None,
        body: bytes | None = None,
        content_type: str = "application/json",
    ) -> tuple[int, dict[str, str], bytes]:
        """One request to ``/riconnect/<path>``: (status, headers, body); raises
        :class:`OperatorError` for an error answer, :class:`Unreachable` for no answer."""
        url = f"{self.url}/riconnect/{path}"
        wanted = {k: str(v) for k, v in (query or {}).items() if v is not None}
        if wanted:
            url += "?" + urlencode(wanted)
        headers = {"accept": "application/json"}
        if body is not None:
            headers["content-type"] = content_type
        if self.token:
            headers["authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(url, data=body, method=method, headers=headers)
        try:
            with _DIRECT.open(request, timeout=self.timeout) as response:
                return response.status, dict(response.headers.items()), response.read()
        except urllib.error.HTTPError as exc:
            data = exc.read()
            try:
                envelope = json.loads(data)
            except ValueError:
                envelope = {}
            raise OperatorError(
                exc.code,
                str(envelope.get("Code", "HTTP")),
                str(envelope.get("Message", data[:200].decode("utf-8", "replace"))),
                str(envelope.get("RequestId", "")),
            ) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise Unreachable(
                0, "Unreachable", f"no riconnect server answers at {self.url} ({reason})"
            ) from None

    def json(
        self, method: str, path: str, query: dict[str, Any] | None = None, payload: Any = None
    ) -> dict[str, Any]:
        body = None if payload is None else json.dumps(payload).encode()
        _status, _headers, data = self.call(method, path, query, body)
        answer = json.loads(data)
        if not isinstance(answer, dict):  # pragma: no cover - every answer is an object
            raise OperatorError(0, "Malformed", f"unexpected answer {answer!r}")
        return answer

    # -- the paths
    def health(self) -> dict[str, Any]:
        return self.json("GET", "health")

    def status(self) -> dict[str, Any]:
        return self.json("GET", "status")

    def state(self, account: str | None = None) -> dict[str, Any]:
        return self.json("GET", "state", {"account": account})

    def reset(self, account: str | None = None) -> dict[str, Any]:
        return self.json("POST", "reset", {"account": account})

    def save_snapshot(self, compress: bool = False) -> bytes:
        _status, _headers, data = self.call("GET", "snapshot", {"gzip": 1 if compress else None})
        return data

    def load_snapshot(self, data: bytes) -> dict[str, Any]:
        _status, _headers, answer = self.call("POST", "snapshot", None, data)
        result: dict[str, Any] = json.loads(answer)
        return result

    def requests(
        self, limit: int = 100, action: str | None = None, account: str | None = None
    ) -> list[dict[str, Any]]:
        answer = self.json(
            "GET", "requests", {"limit": limit, "action": action, "account": account}
        )
        return list(answer["Requests"])

    def settings(self) -> dict[str, Any]:
        return self.json("GET", "settings")

    def reachability(
        self, source: str, source_ip: str, destination_ip: str, account: str | None = None
    ) -> dict[str, Any]:
        query = {"source": source, "source_ip": source_ip, "destination_ip": destination_ip}
        return self.json("GET", "reachability", {**query, "account": account})

    def update_settings(self, changes: dict[str, Any]) -> dict[str, Any]:
        return self.json("PUT", "settings", None, changes)

    def clear_settings(self) -> dict[str, Any]:
        return self.json("DELETE", "settings")
