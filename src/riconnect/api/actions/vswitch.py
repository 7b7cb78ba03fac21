"""Vpc actions on zones and vSwitches: DescribeZones, CreateVSwitch, DescribeVSwitches,
DescribeVSwitchAttributes, ModifyVSwitchAttribute, DeleteVSwitch."""

from __future__ import annotations

from riconnect.api.actions.base import CLIENT_TOKEN, DRY_RUN, PAGE, VPC, Action
from riconnect.api.params import Bool, Int, Str, Tags
from riconnect.service import vswitch as svc

ACTIONS = (
    Action(
        "DescribeZones",
        VPC,
        svc.describe_zones,
        (Str("AcceptLanguage"), Str("ZoneType")),
    ),
    Action(
        "CreateVSwitch",
        VPC,
        svc.create_vswitch,
        (
            Str("VpcId", required=True),
            Str("ZoneId", required=True),
            Str("CidrBlock"),
            Int("CidrMask", min=0, max=32),
            Str("VSwitchName"),
            Str("Description"),
            Int("Ipv6CidrBlock", min=0, max=255),
            Int("Ipv6CidrMask", min=0, max=128),
            Str("VpcIpv6CidrBlock"),
            Tags("Tag", aliases=("Tags",), max_items=20),
            CLIENT_TOKEN,
        ),
        writes=True,
    ),
    Action(
        "DescribeVSwitches",
        VPC,
        svc.describe_vswitches,
        (
            Str("VpcId"),
            Str("VSwitchId"),
            Str("ZoneId"),
            Str("VSwitchName"),
            Str("RouteTableId"),
            Str("ResourceGroupId"),
            Bool("IsDefault"),
            Bool("EnableIpv6"),
            Int("VSwitchOwnerId", min=0),
            Tags("Tag", aliases=("Tags",), max_items=20),
            DRY_RUN,
            *PAGE,
        ),
    ),
    Action(
        "DescribeVSwitchAttributes",
        VPC,
        svc.describe_vswitch_attributes,
        (Str("VSwitchId", required=True), DRY_RUN),
    ),
    Action(
        "ModifyVSwitchAttribute",
        VPC,
        svc.modify_vswitch_attribute,
        (
            Str("VSwitchId", required=True),
            Str("VSwitchName"),
            Str("Description"),
            Bool("EnableIPv6"),
            Int("Ipv6CidrBlock", min=0, max=255),
            Int("Ipv6CidrMask", min=0, max=128),
            Str("VpcIpv6CidrBlock"),
        ),
        writes=True,
    ),
    Action(
        "DeleteVSwitch",
        VPC,
        svc.delete_vswitch,
        (Str("VSwitchId", required=True), CLIENT_TOKEN, DRY_RUN),
        writes=True,
    ),
)
