"""Protocol-independent RPC semantics.

The protocol modules (``tfplugin6``; a ``tfplugin5`` would do the same) only translate
protobuf messages to the decoded Python values used here and back. Everything a
provider does runs under :func:`_guard`, which turns exceptions into diagnostics.
"""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from .base import DataSource, Lazy, Provider, Resource
from .codec import CodecError, normalize, null_object
from .cty import (
    UNKNOWN,
    CtyType,
    ListType,
    MapType,
    ObjectType,
    SetType,
    State,
    is_wholly_known,
)
from .diagnostics import DiagnosticError, Diagnostics, Key, Path, Severity
from .legacy import keep_zero_values, normalize_applied, unapplied
from .log import get_logger
from .schema import Block, Schema
from .validation import validate_block

log = get_logger("engine")


class _Failed:
    """Set by _guard when the guarded call raised."""

    def __init__(self) -> None:
        self.failed = False


@contextmanager
def _guard(diags: Diagnostics, what: str) -> Iterator[_Failed]:
    outcome = _Failed()
    try:
        yield outcome
    except Exception as exc:
        # The traceback goes to stderr (visible with TF_LOG); the user gets a diagnostic.
        log.error("%s failed", what, exc_info=True)
        diags.add_exception(exc)
        outcome.failed = True


@dataclass
class PlanResult:
    planned: State | None
    requires_replace: list[Path]


