"""Live settings: transitions, faults, the id seed and the VPC quota, changed while servers run.

Each server process starts from its own flags (:func:`start_up`, from api/config.py and the
accounts file's ``[faults]``).  ``PUT /riconnect/settings`` stores *overrides* in the
database's settings row (store/admin.py); what a process applies is its flags with the
overrides on top.  Every process on the database reads the row's version once per request
(:meth:`LiveSettings.current`: one indexed read, a few microseconds on SQLite) and rebuilds
its settings when the version moved, so a change made through any process holds for all of
them from their next request.  ``DELETE /riconnect/settings`` removes the overrides.  They
live in the database, so they outlast a restart until removed.

The document (JSON, the body of ``PUT`` and the ``Overrides``/``StartUp`` of ``GET``)::

    {"Transitions": "realistic" | "fixed:2" | "ri_connect=5,..." |
                    {"Base": "...", "ResourceTypes": {"RouterInterface": 5},
                     "Actions": {"ConnectRouterInterface": 10}},
     "Faults": "Throttling.User=0.3,..." | [{"Action": "*", "Code": "...", "Rate": 0.3}],
     "FaultSeed": 7, "RetryAfterMs": 1000, "Seed": 42, "VpcQuota": 10}

A value of ``null`` in a ``PUT`` removes that override.  A ``Transitions`` object without
``Base`` refines the server's own ``--transitions``.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy.exc import DBAPIError

from riconnect.api.config import ServerConfig
from riconnect.api.faults import FaultInjector, FaultRule
from riconnect.domain import ids
from riconnect.domain.accounts import AccountRegistry
from riconnect.domain.transitions import ACTIONS, Delays, refine
from riconnect.service.context import Settings
from riconnect.store import admin
from riconnect.store.db import Store
from riconnect.store.nonces import NonceStoreError

log = logging.getLogger("riconnect.settings")

KEYS = ("Transitions", "Faults", "FaultSeed", "RetryAfterMs", "Seed", "VpcQuota")
Document = dict[str, Any]


def start_up(config: ServerConfig, registry: AccountRegistry) -> Document:
    """This process's own settings, from its flags and the accounts file's ``[faults]``."""
    section = registry.faults
    rules = [
        {"Action": str(r.get("action", "*")), "Code": str(r.get("code", "")), "Rate": r.get("rate")}
        for r in section.get("rule", [])
    ]
    rules += [_rule_doc(FaultRule.parse(t)) for t in config.faults.split(",") if t.strip()]
    seed = config.fault_seed or section.get("seed")
    return {
        "Transitions": config.transitions,
        "Faults": rules,
        "FaultSeed": int(seed) if seed not in (None, "") else None,
        "RetryAfterMs": int(section.get("retry_after_ms", config.retry_after_ms)),
        "Seed": int(config.seed) if config.seed else None,
        "VpcQuota": config.vpc_quota,
    }


def _rule_doc(rule: FaultRule) -> dict[str, Any]:
    return {"Action": rule.action, "Code": rule.code, "Rate": rule.rate}


@dataclass(frozen=True)
class Effective:
    """What a process applies: the services' settings and the fault injector."""

    version: int
    document: Document  # start-up flags with the overrides on top
    settings: Settings
    faults: FaultInjector

    def view(self) -> dict[str, Any]:
        """The settings in effect, resolved (GET /riconnect/settings, riconnect status)."""
        delays = self.settings.delays
        return {
            "Transitions": {f.name: getattr(delays, f.name) for f in fields(delays)},
            "TransitionsByAction": {a: getattr(delays, name) for a, name in ACTIONS.items()},
            "Faults": [_rule_doc(r) for r in self.faults.rules],
            "FaultSeed": self.document.get("FaultSeed"),
            "RetryAfterMs": self.faults.retry_after_ms,
            "Seed": self.settings.id_seed,
            "VpcQuota": self.settings.vpc_quota,
        }


def _integer(value: Any, name: str, low: int, high: int, nullable: bool) -> int | None:
    if value is None and nullable:
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(f"{name} must be a whole number")
    try:
        number = int(value)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {value!r}") from None
    if not low <= number <= high:
        raise ValueError(f"{name} must be {low} to {high}")
    return number


def _delays(value: Any, base: Any) -> Delays:
    if isinstance(value, str):
        return Delays.parse(value)
    if not isinstance(value, Mapping):
        raise ValueError("Transitions must be a text like 'realistic' or an object")
    unknown = set(value) - {"Base", "ResourceTypes", "Actions"}
    if unknown:
        raise ValueError(f"Transitions: unknown key {sorted(unknown)[0]!r}")
    start = value.get("Base", base)
    if not isinstance(start, str):
        start = "immediate"
    for key in ("ResourceTypes", "Actions"):
        if not isinstance(value.get(key, {}), Mapping):
            raise ValueError(f"Transitions.{key} must be an object of seconds")
    return refine(Delays.parse(start), value.get("ResourceTypes"), value.get("Actions"))


