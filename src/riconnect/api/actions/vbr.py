"""Vpc actions on virtual border routers and their physical connections:
CreateVirtualBorderRouter, DescribeVirtualBorderRouters, DeleteVirtualBorderRouter,
DescribePhysicalConnections."""

from __future__ import annotations

from riconnect.api.actions.base import CLIENT_TOKEN, PAGE, RESOURCE_TAGS, VPC, Action
from riconnect.api.params import Bool, Filters, Int, Str
from riconnect.service import physical_connections as pcs
from riconnect.service import vbr as svc

ACTIONS = (
    Action(
        "CreateVirtualBorderRouter",
        VPC,
        svc.create_virtual_border_router,
        (
            Str("PhysicalConnectionId", required=True),
            Int("VlanId", required=True, min=0, max=2999, error="InvalidVlanId.Malformed"),
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
        "DeleteVirtualBorderRouter",
        VPC,
        svc.delete_virtual_border_router,
        (Str("VbrId", required=True), CLIENT_TOKEN),
        writes=True,
    ),
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