class Engine:
    def __init__(self, provider: Provider) -> None:
        self.provider = provider
        # Instances made so far; a Lazy entry is imported and made on its first lookup.
        self.resources: dict[str, Resource] = {}
        self.data_sources: dict[str, DataSource] = {}
        self._lazy: dict[str, dict[str, Lazy]] = {"resource": {}, "data source": {}}
        # Declared order, for the schema answer.
        self.resource_names = self._register(provider.resources, self.resources, "resource")
        self.data_source_names = self._register(
            provider.data_sources, self.data_sources, "data source"
        )
        # What the provider's configure returned, for a component made after it ran.
        self._configured: tuple[Any] | None = None
        self._lock = threading.Lock()

    def _register(self, entries: Any, made: dict[str, Any], kind: str) -> list[str]:
        prefix = f"{self.provider.type_name}_"
        names = []
        for entry in entries:
            if not entry.type_name.startswith(prefix):
                raise ValueError(f"{kind} {entry.type_name!r} must start with {prefix!r}")
            if isinstance(entry, Lazy):
                self._lazy[kind][entry.type_name] = entry
            else:
                made[entry.type_name] = entry(self.provider)
            names.append(entry.type_name)
        return names

    def _make(self, kind: str, type_name: str, made: dict[str, Any]) -> Any:
        with self._lock:  # RPCs run in a thread pool: one instance per type
            if type_name in made:
                return made[type_name]
            entry = self._lazy[kind].get(type_name)
            if entry is None:
                raise LookupError(f"unknown {kind} type {type_name!r}") from None
            component = entry.load()(self.provider)
            if self._configured is not None:
                # Configured on first use; what it reports goes with the call that needed it.
                diags = Diagnostics()
                component.configure(self._configured[0], diags)
                for d in diags:
                    if d.severity is Severity.ERROR:
                        raise DiagnosticError(d.summary, d.detail, d.path)
            made[type_name] = component
            return component

    # -- lookups -------------------------------------------------------------------------

    def resource(self, type_name: str) -> Resource:
        found = self.resources.get(type_name)
        if found is not None:
            return found
        made: Resource = self._make("resource", type_name, self.resources)
        return made

    def data_source(self, type_name: str) -> DataSource:
        found = self.data_sources.get(type_name)
        if found is not None:
            return found
        made: DataSource = self._make("data source", type_name, self.data_sources)
        return made

    def resource_type(self, type_name: str) -> ObjectType:
        return self.resource(type_name).schema.object_type

    def data_source_type(self, type_name: str) -> ObjectType:
        return self.data_source(type_name).schema.object_type

    @property
    def provider_type(self) -> ObjectType:
        return self.provider.schema.object_type

    # -- validation ----------------------------------------------------------------------

    def validate_provider(self, config: State, diags: Diagnostics) -> None:
        validate_block(self.provider.schema.block, config, diags)
        with _guard(diags, "provider validate"):
            self.provider.validate(config, diags)

    def validate_resource(self, type_name: str, config: State, diags: Diagnostics) -> None:
        r = self.resource(type_name)
        if r.deprecation_message:
            # SDK v1: the message itself is the warning (helper/schema/resource.go Validate).
            diags.warning(r.deprecation_message)
        validate_block(r.schema.block, config, diags)
        with _guard(diags, f"{type_name} validate"):
            r.validate(config, diags)

    def validate_data_source(self, type_name: str, config: State, diags: Diagnostics) -> None:
        d = self.data_source(type_name)
        if d.deprecation_message:
            diags.warning(d.deprecation_message)
        validate_block(d.schema.block, config, diags)
        with _guard(diags, f"{type_name} validate"):
            d.validate(config, diags)

    # -- provider ------------------------------------------------------------------------

    def configure(self, terraform_version: str, config: State, diags: Diagnostics) -> None:
        self.provider.terraform_version = terraform_version
        data: Any = None
        with _guard(diags, "provider configure"):
            data = self.provider.configure(config, diags)
        # Every resource and data source gets what the provider set up, even None after
        # a failure: Terraform stops on the error, and nothing is left half-configured.
        with self._lock:
            self._configured = (data,)
            components: list[tuple[str, Resource | DataSource]] = [
                *self.resources.items(),
                *self.data_sources.items(),
            ]
        for type_name, component in components:
            with _guard(diags, f"{type_name} configure"):
                component.configure(data, diags)

    def stop(self) -> None:
        log.info("StopProvider received; in-flight operations finish normally")
        self.provider.stop_requested.set()

    # -- resources -----------------------------------------------------------------------

    def upgrade_state(
        self, type_name: str, version: int, raw_json: bytes, diags: Diagnostics
    ) -> State | None:
        r = self.resource(type_name)
        state = json.loads(raw_json) if raw_json else None
        if state is None:
            return None
        if version < r.schema.version:
            with _guard(diags, f"{type_name} upgrade_state") as g:
                state = r.upgrade_state(version, state)
            if g.failed:
                return None
        # Non-strict: attributes removed from the schema since are dropped silently.
        return self._coerce(state, r.schema, None, upgrading=True)

    def read_resource(
        self, type_name: str, state: State | None, diags: Diagnostics
    ) -> State | None:
        r = self.resource(type_name)
        if state is None:
            return None
        result: State | None = state
        with _guard(diags, f"{type_name} read") as g:
            result = r.read(_copy(state), diags)
        if g.failed:
            return state  # keep what we had; the error stops the run anyway
        if result is None:
            return None
        return _known_state(self._coerce(result, r.schema, state), state)

    def plan(
        self,
        type_name: str,
        prior: State | None,
        proposed: State | None,
        config: State | None,
        diags: Diagnostics,
    ) -> PlanResult:
        r = self.resource(type_name)
        if proposed is None:  # destroy
            return PlanResult(None, [])
        planned: State | None = proposed
        with _guard(diags, f"{type_name} plan") as g:
            planned = r.plan(_copy(prior), _copy(proposed), _copy(config or {}), diags)
        if g.failed or planned is None:
            return PlanResult(proposed, [])
        planned = self._coerce(planned, r.schema, proposed)
        if self.provider.legacy_type_system:
            if prior is not None:
                keep_zero_values(r.schema.block, prior, planned, config or {})
        else:
            _keep_config_values(r.schema.block, planned, proposed)
        replace: list[Path] = []
        if prior is not None:
            with _guard(diags, f"{type_name} requires_replace"):
                replace = r.requires_replace(prior, planned, config or {})
        return PlanResult(planned, replace)

    def apply(
        self,
        type_name: str,
        prior: State | None,
        planned: State | None,
        diags: Diagnostics,
    ) -> State | None:
        r = self.resource(type_name)
        if planned is None:
            if prior is None:
                return None
            with _guard(diags, f"{type_name} delete") as g:
                r.delete(_copy(prior), diags)
            # On failure the object may still exist: keep it in state.
            return prior if g.failed or diags.has_errors else None

        creating = prior is None
        result: State | None = None
        with _guard(diags, f"{type_name} {'create' if creating else 'update'}") as g:
            if prior is None:
                result = r.create(_copy(planned), diags)
            else:
                result = r.update(_copy(prior), _copy(planned), diags)
        if result is None:
            if not g.failed and not diags.has_errors:
                diags.error(
                    f"{type_name}: the provider returned no state",
                    "This is a bug in the provider.",
                )
            # A failed create has no object to record; a failed update keeps the prior one.
            return prior
        try:
            new = self._coerce(result, r.schema, planned)
        except CodecError as exc:
            diags.error(f"{type_name}: invalid state from the provider", str(exc))
            return prior
        if diags.has_errors:
            # Terraform records this (tainted on create) and skips its consistency checks.
            return _known_state(new, prior)
        if self.provider.legacy_type_system:
            # The state is what the cloud says. An update the cloud did not carry out is
            # an error, not a success that drifts on every later plan.
            result_state = _known_state(new, None)
            normalize_applied(r.schema.block, result_state, planned)
            if prior is not None:
                unapplied(
                    r.schema.block, prior, planned, result_state, type_name, diags, r.declinable
                )
            return result_state
        reconciled: State = _reconcile(planned, new, r.schema.object_type, (type_name,))
        return reconciled

    def import_(self, type_name: str, id: str, diags: Diagnostics) -> list[State]:
        r = self.resource(type_name)
        result: State | None = None
        with _guard(diags, f"{type_name} import") as g:
            result = r.import_(id, diags)
        if g.failed or diags.has_errors:
            return []
        if result is None:
            diags.error(
                "Cannot import non-existent remote object",
                f"No {type_name} with id {id!r} was found.",
            )
            return []
        state = self._coerce(result, r.schema, None)
        return [_known_state(state, None)]

    def read_data_source(self, type_name: str, config: State, diags: Diagnostics) -> State:
        d = self.data_source(type_name)
        fallback = _known_state(config, None)
        result: State | None = None
        with _guard(diags, f"{type_name} read") as g:
            result = d.read(_copy(config), diags)
        if g.failed or result is None:
            if not g.failed and not diags.has_errors:
                diags.error(f"{type_name}: the provider returned no data", "This is a bug.")
            return fallback
        return _known_state(self._coerce(result, d.schema, config), None)

    # -- helpers -------------------------------------------------------------------------

    def _coerce(
        self,
        value: Mapping[str, Any],
        schema: Schema,
        base: State | None,
        *,
        upgrading: bool = False,
    ) -> State:
        """Normalize provider output attribute by attribute.

        A key the provider left out keeps ``base``'s value. A value of the wrong type is
        logged and replaced by ``base``'s value rather than failing the call, so a created
        object is never lost to a type slip (apply's reconciliation then keeps the plan).
        When upgrading old state, keys no longer in the schema are dropped silently.
        """
        ty = schema.object_type
        if not isinstance(value, Mapping):
            raise CodecError(f"expected a dict, got {type(value).__name__}")
        extra = [k for k in value if k not in ty.attributes]
        if extra and not upgrading:
            log.warning("ignoring attributes not in the schema: %s", sorted(extra))
        out: State = {}
        for name, attr_ty in ty.attributes.items():
            one = ObjectType({name: attr_ty}, _coll(ty, name))
            fallback = (base or {}).get(name)
            raw = value.get(name, fallback)
            try:
                out[name] = normalize({name: raw}, one, strict=not upgrading)[name]
            except CodecError as exc:
                log.error("attribute %s: %s; keeping the previous value", name, exc)
                out[name] = normalize({name: fallback}, one, strict=False)[name]
        return out


