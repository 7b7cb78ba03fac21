"""``alicloud_router_interface`` (deprecated since 1.199.0): one side of a connection.

The opposite side is configured by ``alicloud_router_interface_connection``.
"""

from __future__ import annotations

from typing import Any

from riconnect.terraform.alicloud.client import CloudError
from riconnect.terraform.alicloud.common import (
    DEPRECATED_199,
    SPECS,
    AliResource,
    client_token,
    describe_interface,
    known_values,
    wait_interface,
)
from riconnect.terraform.plugin import (
    Attribute,
    Block,
    DiagnosticError,
    Diagnostics,
    Number,
    Schema,
    State,
    String,
    is_known,
)
from riconnect.terraform.plugin.validators import length_between, one_of

CREATE_WAIT = 300.0
DELETE_WAIT = 1000.0


def _period_ok(value: Any) -> str | None:
    if 1 <= value <= 9 or value in (12, 24, 36):
        return None
    return f"expected 1 to 9, 12, 24 or 36 months, got {value!r}"


class RouterInterface(AliResource):
    type_name = "alicloud_router_interface"
    deprecation_message = DEPRECATED_199.format(
        successor="alicloud_express_connect_router_interface"
    )
    schema = Schema(
        Block(
            attributes=[
                Attribute("id", String, computed=True),
                Attribute("opposite_region", String, required=True, force_new=True),
                Attribute(
                    "router_type",
                    String,
                    required=True,
                    force_new=True,
                    validators=[one_of(["VRouter", "VBR"])],
                ),
                Attribute("router_id", String, required=True, force_new=True),
                Attribute(
                    "role",
                    String,
                    required=True,
                    force_new=True,
                    validators=[one_of(["InitiatingSide", "AcceptingSide"])],
                ),
                Attribute("specification", String, optional=True, validators=[one_of(SPECS)]),
                Attribute("name", String, optional=True, validators=[length_between(2, 128)]),
                Attribute(
                    "description", String, optional=True, validators=[length_between(2, 256)]
                ),
                Attribute("health_check_source_ip", String, optional=True),
                Attribute("health_check_target_ip", String, optional=True),
                Attribute(
                    "instance_charge_type",
                    String,
                    optional=True,
                    force_new=True,
                    default="PostPaid",
                    validators=[one_of(["PrePaid", "PostPaid"])],
                ),
                Attribute("period", Number, optional=True, validators=[_period_ok]),
                Attribute(
                    "access_point_id",
                    String,
                    computed=True,
                    deprecated="Attribute 'access_point_id' has been deprecated.",
                ),
                Attribute(
                    "opposite_access_point_id",
                    String,
                    optional=True,
                    deprecated="Attribute 'opposite_access_point_id' has been deprecated.",
                ),
                *(
                    Attribute(
                        name,
                        String,
                        computed=True,
                        deprecated=f"Attribute '{name}' has been deprecated from version 1.11.0. "
                        "Use resource alicloud_router_interface_connection's instead.",
                    )
                    for name in (
                        "opposite_router_type",
                        "opposite_router_id",
                        "opposite_interface_id",
                        "opposite_interface_owner_id",
                    )
                ),
            ]
        )
    )

    def validate(self, config: State, diags: Diagnostics) -> None:
        src, dst = config.get("health_check_source_ip"), config.get("health_check_target_ip")
        if is_known(src) and is_known(dst) and (src is None) != (dst is None):
            diags.error(
                "The 'health_check_source_ip' and 'health_check_target_ip' should be specified or not at one time.",
                path=("health_check_source_ip",),
            )
        if config.get("role") == "InitiatingSide" and config.get("specification") is None:
            diags.error(
                "'specification': required field is not set when role is InitiatingSide.",
                path=("specification",),
            )

    def requires_replace(self, prior: State, planned: State, *config: State) -> list[Any]:
        # *config: the framework passes the configuration too (older versions did not).
        paths = super().requires_replace(prior, planned, *config)
        if prior.get("role") == "AcceptingSide":
            paths = [p for p in paths if p != ("router_type",)]
        return paths

    def create(self, planned: State, diags: Diagnostics) -> State | None:
        base, planned = planned, known_values(planned)
        regions = self.cloud.call("DescribeRegions", {"RegionId": None})
        known = [r.get("RegionId") for r in (regions.get("Regions") or {}).get("Region") or []]
        if planned["opposite_region"] not in known:
            raise DiagnosticError(
                f"'opposite_region' is invalid. Expected on {', '.join(known)}.",
                path=("opposite_region",),
            )
        role = planned["role"]
        params: dict[str, Any] = {
            "RouterType": planned["router_type"],
            "RouterId": planned["router_id"],
            "Role": role,
            "Spec": planned.get("specification"),
            "InstanceChargeType": planned.get("instance_charge_type") or "PostPaid",
            "OppositeRegionId": planned["opposite_region"],
            "ClientToken": client_token("CreateRouterInterface"),
        }
        if params["InstanceChargeType"] == "PrePaid":
            period = int(planned.get("period") or 1)
            params.update(
                {
                    "Period": period // 12 if period > 9 else period,
                    "PricingCycle": "Year" if period > 9 else "Month",
                    "AutoPay": True,
                }
            )
        if role == "AcceptingSide":
            params.update({"Spec": "Negative", "RouterType": "VRouter"})
        if params["RouterType"] == "VBR":
            vbrs = self.cloud.call(
                "DescribeVirtualBorderRouters",
                {"Filter": [{"Key": "VbrId", "Value": [planned["router_id"]]}]},
            )
            items = (vbrs.get("VirtualBorderRouterSet") or {}).get("VirtualBorderRouterType") or []
            if items:
                params["AccessPointId"] = items[0].get("AccessPointId")
        body = self.cloud.call("CreateRouterInterface", params)
        ri_id = body["RouterInterfaceId"]
        wait_interface(self.cloud, ri_id, ("Idle",), CREATE_WAIT)
        self._modify(ri_id, None, planned)
        return self._read(base, ri_id)

    def _modify(self, ri_id: str, prior: State | None, planned: State) -> None:
        params: dict[str, Any] = {}
        for name, api in (("name", "Name"), ("description", "Description")):
            if planned.get(name) is not None and (
                prior is None or prior.get(name) != planned.get(name)
            ):
                params[api] = planned[name]
        src, dst = planned.get("health_check_source_ip"), planned.get("health_check_target_ip")
        if (
            src
            and dst
            and (
                prior is None
                or (prior.get("health_check_source_ip"), prior.get("health_check_target_ip"))
                != (src, dst)
            )
        ):
            params.update({"HealthCheckSourceIp": src, "HealthCheckTargetIp": dst})
        if params:
            self.cloud.call(
                "ModifyRouterInterfaceAttribute", {"RouterInterfaceId": ri_id, **params}
            )

    def _read(self, base: State, ri_id: str) -> State | None:
        item = describe_interface(self.cloud, ri_id)
        if item is None:
            return None
        spec, router_type = item.get("Spec"), item.get("RouterType")
        if item.get("Role") == "AcceptingSide":
            # An acceptor is always a Negative VRouter whatever the configuration says; like
            # the Go provider's diff suppression, the configured values stay in the state.
            spec = base.get("specification", spec)
            router_type = base.get("router_type") or router_type
        return {
            **base,
            "id": ri_id,
            "role": item.get("Role"),
            "specification": spec,
            "name": item.get("Name") or None if base.get("name") is None else item.get("Name"),
            "description": item.get("Description") or None
            if base.get("description") is None
            else item.get("Description"),
            "router_id": item.get("RouterId"),
            "router_type": router_type,
            "access_point_id": item.get("AccessPointId", ""),
            "opposite_region": item.get("OppositeRegionId"),
            "opposite_router_type": item.get("OppositeRouterType", ""),
            "opposite_router_id": item.get("OppositeRouterId", ""),
            "opposite_interface_id": item.get("OppositeInterfaceId", ""),
            "opposite_interface_owner_id": item.get("OppositeInterfaceOwnerId", ""),
            "health_check_source_ip": item.get("HealthCheckSourceIp") or None
            if base.get("health_check_source_ip") is None
            else item.get("HealthCheckSourceIp"),
            "health_check_target_ip": item.get("HealthCheckTargetIp") or None
            if base.get("health_check_target_ip") is None
            else item.get("HealthCheckTargetIp"),
            "instance_charge_type": "PrePaid"
            if item.get("ChargeType") == "Prepaid"
            else "PostPaid",
        }

    def read(self, state: State, diags: Diagnostics) -> State | None:
        return self._read(state, state["id"])

    def update(self, prior: State, planned: State, diags: Diagnostics) -> State:
        ri_id = prior["id"]
        self._modify(ri_id, prior, planned)
        if (
            planned.get("specification") != prior.get("specification")
            and planned.get("role") == "InitiatingSide"
        ):
            self.cloud.call(
                "ModifyRouterInterfaceSpec",
                {
                    "RouterInterfaceId": ri_id,
                    "Spec": planned["specification"],
                    "ClientToken": client_token("ModifyRouterInterfaceSpec"),
                },
            )
            wait_interface(self.cloud, ri_id, ("Idle", "Active", "Inactive"), CREATE_WAIT)
        state = self._read(planned, ri_id)
        if state is None:
            raise DiagnosticError(f"router interface {ri_id} disappeared during the update")
        return state

    def delete(self, prior: State, diags: Diagnostics) -> None:
        ri_id = prior["id"]
        item = describe_interface(self.cloud, ri_id)
        if item is None:
            return
        if item.get("Status") == "Active":
            self.cloud.call("DeactivateRouterInterface", {"RouterInterfaceId": ri_id})
            wait_interface(self.cloud, ri_id, ("Inactive",), CREATE_WAIT)
        try:
            self.cloud.call(
                "DeleteRouterInterface",
                {"RouterInterfaceId": ri_id, "ClientToken": client_token("DeleteRouterInterface")},
                retry_codes=(
                    "IncorrectStatus",
                    "DependencyViolation.RouterInterfaceReferedByRouteEntry",
                    "OperationConflict",
                ),
            )
        except CloudError as err:
            if err.not_found:
                return
            raise  # unlike the Go provider, never swallow a failed delete
        wait_interface(self.cloud, ri_id, ("Deleted",), DELETE_WAIT)

    def import_(self, id: str, diags: Diagnostics) -> State | None:
        return {"id": id}
