"""``alicloud_express_connect_router_interface``: the successor, one resource per interface.

Schema of the real provider's v1.263+ generation.  ``status`` drives the link: ``Active``
on an ``Inactive`` interface activates it, ``Inactive`` on an ``Active`` one deactivates
it, and (as in the 1.199–1.262 generation) ``Active`` on an ``Idle`` initiator whose
opposite side is configured connects it; any other requested status is left as the cloud
has it, as the official provider does.
"""

from __future__ import annotations

from typing import Any

from riconnect.terraform.alicloud import validators as ali
from riconnect.terraform.alicloud.base import AliResource, DeleteFlow, client_token, known_values
from riconnect.terraform.alicloud.client import CloudError
from riconnect.terraform.alicloud.fields import (
    Field,
    Fields,
    boolean,
    changed,
    int_or_zero,
    or_empty,
    plain,
    tag_map,
    text_if_present,
)
from riconnect.terraform.alicloud.router_interface_common import SPECS, interface_attribute
from riconnect.terraform.alicloud.waits import GONE
from riconnect.terraform.plugin import (
    Attribute,
    Block,
    Bool,
    DiagnosticError,
    Diagnostics,
    Map,
    Number,
    Schema,
    State,
    String,
    Timeouts,
)

STATUSES = (
    "Idle",
    "Connecting",
    "AcceptingConnecting",
    "Activating",
    "Active",
    "Modifying",
    "Deactivating",
    "Inactive",
    "Deleting",
    "Deleted",
)


def _fast_link_mode(value: Any, current: Any) -> bool:
    # As the official Read (formatBool): always a bool, an absent field reads false, so
    # an import records it and the next plan does not replace the interface.
    return str(value).lower() == "true"


def _payment_type(value: Any, current: Any) -> str:
    return "Subscription" if value == "Prepaid" else "PayAsYouGo"


# DescribeRouterInterfaceAttribute's answer, as the official Read sets it (an empty answer
# stores "", and hc_threshold and opposite_interface_owner_id only when the answer has them).
FIELDS = Fields(
    Field("access_point_id", "AccessPointId", plain),
    Field("description", "Description", plain),
    Field("health_check_source_ip", "HealthCheckSourceIp", plain),
    Field("health_check_target_ip", "HealthCheckTargetIp", plain),
    Field("opposite_access_point_id", "OppositeAccessPointId", plain),
    Field("opposite_interface_business_status", "OppositeInterfaceBusinessStatus", or_empty),
    Field("opposite_interface_owner_id", "OppositeInterfaceOwnerId", text_if_present),
    Field("opposite_interface_spec", "OppositeInterfaceSpec", or_empty),
    Field("opposite_interface_status", "OppositeInterfaceStatus", or_empty),
    Field("opposite_region_id", "OppositeRegionId", or_empty),
    Field("opposite_router_id", "OppositeRouterId", plain),
    Field("opposite_router_type", "OppositeRouterType", or_empty),
    Field("opposite_vpc_instance_id", "OppositeVpcInstanceId", or_empty),
    Field("opposite_interface_id", "OppositeInterfaceId", or_empty),
    Field("resource_group_id", "ResourceGroupId", or_empty),
    Field("role", "Role", or_empty),
    Field("router_id", "RouterId", or_empty),
    Field("router_interface_name", "Name", plain),
    Field("router_type", "RouterType", or_empty),
    Field("spec", "Spec", or_empty),
    Field("status", "Status", or_empty),
    Field("vpc_instance_id", "VpcInstanceId", or_empty),
    Field("business_status", "BusinessStatus", or_empty),
    Field("connected_time", "ConnectedTime", or_empty),
    Field("create_time", "CreationTime", or_empty),
    Field("end_time", "EndTime", or_empty),
    Field("has_reservation_data", "HasReservationData", or_empty),
    Field("reservation_active_time", "ReservationActiveTime", or_empty),
    Field("reservation_bandwidth", "ReservationBandwidth", or_empty),
    Field("reservation_internet_charge_type", "ReservationInternetChargeType", or_empty),
    Field("reservation_order_type", "ReservationOrderType", or_empty),
    Field("router_interface_id", "RouterInterfaceId", or_empty),
    Field("bandwidth", "Bandwidth", int_or_zero),
    Field("opposite_bandwidth", "OppositeBandwidth", int_or_zero),
    Field("cross_border", "CrossBorder", boolean),
    Field("fast_link_mode", "FastLinkMode", _fast_link_mode),
    Field("payment_type", "ChargeType", _payment_type),
    Field("hc_rate", "HcRate"),
    Field("hc_threshold", "HcThreshold", text_if_present),
    Field("tags", "Tags.Tags", tag_map),
)


