"""riconnect in-process: the ASGI app, or the service below it, with no server. No pytest here.

Two depths, one wiring:

* :func:`inprocess_app` builds the app on a cloud made by the server's own cloud-building
  function (``riconnect.api.runtime.build_cloud``), on an in-memory store and a
  :class:`~riconnect.domain.clock.FakeClock` by default.  Call it with
  :func:`~riconnect.testing.signing.signed_request`: every step of a real request runs
  (signature, region, parameters, faults, the worker thread), only the socket is missing.
* :class:`InProcessService` runs an action below the gateway, with no HTTP and no
  signature: the region check and the action table's parsing (unless ``parse=False``),
  then the handler in one transaction (``service.context.execute``).  For tests of the
  service's rules that would gain nothing from the wire.

Nothing is shared between two clouds or two services unless the caller shares a store.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from riconnect.testing.defaults import VPC_VERSION

if TYPE_CHECKING:
    from riconnect.api.app import App
    from riconnect.api.runtime import CloudRuntime
    from riconnect.domain.accounts import AccountRegistry, Directory
    from riconnect.domain.clock import Clock
    from riconnect.domain.transitions import Delays
    from riconnect.service.context import Settings
    from riconnect.store.db import Store

__all__ = ["InProcessService", "inprocess_app"]


def inprocess_app(
    *,
    clock: Clock | None = None,
    registry: AccountRegistry | None = None,
    delays: Delays | None = None,
    vpc_quota: int = 10,
    max_body: int | None = None,
    workers: int = 4,
    db: str = ":memory:",
) -> tuple[App, CloudRuntime]:
    """The ASGI app on a fresh store (in memory unless ``db`` names a file or URL).

    ``clock`` defaults to a :class:`FakeClock`, ``registry`` to the demo account, ``delays``
    to immediate transitions.  Call ``cloud.close()`` when done (the ``riconnect_app``
    fixture does).  Requests signed by
    :func:`~riconnect.testing.signing.signed_request` use the cloud's clock for their
    timestamps, so a fake clock far from real time works.
    """
    # Imported here: the server's modules load uvicorn, which importing riconnect.testing
    # for a LiveCloud or an SDK client should not pay for.
    from riconnect.api.app import App
    from riconnect.api.config import ServerConfig
    from riconnect.api.runtime import build_cloud
    from riconnect.domain.clock import FakeClock
    from riconnect.domain.transitions import Delays

    config = ServerConfig(
        db=db,
        transitions=(delays if delays is not None else Delays()).spec(),
        vpc_quota=vpc_quota,
        threads=workers,
    )
    if max_body is not None:
        config = dataclasses.replace(config, max_body=max_body)
    cloud = build_cloud(
        config, registry=registry, clock=clock if clock is not None else FakeClock()
    )
    return App(cloud), cloud


class InProcessService:
    """Actions of one account run in-process below the gateway.

    ``directory`` says which account ids exist (default: every 16-digit id, so tests can
    invent accounts).  :meth:`run` raises :class:`~riconnect.domain.errors.ApiError` where
    the app would answer an error.
    """

    def __init__(
        self,
        store: Store,
        clock: Clock,
        settings: Settings,
        account_id: str,
        *,
        directory: Directory | None = None,
    ) -> None:
        from riconnect.domain.accounts import OpenDirectory

        self.store = store
        self.clock = clock
        self.settings = settings
        self.account_id = account_id
        self.directory: Directory = directory if directory is not None else OpenDirectory()

    def run(
        self,
        action: str,
        params: Mapping[str, Any],
        region: str,
        *,
        parse: bool = True,
        version: str = VPC_VERSION,
    ) -> dict[str, Any]:
        """Run ``action`` in ``region``; ``params`` are wire text when ``parse`` is true
        (checked against the action table, like the gateway), handler values otherwise."""
        from riconnect.api.actions import ACTIONS
        from riconnect.api.app import check_region
        from riconnect.api.params import parse as parse_params
        from riconnect.domain.accounts import Principal
        from riconnect.service.context import Ctx, execute

        entry = ACTIONS[(version, action)]
        if parse:
            # The gateway's region rule, minus injected faults.
            check_region(entry, region)
            params = parse_params(entry.params, dict(params))
        ctx = Ctx(
            principal=Principal(self.account_id, "in-process"),
            region_id=region,
            store=self.store,
            clock=self.clock,
            settings=self.settings,
            directory=self.directory,
            action=action,
        )
        return execute(ctx, entry.handler, params, entry.writes)
