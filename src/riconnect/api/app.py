"""The ASGI application: the gateway of the Alibaba Cloud RPC APIs.

One request, in named steps (api/request.py reads, this module runs):

1. read the request into one value: query and headers (:func:`read_head`), the route
   (``/``, GET or POST), then the body and its form pairs (:func:`read_body`), then the
   parameters (query and form together) and the action they name (:func:`find_action`);
2. authenticate it: V1 or V3 signature, the caller's Principal, the nonce (api/auth.py);
3. run it: the region, the settings in effect (one cheap read of the live settings'
   version, api/live_settings.py), injected faults, the parameters parsed from the action
   table, then the service function in one store transaction (service/context.py states
   the order of every check after that);

   steps 2 and 3 run in a worker thread, because both may wait for the database; except
   a read on a SQLite file, which runs on the event loop (the hop to a thread and back
   cost more than the read: bench/NOTES.md).  There the nonce is recorded and the read
   made on connections that wait at most a few milliseconds for a lock; one that would
   wait longer, or would scan, is handed to a worker thread from where it stopped;
4. render the answer, JSON or XML as the request's ``Format`` asks, and note it in the
   request journal (api/journal.py).

Paths under ``/riconnect/`` are the operator surface (api/operator/), answered before any
of this and never by a signed request.  Every answer, success or error, carries a RequestId; an error's ``HostId`` comes
from the action's product.  An unexpected exception becomes ``InternalError`` (500) with
the RequestId logged, never a traceback on the wire.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from riconnect.api import operator
from riconnect.api.actions import DEFAULT_PRODUCT, Action
from riconnect.api.auth import authenticate
from riconnect.api.journal import Trace
from riconnect.api.nonces import DatabaseNonceCache, LoopNonceCache, NonceCache
from riconnect.api.params import parse
from riconnect.api.render import Answer, error_body
from riconnect.api.request import (
    ClientGone,
    GatewayError,
    Receive,
    Request,
    Scope,
    find_action,
    read_body,
    read_head,
)
from riconnect.api.runtime import CloudRuntime
from riconnect.domain import ids, regions
from riconnect.domain.accounts import Principal
from riconnect.domain.errors import ApiError
from riconnect.service.context import Ctx, Params, execute, execute_inline
from riconnect.store.db import HandOver

__all__ = ["App", "error_answer"]

log = logging.getLogger("riconnect.api")
access_log = logging.getLogger("riconnect.access")

Message = MutableMapping[str, Any]
Send = Callable[[Message], Awaitable[None]]


def error_answer(
    err: ApiError, request_id: str, action: Action | None = None, account: str = "-"
) -> Answer:
    """The error envelope; the HostId is the action's product's (Vpc when no action is known)."""
    product = action.product if action is not None else DEFAULT_PRODUCT
    return Answer(
        status=err.status,
        body=error_body(request_id, product.host, err.code, err.message, product.name),
        headers=dict(err.headers),
        action=action.name if action is not None else "-",
        account=account,
        code=err.code,
        root="Error",
    )


def check_region(action: Action, region_id: str) -> str:
    """The action's region rule: required, optional or none; a given region must exist."""
    if action.region == "required" and not region_id:
        raise ApiError("MissingParameter", name="RegionId")
    if action.region != "none" and region_id and not regions.is_known(region_id):
        raise ApiError("InvalidRegionId.NotFound")
    return region_id


