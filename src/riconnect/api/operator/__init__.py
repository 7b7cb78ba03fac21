"""The operator surface: paths under ``/riconnect/`` for people and test harnesses.

Served beside the gateway (api/app.py hands these paths here before reading anything),
never through a signed OpenAPI request, and guarded (guard.py): a bearer token when the
server has one, else loopback clients only; ``health`` is open to all.

The routes are data (:data:`ROUTES`): method, path, handler, and whether the handler works
on the store (then it runs in a worker thread, like a service function).  The handlers are
in endpoints.py; the console's static files in console.py.  Every answer is JSON with a
RequestId, errors in the Alibaba envelope, except the console's files and a snapshot
download.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl

from riconnect.api.actions import DEFAULT_PRODUCT
from riconnect.api.auth import collect_headers
from riconnect.api.operator import console, endpoints, guard, reachability
from riconnect.api.operator.endpoints import Call
from riconnect.api.render import Answer, error_body
from riconnect.api.request import ClientGone, Receive, Scope
from riconnect.api.runtime import CloudRuntime
from riconnect.domain.errors import ApiError

__all__ = ["HEALTH_PATH", "PREFIX", "ROUTES", "Operator", "Route", "owns"]

log = logging.getLogger("riconnect.operator")

PREFIX = "/riconnect/"
HEALTH_PATH = "/riconnect/health"
CONSOLE = "/riconnect/console/"


@dataclass(frozen=True)
class Route:
    method: str  # "*": any method
    path: str  # exact, or a prefix when it ends with "/" and ``prefix`` is set
    handler: Callable[[Call], Answer]
    name: str  # logged as riconnect:<name>
    guarded: bool = True
    store: bool = True  # works on the store: runs in a worker thread
    body: bool = False  # reads a request body (up to --max-snapshot bytes)
    prefix: bool = False


ROUTES: tuple[Route, ...] = (
    Route("*", HEALTH_PATH, endpoints.health, "Health", guarded=False, store=False),
    Route("GET", "/riconnect/status", endpoints.status, "Status"),
    Route("GET", "/riconnect/state", endpoints.state, "State"),
    Route("POST", "/riconnect/reset", endpoints.reset, "Reset"),
    Route("GET", "/riconnect/snapshot", endpoints.save_snapshot, "SaveSnapshot"),
    Route("POST", "/riconnect/snapshot", endpoints.load_snapshot, "LoadSnapshot", body=True),
    Route("GET", "/riconnect/requests", endpoints.requests, "Requests", store=False),
    Route("GET", reachability.PATH, reachability.answer, "Reachability"),
    Route("GET", "/riconnect/settings", endpoints.get_settings, "Settings"),
    Route("PUT", "/riconnect/settings", endpoints.put_settings, "PutSettings", body=True),
    Route("DELETE", "/riconnect/settings", endpoints.clear_settings, "ClearSettings"),
    Route("GET", "/riconnect/console", console.redirect, "Console", store=False),
    Route("GET", CONSOLE, console.serve, "Console", store=False, prefix=True),
)


def owns(path: str) -> bool:
    """True for the paths the operator surface answers (every one under /riconnect/)."""
    return path.startswith(PREFIX) or path == "/riconnect"


def _match(method: str, path: str) -> tuple[Route | None, bool]:
    """(the route for ``method`` and ``path``, whether the path exists at all)."""
    found_path = False
    for route in ROUTES:
        if path == route.path or (route.prefix and path.startswith(route.path)):
            found_path = True
            if route.method in ("*", method) or (method == "HEAD" and route.method == "GET"):
                return route, True
    return None, found_path


class Operator:
    def __init__(self, cloud: CloudRuntime) -> None:
        self.cloud = cloud

    async def handle(self, scope: Scope, receive: Receive, request_id: str) -> Answer:
        method = str(scope.get("method", "GET")).upper()
        path = str(scope.get("path", "/"))
        name = "riconnect"
        try:
            headers = collect_headers(scope.get("headers", []))
            query = dict(
                parse_qsl(
                    scope.get("query_string", b"").decode("utf-8", "replace"),
                    keep_blank_values=True,
                    max_num_fields=50,
                )
            )
            route, path_exists = _match(method, path)
            if route is not None:
                name = f"riconnect:{route.name}"
            if route is None or route.guarded:
                token_login = route is not None and route.handler is console.serve
                if token_login and "token" in query and self.cloud.config.admin_token:
                    # A browser's way in when a token is set: the token once in the URL,
                    # then a cookie (see guard.py).
                    answer = console.login(self.cloud, query["token"])
                    answer.action = name
                    return answer
                refused = guard.refusal(
                    scope.get("client"), method, headers, self.cloud.config.admin_token
                )
                if refused is not None:
                    raise refused
            if route is None:
                if path_exists:
                    raise ApiError("UnsupportedHTTPMethod")
                raise ApiError("InvalidPath", path=path[:200])
            body = await self._body(receive) if route.body else b""
            call = Call(self.cloud, method, path, query, headers, body, request_id)
            if route.store:
                loop = asyncio.get_running_loop()
                answer = await loop.run_in_executor(self.cloud.executor, route.handler, call)
            else:
                answer = route.handler(call)
        except ApiError as err:
            answer = Answer(
                err.status,
                error_body(request_id, DEFAULT_PRODUCT.host, err.code, err.message),
                headers=dict(err.headers),
                code=err.code,
            )
            if scope.get("method") in ("POST", "PUT"):
                # The body may be unread: end the connection rather than drain it.
                answer.headers["connection"] = "close"
        except (ClientGone, asyncio.CancelledError):
            raise
        except Exception:  # a bug of ours: logged with the RequestId, never a traceback
            log.exception("InternalError for RequestId %s", request_id)
            answer = Answer(
                500,
                error_body(
                    request_id,
                    DEFAULT_PRODUCT.host,
                    "InternalError",
                    ApiError("InternalError").message,
                ),
                code="InternalError",
            )
        answer.action = name
        answer.headers.setdefault("cache-control", "no-store")
        return answer

    async def _body(self, receive: Receive) -> bytes:
        """The request body, within ``--max-snapshot`` bytes; each part must arrive within
        ``--body-timeout`` seconds of the one before."""
        config = self.cloud.config
        chunks: list[bytes] = []
        size = 0
        while True:
            try:
                async with asyncio.timeout(config.body_timeout):
                    message = await receive()
            except TimeoutError:
                raise ApiError("RequestTimeout", seconds=config.body_timeout) from None
            if message["type"] == "http.disconnect":
                raise ClientGone()
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > config.max_snapshot:
                raise ApiError("RequestTooLarge", limit=config.max_snapshot)
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)
