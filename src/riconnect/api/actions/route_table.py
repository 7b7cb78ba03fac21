"""Vpc actions on route tables and route entries: DescribeRouteTableList,
DescribeRouteTables, ModifyRouteTableAttributes, CreateRouteEntry, DescribeRouteEntryList,
ModifyRouteEntry, DeleteRouteEntry."""

from __future__ import annotations

from riconnect.api.actions.base import CLIENT_TOKEN, DRY_RUN, PAGE, VPC, Action
from riconnect.api.params import Bool, Int, Str, Strings, Tags
from riconnect.service import route_entry, route_table

ROUTE_TYPES = ("Custom", "System", "BGP", "CEN", "ECR")

ACTIONS = (
    Action(
        "DescribeRouteTableList",
        VPC,
        route_table.describe_route_table_list,
        (
            Str("VpcId"),
            Str("RouterId"),
            Str("RouteTableId"),
            Str("RouteTableName"),
            Str("RouteTableType", enum=("System", "Custom")),
            Str("RouterType", enum=("VRouter", "VBR")),
            Str("ResourceGroupId"),
            Tags("Tag", aliases=("Tags",), max_items=20),
            *PAGE,
        ),
    ),
    Action(
        "DescribeRouteTables",
        VPC,
        route_table.describe_route_tables,
        (
            Str("RouteTableId"),
            Str("VRouterId"),
            Str("RouterId"),
            Str("RouterType", enum=("VRouter", "VBR")),
            Str("RouteTableName"),
            Str("Type", enum=ROUTE_TYPES),
            Str("ResourceGroupId"),
            *PAGE,
        ),
    ),
    Action(
        "ModifyRouteTableAttributes",
        VPC,
        route_table.modify_route_table_attributes,
        (
            Str("RouteTableId", required=True),
            Str("RouteTableName"),
            Str("Description"),
            Bool("RoutePropagationEnable"),
        ),
        writes=True,
    ),
    Action(
        "CreateRouteEntry",
        VPC,
        route_entry.create_route_entry,
        (
            Str("RouteTableId", required=True),
            Str("DestinationCidrBlock", required=True),
            Str("NextHopType"),
            Str("NextHopId"),
            Strings("NextHopList"),
            Str("RouteEntryName"),
            Str("Description"),
            CLIENT_TOKEN,
            DRY_RUN,
        ),
        writes=True,
    ),
    Action(
        "DescribeRouteEntryList",
        VPC,
        route_entry.describe_route_entry_list,
        (
            Str("RouteTableId", required=True),
            Str("RouteEntryId"),
            Str("DestinationCidrBlock"),
            Strings("DestCidrBlockList", max_items=20),
            Str("RouteEntryName"),
            Str("RouteEntryType", enum=ROUTE_TYPES),
            Str("IpVersion", enum=("ipv4", "ipv6", "IPv4", "IPv6")),
            Str("NextHopId"),
            Str("NextHopType"),
            Str("ServiceType"),
            Int("MaxResult", min=1, max=100, default=10),
            Str("NextToken"),
        ),
    ),
    Action(
        "ModifyRouteEntry",
        VPC,
        route_entry.modify_route_entry,
        (
            Str("RouteEntryId"),
            Str("RouteTableId"),
            Str("DestinationCidrBlock"),
            Str("RouteEntryName"),
            Str("Description"),
            Str("NewNextHopType"),
            Str("NewNextHopId"),
            DRY_RUN,
        ),
        writes=True,
    ),
    Action(
        "DeleteRouteEntry",
        VPC,
        route_entry.delete_route_entry,
        (
            Str("RouteEntryId"),
            Str("RouteTableId"),
            Str("DestinationCidrBlock"),
            Str("NextHopId"),
            Strings("NextHopList"),
            CLIENT_TOKEN,
            DRY_RUN,
        ),
        writes=True,
    ),
)