def _s(name: str, **kw: Any) -> Attribute:
    return Attribute(name, String, **kw)


class ExpressConnectRouterInterface(AliResource):
    type_name = "alicloud_express_connect_router_interface"
    noun = "router interface"
    timeouts = Timeouts(create=300, update=300, delete=300)
    fields = FIELDS
    # A status the provider cannot move the interface to is left as the cloud has it.
    declinable = ("status",)
    deletion = DeleteFlow(
        "DeleteRouterInterface",
        "RouterInterfaceId",
        deactivate="DeactivateRouterInterface",
        retry_codes=("IncorrectStatus", "OperationConflict"),
    )
    # In fast link mode both sides go at once.
    fast_link_deletion = DeleteFlow(
        "DeleteExpressConnect", "RouterInterfaceId", constants={"Force": True}
    )
    schema = Schema(
        Block(
            attributes=[
                _s("id", computed=True),
                _s("router_id", required=True, force_new=True),
                _s(
                    "router_type",
                    required=True,
                    force_new=True,
                    validators=[ali.string_in_slice(["VBR", "VRouter"])],
                ),
                _s(
                    "role",
                    required=True,
                    force_new=True,
                    validators=[ali.string_in_slice(["InitiatingSide", "AcceptingSide"])],
                ),
                _s("opposite_region_id", required=True, force_new=True),
                _s("spec", required=True, validators=[ali.string_in_slice(SPECS)]),
                _s("access_point_id", optional=True, force_new=True),
                _s("opposite_access_point_id", optional=True, force_new=True),
                _s("opposite_interface_owner_id", optional=True, force_new=True),
                _s("opposite_router_id", optional=True, force_new=True),
                _s(
                    "opposite_router_type",
                    optional=True,
                    computed=True,
                    force_new=True,
                    validators=[ali.string_in_slice(["VBR", "VRouter"])],
                ),
                Attribute("fast_link_mode", Bool, optional=True, force_new=True),
                _s(
                    "payment_type",
                    optional=True,
                    computed=True,
                    force_new=True,
                    validators=[ali.string_in_slice(["PayAsYouGo", "Subscription"])],
                ),
                Attribute("period", Number, optional=True, integer=True),
                _s("pricing_cycle", optional=True),
                Attribute("auto_renew", Bool, optional=True),
                _s("router_interface_name", optional=True),
                _s("description", optional=True),
                _s("health_check_source_ip", optional=True),
                _s("health_check_target_ip", optional=True),
                Attribute("hc_rate", Number, optional=True, integer=True),
                _s("hc_threshold", optional=True),
                Attribute("delete_health_check_ip", Bool, optional=True),
                _s(
                    "status",
                    optional=True,
                    computed=True,
                    validators=[ali.string_in_slice(STATUSES)],
                ),
                _s("resource_group_id", optional=True, computed=True),
                Attribute("tags", Map(String), optional=True),
                Attribute(
                    "auto_pay",
                    Bool,
                    optional=True,
                    deprecated="Field 'auto_pay' has been deprecated since provider version 1.263.0.",
                ),
                _s(
                    "opposite_interface_id",
                    optional=True,
                    computed=True,
                    deprecated="Field 'opposite_interface_id' has been deprecated since provider version 1.263.0.",
                ),
                Attribute("bandwidth", Number, computed=True),
                _s("business_status", computed=True),
                _s("connected_time", computed=True),
                _s("create_time", computed=True),
                Attribute("cross_border", Bool, computed=True),
                _s("end_time", computed=True),
                _s("has_reservation_data", computed=True),
                Attribute("opposite_bandwidth", Number, computed=True),
                _s("opposite_interface_business_status", computed=True),
                _s("opposite_interface_spec", computed=True),
                _s("opposite_interface_status", computed=True),
                _s("opposite_vpc_instance_id", computed=True),
                _s("reservation_active_time", computed=True),
                _s("reservation_bandwidth", computed=True),
                _s("reservation_internet_charge_type", computed=True),
                _s("reservation_order_type", computed=True),
                _s("router_interface_id", computed=True),
                _s("vpc_instance_id", computed=True),
            ],
            blocks=[timeouts.block],
        )
    )

    # -- create -------------------------------------------------------------------------

    def create(self, planned: State, diags: Diagnostics) -> State | None:
        timeout = self.timeouts.seconds(planned, "create")
        p = known_values(planned)
        tags = p.get("tags") or {}
        body = self.client.call(
            "CreateRouterInterface",
            {
                "InstanceChargeType": "PrePaid"
                if p.get("payment_type") == "Subscription"
                else "PostPaid",
                "AutoPay": True,
                "RouterType": p["router_type"],
                "RouterId": p["router_id"],
                "Role": p["role"],
                "Spec": p["spec"],
                "OppositeRegionId": p["opposite_region_id"],
                "HealthCheckSourceIp": p.get("health_check_source_ip"),
                "HealthCheckTargetIp": p.get("health_check_target_ip"),
                "OppositeRouterId": p.get("opposite_router_id"),
                "AccessPointId": p.get("access_point_id"),
                "PricingCycle": p.get("pricing_cycle"),
                "OppositeAccessPointId": p.get("opposite_access_point_id"),
                "FastLinkMode": p.get("fast_link_mode"),
                "Tags": [{"Key": k, "Value": v} for k, v in sorted(tags.items())] or None,
                "OppositeInterfaceOwnerId": p.get("opposite_interface_owner_id"),
                "OppositeInterfaceId": p.get("opposite_interface_id"),
                "AutoRenew": p.get("auto_renew"),
                "ResourceGroupId": p.get("resource_group_id"),
                "Description": p.get("description"),
                "Name": p.get("router_interface_name"),
                "OppositeRouterType": p.get("opposite_router_type"),
                "Period": int(p["period"]) if p.get("period") is not None else None,
                "ClientToken": client_token("CreateRouterInterface"),
            },
            timeout=timeout,
            retry_codes=("IncorrectStatus.CenStatus",),
        )
        ri_id = body["RouterInterfaceId"]
        self._wait(ri_id, ("Idle", "Active"), timeout)
        # The cloud's view alone (not over the plan): what the update step then changes
        # is what the cloud does not have yet, e.g. hc_threshold, which create cannot send.
        state = self._read({}, ri_id)
        if state is None:
            raise DiagnosticError(f"router interface {ri_id} disappeared after creation")
        return self._update(state, planned, creating=True)

    # -- read ---------------------------------------------------------------------------

    def _describe(self, ri_id: str) -> dict[str, Any] | None:
        return interface_attribute(self.client, ri_id)

    # -- update -----------------------------------------------------------------------------

    def update(self, prior: State, planned: State, diags: Diagnostics) -> State:
        return self._update(prior, planned, creating=False)

    def _update(self, live: State, planned: State, *, creating: bool) -> State:
        ri_id = live["id"]
        timeout = self.timeouts.seconds(planned, "create" if creating else "update")
        target = known_values(planned).get("status")
        if target is not None and target != live.get("status"):
            current = live.get("status")
            if current == "Inactive" and target == "Active":
                self.client.call(
                    "ActivateRouterInterface", {"RouterInterfaceId": ri_id}, timeout=timeout
                )
            elif current == "Active" and target == "Inactive":
                self.client.call(
                    "DeactivateRouterInterface", {"RouterInterfaceId": ri_id}, timeout=timeout
                )
            elif (
                current == "Idle" and target == "Active" and planned.get("role") == "InitiatingSide"
            ):
                self.client.call(
                    "ConnectRouterInterface",
                    {"RouterInterfaceId": ri_id},
                    timeout=timeout,
                    retry_codes=("IncorrectOppositeInterfaceInfo.NotSet",),
                )
            else:
                # Any other transition: nothing, as the official provider does (the state
                # keeps the cloud's status and the next plan asks again: ``declinable``).
                target = None
            if target is not None:
                self._wait(ri_id, (target,), timeout)
        modify = changed(live, planned, {"hc_rate": "HcRate", "hc_threshold": "HcThreshold"}, int)
        if not creating:
            modify.update(
                changed(
                    live,
                    planned,
                    {
                        "health_check_source_ip": "HealthCheckSourceIp",
                        "health_check_target_ip": "HealthCheckTargetIp",
                        "description": "Description",
                        "router_interface_name": "Name",
                        "opposite_interface_id": "OppositeInterfaceId",
                    },
                )
            )
            if modify and planned.get("delete_health_check_ip"):
                # Only alongside another change, as the official provider sends it: on its
                # own it would delete both IPs and drift on every later plan.
                modify["DeleteHealthCheckIp"] = True
        if modify:
            self.client.call(
                "ModifyRouterInterfaceAttribute",
                {"RouterInterfaceId": ri_id, **modify},
                timeout=timeout,
            )
            self._wait(ri_id, ("Idle", "Active", "Inactive"), timeout)
        if (
            not creating
            and planned.get("spec") != live.get("spec")
            and planned.get("role") == "InitiatingSide"
        ):
            self.client.call(
                "ModifyRouterInterfaceSpec",
                {
                    "RouterInterfaceId": ri_id,
                    "Spec": planned["spec"],
                    "ClientToken": client_token("ModifyRouterInterfaceSpec"),
                },
                timeout=timeout,
            )
            self._wait(ri_id, ("Idle", "Active"), timeout)
        if not creating:
            self._regroup_and_retag(ri_id, live, planned, timeout)
        state = self._read(planned, ri_id)
        if state is None:
            raise DiagnosticError(f"router interface {ri_id} disappeared during the update")
        return state

    def _regroup_and_retag(self, ri_id: str, live: State, planned: State, timeout: float) -> None:
        """Resource group and tags, as the Go provider changes them in place
        (ChangeResourceGroup, then UntagResourcesForExpressConnect and
        TagResourcesForExpressConnect with ResourceType ROUTERINTERFACE)."""
        group = planned.get("resource_group_id")
        if isinstance(group, str) and group and group != live.get("resource_group_id"):
            self.client.call(
                "ChangeResourceGroup",
                {
                    "ResourceId": ri_id,
                    "ResourceType": "ROUTERINTERFACE",
                    "NewResourceGroupId": group,
                },
                timeout=timeout,
            )
        old, new = live.get("tags") or {}, planned.get("tags") or {}
        target = {"ResourceType": "ROUTERINTERFACE", "ResourceId": [ri_id]}
        removed = sorted(set(old) - set(new))
        if removed:
            self.client.call(
                "UntagResourcesForExpressConnect", {**target, "TagKey": removed}, timeout=timeout
            )
        added = {k: v for k, v in new.items() if old.get(k) != v}
        if added:
            self.client.call(
                "TagResourcesForExpressConnect",
                {**target, "Tag": [{"Key": k, "Value": v} for k, v in sorted(added.items())]},
                timeout=timeout,
            )

    # -- delete -----------------------------------------------------------------------------

    def delete(self, prior: State, diags: Diagnostics) -> None:
        if prior.get("fast_link_mode"):
            self._delete(self.fast_link_deletion, prior)
            return
        if prior.get("payment_type") == "Subscription":
            self._refund(prior)
            return
        # The Go provider deletes an Active interface directly and fails; the flow
        # deactivates it first.
        self._delete(self.deletion, prior)

    def _refund(self, prior: State) -> None:
        """A subscription is released through billing, as the official provider does:
        BssOpenApi RefundInstance (ProductCode ri, immediate release), then wait until the
        interface is gone.  Unlike it, an Active interface is deactivated first (as for a
        pay-as-you-go one) and a refused refund is an error, not a silent wait."""
        ri_id = prior["id"]
        timeout = self.timeouts.seconds(prior, "delete")
        live = self._describe(ri_id)
        if live is None:
            return
        if live.get("Status") == "Active":
            self.client.call("DeactivateRouterInterface", {"RouterInterfaceId": ri_id})
            self._wait(ri_id, ("Inactive",), timeout)
        try:
            self.client.bss_call(
                "RefundInstance",
                {
                    "InstanceId": ri_id,
                    "ClientToken": client_token("RefundInstance"),
                    "ImmediatelyRelease": "1",
                    "ProductCode": "ri",
                    "ProductType": "",
                },
                timeout=timeout,
            )
        except CloudError as err:
            if not (err.not_found or err.code == "ResourceNotExists") or self._describe(ri_id):
                raise
            return
        self._wait(ri_id, GONE, timeout)
