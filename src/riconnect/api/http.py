"""The HTTP/1.1 connection layer of ``riconnect serve``: uvicorn's h11 protocol with deadlines.

uvicorn bounds the size of a request head (``h11_max_incomplete_event_size``) and closes a
keep-alive connection that stays idle after a response (``timeout_keep_alive``), but nothing
else: a connection that sends nothing, or half a request head, or a client that stops reading
its answers, would be kept forever, and enough of them exhaust the server's file descriptors.
:class:`GuardedH11Protocol` adds the missing deadlines:

* **head deadline** (``header_timeout``): the request line and headers must be complete within
  this many seconds of the connection opening, or of the first byte of the next request on a
  keep-alive connection.  A connection that sent nothing is closed silently; one that sent part
  of a head gets ``408 RequestTimeout`` and is closed.
* **write deadline** (``write_timeout``): when the client stops reading and the socket's buffers
  fill up, the connection is aborted after this many seconds without progress.
* **head size** (``max_header_size``): h11's ``max_incomplete_event_size`` only bounds a head that is
  still *incomplete*; one that arrives whole in a single read (up to the 256 KiB asyncio reads
  at once) was accepted whatever its size.  Complete heads are measured too.

The body deadline (``body_timeout``) lives in the ASGI app, which reads the body.  The limits
are settings of ``riconnect serve`` (api/config.py).

Protocol-level errors (malformed HTTP, a head over the size limit, a head deadline) are
answered with the Alibaba error envelope like every other error, not uvicorn's plain text.
The parser is always h11: ``httptools`` (picked by uvicorn's "auto" when installed) ignores
``h11_max_incomplete_event_size``, so the head size limit would silently disappear.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, ClassVar

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from riconnect.api import render
from riconnect.api.actions import DEFAULT_PRODUCT
from riconnect.api.config import ServerConfig
from riconnect.domain import ids
from riconnect.domain.errors import ApiError

log = logging.getLogger("riconnect.http")

_REASONS = {400: b"Bad Request", 408: b"Request Timeout", 431: b"Request Header Fields Too Large"}


def error_bytes(code: str, **fmt: Any) -> tuple[int, bytes]:
    """(status, complete HTTP/1.1 response with ``connection: close``) for a transport error."""
    err = ApiError(code, **fmt)
    status = err.status
    request_id = ids.request_id()
    body = render.to_json(render.error_body(request_id, DEFAULT_PRODUCT.host, code, err.message))
    head = (
        b"HTTP/1.1 %d %s\r\n" % (status, _REASONS[status])
        + b"content-type: "
        + render.JSON_TYPE.encode()
        + b"\r\ncontent-length: %d\r\nx-acs-request-id: %s\r\nconnection: close\r\n\r\n"
        % (len(body), request_id.encode())
    )
    return status, head + body


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol plus the head and write deadlines described above.

    The limits are a class attribute set by :meth:`configure` in the process that serves (uvicorn
    takes a protocol *class*, and with several workers pickles it by name into each worker,
    which then configures it from the environment like the rest of the server).
    """

    limits: ClassVar[ServerConfig] = ServerConfig()

    @classmethod
    def configure(cls, config: ServerConfig) -> None:
        cls.limits = config

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_timer: asyncio.TimerHandle | None = None
        self._write_timer: asyncio.TimerHandle | None = None
        self._head_bytes = False  # part of a request head has arrived
        self._protocol_error: h11.RemoteProtocolError | None = None
        self._h11_next_event = self.conn.next_event
        self.conn.next_event = self._next_event  # type: ignore[method-assign]

    def _next_event(self) -> Any:
        """h11's next_event, remembering why it failed and refusing oversized heads."""
        try:
            event = self._h11_next_event()
        except h11.RemoteProtocolError as exc:
            self._protocol_error = exc
            raise
        if isinstance(event, h11.Request) and _head_size(event) > self.limits.max_header_size:
            self._protocol_error = h11.RemoteProtocolError(
                "request head too large", error_status_hint=431
            )
            raise self._protocol_error
        return event

    # -- head deadline
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_head_timer()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.transport.is_closing():
            return
        if self._between_requests():
            # The next request has begun (or is pipelined); its head must arrive in time.
            self._head_bytes = self._head_bytes or bool(data)
            if self._head_timer is None:
                self._arm_head_timer()
        else:
            self._cancel_head_timer()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._head_bytes = False

    def _between_requests(self) -> bool:
        return self.cycle is None or self.cycle.response_complete

    def _arm_head_timer(self) -> None:
        self._cancel_head_timer()
        self._head_timer = self.loop.call_later(self.limits.header_timeout, self._head_timed_out)

    def _cancel_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self.transport.is_closing() or not self._between_requests():
            return
        if self._head_bytes:
            self._send_error("RequestTimeout", seconds=self.limits.header_timeout)
        else:
            self.transport.close()  # nothing was asked, so nothing to answer

    # -- malformed requests
    def send_400_response(self, msg: str) -> None:
        self._cancel_head_timer()
        error = self._protocol_error
        if error is not None and error.error_status_hint == 431:
            self._send_error("RequestHeaderFieldsTooLarge", limit=self.limits.max_header_size)
        else:
            self._send_error("MalformedHttpRequest")

    def _send_error(self, code: str, **fmt: Any) -> None:
        status, payload = error_bytes(code, **fmt)
        log.info("%s status=%d client=%s", code, status, self.client)
        self.transport.write(payload)
        self.transport.close()

    # -- write deadline
    def pause_writing(self) -> None:
        super().pause_writing()
        if self._write_timer is None:
            self._write_timer = self.loop.call_later(
                self.limits.write_timeout, self._write_timed_out
            )

    def resume_writing(self) -> None:
        super().resume_writing()
        if self._write_timer is not None:
            self._write_timer.cancel()
            self._write_timer = None

    def _write_timed_out(self) -> None:
        self._write_timer = None
        log.info("write timeout: client=%s stopped reading; connection aborted", self.client)
        self.transport.abort()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_head_timer()
        if self._write_timer is not None:
            self._write_timer.cancel()
            self._write_timer = None
        super().connection_lost(exc)


def _head_size(request: h11.Request) -> int:
    """Bytes of a request line and headers as sent (folded lines count unfolded)."""
    line = len(request.method) + len(request.target) + len(b"  HTTP/1.1\r\n")
    return line + sum(len(name) + len(value) + 4 for name, value in request.headers) + 2
