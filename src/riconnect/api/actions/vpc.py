"""Vpc actions on VPCs: CreateVpc, DescribeVpcs, DescribeVpcAttribute, ModifyVpcAttribute,
DeleteVpc, TagResources, UnTagResources (VPCs, vSwitches and route tables), ListTagResources
(VPCs)."""

from __future__ import annotations

from riconnect.api.actions.base import CLIENT_TOKEN, DRY_RUN, PAGE, VPC, Action
from riconnect.api.params import Bool, Int, Str, Strings, Tags
from riconnect.service import vpc as svc

ACTIONS = (
    Action(
        "CreateVpc",
        VPC,
        svc.create_vpc,
        (
            Str("CidrBlock"),
            Str("VpcName"),
            Str("Description"),
            Str("UserCidr"),
            Str("ResourceGroupId"),
            Bool("EnableIpv6"),
            Bool("EnableDnsHostname"),
            Str("Ipv6Isp", enum=("BGP", "ChinaMobile", "ChinaUnicom", "ChinaTelecom")),
            Tags("Tag", aliases=("Tags",)),
            Str("Ipv6CidrBlock"),
            Str("Ipv4IpamPoolId"),
            Int("Ipv4CidrMask", min=8, max=28),
            CLIENT_TOKEN,
            DRY_RUN,
        ),
        writes=True,
    ),
    Action(
        "DescribeVpcs",
        VPC,
        svc.describe_vpcs,
        (
            Str("VpcId"),
            Str("VpcName"),
            Bool("IsDefault"),
            Bool("EnableIpv6"),
            Str("ResourceGroupId"),
            Str("DhcpOptionsSetId"),
            Int("VpcOwnerId", min=0),
            Tags("Tag", aliases=("Tags",)),
            DRY_RUN,
            *PAGE,
        ),
    ),
    Action(
        "DescribeVpcAttribute",
        VPC,
        svc.describe_vpc_attribute,
        (Str("VpcId", required=True), Bool("IsDefault"), DRY_RUN),
    ),
    Action(
        "ModifyVpcAttribute",
        VPC,
        svc.modify_vpc_attribute,
        (
            Str("VpcId", required=True),
            Str("VpcName"),
            Str("Description"),
            Str("CidrBlock"),
            Bool("EnableIPv6"),
            Str("Ipv6Isp", enum=("BGP", "ChinaMobile", "ChinaUnicom", "ChinaTelecom")),
            Bool("EnableDnsHostname"),
        ),
        writes=True,
    ),
    Action(
        "DeleteVpc",
        VPC,
        svc.delete_vpc,
        (Str("VpcId", required=True), Bool("ForceDelete"), CLIENT_TOKEN, DRY_RUN),
        writes=True,
    ),
    Action(
        "TagResources",
        VPC,
        svc.tag_resources,
        (
            Str("ResourceType", required=True),
            Strings("ResourceId", required=True, max_items=50),
            Tags("Tag", max_items=20),
        ),
        writes=True,
    ),
    Action(
        "UnTagResources",
        VPC,
        svc.untag_resources,
        (
            Str("ResourceType", required=True),
            Strings("ResourceId", required=True, max_items=50),
            Strings("TagKey", max_items=20),
            Bool("All"),
        ),
        writes=True,
    ),
    Action(
        "ListTagResources",
        VPC,
        svc.list_tag_resources,
        (
            Str("ResourceType", required=True, enum=("VPC",)),
            Strings("ResourceId", max_items=20),
            Tags("Tag", max_items=20),
            Int("MaxResults", min=1, max=50, default=50),
            Str("NextToken"),
        ),
    ),
)