def _coll(ty: ObjectType, name: str) -> frozenset[str]:
    return frozenset({name}) if name in ty.collection_blocks else frozenset()


def _copy(value: Any) -> Any:
    # Provider code may mutate what it gets; keep our own copies intact.
    return copy.deepcopy(value)


def _keep_config_values(block: Block, planned: State, proposed: State) -> None:
    # Terraform rejects a plan that changes a non-computed attribute away from the
    # configuration ("Provider produced invalid plan"); undo such changes instead.
    for attr in block.attributes:
        if attr.wire_computed:
            continue
        if planned.get(attr.name) != proposed.get(attr.name):
            log.warning(
                "plan changed non-computed attribute %s; keeping the configured value", attr.name
            )
            planned[attr.name] = proposed.get(attr.name)


def _known_state(value: State, base: State | None) -> State:
    known: State = _resolve_unknowns(value, base)
    return known


def _resolve_unknowns(value: Any, base: Any) -> Any:
    """Replace UNKNOWN (never allowed in state) by ``base``'s value at the same place."""
    if value is UNKNOWN:
        return base if is_wholly_known(base) else None
    if isinstance(value, dict):
        b = base if isinstance(base, dict) else {}
        return {k: _resolve_unknowns(v, b.get(k)) for k, v in value.items()}
    if isinstance(value, list):
        b_list = base if isinstance(base, list) and len(base) == len(value) else [None] * len(value)
        return [_resolve_unknowns(v, bv) for v, bv in zip(value, b_list, strict=True)]
    return value


