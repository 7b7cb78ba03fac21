"""The operator surface: paths under ``/riconnect/`` for people and test harnesses.

Served beside the gateway (api/app.py routes these paths here before reading anything), never
through a signed OpenAPI request.  Today it is the health check that ``riconnect.testing``
and supervisors poll; state, reset and snapshots belong here too.
"""

from __future__ import annotations

from collections.abc import Callable

from riconnect.api import reachability
from riconnect.api.render import Answer
from riconnect.api.runtime import CloudRuntime

HEALTH_PATH = "/riconnect/health"


def health(cloud: CloudRuntime, request_id: str) -> Answer:
    """The server is up and answering."""
    return Answer(200, {"RequestId": request_id, "Status": "ok"}, action="health")


# path -> what answers it (GET or any other method alike).
PATHS: dict[str, Callable[[CloudRuntime, str], Answer]] = {HEALTH_PATH: health}

# path -> what answers it from its query string; these read the store, so the app runs them
# off the event loop.
QUERY_PATHS: dict[str, Callable[[CloudRuntime, str, str], Answer]] = {
    reachability.PATH: reachability.answer,
}
