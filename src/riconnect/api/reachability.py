"""``GET /riconnect/reachability?source=…&source_ip=…&destination_ip=…[&account=…]``: the
reachability analysis (service/reachability.py) on the operator surface, as JSON."""

from __future__ import annotations

import logging
from urllib.parse import parse_qs

from riconnect.api.render import Answer, error_body
from riconnect.api.runtime import CloudRuntime
from riconnect.domain.errors import ApiError
from riconnect.service import reachability

PATH = "/riconnect/reachability"
log = logging.getLogger("riconnect.api")


def answer(cloud: CloudRuntime, request_id: str, query: str) -> Answer:
    args = {k: v[-1] for k, v in parse_qs(query, keep_blank_values=True).items()}
    try:
        result = reachability.analyze(
            cloud.store,
            cloud.clock,
            args.get("source", "").strip(),
            args.get("source_ip", "").strip(),
            args.get("destination_ip", "").strip(),
            args.get("account", "").strip() or None,
        )
    except Exception as exc:  # a bug of ours: logged with the RequestId, never a traceback
        err = exc if isinstance(exc, ApiError) else ApiError("InternalError")
        if not isinstance(exc, ApiError):
            log.exception("InternalError for RequestId %s", request_id)
        return Answer(
            err.status,
            error_body(request_id, "riconnect", err.code, err.message),
            action="reachability",
            code=err.code,
            root="Error",
        )
    return Answer(200, {"RequestId": request_id, **result}, action="reachability")
