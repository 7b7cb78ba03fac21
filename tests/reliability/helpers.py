"""Shared pieces of the reliability suite: sizes, accounts, a thread-safe signed client, the
error-envelope check, store snapshots, and the figures that end up in docs/reliability.md.

Sizes: every loop in the suite is bounded.  ``RICONNECT_RELIABILITY=full`` selects the sizes of
the documented full run; anything else (the default) a bounded version that keeps the normal
``pytest`` run short.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import threading
import time
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx

from riconnect.api.actions import ACTIONS
from riconnect.domain.errors import CATALOGUE
from riconnect.testing import signing
from riconnect.testing.accounts import (
    AccessKey,
    Account,
    PhysicalConnection,
    RamUser,
    accounts_registry,
    write_accounts,
)
from riconnect.testing.signing import RequestOptions

T = TypeVar("T")

FULL = os.environ.get("RICONNECT_RELIABILITY", "").strip().lower() == "full"
MODE = "full" if FULL else "bounded"


def size(bounded: T, full: T) -> T:
    """``full`` in the full run, ``bounded`` otherwise."""
    return full if FULL else bounded


# The stores the suite runs on.  Figures of PostgreSQL runs go to "<section>_postgres" and are
# shown beside SQLite's in docs/reliability.md.
BACKENDS = ("sqlite", "postgres")


def section(name: str, backend: str) -> str:
    return name if backend == "sqlite" else f"{name}_{backend}"


def postgres_integrity(url: str) -> int:
    """PostgreSQL's counterpart of SQLite's ``integrity_check``: amcheck verifies every B-tree
    index of the cloud's tables against its table (``heapallindexed``) and every table's
    heap; raises AssertionError on any corruption.  Returns how many relations it checked."""
    import psycopg

    checked = 0
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS amcheck")
        indexes = conn.execute(
            "SELECT c.oid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
            " JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE a.amname = 'btree' AND n.nspname = 'public'"
        ).fetchall()
        for (index,) in indexes:
            conn.execute("SELECT bt_index_check(%s::regclass, true)", (index,))
            checked += 1
        tables = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        ).fetchall()
        for (table,) in tables:
            problems = conn.execute(
                "SELECT * FROM verify_heapam(%s::regclass)", (table,)
            ).fetchall()
            assert problems == [], f"{table}: {problems}"
            checked += 1
    assert checked > 0
    return checked


# -- figures for the report -----------------------------------------------------------------

_FIGURES: dict[str, dict[str, Any]] = {}
_FIGURES_LOCK = threading.Lock()


def record(section: str, **figures: Any) -> None:
    """Add figures to ``section`` of the run summary (numbers are summed, the rest replaced)."""
    with _FIGURES_LOCK:
        target = _FIGURES.setdefault(section, {})
        for key, value in figures.items():
            old = target.get(key)
            if isinstance(value, int | float) and not isinstance(value, bool) and old is not None:
                target[key] = old + value
            elif isinstance(value, dict) and isinstance(old, dict):
                merged = dict(old)
                for k, v in value.items():
                    merged[k] = merged.get(k, 0) + v if isinstance(v, int) else v
                target[key] = merged
            else:
                target[key] = value


def note(section: str, **values: Any) -> None:
    """Set figures of ``section`` (replacing earlier values): settings, maxima, flags."""
    with _FIGURES_LOCK:
        _FIGURES.setdefault(section, {}).update(values)


def figures() -> dict[str, dict[str, Any]]:
    with _FIGURES_LOCK:
        return json.loads(json.dumps(_FIGURES))


# -- accounts -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Key:
    id: str
    secret: str
    account: str


ACCOUNT_A = "3000000000000001"
ACCOUNT_B = "3000000000000002"
ACCOUNT_C = "3000000000000003"
ACCOUNTS = (ACCOUNT_A, ACCOUNT_B, ACCOUNT_C)
KEYS = {
    ACCOUNT_A: Key("LTAIrelAccountA0001", "relSecretOfAccountA", ACCOUNT_A),
    ACCOUNT_B: Key("LTAIrelAccountB0001", "relSecretOfAccountB", ACCOUNT_B),
    ACCOUNT_C: Key("LTAIrelAccountC0001", "relSecretOfAccountC", ACCOUNT_C),
}
RAM_KEY = Key("LTAIrelAccountAram01", "relSecretOfRamUser", ACCOUNT_A)  # RAM user "ops" of A
INACTIVE_KEY = Key("LTAIrelAccountBold01", "relSecretOfOldKey", ACCOUNT_B)  # disabled
PC_ACCESS_POINT = "ap-cn-hangzhou-jg-B"
PC_ID_A = "pc-relaccountaphysical01"
REGIONS = ("cn-hangzhou", "cn-shanghai")

# The reliability suite's cloud: three main accounts; A has a RAM user and a physical
# connection, B has a second, disabled AccessKey.
ACCOUNT_ENTRIES = [
    Account(
        ACCOUNT_A,
        name="rel-a",
        access_keys=[AccessKey(KEYS[ACCOUNT_A].id, KEYS[ACCOUNT_A].secret)],
        ram_users=[RamUser("ops", [AccessKey(RAM_KEY.id, RAM_KEY.secret)])],
        physical_connections=[PhysicalConnection(PC_ACCESS_POINT, "cn-hangzhou", id=PC_ID_A)],
    ),
    Account(
        ACCOUNT_B,
        name="rel-b",
        access_keys=[
            AccessKey(KEYS[ACCOUNT_B].id, KEYS[ACCOUNT_B].secret),
            AccessKey(INACTIVE_KEY.id, INACTIVE_KEY.secret, active=False),
        ],
    ),
    Account(
        ACCOUNT_C,
        name="rel-c",
        access_keys=[AccessKey(KEYS[ACCOUNT_C].id, KEYS[ACCOUNT_C].secret)],
    ),
]


def write_accounts_file(path: Path) -> Path:
    """The accounts above as a file, for live servers."""
    return write_accounts(path, ACCOUNT_ENTRIES)


def registry() -> Any:
    """The accounts above as an in-process :class:`AccountRegistry`."""
    return accounts_registry(ACCOUNT_ENTRIES, source="<reliability>")


# -- building blocks ----------------------------------------------------------------------------


def connected_pair(
    call: Callable[..., dict[str, Any]],
    initiator_router: str,
    acceptor_router: str,
    owner: str,
    region: str,
    **initiator: Any,
) -> tuple[str, str]:
    """A connected pair of one account: an initiator (Large.2) on ``initiator_router`` and a
    Negative acceptor on ``acceptor_router``, each naming the other; ``(initiator, acceptor)``.

    ``call(action, **params)`` sends one request as ``owner`` and returns its answer;
    ``initiator`` adds parameters to the initiator's create.
    """
    opposite = {"OppositeRouterType": "VRouter", "OppositeInterfaceOwnerId": owner}
    i_id = call(
        "CreateRouterInterface",
        Role="InitiatingSide",
        RouterType="VRouter",
        RouterId=initiator_router,
        Spec="Large.2",
        OppositeRegionId=region,
        **initiator,
    )["RouterInterfaceId"]
    a_id = call(
        "CreateRouterInterface",
        Role="AcceptingSide",
        RouterType="VRouter",
        RouterId=acceptor_router,
        Spec="Negative",
        OppositeRegionId=region,
        OppositeInterfaceId=i_id,
        OppositeRouterId=initiator_router,
        **opposite,
    )["RouterInterfaceId"]
    call(
        "ModifyRouterInterfaceAttribute",
        RouterInterfaceId=i_id,
        OppositeInterfaceId=a_id,
        OppositeRouterId=acceptor_router,
        **opposite,
    )
    call("ConnectRouterInterface", RouterInterfaceId=i_id)
    return i_id, a_id


# -- a signed client for live servers, one per thread ------------------------------------------


@dataclass
class Reply:
    status: int
    body: dict[str, Any]
    headers: Mapping[str, str]
    start: float = 0.0
    end: float = 0.0
    content: bytes = b""

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def code(self) -> str:
        return "" if self.ok else str(self.body.get("Code", ""))


def build_request(
    host: str,
    action: str,
    params: Sequence[tuple[str, str]],
    key: Key,
    *,
    signature: str = "v1",
    form: Sequence[tuple[str, str]] = (),
    timestamp: float | None = None,
    nonce: str | None = None,
    method: str = "POST",
) -> tuple[str, dict[str, str], bytes]:
    """(path with query, headers, body) signed like the SDKs sign (riconnect.testing's
    builder), for callers that write the HTTP request themselves."""
    options = RequestOptions(
        signature="v3" if signature == "v3" else "v1",
        form=list(form) or None,
        access_key_id=key.id,
        secret=key.secret,
        timestamp=timestamp,
        nonce=nonce,
        method=method,
    )
    request = signing.build_request(host, action, params, options)
    return request.target, dict(request.headers), request.body


class Caller:
    """Signed RPC calls to a live server over one keep-alive ``httpx.Client``.

    Not shared between threads: give each thread its own.
    """

    def __init__(self, endpoint: str, *, timeout: float = 20.0) -> None:
        self.endpoint = endpoint
        self.http = httpx.Client(trust_env=False, timeout=timeout)

    def call(
        self,
        action: str,
        key: Key,
        region: str | None,
        params: Mapping[str, Any] | Sequence[tuple[str, Any]] = (),
        *,
        signature: str = "v1",
        endpoint: str | None = None,
        timeout: float | None = None,
    ) -> Reply:
        items = params.items() if isinstance(params, Mapping) else params
        pairs = [(k, str(v)) for k, v in items if v is not None]
        if region is not None:
            pairs.insert(0, ("RegionId", region))
        host = endpoint or self.endpoint
        path, headers, body = build_request(host, action, pairs, key, signature=signature)
        start = time.monotonic()
        extra = {} if timeout is None else {"timeout": timeout}
        response = self.http.post(f"http://{host}{path}", headers=headers, content=body, **extra)
        end = time.monotonic()
        try:
            decoded = response.json()
        except ValueError:
            decoded = {"Code": "<not json>", "Raw": response.text[:300]}
        return Reply(response.status_code, decoded, response.headers, start, end, response.content)

    def close(self) -> None:
        self.http.close()


# -- the error envelope -----------------------------------------------------------------------

ENVELOPE = ("RequestId", "HostId", "Code", "Message", "Recommend")
# Every product's endpoint: an error's HostId is its action's product's.
PRODUCT_HOSTS = frozenset(action.product.host for action in ACTIONS.values())
REQUEST_ID_RE = re.compile(r"^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$")
JSON_TYPE = "application/json;charset=utf-8"
XML_TYPE = "text/xml;charset=utf-8"
# The only 5xx answers allowed: documented ones (injected faults are not configured here).
ALLOWED_5XX = {"InvalidRouterInterfaceChargeType.Malformed"}


def expected_status(code: str) -> int | None:
    return CATALOGUE[code].status if code in CATALOGUE else None


def decode_answer(
    status: int, headers: Mapping[str, str], content: bytes, xml: bool
) -> dict[str, Any]:
    """Check one answer's framing and return its fields; raises AssertionError on any flaw.

    * every answer: the content type asked for (XML when ``Format=XML``, else JSON), a body
      that parses, an uppercase-UUID ``RequestId`` equal to the ``x-acs-request-id`` header;
    * errors: exactly the five envelope fields, a catalogued code answered with its status,
      a 4xx status (5xx only for the documented exceptions).
    """
    content_type = headers.get("content-type", "")
    if xml:
        assert content_type == XML_TYPE, f"asked for XML, got {content_type!r}: {content[:200]!r}"
        root = ET.fromstring(content)  # raises on ill-formed XML
        fields: dict[str, Any] = {child.tag: (child.text or "") for child in root}
        root_tag = root.tag
    else:
        assert content_type == JSON_TYPE, f"expected JSON, got {content_type!r}: {content[:200]!r}"
        fields = json.loads(content)
        assert isinstance(fields, dict)
        root_tag = ""
    request_id = fields.get("RequestId")
    assert isinstance(request_id, str) and REQUEST_ID_RE.match(request_id), fields
    if "x-acs-request-id" in headers:
        assert headers["x-acs-request-id"] == request_id
    if status == 200:
        # A documented success marker at most (BssOpenApi answers "Success").
        assert "Code" not in fields or fields.get("Code") in ("200", "Success"), fields
        if xml:
            assert root_tag.endswith("Response"), root_tag
        return fields
    if xml:
        assert root_tag == "Error", root_tag
    assert tuple(sorted(fields)) == tuple(sorted(ENVELOPE)), f"not an envelope: {fields}"
    code = fields["Code"]
    assert isinstance(code, str) and code, fields
    assert fields["HostId"] in PRODUCT_HOSTS, fields
    assert isinstance(fields["Message"], str) and fields["Message"], fields
    assert code in fields["Recommend"] and request_id in fields["Recommend"], fields
    assert expected_status(code) == status, f"{code} answered with {status}: {fields}"
    assert 400 <= status < 500 or code in ALLOWED_5XX, f"5xx answer: {status} {fields}"
    return fields


def check_response(response: httpx.Response, xml: bool = False) -> dict[str, Any]:
    return decode_answer(response.status_code, response.headers, response.content, xml)


# -- store snapshots (in-process) ----------------------------------------------------------------


def snapshot(store: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table but the nonces, sorted: two snapshots are equal iff the
    cloud's state is unchanged."""
    from sqlalchemy import select

    from riconnect.store import schema

    out: dict[str, list[tuple[Any, ...]]] = {}
    with store.engine.connect() as conn:
        for table in schema.metadata.sorted_tables:
            if table is schema.signature_nonces:
                continue  # every authenticated request records one: not the cloud's state
            rows = conn.execute(select(table)).all()
            out[table.name] = sorted(
                tuple(json.dumps(v, sort_keys=True, default=str) for v in row) for row in rows
            )
    return out


# -- processes --------------------------------------------------------------------------------


def kill_tree(cloud: Any) -> list[int]:
    """SIGKILL a LiveCloud's server and every process under it, all at once (a machine-level
    crash of the service, e.g. the OOM killer taking the cgroup); returns the pids killed."""
    import psutil

    if cloud.proc is None or cloud.proc.poll() is not None:
        return []
    parent = psutil.Process(cloud.proc.pid)
    victims = [*parent.children(recursive=True), parent]
    for proc in victims:
        with contextlib.suppress(psutil.NoSuchProcess):
            proc.send_signal(signal.SIGKILL)
    psutil.wait_procs(victims, timeout=10)
    cloud.kill()  # reaps the parent and updates LiveCloud's bookkeeping
    return [p.pid for p in victims]


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


@dataclass
class Stopwatch:
    """Latency samples of a probe client."""

    samples: list[float] = field(default_factory=list)

    def add(self, seconds: float) -> None:
        self.samples.append(seconds)

    @property
    def worst(self) -> float:
        return max(self.samples) if self.samples else 0.0

    def percentile(self, q: float) -> float:
        if not self.samples:
            return 0.0
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]
