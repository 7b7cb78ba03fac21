"""The interfaces provider code implements: Provider, Resource, DataSource.

A resource is a small interface (schema, plan, create, read, update, delete, import),
as in HashiCorp's terraform-plugin-framework, and it never imports its provider: what it
needs from the provider's configuration (a client) arrives through :meth:`Resource.configure`.

Values are plain dicts keyed by attribute/block name (see :mod:`.cty`). Methods add
problems to ``diags`` or raise; the framework turns any exception into an ERROR
diagnostic, so a Terraform user never sees a Python traceback.

Life of a plugin process (Terraform starts one per phase)::

    provider = MyProvider(); resources = [R(provider) for R in provider.resources]
    data = provider.configure(config, diags)      # once, before any CRUD
    for r in resources (and data sources): r.configure(data, diags)
    ... plan / create / read / update / delete / import_, any number of times

A :class:`Lazy` entry of ``resources`` is imported, made and configured on its first use.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Sequence
from typing import Any, ClassVar

from .cty import State
from .diagnostics import Diagnostics, Path
from .plan import default_plan, force_new_changes
from .schema import Schema


class Lazy:
    """A resource or data source class named by ``"module:Class"``, imported on its first use.

    Terraform starts 3-5 provider processes per command and most of them touch a few
    types or none (a cached schema answer needs none: :mod:`.schema_cache`), so a provider
    with many types lists them this way instead of importing every module at start-up.
    """

    def __init__(self, type_name: str, target: str) -> None:
        self.type_name = type_name
        self.module, _, self.attr = target.partition(":")

    def load(self) -> Any:
        cls = getattr(importlib.import_module(self.module), self.attr)
        if cls.type_name != self.type_name:
            raise ValueError(
                f"{self.module}:{self.attr} is {cls.type_name!r}, not {self.type_name!r}"
            )
        return cls

    def __repr__(self) -> str:
        return f"Lazy({self.type_name!r}, {self.module}:{self.attr})"


class Provider:
    """One provider instance per plugin process (Terraform starts a process per phase)."""

    type_name: ClassVar[str] = ""  # e.g. "alicloud": resources must be named "<type>_..."
    schema: ClassVar[Schema] = Schema()
    resources: ClassVar[Sequence[type[Resource] | Lazy]] = ()
    data_sources: ClassVar[Sequence[type[DataSource] | Lazy]] = ()
    # Packages and modules (dotted names) whose source files make the schema answer: with
    # any, that answer is kept on disk between processes (:mod:`.schema_cache`).
    schema_sources: ClassVar[tuple[str, ...]] = ()
    # The plugin protocols it speaks (5 and/or 6); Terraform picks the highest it offers.
    protocol_versions: ClassVar[tuple[int, ...]] = (6,)
    # Protocol 5 only: like the Go plugin SDK v1, ask Terraform to tolerate plans and
    # apply results that differ from the configuration (logged, not fatal), so that the
    # state can hold what the cloud says and a suppressed diff can plan the prior value.
    legacy_type_system: ClassVar[bool] = False

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

    def configure(self, config: State, diags: Diagnostics) -> Any:
        """Set up clients from the provider block; called once per process before CRUD.

        The value returned (e.g. a configured API client; None when configuring failed)
        is handed to every resource's and data source's :meth:`Resource.configure`.
        """
        return None


class Resource:
    type_name: ClassVar[str] = ""
    schema: ClassVar[Schema] = Schema()
    # Non-empty: a WARNING at validate time, like the Go SDK's DeprecationMessage.
    deprecation_message: ClassVar[str] = ""
    # Legacy type system only: arguments whose planned change the cloud may leave undone
    # without an error (the Go provider ignores the request; the state keeps the cloud's
    # value and the next plan asks again).  Any other argument left undone is an error.
    declinable: ClassVar[tuple[str, ...]] = ()

    def __init__(self, provider: Provider) -> None:
        # Framework state only (``provider.stopping``); what the provider's configuration
        # gives a resource arrives in ``configure``.
        self.provider = provider

    def configure(self, data: Any, diags: Diagnostics) -> None:
        """Receive what the provider's ``configure`` returned (None if it failed)."""

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
        self.provider = provider  # framework state only, as for Resource

    def configure(self, data: Any, diags: Diagnostics) -> None:
        """Receive what the provider's ``configure`` returned (None if it failed)."""

    def validate(self, config: State, diags: Diagnostics) -> None:
        """Cross-attribute checks; values may be UNKNOWN."""

    def read(self, config: State, diags: Diagnostics) -> State:
        raise NotImplementedError(f"{self.type_name} does not implement read")
