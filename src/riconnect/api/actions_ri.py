"""Action-table entries for router interfaces and VBRs (the cloud, part 2)."""

from __future__ import annotations

from riconnect.api.params import Bool, Filters, Int, Str, Tags
from riconnect.api.table import CLIENT_TOKEN, PAGE, VPC_VERSION, Action
from riconnect.domain import router_interface as ri
from riconnect.service import router_interface as svc
from riconnect.service import vbr

_RI_ID = Str("RouterInterfaceId", required=True)
# Terraform sends Tag.N.* where the SDK names Tags.N.* (vpc-api.md §1.4): accept both.
_RI_TAGS = Tags("Tags", aliases=("Tag",), max_items=20)


def router_interface_actions() -> list[Action]:
    return [
        Action(
            "CreateRouterInterface",
            VPC_VERSION,
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
                Str("Spec", required=True, enum=ri.SPECS, error="InvalidSpec.ValudNotSupported"),
                Str("OppositeRegionId", required=True),
                Str("AccessPointId"),
                Str("OppositeAccessPointId"),
                Str("OppositeInterfaceId"),
                Str("OppositeInterfaceOwnerId"),
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
                _RI_TAGS,
                CLIENT_TOKEN,
            ),
            writes=True,
        ),
        Action(
            "DescribeRouterInterfaces",
            VPC_VERSION,
            svc.describe_router_interfaces,
            (
                Filters("Filter", keys=svc.FILTER_KEYS, max_items=5),
                Bool("IncludeReservationData"),
                Str("ResourceGroupId"),
                _RI_TAGS,
                *PAGE,
            ),
        ),
        Action(
            "DescribeRouterInterfaceAttribute",
            VPC_VERSION,
            svc.describe_router_interface_attribute,
            (Str("InstanceId", required=True),),
        ),
        Action(
            "ModifyRouterInterfaceAttribute",
            VPC_VERSION,
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
                # int/Long in this action's SDK models (a string elsewhere).
                Int(
                    "OppositeInterfaceOwnerId",
                    min=0,
                    error="InvalidOppositeInterfaceOwnerId.Malformed",
                ),
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
            VPC_VERSION,
            svc.modify_router_interface_spec,
            (_RI_ID, Str("Spec", required=True), CLIENT_TOKEN),
            writes=True,
        ),
        Action(
            "ConnectRouterInterface",
            VPC_VERSION,
            svc.connect_router_interface,
            (_RI_ID,),
            writes=True,
        ),
        Action(
            "ActivateRouterInterface",
            VPC_VERSION,
            svc.activate_router_interface,
            (_RI_ID,),
            writes=True,
        ),
        Action(
            "DeactivateRouterInterface",
            VPC_VERSION,
            svc.deactivate_router_interface,
            (_RI_ID,),
            writes=True,
        ),
        Action(
            "DeleteRouterInterface",
            VPC_VERSION,
            svc.delete_router_interface,
            (_RI_ID, CLIENT_TOKEN),
            writes=True,
        ),
        Action(
            "DeleteExpressConnect",
            VPC_VERSION,
            svc.delete_express_connect,
            (_RI_ID, Bool("Force"), CLIENT_TOKEN),
            writes=True,
        ),
        Action(
            "CreateVirtualBorderRouter",
            VPC_VERSION,
            vbr.create_virtual_border_router,
            (
                Str("PhysicalConnectionId", required=True),
                Int("VlanId", required=True, error="InvalidVlanId.Malformed"),
                Str("LocalGatewayIp"),
                Str("PeerGatewayIp"),
                Str("PeeringSubnetMask"),
                Str("LocalIpv6GatewayIp"),
                Str("PeerIpv6GatewayIp"),
                Str("PeeringIpv6SubnetMask"),
                Bool("EnableIpv6"),
                Str("Name"),
                Str("Description"),
                Int("Bandwidth", min=1, max=102400),
                Str("CircuitCode"),
                Int("VbrOwnerId", min=0),
                Str("ResourceGroupId"),
                _RI_TAGS,
                CLIENT_TOKEN,
            ),
            writes=True,
        ),
        Action(
            "DescribeVirtualBorderRouters",
            VPC_VERSION,
            vbr.describe_virtual_border_routers,
            (
                Filters("Filter", keys=vbr.FILTER_KEYS, max_items=5),
                Bool("IncludeCrossAccountVbr"),
                Str("ResourceGroupId"),
                _RI_TAGS,
                *PAGE,
            ),
        ),
        Action(
            "DeleteVirtualBorderRouter",
            VPC_VERSION,
            vbr.delete_virtual_border_router,
            (Str("VbrId", required=True), CLIENT_TOKEN),
            writes=True,
        ),
    ]