def _faults(value: Any) -> list[FaultRule]:
    if isinstance(value, str):
        return [FaultRule.parse(t) for t in value.split(",") if t.strip()]
    if not isinstance(value, list):
        raise ValueError("Faults must be a text like 'Throttling.User=0.3' or a list of rules")
    rules = []
    for item in value:
        if not isinstance(item, Mapping) or set(item) - {"Action", "Code", "Rate"}:
            raise ValueError('each fault rule is {"Action": ..., "Code": ..., "Rate": ...}')
        rules.append(
            FaultRule.build(str(item.get("Action") or "*"), str(item.get("Code")), item.get("Rate"))
        )
    return rules


def build(start: Document, overrides: Document, version: int = 0) -> Effective:
    """The settings ``overrides`` make of ``start``; ValueError names what is wrong."""
    unknown = set(overrides) - set(KEYS)
    if unknown:
        raise ValueError(f"unknown setting {sorted(unknown)[0]!r}: choose from {', '.join(KEYS)}")
    doc = {**start, **{k: v for k, v in overrides.items() if v is not None}}
    delays = _delays(doc["Transitions"], start["Transitions"])
    rules = _faults(doc["Faults"])
    fault_seed = _integer(doc.get("FaultSeed"), "FaultSeed", 0, 2**63, True)
    retry_after = _integer(doc.get("RetryAfterMs"), "RetryAfterMs", 0, 3_600_000, False)
    seed = _integer(doc.get("Seed"), "Seed", 0, 10**18, True)
    quota = _integer(doc.get("VpcQuota"), "VpcQuota", 0, 10**9, False)
    assert retry_after is not None and quota is not None
    return Effective(
        version=version,
        document=doc,
        settings=Settings(delays=delays, vpc_quota=quota, id_seed=seed),
        faults=FaultInjector(rules, retry_after, fault_seed),
    )


class LiveSettings:
    """The settings of one process, kept in step with the database's settings row."""

    def __init__(self, store: Store, start: Document) -> None:
        self.store = store
        self.start = start
        self.reader = admin.VersionReader(store)
        self._lock = threading.Lock()
        self._effective = build(start, {}, version=-1)
        self._applied_version = -1
        self.overrides: Document = {}
        self.reload()

    @property
    def cached(self) -> Effective:
        """The settings as last read (no database access)."""
        return self._effective

    def current(self) -> Effective:
        """The settings in effect now: one read of the row's version, a reload if it moved.
        While the database cannot be read (PostgreSQL restarting, a file locked too long),
        the settings last read stay in effect: the service call that follows meets the same
        database and answers ServiceUnavailable, never InternalError."""
        try:
            version = self.reader.read()
            effective = self._effective
            if version is None or version == effective.version:
                return effective
            return self.reload()
        except (DBAPIError, sqlite3.Error, NonceStoreError) as exc:
            log.info("live settings not re-read (%s): the ones last read stay", exc)
            return self._effective

    def reload(self) -> Effective:
        """Read the overrides from the database and apply them."""
        with self._lock:
            with self.store.transaction(write=False) as tx:
                version, overrides, _sequence = admin.read_settings(tx)
            if version == self._applied_version:
                return self._effective
            try:
                effective = build(self.start, overrides, version)
            except ValueError as exc:
                # Written by a newer riconnect, or a process whose flags differ: keep what
                # this process can apply and say so, rather than failing every request.
                log.warning("live settings in the database ignored (%s): %s", exc, overrides)
                effective = build(self.start, {}, version)
            self.overrides = overrides
            self._effective = effective
            self._applied_version = version
            # Every version change (settings, reset, snapshot load) restarts the RequestIds.
            ids.seed_request_ids(effective.settings.id_seed)
            return effective

    def update(self, changes: Mapping[str, Any]) -> Effective:
        """Store ``changes`` over the current overrides (``None`` removes one); ValueError
        when the result is not valid, and then nothing is stored."""
        build(self.start, {k: v for k, v in changes.items() if v is not None})  # names first
        with self.store.transaction(write=True) as tx:
            _version, overrides, _sequence = admin.read_settings(tx)
            merged = {**overrides, **changes}
            merged = {k: v for k, v in merged.items() if v is not None}
            build(self.start, merged)
            version = admin.write_settings(tx, merged)
        admin.announce(self.store, version)
        return self.reload()

    def clear(self) -> Effective:
        """Remove every override: each process returns to its own flags (nothing is written
        when there is none, so the per-test fixture costs one write, the reset)."""
        version = None
        with self.store.transaction(write=True) as tx:
            if admin.read_settings(tx)[1]:
                version = admin.write_settings(tx, {})
        if version is not None:
            admin.announce(self.store, version)
        return self.reload()

    def close(self) -> None:
        self.reader.close()
