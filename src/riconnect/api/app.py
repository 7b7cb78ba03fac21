"""The ASGI application: the wire protocol of the Alibaba Cloud RPC APIs.

One request: read query ∪ form body and headers -> look up the action -> verify the
signature -> check the region -> parse parameters from the action table -> run the
service function in a worker thread (one store transaction) -> render JSON or XML.
Every answer, success or error, carries a RequestId; an unexpected exception becomes
``InternalError`` (500) with the RequestId logged, never a traceback on the wire.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from riconnect.api import render
from riconnect.api.actions import ACTIONS, DEFAULT_PRODUCT, NAMES, VERSIONS, Action
from riconnect.api.auth import (
    SignedRequest,
    authenticate,
    collect_headers,
)
from riconnect.api.params import parse
from riconnect.api.runtime import CloudRuntime
from riconnect.domain import ids, regions
from riconnect.domain.accounts import Principal
from riconnect.domain.errors import ApiError
from riconnect.service.context import Ctx, execute

log = logging.getLogger("riconnect.api")
access_log = logging.getLogger("riconnect.access")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class GatewayError(ApiError):
    """An error of the HTTP gateway itself (deadlines, limits); the connection is closed
    after its answer."""


class ClientGone(Exception):
    """The client disconnected before its request was complete: nothing to run or answer."""


@dataclass
class Answer:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    action: str = "-"
    account: str = "-"
    code: str = "-"
    root: str = "Response"


class App:
    def __init__(self, cloud: CloudRuntime) -> None:
        self.cloud = cloud

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":  # websockets: not part of any Alibaba API
            return
        started = time.perf_counter()
        request_id = ids.request_id()
        # Filled by _handle as soon as parameters are known, so that an error raised at any
        # point still honours Format=XML.
        params: dict[str, str] = {}
        try:
            answer = await self._handle(scope, receive, request_id, params)
        except ClientGone:
            return
        except ApiError as err:
            answer = self._error(err, request_id)
            if isinstance(err, GatewayError) or err.code == "RequestTooLarge":
                # The rest of the request is not read: end the connection rather than drain it.
                answer.headers["connection"] = "close"
        except Exception:  # a bug of ours: log it with the RequestId, answer InternalError
            log.exception("InternalError for RequestId %s", request_id)
            answer = self._error(ApiError("InternalError"), request_id)
        await self._send(send, answer, request_id, render.wants_xml(params))
        access_log.info(
            "%s %s account=%s status=%d code=%s ms=%.1f rid=%s",
            scope.get("method", "-"),
            answer.action,
            answer.account,
            answer.status,
            answer.code,
            (time.perf_counter() - started) * 1000,
            request_id,
        )

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                self.cloud.executor.shutdown(wait=False, cancel_futures=True)
                await send({"type": "lifespan.shutdown.complete"})
                return

    def _error(
        self, err: ApiError, request_id: str, action: Action | None = None, account: str = "-"
    ) -> Answer:
        host = (action.product if action is not None else DEFAULT_PRODUCT).host
        return Answer(
            status=err.status,
            body=render.error_body(request_id, host, err.code, err.message),
            headers=dict(err.headers),
            action=action.name if action is not None else "-",
            account=account,
            code=err.code,
            root="Error",
        )

    async def _read_body(self, receive: Receive, headers: dict[str, str]) -> bytes:
        limit = self.cloud.config.max_body
        declared = headers.get("content-length", "")
        if declared.isascii() and declared.isdigit() and int(declared) > limit:
            raise ApiError("RequestTooLarge", limit=limit)  # no need to read any of it
        chunks: list[bytes] = []
        size = 0
        try:
            async with asyncio.timeout(self.cloud.config.body_timeout):
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
            raise GatewayError("RequestTimeout", seconds=self.cloud.config.body_timeout) from None
        return b"".join(chunks)

    def _parse_pairs(self, text: str, budget: int) -> list[tuple[str, str]]:
        try:
            return parse_qsl(
                text, keep_blank_values=True, errors="replace", max_num_fields=max(budget, 0)
            )
        except ValueError:
            raise GatewayError("TooManyParameters", limit=self.cloud.config.max_params) from None

    async def _handle(
        self, scope: Scope, receive: Receive, request_id: str, params: dict[str, str]
    ) -> Answer:
        path = scope.get("path", "/")
        method = scope.get("method", "GET")
        if path == "/riconnect/health":
            return Answer(200, {"RequestId": request_id, "Status": "ok"}, action="health")
        query = self._parse_pairs(
            scope.get("query_string", b"").decode("utf-8", "replace"), self.cloud.config.max_params
        )
        params.update(query)  # provisional, for Format=XML on early errors
        if path != "/":
            raise ApiError("InvalidPath", path=path[:200])
        if method not in ("GET", "POST"):
            raise ApiError("UnsupportedHTTPMethod")

        headers = collect_headers(scope.get("headers", []))
        body = await self._read_body(receive, headers)
        form: list[tuple[str, str]] = []
        if headers.get("content-type", "").lower().startswith("application/x-www-form-urlencoded"):
            form = self._parse_pairs(
                body.decode("utf-8", "replace"), self.cloud.config.max_params - len(query)
            )
            params.update(form)

        merged: dict[str, str] = {}
        for key, value in (*query, *form):
            if key in merged and merged[key] != value:
                raise ApiError("InvalidParameter.Duplicate", name=key[:100])
            merged[key] = value
        params.clear()
        params.update(merged)

        action_name, version = params.get("Action", ""), params.get("Version", "")
        if headers.get("authorization", "").startswith("ACS3-"):
            # Only V3 signs headers: a V1 request's action must come from its signed parameters.
            action_name = action_name or headers.get("x-acs-action", "")
            version = version or headers.get("x-acs-version", "")
        if not action_name:
            raise ApiError("MissingParameter", name="Action")
        if not version:
            raise ApiError("MissingParameter", name="Version")
        action = ACTIONS.get((version, action_name))
        if action is None:
            if version not in VERSIONS and action_name in NAMES:
                raise ApiError("InvalidVersion", version=version[:40], action=action_name[:80])
            raise ApiError("InvalidAction.NotFound")

        try:
            principal = authenticate(
                SignedRequest(method, path, query, form, body, headers),
                self.cloud.registry,
                self.cloud.clock,
                self.cloud.nonces,
            )
        except ApiError as err:
            return self._error(err, request_id, action)

        try:
            result = await self._run(action, principal, params)
        except ApiError as err:
            return self._error(err, request_id, action, principal.account_id)
        body_out = {"RequestId": request_id, **result}
        return Answer(
            200,
            body_out,
            action=action.name,
            account=principal.account_id,
            root=f"{action.name}Response",
        )

    async def _run(
        self, action: Action, principal: Principal, raw: dict[str, str]
    ) -> dict[str, Any]:
        region_id = raw.get("RegionId", "")
        if action.region == "required" and not region_id:
            raise ApiError("MissingParameter", name="RegionId")
        if action.region != "none" and region_id and not regions.is_known(region_id):
            raise ApiError("InvalidRegionId.NotFound")
        # Injected faults answer before anything is read or written: no state changes.
        self.cloud.faults.maybe_fail(action.name)
        params = parse(action.params, raw)
        ctx = Ctx(
            principal=principal,
            region_id=region_id,
            store=self.cloud.store,
            clock=self.cloud.clock,
            settings=self.cloud.settings,
            directory=self.cloud.registry,
            action=action.name,
        )
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self.cloud.executor, execute, ctx, action.handler, params, action.writes
        )

    async def _send(self, send: Send, answer: Answer, request_id: str, xml: bool) -> None:
        if xml:
            payload = render.to_xml(answer.root, answer.body)
            content_type = render.XML_TYPE
        else:
            payload = render.to_json(answer.body)
            content_type = render.JSON_TYPE
        headers = [
            (b"content-type", content_type.encode()),
            (b"content-length", str(len(payload)).encode()),
            (b"x-acs-request-id", request_id.encode()),
            *((k.encode(), v.encode()) for k, v in answer.headers.items()),
        ]
        await send({"type": "http.response.start", "status": answer.status, "headers": headers})
        await send({"type": "http.response.body", "body": payload})


__all__ = ["App"]
