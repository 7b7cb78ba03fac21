"""The one dialect every alicloud resource and data source speaks.

A resource subclasses :class:`AliResource` and declares, as data:

``type_name``, ``schema``
    as for any plugin resource (``schema`` lists ``timeouts.block`` only where the real
    provider has a ``timeouts`` block);
``noun``
    how messages name its object ("VPC");
``timeouts``
    the time budget of each operation, read with ``self.timeouts.seconds(state, op)``
    (the user's ``timeouts`` block if the schema has one, else these defaults);
``fields``
    the attribute <-> API field table (:mod:`.fields`) that ``_read`` fills the state from;
``deletion``
    how the object is deleted (:class:`DeleteFlow`), unless it overrides ``delete``;

and implements ``_describe(id)`` (the object as the API shows it, None when gone),
``create`` and, if an argument can change in place, ``update``.  The base provides
``read`` (``_read(state, state["id"])``), ``_read`` (describe + ``fields``; override it to
add what one answer does not hold), import by id, ``delete``, ``_wait`` and ``client``
(the provider's :class:`AliClient`, handed over by the plugin framework's ``configure``:
a resource never imports the provider).  Values an API call may use come through
:func:`known_values`; every mutating call carries a :func:`client_token`.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from riconnect.terraform.alicloud.client import AliClient, CloudError
from riconnect.terraform.alicloud.fields import Fields
from riconnect.terraform.alicloud.waits import GONE, wait_status
from riconnect.terraform.plugin import (
    UNKNOWN,
    DataSource,
    Diagnostics,
    Provider,
    Resource,
    State,
    Timeouts,
)
from riconnect.terraform.plugin.legacy import zero_filled

DEPRECATED_199 = (
    "This resource has been deprecated since v1.199.0 and will be removed in the future. "
    "Please use '{successor}' instead."
)


def known_values(state: Mapping[str, Any]) -> dict[str, Any]:
    """The planned values an API call can use: "known after apply" ones count as unset."""
    return {k: (None if v is UNKNOWN else v) for k, v in state.items()}


def client_token(action: str) -> str:
    # The Go provider's format: TF-<Action>-<unix time>-<uuid>, at most 64 characters.
    return f"TF-{action}-{int(time.time())}-{uuid.uuid4()}"[:64]


@dataclass(frozen=True)
class DeleteFlow:
    """How a resource's object is deleted; :meth:`AliResource.delete` runs it:

    1. with ``deactivate``: look the object up (gone: done); an ``Active`` one is
       deactivated and waited for until ``Inactive``;
    2. call ``action`` with the id, ``arguments`` taken from the prior state, ``constants``
       and a ClientToken, retrying ``retry_codes`` (besides the always transient ones)
       within the delete timeout; a NotFound answer means it is gone already;
    3. wait until the object is gone, for ``gone_timeout`` if set, else the delete timeout.
    """

    action: str  # e.g. "DeleteVpc"
    id_param: str  # e.g. "VpcId"
    retry_codes: tuple[str, ...] = ()
    deactivate: str = ""  # e.g. "DeactivateRouterInterface"
    arguments: Mapping[str, str] = field(default_factory=dict)  # API parameter -> attribute
    constants: Mapping[str, Any] = field(default_factory=dict)  # API parameter -> value
    gone_timeout: float | None = None

    def params(self, prior: State) -> dict[str, Any]:
        return {
            self.id_param: prior["id"],
            **{param: prior.get(attribute) for param, attribute in self.arguments.items()},
            **self.constants,
            "ClientToken": client_token(self.action),
        }


class AliResource(Resource):
    noun: ClassVar[str] = "object"
    timeouts: ClassVar[Timeouts] = Timeouts()
    fields: ClassVar[Fields] = Fields()
    deletion: ClassVar[DeleteFlow | None] = None
    # True: an object that disappears while a wait expects a status, or while it is being
    # deactivated for deletion, is an error at once (the legacy router-interface
    # resources); False: it is waited for on, or counts as deleted.
    vanish_is_error: ClassVar[bool] = False

    def __init__(self, provider: Provider) -> None:
        super().__init__(provider)
        self._client: AliClient | None = None

    def configure(self, data: AliClient | None, diags: Diagnostics) -> None:
        self._client = data

    @property
    def client(self) -> AliClient:
        if self._client is None:
            raise RuntimeError("the alicloud provider is not configured")
        return self._client

    # -- what a resource implements ----------------------------------------------------------

    def _describe(self, object_id: str) -> dict[str, Any] | None:
        """The object as the API shows it; None when it does not exist."""
        raise NotImplementedError(f"{self.type_name} does not implement _describe")

    def _read(self, base: State, object_id: str) -> State | None:
        """The state of ``object_id`` on top of ``base`` (the plan or the prior state);
        None when it is gone."""
        item = self._describe(object_id)
        if item is None:
            return None
        return self._state(base, object_id, item)

    # -- what the base provides ----------------------------------------------------------------

    def _state(self, base: State, object_id: str, item: Mapping[str, Any]) -> State:
        # Each row of ``fields`` is a d.Set of the Go Read: a None stores the zero value.
        values = self.fields.read(item, base)
        return {**base, "id": object_id, **zero_filled(self.schema.block, values, values)}

    def read(self, state: State, diags: Diagnostics) -> State | None:
        return self._read(state, state["id"])

    def import_(self, id: str, diags: Diagnostics) -> State | None:
        return {"id": id}

    def _wait(
        self, object_id: str, statuses: tuple[str, ...], timeout: float
    ) -> dict[str, Any] | None:
        """Wait until the object's status is one of ``statuses`` (``GONE``: deleted)."""
        return wait_status(
            lambda: self._describe(object_id),
            statuses,
            timeout,
            f"{self.noun} {object_id}",
            vanish_is_error=self.vanish_is_error,
        )

    def delete(self, prior: State, diags: Diagnostics) -> None:
        if self.deletion is None:
            raise NotImplementedError(f"{self.type_name} does not implement delete")
        self._delete(self.deletion, prior)

    def _delete(self, flow: DeleteFlow, prior: State) -> None:
        """Run ``flow`` (see :class:`DeleteFlow`) on the object of ``prior``."""
        object_id = prior["id"]
        timeout = self.timeouts.seconds(prior, "delete")
        if flow.deactivate:
            try:
                item = self._describe(object_id)
                if item is None:
                    return
                if item.get("Status") == "Active":
                    self.client.call(flow.deactivate, {flow.id_param: object_id}, timeout=timeout)
                    self._wait(object_id, ("Inactive",), timeout)
            except CloudError as err:
                if err.not_found and not self.vanish_is_error:
                    return
                raise
        try:
            self.client.call(
                flow.action, flow.params(prior), timeout=timeout, retry_codes=flow.retry_codes
            )
        except CloudError as err:
            if err.not_found:
                return
            raise  # unlike the Go provider, never swallow a failed delete
        self._wait(object_id, GONE, flow.gone_timeout or timeout)


class AliDataSource(DataSource):
    """Base of the alicloud data sources: ``client`` as for :class:`AliResource`."""

    def __init__(self, provider: Provider) -> None:
        super().__init__(provider)
        self._client: AliClient | None = None

    def configure(self, data: AliClient | None, diags: Diagnostics) -> None:
        self._client = data

    @property
    def client(self) -> AliClient:
        if self._client is None:
            raise RuntimeError("the alicloud provider is not configured")
        return self._client