def _reconcile(planned: Any, new: Any, ty: CtyType, path: Path) -> Any:
    """Make apply's result agree with every value that was known in the plan.

    Terraform fails the run ("Provider produced inconsistent result after apply") when a
    known planned value comes back different; a provider slip like that should not cost
    the user the state of a created object, so the planned value wins and we log it.
    """
    if planned is UNKNOWN:
        if not is_wholly_known(new):
            log.warning("%s: still unknown after apply; storing null", _dotted(path))
        return _resolve_unknowns(new, None)
    if isinstance(ty, ObjectType) and isinstance(planned, dict) and isinstance(new, dict):
        return {
            k: _reconcile(planned.get(k), new.get(k), t, (*path, k))
            for k, t in ty.attributes.items()
        }
    if (
        isinstance(ty, ListType)
        and isinstance(planned, list)
        and isinstance(new, list)
        and len(planned) == len(new)
    ):
        return [
            _reconcile(p, n, ty.element, (*path, i))
            for i, (p, n) in enumerate(zip(planned, new, strict=True))
        ]
    if (
        isinstance(ty, MapType)
        and isinstance(planned, dict)
        and isinstance(new, dict)
        and planned.keys() == new.keys()
    ):
        return {k: _reconcile(planned[k], new[k], ty.element, (*path, Key(k))) for k in planned}
    if isinstance(ty, SetType | ListType | MapType) and not is_wholly_known(planned):
        # Elements cannot be paired with a partly unknown plan: take the result.
        return _resolve_unknowns(new, None)
    if planned != new:
        log.warning(
            "%s: apply returned %r but the plan said %r; keeping the planned value",
            _dotted(path),
            new,
            planned,
        )
    return planned


def _dotted(path: Path) -> str:
    return ".".join(str(s.value if isinstance(s, Key) else s) for s in path)


__all__ = ["Engine", "PlanResult", "null_object", "validate_block"]
