"""``alicloud_express_connect_router_interface``: the successor, one resource per interface.

Schema of the real provider's v1.263+ generation.  ``status`` drives the link: ``Active``
on an ``Inactive`` interface activates it, ``Inactive`` on an ``Active`` one deactivates
it, and (as in the 1.199–1.262 generation) ``Active`` on an ``Idle`` initiator whose
opposite side is configured connects it.
"""

from __future__ import annotations

from typing import Any

from riconnect.terraform.alicloud.client import CloudError, wait_for
from riconnect.terraform.alicloud.common import (
    SPECS,
    AliResource,
    client_token,
    interface_attribute,
)
from riconnect.terraform.plugin import (
    UNKNOWN,
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
    mark_unknown,
)
from riconnect.terraform.plugin.validators import one_of

TIMEOUTS = Timeouts(create=300, update=300, delete=300)
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
# Computed attributes that describe the live link: any change may move them.
VOLATILE = (
    "bandwidth",
    "business_status",
    "connected_time",
    "opposite_bandwidth",
    "opposite_interface_business_status",
    "opposite_interface_spec",
    "opposite_interface_status",
    "opposite_vpc_instance_id",
    "end_time",
)
_MAPPING: dict[str, str] = {
    "access_point_id": "AccessPointId",
    "description": "Description",
    "health_check_source_ip": "HealthCheckSourceIp",
    "health_check_target_ip": "HealthCheckTargetIp",
    "opposite_access_point_id": "OppositeAccessPointId",
    "opposite_interface_business_status": "OppositeInterfaceBusinessStatus",
    "opposite_interface_owner_id": "OppositeInterfaceOwnerId",
    "opposite_interface_spec": "OppositeInterfaceSpec",
    "opposite_interface_status": "OppositeInterfaceStatus",
    "opposite_region_id": "OppositeRegionId",
    "opposite_router_id": "OppositeRouterId",
    "opposite_router_type": "OppositeRouterType",
    "opposite_vpc_instance_id": "OppositeVpcInstanceId",
    "opposite_interface_id": "OppositeInterfaceId",
    "resource_group_id": "ResourceGroupId",
    "role": "Role",
    "router_id": "RouterId",
    "router_interface_name": "Name",
    "router_type": "RouterType",
    "spec": "Spec",
    "status": "Status",
    "vpc_instance_id": "VpcInstanceId",
    "business_status": "BusinessStatus",
    "connected_time": "ConnectedTime",
    "create_time": "CreationTime",
    "end_time": "EndTime",
    "has_reservation_data": "HasReservationData",
    "reservation_active_time": "ReservationActiveTime",
    "reservation_bandwidth": "ReservationBandwidth",
    "reservation_internet_charge_type": "ReservationInternetChargeType",
    "reservation_order_type": "ReservationOrderType",
    "router_interface_id": "RouterInterfaceId",
}
# Optional arguments the user may leave out: an empty answer keeps them null.
_OPTIONAL = {
    "access_point_id",
    "description",
    "health_check_source_ip",
    "health_check_target_ip",
    "opposite_access_point_id",
    "opposite_interface_owner_id",
    "opposite_router_id",
    "router_interface_name",
}


def _s(name: str, **kw: Any) -> Attribute:
    return Attribute(name, String, **kw)


