"""Vpc actions on virtual border routers and their physical connections:
CreateVirtualBorderRouter, DescribeVirtualBorderRouters, ModifyVirtualBorderRouterAttribute,
TerminateVirtualBorderRouter, RecoverVirtualBorderRouter, DeleteVirtualBorderRouter,
DescribePhysicalConnections."""

from __future__ import annotations

from riconnect.api.actions.base import CLIENT_TOKEN, PAGE, RESOURCE_TAGS, VPC, Action
from riconnect.api.params import Bool, Filters, Int, Str
from riconnect.domain import vbr as rules
from riconnect.service import physical_connections as pcs
from riconnect.service import vbr as svc
from riconnect.service.context import Handler

_VLAN = dict(min=0, max=2999, error="InvalidVlanId.Malformed")
_BANDWIDTH = dict(min=1, max=102400)
_VBR_ID = Str("VbrId", required=True)


def _lifecycle(name: str, handler: Handler) -> Action:
    return Action(name, VPC, handler, (_VBR_ID, CLIENT_TOKEN), writes=True)


ACTIONS = (
    Action(
        "CreateVirtualBorderRouter",
        VPC,
        svc.create_virtual_border_router,
        (
            Str("PhysicalConnectionId", required=True),
            Int("VlanId", required=True, **_VLAN),
            Str("LocalGatewayIp"),
            Str("PeerGatewayIp"),
            Str("PeeringSubnetMask"),
            Str("LocalIpv6GatewayIp"),
            Str("PeerIpv6GatewayIp"),
            Str("PeeringIpv6SubnetMask"),
            Bool("EnableIpv6"),
            Str("Name"),
            Str("Description"),
            Int("Bandwidth", **_BANDWIDTH),
            Str("CircuitCode"),
            Int("VbrOwnerId", min=0),
            Str("ResourceGroupId"),
            RESOURCE_TAGS,
            CLIENT_TOKEN,
        ),
        writes=True,
    ),
    Action(
        "DescribeVirtualBorderRouters",
        VPC,
        svc.describe_virtual_border_routers,
        (
            Filters("Filter", keys=svc.FILTER_KEYS, max_items=5),
            Bool("IncludeCrossAccountVbr"),
            Str("ResourceGroupId"),
            RESOURCE_TAGS,
            *PAGE,
        ),
    ),
    Action(
        "ModifyVirtualBorderRouterAttribute",
        VPC,
        svc.modify_virtual_border_router_attribute,
        (
            _VBR_ID,
            Int("VlanId", **_VLAN),
            Str("CircuitCode", clearable=True),
            Str("LocalGatewayIp"),
            Str("PeerGatewayIp"),
            Str("PeeringSubnetMask"),
            Str("LocalIpv6GatewayIp", clearable=True),
            Str("PeerIpv6GatewayIp", clearable=True),
            Str("PeeringIpv6SubnetMask", clearable=True),
            Bool("EnableIpv6"),
            Str("Name", clearable=True),
            Str("Description", clearable=True),
            Int("Bandwidth", **_BANDWIDTH),
            Int("Mtu"),
            Int("MinTxInterval", min=rules.BFD_INTERVAL[0], max=rules.BFD_INTERVAL[1]),
            Int("MinRxInterval", min=rules.BFD_INTERVAL[0], max=rules.BFD_INTERVAL[1]),
            Int("DetectMultiplier", min=rules.DETECT_MULTIPLIER[0], max=rules.DETECT_MULTIPLIER[1]),
            Bool("SitelinkEnable"),
            Str("AssociatedPhysicalConnections"),
            CLIENT_TOKEN,
        ),
        writes=True,
    ),
    _lifecycle("TerminateVirtualBorderRouter", svc.terminate_virtual_border_router),
    _lifecycle("RecoverVirtualBorderRouter", svc.recover_virtual_border_router),
    _lifecycle("DeleteVirtualBorderRouter", svc.delete_virtual_border_router),
    Action(
        "DescribePhysicalConnections",
        VPC,
        pcs.describe_physical_connections,
        (
            Filters("Filter", keys=pcs.FILTER_KEYS, max_items=5),
            Bool("IncludeReservationData"),
            Str("ResourceGroupId"),
            RESOURCE_TAGS,
            CLIENT_TOKEN,
            *PAGE,
        ),
    ),
)
