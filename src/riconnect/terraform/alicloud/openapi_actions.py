"""The actions the lean client (openapi.py) sends itself: (product, action) -> (API version,
query parameters in the order the official SDK adds them, form-body parameters).

Read from the SDK's generated code (alibabacloud_vpc20160428 7.2.2,
alibabacloud_sts20150401 1.2.0) by tests/terraform/alicloud/sdk_layout.py, which prints
the entries again (``python -m tests.terraform.alicloud.sdk_layout``); the parity test
fails when the installed SDK disagrees.  A parameter the SDK's request model does not
know is dropped, as the SDK's ``from_map`` drops it.  Other actions go through the SDK.
"""

from __future__ import annotations

# Generated: one line per action, names separated by spaces.
_TABLE: dict[tuple[str, str], tuple[str, str, str]] = {
    ("Vpc", "ActivateRouterInterface"): (
        "2016-04-28",
        "OwnerId RegionId ResourceOwnerAccount ResourceOwnerId RouterInterfaceId",
        "",
    ),
    ("Vpc", "ConnectRouterInterface"): (
        "2016-04-28",
        "OwnerId RegionId ResourceOwnerAccount ResourceOwnerId RouterInterfaceId",
        "",
    ),
    ("Vpc", "CreateRouterInterface"): (
        "2016-04-28",
        "AccessPointId AutoPay AutoRenew ClientToken Description FastLinkMode HealthCheckSourceIp HealthCheckTargetIp InstanceChargeType Name OppositeAccessPointId OppositeInterfaceId OppositeInterfaceOwnerId OppositeRegionId OppositeRouterId OppositeRouterType OwnerAccount OwnerId Period PricingCycle RegionId ResourceGroupId ResourceOwnerAccount ResourceOwnerId Role RouterId RouterType Spec Tags",
        "",
    ),
    ("Vpc", "CreateVirtualBorderRouter"): (
        "2016-04-28",
        "Bandwidth CircuitCode ClientToken Description EnableIpv6 LocalGatewayIp LocalIpv6GatewayIp Name OwnerAccount OwnerId PeerGatewayIp PeerIpv6GatewayIp PeeringIpv6SubnetMask PeeringSubnetMask PhysicalConnectionId RegionId ResourceGroupId ResourceOwnerAccount ResourceOwnerId Tags VbrOwnerId VlanId",
        "",
    ),
    ("Vpc", "CreateVpc"): (
        "2016-04-28",
        "CidrBlock ClientToken Description DryRun EnableDnsHostname EnableIpv6 Ipv4CidrMask Ipv4IpamPoolId Ipv6CidrBlock Ipv6CidrMask Ipv6IpamPoolId Ipv6Isp OwnerAccount OwnerId RegionId ResourceGroupId ResourceOwnerAccount ResourceOwnerId Tag UserCidr VpcName",
        "",
    ),
    ("Vpc", "DeactivateRouterInterface"): (
        "2016-04-28",
        "OwnerId RegionId ResourceOwnerAccount ResourceOwnerId RouterInterfaceId",
        "",
    ),
    ("Vpc", "DeleteRouterInterface"): (
        "2016-04-28",
        "ClientToken OwnerAccount OwnerId RegionId ResourceOwnerAccount ResourceOwnerId RouterInterfaceId",
        "",
    ),
    ("Vpc", "DeleteVirtualBorderRouter"): (
        "2016-04-28",
        "ClientToken OwnerAccount OwnerId RegionId ResourceOwnerAccount ResourceOwnerId VbrId",
        "",
    ),
    ("Vpc", "DeleteVpc"): (
        "2016-04-28",
        "ClientToken DryRun ForceDelete OwnerAccount OwnerId RegionId ResourceOwnerAccount ResourceOwnerId VpcId",
        "",
    ),
    ("Vpc", "DescribePhysicalConnections"): (
        "2016-04-28",
        "ClientToken Filter IncludeReservationData OwnerAccount OwnerId PageNumber PageSize RegionId ResourceGroupId ResourceOwnerAccount ResourceOwnerId Tags",
        "",
    ),
    ("Vpc", "DescribeRegions"): (
        "2016-04-28",
        "AcceptLanguage OwnerAccount OwnerId ProductType ResourceOwnerAccount ResourceOwnerId",
        "",
    ),
    ("Vpc", "DescribeRouteTableList"): (
        "2016-04-28",
        "OwnerAccount OwnerId PageNumber PageSize RegionId ResourceGroupId ResourceOwnerAccount ResourceOwnerId RouteTableId RouteTableName RouteTableType RouterId RouterType Tag VpcId",
        "",
    ),
    ("Vpc", "DescribeRouterInterfaceAttribute"): (
        "2016-04-28",
        "InstanceId OwnerId RegionId ResourceOwnerAccount ResourceOwnerId",
        "",
    ),
    ("Vpc", "DescribeRouterInterfaces"): (
        "2016-04-28",
        "Filter IncludeReservationData OwnerId PageNumber PageSize RegionId ResourceGroupId ResourceOwnerAccount ResourceOwnerId Tags",
        "",
    ),
    ("Vpc", "DescribeVirtualBorderRouters"): (
        "2016-04-28",
        "Filter IncludeCrossAccountVbr OwnerId PageNumber PageSize RegionId ResourceGroupId ResourceOwnerAccount ResourceOwnerId Tags",
        "",
    ),
    ("Vpc", "DescribeVpcAttribute"): (
        "2016-04-28",
        "DryRun IsDefault OwnerAccount OwnerId RegionId ResourceOwnerAccount ResourceOwnerId VpcId",
        "",
    ),
    ("Vpc", "DescribeVpcs"): (
        "2016-04-28",
        "DhcpOptionsSetId DryRun EnableIpv6 IsDefault OwnerAccount OwnerId PageNumber PageSize RegionId ResourceGroupId ResourceOwnerAccount ResourceOwnerId Tag VpcId VpcName VpcOwnerId",
        "",
    ),
    ("Vpc", "ListTagResources"): (
        "2016-04-28",
        "MaxResults NextToken OwnerAccount OwnerId RegionId ResourceId ResourceOwnerAccount ResourceOwnerId ResourceType Tag",
        "",
    ),
    ("Vpc", "ModifyRouterInterfaceAttribute"): (
        "2016-04-28",
        "DeleteHealthCheckIp Description HcRate HcThreshold HealthCheckSourceIp HealthCheckTargetIp Name OppositeInterfaceId OppositeInterfaceOwnerId OppositeRouterId OppositeRouterType OwnerId RegionId ResourceOwnerAccount ResourceOwnerId RouterInterfaceId",
        "",
    ),
    ("Vpc", "ModifyRouterInterfaceSpec"): (
        "2016-04-28",
        "ClientToken OwnerAccount OwnerId RegionId ResourceOwnerAccount ResourceOwnerId RouterInterfaceId Spec",
        "",
    ),
    ("Vpc", "ModifyVirtualBorderRouterAttribute"): (
        "2016-04-28",
        "AssociatedPhysicalConnections Bandwidth CircuitCode ClientToken Description DetectMultiplier EnableIpv6 LocalGatewayIp LocalIpv6GatewayIp MinRxInterval MinTxInterval Mtu Name OwnerAccount OwnerId PeerGatewayIp PeerIpv6GatewayIp PeeringIpv6SubnetMask PeeringSubnetMask RegionId ResourceOwnerAccount ResourceOwnerId SitelinkEnable VbrId VlanId",
        "",
    ),
    ("Vpc", "ModifyVpcAttribute"): (
        "2016-04-28",
        "CidrBlock Description EnableDnsHostname EnableIPv6 Ipv6CidrBlock Ipv6Isp OwnerAccount OwnerId RegionId ResourceOwnerAccount ResourceOwnerId VpcId VpcName",
        "",
    ),
    ("Vpc", "RecoverVirtualBorderRouter"): (
        "2016-04-28",
        "ClientToken OwnerAccount OwnerId RegionId ResourceOwnerAccount ResourceOwnerId VbrId",
        "",
    ),
    ("Vpc", "TagResources"): (
        "2016-04-28",
        "OwnerAccount OwnerId RegionId ResourceId ResourceOwnerAccount ResourceOwnerId ResourceType Tag",
        "",
    ),
    ("Vpc", "TerminateVirtualBorderRouter"): (
        "2016-04-28",
        "ClientToken OwnerAccount OwnerId RegionId ResourceOwnerAccount ResourceOwnerId VbrId",
        "",
    ),
    ("Vpc", "UnTagResources"): (
        "2016-04-28",
        "All OwnerAccount OwnerId RegionId ResourceId ResourceOwnerAccount ResourceOwnerId ResourceType TagKey",
        "",
    ),
    ("Sts", "GetCallerIdentity"): ("2015-04-01", "", ""),
}

ACTIONS: dict[tuple[str, str], tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    key: (version, tuple(query.split()), tuple(body.split()))
    for key, (version, query, body) in _TABLE.items()
}
