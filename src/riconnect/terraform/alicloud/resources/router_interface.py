"""``alicloud_router_interface`` (deprecated since 1.199.0): one side of a connection.

The opposite side is configured by ``alicloud_router_interface_connection``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from riconnect.terraform.alicloud.base import (
    DEPRECATED_199,
    AliResource,
    DeleteFlow,
    client_token,
    known_values,
)
from riconnect.terraform.alicloud.fields import Field, Fields, changed, or_empty
from riconnect.terraform.alicloud.router_interface_common import SPECS, describe_interface
from riconnect.terraform.plugin import (
    Attribute,
    Block,
    DiagnosticError,
    Diagnostics,
    Number,
    Schema,
    State,
    String,
    Timeouts,
    is_known,
)
from riconnect.terraform.plugin.validators import (
    any_of,
    int_between,
    int_in_slice,
    string_in_slice,
    string_len_between,
)


def _charge_type(value: Any, current: Any) -> str:
    return "PrePaid" if value == "Prepaid" else "PostPaid"


def _checks_health(values: Mapping[str, Any]) -> bool:
    """Health checks only exist on a VBR's initiating interface: for any other the
    official provider ignores (never sends, never diffs) the health-check IPs."""
    return values.get("role") != "AcceptingSide" and values.get("router_type") != "VRouter"


# The official DiffSuppressFuncs (diff_suppress_funcs.go): an acceptor's specification and
# router type (the cloud makes it a Negative VRouter whatever is asked), the health-check
# IPs unless it is a VBR initiator, and period unless it is PrePaid (never read back).
def _acceptor(values: Mapping[str, Any]) -> bool:
    return values.get("role") == "AcceptingSide"


def _no_health_check(values: Mapping[str, Any]) -> bool:
    return not _checks_health(values)


def _post_paid(values: Mapping[str, Any]) -> bool:
    return str(values.get("instance_charge_type") or "").lower() != "prepaid"


class RouterInterface(AliResource):
    type_name = "alicloud_router_interface"
    deprecation_message = DEPRECATED_199.format(
        successor="alicloud_express_connect_router_interface"
    )
    noun = "router interface"
    # No timeouts block (as in the Go provider): fixed budgets, the Go provider's.
    timeouts = Timeouts(create=300, update=300, delete=300)
    vanish_is_error = True
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
                    validators=[string_in_slice(["VRouter", "VBR"])],
                    diff_suppress=_acceptor,
                ),
                Attribute("router_id", String, required=True, force_new=True),
                Attribute(
                    "role",
                    String,
                    required=True,
                    force_new=True,
                    validators=[string_in_slice(["InitiatingSide", "AcceptingSide"])],
                ),
                Attribute(
                    "specification",
                    String,
                    optional=True,
                    validators=[string_in_slice(SPECS)],
                    diff_suppress=_acceptor,
                ),
                Attribute("name", String, optional=True, validators=[string_len_between(2, 128)]),
                Attribute(
                    "description", String, optional=True, validators=[string_len_between(2, 256)]
                ),
                *(
                    Attribute(name, String, optional=True, diff_suppress=_no_health_check)
                    for name in ("health_check_source_ip", "health_check_target_ip")
                ),
                Attribute(
                    "instance_charge_type",
                    String,
                    optional=True,
                    force_new=True,
                    default="PostPaid",
                    validators=[string_in_slice(["PrePaid", "PostPaid"])],
                ),
                Attribute(
                    "period",
                    Number,
                    optional=True,
                    integer=True,
                    validators=[any_of(int_between(1, 9), int_in_slice([12, 24, 36]))],
                    diff_suppress=_post_paid,
                ),
                Attribute(
                    "access_point_id",
                    String,
                    computed=True,
                    # (sic) the official text names the other attribute
                    deprecated="Attribute 'opposite_access_point_id' has been deprecated from "
                    "version 1.11.0.",
                ),
                Attribute(
                    "opposite_access_point_id",
                    String,
                    optional=True,
                    deprecated="Attribute 'opposite_access_point_id' has been deprecated from "
                    "version 1.11.0.",
                ),
                *(
                    Attribute(
                        name,
                        String,
                        computed=True,
                        deprecated=f"Attribute '{name}' has been deprecated from version 1.11.0. "
                        f"Use resource alicloud_router_interface_connection's '{name}' instead.",
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

    # One entry of DescribeRouterInterfaces.
    fields = Fields(
        Field("role", "Role"),
        Field("specification", "Spec"),
        Field("name", "Name"),
        Field("description", "Description"),
        Field("router_id", "RouterId"),
        Field("router_type", "RouterType"),
        Field("access_point_id", "AccessPointId", or_empty),
        Field("opposite_region", "OppositeRegionId"),
        Field("opposite_router_type", "OppositeRouterType", or_empty),
        Field("opposite_router_id", "OppositeRouterId", or_empty),
        Field("opposite_interface_id", "OppositeInterfaceId", or_empty),
        Field("opposite_interface_owner_id", "OppositeInterfaceOwnerId", or_empty),
        Field("health_check_source_ip", "HealthCheckSourceIp"),
        Field("health_check_target_ip", "HealthCheckTargetIp"),
        Field("instance_charge_type", "ChargeType", _charge_type),
    )
    deletion = DeleteFlow(
        "DeleteRouterInterface",
        "RouterInterfaceId",
        deactivate="DeactivateRouterInterface",
        retry_codes=(
            "IncorrectStatus",
            "DependencyViolation.RouterInterfaceReferedByRouteEntry",
            "OperationConflict",
        ),
        gone_timeout=1000.0,  # the Go provider's DefaultLongTimeout
    )

    def validate(self, config: State, diags: Diagnostics) -> None:
        src, dst = config.get("health_check_source_ip"), config.get("health_check_target_ip")
        if (
            _checks_health(config)
            and is_known(src)
            and is_known(dst)
            and (src is None) != (dst is None)
        ):
            # The official provider checks this at apply, after the interface was created
            # (a tainted object); checking it here is the same rule before anything exists.
            diags.error(
                "The 'health_check_source_ip' and 'health_check_target_ip' should be specified or not at one time.",
                path=("health_check_source_ip",),
            )
        if config.get("role") == "InitiatingSide" and config.get("specification") is None:
            diags.error(
                "'specification': required field is not set when role is InitiatingSide.",
                path=("specification",),
            )

    def create(self, planned: State, diags: Diagnostics) -> State | None:
        base, planned = planned, known_values(planned)
        regions = self.client.call("DescribeRegions", {"RegionId": None})
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
            vbrs = self.client.call(
                "DescribeVirtualBorderRouters",
                {"Filter": [{"Key": "VbrId", "Value": [planned["router_id"]]}]},
            )
            items = (vbrs.get("VirtualBorderRouterSet") or {}).get("VirtualBorderRouterType") or []
            if items:
                params["AccessPointId"] = items[0].get("AccessPointId")
        body = self.client.call("CreateRouterInterface", params)
        ri_id = body["RouterInterfaceId"]
        self._wait(ri_id, ("Idle",), self.timeouts.seconds(planned, "create"))
        self._modify(ri_id, None, planned)
        return self._read(base, ri_id)

    def _modify(self, ri_id: str, prior: State | None, planned: State) -> None:
        params = changed(prior or {}, planned, {"name": "Name", "description": "Description"})
        src, dst = planned.get("health_check_source_ip"), planned.get("health_check_target_ip")
        if (
            _checks_health(planned)
            and src
            and dst
            and (
                prior is None
                or (prior.get("health_check_source_ip"), prior.get("health_check_target_ip"))
                != (src, dst)
            )
        ):
            params.update({"HealthCheckSourceIp": src, "HealthCheckTargetIp": dst})
        if params:
            self.client.call(
                "ModifyRouterInterfaceAttribute", {"RouterInterfaceId": ri_id, **params}
            )

    def _describe(self, ri_id: str) -> dict[str, Any] | None:
        return describe_interface(self.client, ri_id)

    def update(self, prior: State, planned: State, diags: Diagnostics) -> State:
        ri_id = prior["id"]
        self._modify(ri_id, prior, planned)
        if (
            planned.get("specification") != prior.get("specification")
            and planned.get("role") == "InitiatingSide"
        ):
            self.client.call(
                "ModifyRouterInterfaceSpec",
                {
                    "RouterInterfaceId": ri_id,
                    "Spec": planned["specification"],
                    "ClientToken": client_token("ModifyRouterInterfaceSpec"),
                },
            )
            self._wait(
                ri_id, ("Idle", "Active", "Inactive"), self.timeouts.seconds(planned, "update")
            )
        state = self._read(planned, ri_id)
        if state is None:
            raise DiagnosticError(f"router interface {ri_id} disappeared during the update")
        return state
