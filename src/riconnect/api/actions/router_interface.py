"""Vpc actions on router interfaces: create, modify, connect, activate, deactivate, delete,
describe, and DeleteExpressConnect."""

from __future__ import annotations

from riconnect.api.actions.base import CLIENT_TOKEN, PAGE, RESOURCE_TAGS, VPC, Action
from riconnect.api.params import Bool, Filters, Int, Str
from riconnect.domain import router_interface as ri
from riconnect.service import router_interface as svc

_RI_ID = Str("RouterInterfaceId", required=True)
# One shape in every action (the SDK models say string in Create, Long in Modify).
_OPPOSITE_OWNER = Str(
    "OppositeInterfaceOwnerId", uid=True, error="InvalidOppositeInterfaceOwnerId.Malformed"
)
# Spec is not enumerated here: which values are valid depends on the side's role, a rule
# of domain/router_interface.py (check_spec) that Create and ModifySpec share.

ACTIONS = (
    Action(
        "CreateRouterInterface",
        VPC,
        svc.create_router_interface,
        (
            Str("Role", required=True, enum=ri.ROLES, error="InvalidRole.Malformed"),
            Str(
                "RouterType",
                required=True,
                enum=ri.ROUTER_TYPES,
                error="InvalidRouterType.Malformed",
            ),
            Str("RouterId", required=True),
            Str("Spec", required=True),
            Str("OppositeRegionId", required=True),
            Str("AccessPointId"),
            Str("OppositeAccessPointId"),
            Str("OppositeInterfaceId"),
            _OPPOSITE_OWNER,
            Str("OppositeRouterId"),
            Str(
                "OppositeRouterType",
                enum=ri.ROUTER_TYPES,
                error="InvalidOppositeRouterType.ValueNotSupported",
            ),
            Str("Name"),
            Str("Description"),
            Str("HealthCheckSourceIp"),
            Str("HealthCheckTargetIp"),
            Str(
                "InstanceChargeType",
                enum=(ri.PREPAID, ri.POSTPAID),
                error="InvalidChargeType.Malformed",
            ),
            Str("PricingCycle", enum=("Month", "Year"), error="InvalidChargeType.Malformed"),
            Int("Period", min=1, max=36, error="InvalidPeriod.Malformed"),
            Bool("AutoPay"),
            Bool("AutoRenew"),
            Bool("FastLinkMode"),
            Str("ResourceGroupId"),
            RESOURCE_TAGS,
            CLIENT_TOKEN,
        ),
        writes=True,
    ),
    Action(
        "DescribeRouterInterfaces",
        VPC,
        svc.describe_router_interfaces,
        (
            Filters("Filter", keys=svc.FILTER_KEYS, max_items=5),
            Bool("IncludeReservationData"),
            Str("ResourceGroupId"),
            RESOURCE_TAGS,
            *PAGE,
        ),
    ),
    Action(
        "DescribeRouterInterfaceAttribute",
        VPC,
        svc.describe_router_interface_attribute,
        (Str("InstanceId", required=True),),
    ),
    Action(
        "ModifyRouterInterfaceAttribute",
        VPC,
        svc.modify_router_interface_attribute,
        (
            _RI_ID,
            Str("Name"),
            Str("Description"),
            Str("OppositeInterfaceId"),
            Str("OppositeRouterId"),
            Str(
                "OppositeRouterType",
                enum=ri.ROUTER_TYPES,
                error="InvalidOppositeRouterType.ValueNotSupported",
            ),
            _OPPOSITE_OWNER,
            Str("HealthCheckSourceIp"),
            Str("HealthCheckTargetIp"),
            Bool("DeleteHealthCheckIp"),
            Int("HcRate", min=0, max=3_600_000),
            Int("HcThreshold", min=0, max=1000),
        ),
        writes=True,
    ),
    Action(
        "ModifyRouterInterfaceSpec",
        VPC,
        svc.modify_router_interface_spec,
        (_RI_ID, Str("Spec", required=True), CLIENT_TOKEN),
        writes=True,
    ),
    Action(
        "ConnectRouterInterface",
        VPC,
        svc.connect_router_interface,
        (_RI_ID,),
        writes=True,
    ),
    Action(
        "ActivateRouterInterface",
        VPC,
        svc.activate_router_interface,
        (_RI_ID,),
        writes=True,
    ),
    Action(
        "DeactivateRouterInterface",
        VPC,
        svc.deactivate_router_interface,
        (_RI_ID,),
        writes=True,
    ),
    Action(
        "DeleteRouterInterface",
        VPC,
        svc.delete_router_interface,
        (_RI_ID, CLIENT_TOKEN),
        writes=True,
    ),
    Action(
        "DeleteExpressConnect",
        VPC,
        svc.delete_express_connect,
        (_RI_ID, Bool("Force"), CLIENT_TOKEN),
        writes=True,
    ),
)
