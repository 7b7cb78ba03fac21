"""``alicloud_router_interface_connection`` (deprecated since 1.199.0).

Tells one interface about its opposite; on the initiating side also connects and waits
for ``Active``.  The accepting side must be done first (the seed's ``depends_on``).
Every argument forces replacement; deleting only deactivates.  The id is the interface id.

Unlike the Go provider, Read has no side effects: an ``Inactive`` connection reads as
absent, so the drift shows up in the plan (a create, which re-activates) instead of
being silently repaired by a refresh.  See docs/fidelity.md.
"""

from __future__ import annotations

from typing import Any

from riconnect.terraform.alicloud.base import DEPRECATED_199, AliResource, known_values
from riconnect.terraform.alicloud.client import CloudError
from riconnect.terraform.alicloud.fields import Field, Fields
from riconnect.terraform.alicloud.router_interface_common import describe_interface
from riconnect.terraform.plugin import (
    Attribute,
    Block,
    DiagnosticError,
    Diagnostics,
    Schema,
    State,
    String,
    Timeouts,
)
from riconnect.terraform.plugin.validators import one_of

OPPOSITE = (
    "OppositeInterfaceId",
    "OppositeRouterType",
    "OppositeRouterId",
    "OppositeInterfaceOwnerId",
)


class RouterInterfaceConnection(AliResource):
    type_name = "alicloud_router_interface_connection"
    deprecation_message = DEPRECATED_199.format(
        successor="alicloud_express_connect_router_interface"
    )
    noun = "router interface"
    # No timeouts block (as in the Go provider): its DefaultTimeout to connect, and
    # DefaultTimeoutMedium for the deactivation that deleting a connection is.
    timeouts = Timeouts(create=120, delete=500)
    vanish_is_error = True
    schema = Schema(
        Block(
            attributes=[
                Attribute("id", String, computed=True),
                Attribute("interface_id", String, required=True, force_new=True),
                Attribute("opposite_interface_id", String, required=True, force_new=True),
                # Default VRouter, as the official schema (so an owner id and router id
                # without a type mean a VPC router).
                Attribute(
                    "opposite_router_type",
                    String,
                    optional=True,
                    force_new=True,
                    default="VRouter",
                    validators=[one_of(["VRouter", "VBR"])],
                ),
                Attribute(
                    "opposite_router_id", String, optional=True, computed=True, force_new=True
                ),
                Attribute(
                    "opposite_interface_owner_id",
                    String,
                    optional=True,
                    computed=True,
                    force_new=True,
                ),
            ]
        )
    )

    # One entry of DescribeRouterInterfaces whose opposite side is set.
    fields = Fields(
        Field("interface_id", "RouterInterfaceId"),
        Field("opposite_interface_id", "OppositeInterfaceId"),
        Field("opposite_router_type", "OppositeRouterType"),
        Field("opposite_router_id", "OppositeRouterId"),
        Field("opposite_interface_owner_id", "OppositeInterfaceOwnerId", lambda v, _: str(v)),
    )

    def plan(
        self, prior: State | None, proposed: State, config: State, diags: Diagnostics
    ) -> State:
        planned = super().plan(prior, proposed, config, diags)
        # The official DiffSuppressFunc: the opposite router's type and id only count when
        # the owner changes too.
        if prior is not None and planned.get("opposite_interface_owner_id") == prior.get(
            "opposite_interface_owner_id"
        ):
            # Otherwise the prior values are planned (no diff).
            for name in ("opposite_router_type", "opposite_router_id"):
                planned[name] = prior.get(name)
        elif prior is None and config.get("opposite_interface_owner_id") in (None, ""):
            # On create without an owner, SDK v1 drops the suppressed type (default and all)
            # from the plan; create then takes it from the opposite interface.
            planned["opposite_router_type"] = None
        return planned

    # -- create -------------------------------------------------------------------------

    def create(self, planned: State, diags: Diagnostics) -> State | None:
        timeout = self.timeouts.seconds(planned, "create")
        known = known_values(planned)
        ri_id = planned["interface_id"]
        opposite_id = planned["opposite_interface_id"]
        local = self._describe(ri_id)
        if local is None:
            raise DiagnosticError(
                f"router interface {ri_id} does not exist", path=("interface_id",)
            )
        if local.get("OppositeInterfaceId") == opposite_id:
            status = local.get("Status")
            if status in ("Active", "Activating") and self._matches(local, known):
                # A pair activates and deactivates as a whole: when drift (the pair
                # deactivated) planned both connections again, the first one created
                # re-activated the pair, and this side is already what the plan wants.
                # (The Go provider fails here, asking for an import; its Read re-activates,
                # so it never plans this.)
                self._wait(ri_id, ("Active",), timeout)
                diags.warning(
                    f"Router interface {ri_id} was already connected",
                    f"{ri_id} was already Active with opposite interface {opposite_id} (the "
                    "opposite side's connection re-activates the pair, or it was connected "
                    "outside this configuration); this resource now manages the connection.",
                )
                return self._read(planned, ri_id)
            if status == "Active":
                raise DiagnosticError(
                    f"The specified router interface connection has existed, and please import it using id {ri_id}.",
                    f"terraform import <address> {ri_id}",
                )
            if status == "Inactive":
                # Opposite info cannot change any more; the connection only needs waking up.
                self.client.call("ActivateRouterInterface", {"RouterInterfaceId": ri_id})
                self._wait(ri_id, ("Active",), timeout)
                return self._read(planned, ri_id)

        params: dict[str, Any] = {"RouterInterfaceId": ri_id, "OppositeInterfaceId": opposite_id}
        owner = known.get("opposite_interface_owner_id")
        if owner not in (None, ""):
            # Cross-account: the other side cannot be described with our credentials.
            for name in ("opposite_router_type", "opposite_router_id"):
                if known.get(name) in (None, ""):
                    raise DiagnosticError(
                        f"'{name}' is required when 'opposite_interface_owner_id' is set.",
                        path=(name,),
                    )
            params.update(
                {
                    "OppositeInterfaceOwnerId": int(owner),
                    "OppositeRouterType": planned["opposite_router_type"],
                    "OppositeRouterId": planned["opposite_router_id"],
                }
            )
        else:
            owner = local.get("OppositeInterfaceOwnerId") or self.client.account_id()
            if not owner:
                raise DiagnosticError(
                    "Opposite router interface owner id is empty. Please use field "
                    "'opposite_interface_owner_id' or globle field 'account_id' to set."
                )
            opposite = describe_interface(
                self.client, opposite_id, region=local.get("OppositeRegionId")
            )
            if opposite is None:
                raise DiagnosticError(
                    f"opposite router interface {opposite_id} not found in {local.get('OppositeRegionId')}",
                    path=("opposite_interface_id",),
                )
            params.update(
                {
                    "OppositeInterfaceOwnerId": int(owner),
                    "OppositeRouterType": opposite.get("RouterType"),
                    "OppositeRouterId": opposite.get("RouterId"),
                }
            )
        self.client.call("ModifyRouterInterfaceAttribute", params)
        self._wait(ri_id, ("Idle",), timeout)
        if local.get("Role") == "InitiatingSide":
            self.client.call(
                "ConnectRouterInterface",
                {"RouterInterfaceId": ri_id},
                timeout=timeout,
                retry_codes=("IncorrectOppositeInterfaceInfo.NotSet",),
            )
            self._wait(ri_id, ("Active",), timeout)
        return self._read(planned, ri_id)

    @staticmethod
    def _matches(local: dict[str, Any], planned: State) -> bool:
        """The interface's opposite info is what the configuration asks for."""
        for name, api in (
            ("opposite_interface_owner_id", "OppositeInterfaceOwnerId"),
            ("opposite_router_id", "OppositeRouterId"),
            ("opposite_router_type", "OppositeRouterType"),
        ):
            wanted = planned.get(name)
            if wanted not in (None, "") and str(local.get(api) or "") != str(wanted):
                return False
        return all(local.get(k) for k in OPPOSITE)

    # -- read -----------------------------------------------------------------------------

    def _describe(self, ri_id: str) -> dict[str, Any] | None:
        return describe_interface(self.client, ri_id)

    def _read(self, base: State, ri_id: str) -> State | None:
        item = self._describe(ri_id)
        if (
            item is None
            or not all(item.get(k) for k in OPPOSITE)
            or item.get("Status") == "Inactive"
        ):
            return None
        return self._state(base, ri_id, item)

    # -- delete ---------------------------------------------------------------------------

    def delete(self, prior: State, diags: Diagnostics) -> None:
        # Not the DeleteFlow: a connection is only deactivated, its interfaces stay.
        ri_id = prior["id"]
        try:
            item = self._describe(ri_id)
        except CloudError as err:
            if err.not_found:
                return
            raise
        if item is None or item.get("Status") == "Idle":
            return
        if item.get("Status") == "Active":
            try:
                self.client.call("DeactivateRouterInterface", {"RouterInterfaceId": ri_id})
            except CloudError as err:
                # The other side's connection may have started deactivating the pair.
                if err.code != "IncorrectRIStatus":
                    raise
        self._wait(ri_id, ("Inactive",), self.timeouts.seconds(prior, "delete"))
