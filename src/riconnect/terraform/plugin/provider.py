"""Base classes that provider code subclasses: Provider, Resource, DataSource.

Values are plain dicts keyed by attribute/block name (see :mod:`.cty`). Methods add
problems to ``diags`` or raise; the framework turns any exception into an ERROR
diagnostic, so a Terraform user never sees a Python traceback.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Sequence
from typing import Any, ClassVar

from .cty import UNKNOWN
from .diagnostics import Diagnostics, Path
from .schema import Block, Nesting, Schema

State = dict[str, Any]


class Provider:
    """One provider instance per plugin process (Terraform starts a process per phase)."""

    type_name: ClassVar[str] = ""  # e.g. "alicloud": resources must be named "<type>_..."
    schema: ClassVar[Schema] = Schema()
    resources: ClassVar[Sequence[type[Resource]]] = ()
    data_sources: ClassVar[Sequence[type[DataSource]]] = ()

    def __init__(self) -> None:
        # Set by StopProvider (Ctrl-C). In-flight calls keep running: a create that is
        # aborted half-way would leave an object in the cloud that the state never records.
        self.stop_requested = threading.Event()
        self.terraform_version = ""

    @property
    def stopping(self) -> bool:
        return self.stop_requested.is_set()

    def validate(self, config: State, diags: Diagnostics) -> None:
        """Extra checks on the provider block (values may be UNKNOWN)."""

    def configure(self, config: State, diags: Diagnostics) -> None:
        """Set up clients from the provider block; called once per process before CRUD."""


class Resource:
    type_name: ClassVar[str] = ""
    schema: ClassVar[Schema] = Schema()
    # Non-empty: a WARNING at validate time, like the Go SDK's DeprecationMessage.
    deprecation_message: ClassVar[str] = ""

    def __init__(self, provider: Provider) -> None:
        self.provider = provider

    def validate(self, config: State, diags: Diagnostics) -> None:
        """Cross-attribute checks; attribute validators already ran. Values may be UNKNOWN."""

    def plan(
        self, prior: State | None, proposed: State, config: State, diags: Diagnostics
    ) -> State:
        """Planned new state. The default applies defaults and, on create, marks unset
        computed attributes UNKNOWN. Override to mark more values UNKNOWN (a computed
        value that an update will change) and call ``super().plan`` first."""
        return default_plan(self.schema.block, prior, proposed, config)

    def requires_replace(self, prior: State, planned: State, config: State) -> list[Path]:
        """Paths whose change forces replacement; default: changed ``force_new`` ones."""
        return force_new_changes(self.schema.block, prior, planned, config)

    def create(self, planned: State, diags: Diagnostics) -> State | None:
        raise NotImplementedError(f"{self.type_name} does not implement create")

    def read(self, state: State, diags: Diagnostics) -> State | None:
        """Refresh from the real object; None means it is gone. Keys left out of the
        returned dict keep their current value (e.g. ``timeouts``)."""
        return state

    def update(self, prior: State, planned: State, diags: Diagnostics) -> State:
        # Default for resources whose every argument is force_new: only blocks such as
        # ``timeouts`` can change in place, and those need no API call.
        return planned

    def delete(self, prior: State, diags: Diagnostics) -> None:
        raise NotImplementedError(f"{self.type_name} does not implement delete")

    def import_(self, id: str, diags: Diagnostics) -> State | None:
        """A (partial) state for ``id``; Terraform then calls ``read`` on it."""
        diags.error(f"{self.type_name} does not support import")
        return None

    def upgrade_state(self, version: int, state: State) -> State:
        """Migrate a state written with schema ``version`` to the current version."""
        return state


class DataSource:
    type_name: ClassVar[str] = ""
    schema: ClassVar[Schema] = Schema()
    deprecation_message: ClassVar[str] = ""

    def __init__(self, provider: Provider) -> None:
        self.provider = provider

    def validate(self, config: State, diags: Diagnostics) -> None:
        """Cross-attribute checks; values may be UNKNOWN."""

    def read(self, config: State, diags: Diagnostics) -> State:
        raise NotImplementedError(f"{self.type_name} does not implement read")


def mark_unknown(planned: State, *names: str) -> State:
    """Mark attributes as "known after apply" (announces a value the apply will change)."""
    for name in names:
        planned[name] = UNKNOWN
    return planned


def default_plan(block: Block, prior: State | None, proposed: State, config: State) -> State:
    planned = copy.deepcopy(proposed)
    _plan_block(block, prior, planned, config, creating=prior is None)
    return planned


def _plan_block(
    block: Block, prior: State | None, planned: State, config: State | None, *, creating: bool
) -> None:
    for attr in block.attributes:
        if attr.default is not None and (config or {}).get(attr.name) is None:
            # Config null: the default wins, even over a value carried from prior state.
            planned[attr.name] = copy.deepcopy(attr.default)
        elif creating and attr.computed and planned.get(attr.name) is None:
            planned[attr.name] = UNKNOWN
    for nb in block.blocks:
        new = planned.get(nb.name)
        old = (prior or {}).get(nb.name)
        cfg = (config or {}).get(nb.name)
        if new is None or new is UNKNOWN:
            continue
        if nb.nesting is Nesting.SINGLE:
            _plan_block(nb.block, old, new, cfg, creating=creating or old is None)
        elif nb.nesting is Nesting.LIST:
            for i, element in enumerate(new):
                if not isinstance(element, dict):
                    continue
                old_el = old[i] if isinstance(old, list) and i < len(old) else None
                cfg_el = cfg[i] if isinstance(cfg, list) and i < len(cfg) else None
                _plan_block(nb.block, old_el, element, cfg_el, creating=creating or old_el is None)
        elif nb.nesting is Nesting.SET:
            # Set elements cannot be paired with config; an element equal to a prior one
            # is unchanged, any other is new.
            for element in new:
                if isinstance(element, dict):
                    known = isinstance(old, list) and element in old
                    _plan_block(nb.block, None, element, element, creating=not known)
        else:
            for key, element in new.items():
                old_el = old.get(key) if isinstance(old, dict) else None
                cfg_el = cfg.get(key) if isinstance(cfg, dict) else None
                _plan_block(nb.block, old_el, element, cfg_el, creating=creating or old_el is None)


def force_new_changes(
    block: Block, prior: State | None, planned: State | None, config: State | None = None
) -> list[Path]:
    """Paths of changed force_new attributes (or force_new blocks).

    An UNKNOWN planned value counts as a change only when the configuration itself is
    unknown there (an expression not known yet, which will most likely differ, as in
    Terraform's Go SDKs); an UNKNOWN the provider's plan introduced for a computed value
    does not replace anything. Computed-only attributes are ignored: users cannot set them.
    """
    return _force_new(block, prior or {}, planned or {}, config or {}, ())


def _has_force_new(block: Block) -> bool:
    return any(a.force_new for a in block.attributes) or any(
        b.force_new or _has_force_new(b.block) for b in block.blocks
    )


def _force_new(block: Block, prior: State, planned: State, config: Any, path: Path) -> list[Path]:
    cfg: dict[str, Any] = config if isinstance(config, dict) else {}
    paths: list[Path] = []
    for attr in block.attributes:
        if not attr.force_new or not (attr.required or attr.optional):
            continue
        old, new = prior.get(attr.name), planned.get(attr.name)
        if old == new or (new is UNKNOWN and cfg.get(attr.name) is not UNKNOWN):
            continue
        paths.append((*path, attr.name))
    for nb in block.blocks:
        old, new, sub = prior.get(nb.name), planned.get(nb.name), cfg.get(nb.name)
        if old == new or not (nb.force_new or _has_force_new(nb.block)):
            continue
        here = (*path, nb.name)
        if nb.force_new or old is None or new is None or new is UNKNOWN:
            paths.append(here)
        elif nb.nesting is Nesting.SINGLE:
            paths.extend(_force_new(nb.block, old, new, sub, here))
        elif nb.nesting is Nesting.LIST and len(old) == len(new):
            for i, (o, n) in enumerate(zip(old, new, strict=True)):
                c = sub[i] if isinstance(sub, list) and i < len(sub) else None
                if isinstance(o, dict) and isinstance(n, dict):
                    paths.extend(_force_new(nb.block, o, n, c, (*here, i)))
                elif o != n:
                    paths.append((*here, i))
        else:
            # Sets, maps and resized lists: element identity is not stable, replace.
            paths.append(here)
    return paths