class App:
    def __init__(self, cloud: CloudRuntime) -> None:
        self.cloud = cloud
        self.operator = operator.Operator(cloud)
        # The nonces as recorded from the event loop, when reads run there (None: they don't).
        self._loop_nonces: NonceCache | None = None
        if cloud.store.inline_reads:
            nonces = cloud.nonces
            self._loop_nonces = (
                LoopNonceCache(nonces) if isinstance(nonces, DatabaseNonceCache) else nonces
            )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":  # websockets: not part of any Alibaba API
            return
        started = time.perf_counter()
        if operator.owns(scope.get("path", "/")):
            # Its RequestIds leave the seeded sequence alone (a console polling the state
            # must not shift the RequestIds a seeded test expects).
            request_id = ids.unseeded_request_id()
            try:
                answer = await self.operator.handle(scope, receive, request_id)
            except ClientGone:
                return
        else:
            request_id = ids.request_id()
            trace = Trace(method=scope.get("method", "-"))
            try:
                answer = await self._gateway(scope, receive, request_id, trace)
            except ClientGone:
                return
            self._journal(trace, answer, request_id, started)
        await self._send(send, answer, request_id)
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
                # Every graceful stop (SIGTERM as well as SIGINT) saves the store: uvicorn
                # re-raises SIGTERM afterwards, which ends the process without clean-up.
                self.cloud.close()
                await send({"type": "lifespan.shutdown.complete"})
                return

    def _journal(self, trace: Trace, answer: Answer, request_id: str, started: float) -> None:
        assert self.cloud.journal is not None
        params = trace.params or {}
        self.cloud.journal.record(
            method=trace.method,
            action=answer.action,
            version=trace.version,
            account=answer.account,
            region=params.get("RegionId", ""),
            access_key_id=trace.access_key_id or params.get("AccessKeyId", ""),
            params=params,
            result=trace.result,
            status=answer.status,
            code=answer.code,
            request_id=request_id,
            ms=(time.perf_counter() - started) * 1000,
        )

    async def _gateway(
        self, scope: Scope, receive: Receive, request_id: str, trace: Trace
    ) -> Answer:
        """Read, authenticate, run.  An error is answered in the ``Format`` of the request
        as far as it was read, and names the action and account once they are known.
        ``trace`` collects what the journal shows."""
        config = self.cloud.config
        request: Request | None = None
        action: Action | None = None
        who: list[Principal] = []  # the caller, once authenticated
        try:
            request = read_head(scope, config)
            request.check_route()
            request = await read_body(request, receive, config)
            params = request.params()
            trace.params = params
            action = find_action(request, params)
            trace.version = action.version
            loop = asyncio.get_running_loop()
            result: dict[str, Any] | None = None
            prepared: tuple[Ctx, Params] | None = None
            if not action.writes and self._loop_nonces is not None:
                prepared = self._prepare_inline(request, action, params, who, loop)
                if prepared is not None:
                    result = execute_inline(prepared[0], action.handler, prepared[1])
            if result is None:
                result = await loop.run_in_executor(
                    self.cloud.executor, self._run, request, action, params, who, prepared
                )
            trace.access_key_id = who[0].access_key_id
            trace.result = result
            answer = Answer(
                200,
                {"RequestId": request_id, **result},
                action=action.name,
                account=who[0].account_id,
                root=f"{action.name}Response",
            )
        except ApiError as err:
            account = who[0].account_id if who else "-"
            answer = error_answer(err, request_id, action, account)
            if isinstance(err, GatewayError) or err.code == "RequestTooLarge":
                # The rest of the request is not read: end the connection rather than drain it.
                answer.headers["connection"] = "close"
        except ClientGone:
            raise
        except Exception:  # a bug of ours: log it with the RequestId, answer InternalError
            log.exception("InternalError for RequestId %s", request_id)
            answer = error_answer(ApiError("InternalError"), request_id)
        answer.xml = request is not None and request.wants_xml
        return answer

    def _run(
        self,
        request: Request,
        action: Action,
        raw: dict[str, str],
        who: list[Principal],
        prepared: tuple[Ctx, Params] | None = None,
    ) -> dict[str, Any]:
        """In a worker thread, because authentication may wait for the database (the nonce
        is recorded there, see api/nonces.py): :meth:`_prepare` unless the event loop has
        (``prepared``), then the service."""
        if prepared is None:
            prepared = self._prepare(request, action, raw, who, self.cloud.nonces)
        ctx, params = prepared
        return execute(ctx, action.handler, params, action.writes)

    def _prepare_inline(
        self,
        request: Request,
        action: Action,
        raw: dict[str, str],
        who: list[Principal],
        loop: asyncio.AbstractEventLoop,
    ) -> tuple[Ctx, Params] | None:
        """:meth:`_prepare` on the event loop; None (nothing recorded) when the nonce's
        insert would wait for another writer: a worker thread prepares it instead."""
        assert self._loop_nonces is not None
        try:
            prepared = self._prepare(request, action, raw, who, self._loop_nonces)
        except HandOver:
            return None
        finally:
            if isinstance(self._loop_nonces, LoopNonceCache) and self._loop_nonces.chores_due():
                # The sweep of expired nonces and the checkpoint run in a thread: they may
                # wait for the lock or the disk.
                with contextlib.suppress(RuntimeError):  # the executor is shutting down
                    loop.run_in_executor(
                        self.cloud.executor, self._loop_nonces.chores, self.cloud.clock.now()
                    )
        return prepared

    def _prepare(
        self,
        request: Request,
        action: Action,
        raw: dict[str, str],
        who: list[Principal],
        nonces: NonceCache,
    ) -> tuple[Ctx, Params]:
        """Authenticate; then the region, the settings in effect now (the live settings'
        version, read here so that a change made through another process applies to this
        request), injected faults, the parameters."""
        principal = authenticate(request, self.cloud.registry, self.cloud.clock, nonces)
        who.append(principal)
        region_id = check_region(action, raw.get("RegionId", ""))
        assert self.cloud.live is not None
        live = self.cloud.live.current()
        # Injected faults answer before anything is read or written: no state changes.
        live.faults.maybe_fail(action.name)
        params = parse(action.params, raw)
        ctx = Ctx(
            principal=principal,
            region_id=region_id,
            store=self.cloud.store,
            clock=self.cloud.clock,
            settings=live.settings,
            directory=self.cloud.registry,
            action=action.name,
        )
        return ctx, params

    async def _send(self, send: Send, answer: Answer, request_id: str) -> None:
        payload, content_type = answer.payload()
        headers = [
            (b"content-type", content_type.encode()),
            (b"content-length", str(len(payload)).encode()),
            (b"x-acs-request-id", request_id.encode()),
            *((k.encode(), v.encode()) for k, v in answer.headers.items()),
        ]
        await send({"type": "http.response.start", "status": answer.status, "headers": headers})
        await send({"type": "http.response.body", "body": payload})
