"""What each operator path answers (the routes are in api/operator/__init__.py).

Handlers that touch the store run in a worker thread and call the services and the store
(service/operator.py, store/snapshot.py, api/live_settings.py).  Every change made here
(reset, snapshot load, settings) takes effect for every server process on the database:
the data lives there, and each change bumps the settings row's version, which every
process reads once per request.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from riconnect import __version__
from riconnect.api.journal import NO_CODE
from riconnect.api.render import Answer
from riconnect.api.runtime import CloudRuntime
from riconnect.domain.accounts import Principal
from riconnect.domain.clock import iso8601
from riconnect.domain.errors import ApiError
from riconnect.service import admin as service_admin
from riconnect.service import operator as service_operator
from riconnect.service.context import Ctx
from riconnect.store import admin, snapshot
from riconnect.store.db import Store


@dataclass(frozen=True)
class Call:
    """One operator request, read."""

    cloud: CloudRuntime
    method: str
    path: str
    query: Mapping[str, str]
    headers: Mapping[str, str]
    body: bytes = b""
    request_id: str = ""


@dataclass
class RawAnswer(Answer):
    """An answer that is not a JSON object: a file, a download."""

    content: bytes = b""
    content_type: str = "application/octet-stream"
    body: dict[str, Any] = field(default_factory=dict)

    def payload(self) -> tuple[bytes, str]:
        return self.content, self.content_type


def _ok(call: Call, **body: Any) -> Answer:
    return Answer(200, {"RequestId": call.request_id, **body})


def store_kind(store: Store) -> str:
    if store.memory:
        return "sqlite-memory"
    return "postgresql" if store.is_postgres else "sqlite"


def store_location(store: Store) -> str:
    """Where the store is, its password masked."""
    return store.engine.url.render_as_string(hide_password=True)


def _journal(call: Call, action: str, account: str = "-", status: int = 200) -> None:
    """Operator changes appear in the request journal among the API requests."""
    journal = call.cloud.journal
    if journal is not None:
        journal.record(
            method=call.method,
            action=action,
            version="riconnect",
            account=account,
            region="",
            access_key_id="",
            params=dict(call.query),
            result=None,
            status=status,
            code=NO_CODE,
            request_id=call.request_id,
            ms=0.0,
        )


def _account_param(call: Call) -> str | None:
    account = call.query.get("account") or None
    if account is not None and not (account.isascii() and account.isdigit() and len(account) == 16):
        raise ApiError("InvalidParameter", name="account", detail="An account id is 16 digits.")
    return account


# -- health and status ---------------------------------------------------------------------


def health(call: Call) -> Answer:
    """The server is up and answering (no guard, no store access: for probes)."""
    return _ok(call, Status="ok", Version=__version__, Store=store_kind(call.cloud.store))


def status(call: Call) -> Answer:
    cloud = call.cloud
    assert cloud.live is not None and cloud.journal is not None
    effective = cloud.live.current()
    with cloud.store.transaction(write=False) as tx:
        revision = admin.schema_revision(tx)
        counts = admin.counts(tx)
    now = time.time()
    return _ok(
        call,
        Status="ok",
        Version=__version__,
        SchemaRevision=revision,
        Store={"Kind": store_kind(cloud.store), "Location": store_location(cloud.store)},
        Process=os.getpid(),
        Workers=cloud.config.workers,
        StartedAt=iso8601(cloud.started),
        UptimeSeconds=round(now - cloud.started, 3),
        Counts={
            "Vpc": counts.get("vpcs", 0),
            "VirtualBorderRouter": counts.get("vbrs", 0),
            "RouterInterface": counts.get("router_interfaces", 0),
            "PhysicalConnection": counts.get("physical_connections", 0),
            "VSwitch": counts.get("vswitches", 0),
            "RouteTable": counts.get("route_tables", 0),
            "RouteEntry": counts.get("route_entries", 0),
            "ClientToken": counts.get("client_tokens", 0),
        },
        Accounts=len(cloud.registry.accounts),
        Settings=effective.view(),
        SettingsVersion=effective.version,
        SettingsOverridden=sorted(cloud.live.overrides),
        Journal={"Size": cloud.journal.size, "File": cloud.journal.path or None},
        AdminToken=bool(cloud.config.admin_token),
    )


# -- state and reset -------------------------------------------------------------------------


def _ctx(call: Call) -> Ctx:
    cloud = call.cloud
    assert cloud.live is not None
    return Ctx(
        principal=Principal("", service_operator.OPERATOR_KEY),
        region_id="",
        store=cloud.store,
        clock=cloud.clock,
        settings=cloud.live.current().settings,
        directory=cloud.registry,
        action="riconnect:State",
    )


def state(call: Call) -> Answer:
    result = service_operator.state(_ctx(call), call.cloud.registry, _account_param(call))
    return _ok(call, Time=iso8601(call.cloud.clock.now()), **result)


def reset(call: Call) -> Answer:
    cloud = call.cloud
    assert cloud.live is not None
    account = _account_param(call)
    deleted = service_operator.reset(cloud.store, cloud.clock.now(), account)
    cloud.live.reload()  # a whole reset restarted the id sequence and bumped the version
    _journal(call, "riconnect:Reset", account or "-")
    return _ok(call, AccountId=account, Deleted=deleted)


# -- snapshots ---------------------------------------------------------------------------------


def save_snapshot(call: Call) -> Answer:
    taken = snapshot.save(call.cloud.store)
    compress = call.query.get("gzip", "") not in ("", "0", "false")
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime(taken.saved_at))
    name = f"riconnect-snapshot-{stamp}.json" + (".gz" if compress else "")
    return RawAnswer(
        200,
        {},
        headers={
            "content-disposition": f'attachment; filename="{name}"',
            "x-riconnect-schema-revision": taken.revision,
        },
        content=taken.to_bytes(compress),
        content_type="application/gzip" if compress else "application/json;charset=utf-8",
    )


def load_snapshot(call: Call) -> Answer:
    cloud = call.cloud
    assert cloud.live is not None
    if not call.body:
        raise ApiError("InvalidSnapshot", detail="the request has no body; send the file.")
    try:
        given = snapshot.Snapshot.from_bytes(call.body)
        loaded = snapshot.load(
            cloud.store,
            given,
            # This server's accounts keep the physical connections their files grant.
            after=lambda tx: service_admin.grant_physical_connections(
                tx, cloud.registry.grants(), cloud.clock.now()
            ),
        )
    except snapshot.SnapshotError as exc:
        raise ApiError("InvalidSnapshot", detail=str(exc)) from None
    cloud.live.reload()
    _journal(call, "riconnect:LoadSnapshot")
    return _ok(
        call,
        Loaded=loaded.counts(),
        SchemaRevision=loaded.revision,
        MigratedFrom=loaded.migrated_from,
        SavedAt=iso8601(loaded.saved_at) if loaded.saved_at else "",
    )


# -- the journal -------------------------------------------------------------------------------


def requests(call: Call) -> Answer:
    journal = call.cloud.journal
    assert journal is not None
    raw = call.query.get("limit", "100")
    if not (raw.isascii() and raw.isdigit() and 1 <= int(raw) <= max(journal.size, 1)):
        raise ApiError(
            "InvalidParameter", name="limit", detail=f"A number from 1 to {journal.size}."
        )
    entries = journal.query(
        int(raw), call.query.get("action") or None, call.query.get("account") or None
    )
    return _ok(call, Process=os.getpid(), Size=journal.size, Requests=entries)


# -- live settings -----------------------------------------------------------------------------


def _settings_view(call: Call) -> Answer:
    live = call.cloud.live
    assert live is not None
    effective = live.current()
    return _ok(
        call,
        Version=effective.version,
        Effective=effective.view(),
        Overrides=live.overrides,
        StartUp=live.start,
    )


def get_settings(call: Call) -> Answer:
    return _settings_view(call)


def put_settings(call: Call) -> Answer:
    live = call.cloud.live
    assert live is not None
    try:
        changes = json.loads(call.body or b"{}")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ApiError("InvalidSettings", detail=f"the body is not JSON ({exc}).") from None
    if not isinstance(changes, dict):
        raise ApiError("InvalidSettings", detail="the body must be a JSON object.")
    try:
        live.update(changes)
    except ValueError as exc:
        raise ApiError("InvalidSettings", detail=f"{exc}.") from None
    _journal(call, "riconnect:PutSettings")
    return _settings_view(call)


def clear_settings(call: Call) -> Answer:
    live = call.cloud.live
    assert live is not None
    live.clear()
    _journal(call, "riconnect:ClearSettings")
    return _settings_view(call)
