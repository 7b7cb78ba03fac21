"""``GET /riconnect/reachability?source=…&source_ip=…&destination_ip=…[&account=…]``: the
reachability analysis (service/reachability.py) on the operator surface, as JSON."""

from __future__ import annotations

from riconnect.api.operator.endpoints import Call
from riconnect.api.render import Answer
from riconnect.service import reachability

PATH = "/riconnect/reachability"


def answer(call: Call) -> Answer:
    args = call.query
    result = reachability.analyze(
        call.cloud.store,
        call.cloud.clock,
        args.get("source", "").strip(),
        args.get("source_ip", "").strip(),
        args.get("destination_ip", "").strip(),
        args.get("account", "").strip() or None,
    )
    return Answer(200, {"RequestId": call.request_id, **result})