class ExpressConnectRouterInterface(AliResource):
    type_name = "alicloud_express_connect_router_interface"
    schema = Schema(
        Block(
            attributes=[
                _s("id", computed=True),
                _s("router_id", required=True, force_new=True),
                _s(
                    "router_type",
                    required=True,
                    force_new=True,
                    validators=[one_of(["VBR", "VRouter"])],
                ),
                _s(
                    "role",
                    required=True,
                    force_new=True,
                    validators=[one_of(["InitiatingSide", "AcceptingSide"])],
                ),
                _s("opposite_region_id", required=True, force_new=True),
                _s("spec", required=True, validators=[one_of(SPECS)]),
                _s("access_point_id", optional=True, force_new=True),
                _s("opposite_access_point_id", optional=True, force_new=True),
                _s("opposite_interface_owner_id", optional=True, force_new=True),
                _s("opposite_router_id", optional=True, force_new=True),
                _s(
                    "opposite_router_type",
                    optional=True,
                    computed=True,
                    force_new=True,
                    validators=[one_of(["VBR", "VRouter"])],
                ),
                Attribute("fast_link_mode", Bool, optional=True, force_new=True),
                _s(
                    "payment_type",
                    optional=True,
                    computed=True,
                    force_new=True,
                    validators=[one_of(["PayAsYouGo", "Subscription"])],
                ),
                Attribute("period", Number, optional=True),
                _s("pricing_cycle", optional=True, validators=[one_of(["Month", "Year"])]),
                Attribute("auto_renew", Bool, optional=True),
                _s("router_interface_name", optional=True),
                _s("description", optional=True),
                _s("health_check_source_ip", optional=True),
                _s("health_check_target_ip", optional=True),
                Attribute("hc_rate", Number, optional=True),
                _s("hc_threshold", optional=True),
                Attribute("delete_health_check_ip", Bool, optional=True),
                _s("status", optional=True, computed=True, validators=[one_of(STATUSES)]),
                _s("resource_group_id", optional=True, computed=True),
                Attribute("tags", Map(String), optional=True),
                Attribute(
                    "auto_pay",
                    Bool,
                    optional=True,
                    deprecated="Field 'auto_pay' has been deprecated from provider version 1.263.0.",
                ),
                _s(
                    "opposite_interface_id",
                    optional=True,
                    computed=True,
                    deprecated="Field 'opposite_interface_id' has been deprecated from provider version 1.263.0.",
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
            blocks=[TIMEOUTS.block],
        )
    )

    def plan(
        self, prior: State | None, proposed: State, config: State, diags: Diagnostics
    ) -> State:
        planned = super().plan(prior, proposed, config, diags)
        if prior is None:
            return planned
        arguments = (
            "spec",
            "status",
            "router_interface_name",
            "description",
            "hc_rate",
            "hc_threshold",
            "health_check_source_ip",
            "health_check_target_ip",
            "tags",
            "opposite_interface_id",
        )
        if any(planned.get(a) != prior.get(a) for a in arguments):
            mark_unknown(planned, *VOLATILE)
            if config.get("status") is None:
                mark_unknown(planned, "status")
        return planned

    # -- create -------------------------------------------------------------------------

    def create(self, planned: State, diags: Diagnostics) -> State | None:
        timeout = TIMEOUTS.seconds(planned, "create")
        tags = planned.get("tags") or {}
        payment = planned.get("payment_type")
        body = self.cloud.call(
            "CreateRouterInterface",
            {
                "InstanceChargeType": "PrePaid" if payment == "Subscription" else "PostPaid",
                "AutoPay": True,
                "RouterType": planned["router_type"],
                "RouterId": planned["router_id"],
                "Role": planned["role"],
                "Spec": planned["spec"],
                "OppositeRegionId": planned["opposite_region_id"],
                "HealthCheckSourceIp": planned.get("health_check_source_ip"),
                "HealthCheckTargetIp": planned.get("health_check_target_ip"),
                "OppositeRouterId": planned.get("opposite_router_id"),
                "AccessPointId": planned.get("access_point_id"),
                "PricingCycle": planned.get("pricing_cycle"),
                "OppositeAccessPointId": planned.get("opposite_access_point_id"),
                "FastLinkMode": planned.get("fast_link_mode"),
                "Tags": [{"Key": k, "Value": v} for k, v in sorted(tags.items())] or None,
                "OppositeInterfaceOwnerId": planned.get("opposite_interface_owner_id"),
                "OppositeInterfaceId": _known(planned.get("opposite_interface_id")),
                "AutoRenew": planned.get("auto_renew"),
                "ResourceGroupId": _known(planned.get("resource_group_id")),
                "Description": planned.get("description"),
                "Name": planned.get("router_interface_name"),
                "OppositeRouterType": _known(planned.get("opposite_router_type")),
                "Period": int(planned["period"]) if planned.get("period") is not None else None,
                "ClientToken": client_token("CreateRouterInterface"),
            },
            timeout=timeout,
            retry_codes=("IncorrectStatus.CenStatus",),
        )
        ri_id = body["RouterInterfaceId"]
        self._wait(ri_id, ("Idle", "Active"), timeout)
        state = self._state(planned, ri_id)
        if state is None:
            raise DiagnosticError(f"router interface {ri_id} disappeared after creation")
        return self._update(state, planned, creating=True)

    # -- read ---------------------------------------------------------------------------

    def _wait(self, ri_id: str, statuses: tuple[str, ...], timeout: float) -> None:
        wait_for(
            lambda: interface_attribute(self.cloud, ri_id),
            lambda item: (
                (item is None and "Deleted" in statuses)
                or (item is not None and item.get("Status") in statuses)
            ),
            timeout,
            f"router interface {ri_id} to be {'/'.join(statuses)}",
        )

    def _state(self, base: State, ri_id: str) -> State | None:
        item = interface_attribute(self.cloud, ri_id)
        if item is None:
            return None
        state: State = {**base, "id": ri_id}
        for name, api in _MAPPING.items():
            value = item.get(api)
            if name in _OPTIONAL and not value and base.get(name) is None:
                value = None
            state[name] = "" if value is None and name not in _OPTIONAL else value
        for name, api in (("bandwidth", "Bandwidth"), ("opposite_bandwidth", "OppositeBandwidth")):
            state[name] = int(item.get(api) or 0)
        state["cross_border"] = bool(item.get("CrossBorder"))
        state["opposite_interface_owner_id"] = (
            str(item["OppositeInterfaceOwnerId"])
            if item.get("OppositeInterfaceOwnerId")
            else base.get("opposite_interface_owner_id")
        )
        state["fast_link_mode"] = (
            str(item.get("FastLinkMode")).lower() == "true"
            if base.get("fast_link_mode") is not None
            else None
        )
        if base.get("fast_link_mode") is None and str(item.get("FastLinkMode")).lower() == "true":
            state["fast_link_mode"] = True
        state["payment_type"] = (
            "Subscription" if item.get("ChargeType") == "Prepaid" else "PayAsYouGo"
        )
        if base.get("hc_rate") is not None or item.get("HcRate"):
            state["hc_rate"] = item.get("HcRate")
        if base.get("hc_threshold") is not None or item.get("HcThreshold"):
            state["hc_threshold"] = str(item.get("HcThreshold"))
        tags = {t["Key"]: t["Value"] for t in (item.get("Tags") or {}).get("Tags") or []}
        state["tags"] = tags or (None if not base.get("tags") else {})
        return state

    def read(self, state: State, diags: Diagnostics) -> State | None:
        return self._state(state, state["id"])

    def import_(self, id: str, diags: Diagnostics) -> State | None:
        return {"id": id}

    # -- update -----------------------------------------------------------------------------

    def update(self, prior: State, planned: State, diags: Diagnostics) -> State:
        return self._update(prior, planned, creating=False)

    def _update(self, live: State, planned: State, *, creating: bool) -> State:
        ri_id = live["id"]
        timeout = TIMEOUTS.seconds(planned, "create" if creating else "update")
        target = planned.get("status")
        if target not in (None, UNKNOWN) and target != live.get("status"):
            current = live.get("status")
            if current == "Inactive" and target == "Active":
                self.cloud.call(
                    "ActivateRouterInterface", {"RouterInterfaceId": ri_id}, timeout=timeout
                )
            elif current == "Active" and target == "Inactive":
                self.cloud.call(
                    "DeactivateRouterInterface", {"RouterInterfaceId": ri_id}, timeout=timeout
                )
            elif (
                current == "Idle" and target == "Active" and planned.get("role") == "InitiatingSide"
            ):
                self.cloud.call(
                    "ConnectRouterInterface",
                    {"RouterInterfaceId": ri_id},
                    timeout=timeout,
                    retry_codes=("IncorrectOppositeInterfaceInfo.NotSet",),
                )
            else:
                raise DiagnosticError(
                    f"cannot move router interface {ri_id} from {current} to {target}",
                    "Supported: Inactive -> Active, Active -> Inactive, and Idle -> Active on a "
                    "configured InitiatingSide.",
                    path=("status",),
                )
            self._wait(ri_id, (target,), timeout)
        modify: dict[str, Any] = {}
        for name, api in (("hc_rate", "HcRate"), ("hc_threshold", "HcThreshold")):
            if planned.get(name) is not None and planned.get(name) != live.get(name):
                modify[api] = int(planned[name])
        if not creating:
            for name, api in (
                ("health_check_source_ip", "HealthCheckSourceIp"),
                ("health_check_target_ip", "HealthCheckTargetIp"),
                ("description", "Description"),
                ("router_interface_name", "Name"),
                ("opposite_interface_id", "OppositeInterfaceId"),
            ):
                if planned.get(name) not in (None, UNKNOWN) and planned.get(name) != live.get(name):
                    modify[api] = planned[name]
            if planned.get("delete_health_check_ip"):
                modify["DeleteHealthCheckIp"] = True
        if modify:
            self.cloud.call(
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
            self.cloud.call(
                "ModifyRouterInterfaceSpec",
                {
                    "RouterInterfaceId": ri_id,
                    "Spec": planned["spec"],
                    "ClientToken": client_token("ModifyRouterInterfaceSpec"),
                },
                timeout=timeout,
            )
            self._wait(ri_id, ("Idle", "Active"), timeout)
        state = self._state(planned, ri_id)
        if state is None:
            raise DiagnosticError(f"router interface {ri_id} disappeared during the update")
        return state

    # -- delete -----------------------------------------------------------------------------

    def delete(self, prior: State, diags: Diagnostics) -> None:
        ri_id = prior["id"]
        timeout = TIMEOUTS.seconds(prior, "delete")
        try:
            if prior.get("fast_link_mode"):
                self.cloud.call(
                    "DeleteExpressConnect",
                    {
                        "RouterInterfaceId": ri_id,
                        "Force": True,
                        "ClientToken": client_token("DeleteExpressConnect"),
                    },
                    timeout=timeout,
                )
            else:
                if prior.get("payment_type") == "Subscription":
                    raise DiagnosticError(
                        f"router interface {ri_id} is a subscription",
                        "Subscription interfaces are released through the billing API "
                        "(BssOpenApi RefundInstance), which riconnect's provider does not call.",
                    )
                item = interface_attribute(self.cloud, ri_id)
                if item is None:
                    return
                if item.get("Status") == "Active":
                    # The Go provider deletes directly and fails here; deactivate first.
                    self.cloud.call(
                        "DeactivateRouterInterface", {"RouterInterfaceId": ri_id}, timeout=timeout
                    )
                    self._wait(ri_id, ("Inactive",), timeout)
                self.cloud.call(
                    "DeleteRouterInterface",
                    {
                        "RouterInterfaceId": ri_id,
                        "ClientToken": client_token("DeleteRouterInterface"),
                    },
                    timeout=timeout,
                    retry_codes=("IncorrectStatus", "OperationConflict"),
                )
        except CloudError as err:
            if err.not_found:
                return
            raise
        self._wait(ri_id, ("Deleted",), timeout)


def _known(value: Any) -> Any:
    return None if value is UNKNOWN else value
