"""The action table: every action riconnect serves, its parameters and its handler.

A new action is one entry here plus one service function.  Parameter parsing and
validation are generic over this table (api/params.py).
"""

from __future__ import annotations

from riconnect.api.actions_ri import router_interface_actions
from riconnect.api.params import Bool, Int, Str, Strings, Tags
from riconnect.api.table import CLIENT_TOKEN, DRY_RUN, PAGE, STS_VERSION, VPC_VERSION, Action
from riconnect.service import regions, sts, vpc


def _vpc_actions() -> list[Action]:
    return [
        Action(
            "CreateVpc",
            VPC_VERSION,
            vpc.create_vpc,
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
                CLIENT_TOKEN,
                DRY_RUN,
            ),
            writes=True,
        ),
        Action(
            "DescribeVpcs",
            VPC_VERSION,
            vpc.describe_vpcs,
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
            VPC_VERSION,
            vpc.describe_vpc_attribute,
            (Str("VpcId", required=True), Bool("IsDefault"), DRY_RUN),
        ),
        Action(
            "ModifyVpcAttribute",
            VPC_VERSION,
            vpc.modify_vpc_attribute,
            (
                Str("VpcId", required=True),
                Str("VpcName"),
                Str("Description"),
                Str("CidrBlock"),
                Bool("EnableIPv6"),
                Bool("EnableDnsHostname"),
            ),
            writes=True,
        ),
        Action(
            "DeleteVpc",
            VPC_VERSION,
            vpc.delete_vpc,
            (Str("VpcId", required=True), Bool("ForceDelete"), CLIENT_TOKEN, DRY_RUN),
            writes=True,
        ),
        Action(
            "DescribeRouteTableList",
            VPC_VERSION,
            vpc.describe_route_table_list,
            (Str("VpcId"), Str("RouterId"), Str("RouteTableId"), Str("RouterType"), *PAGE),
        ),
        Action(
            "TagResources",
            VPC_VERSION,
            vpc.tag_resources,
            (
                Str("ResourceType", required=True, enum=("VPC",)),
                Strings("ResourceId", required=True, max_items=50),
                Tags("Tag", max_items=20),
            ),
            writes=True,
        ),
        Action(
            "UnTagResources",
            VPC_VERSION,
            vpc.untag_resources,
            (
                Str("ResourceType", required=True, enum=("VPC",)),
                Strings("ResourceId", required=True, max_items=50),
                Strings("TagKey", max_items=20),
                Bool("All"),
            ),
            writes=True,
        ),
        Action(
            "DescribeRegions",
            VPC_VERSION,
            regions.describe_regions,
            (Str("AcceptLanguage"), Str("ProductType")),
            # The V2 SDK's DescribeRegionsRequest cannot even send RegionId.
            region="optional",
        ),
    ]


def _sts_actions() -> list[Action]:
    return [Action("GetCallerIdentity", STS_VERSION, sts.get_caller_identity, (), region="none")]


def _build() -> dict[tuple[str, str], Action]:
    table: dict[tuple[str, str], Action] = {}
    actions = _vpc_actions() + _sts_actions() + router_interface_actions()
    for action in actions:
        key = (action.version, action.name)
        if key in table:
            raise RuntimeError(f"duplicate action {key}")
        table[key] = action
    return table


ACTIONS: dict[tuple[str, str], Action] = _build()
VERSIONS = frozenset(version for version, _ in ACTIONS)
NAMES = frozenset(name for _, name in ACTIONS)
