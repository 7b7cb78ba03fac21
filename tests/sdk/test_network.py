"""Zones, vSwitches, route tables and route entries through all three official clients
(``tea-v3``, ``tea-v1``, ``core``; see conftest.py): each action's success answer with the
fields and types the SDK models and the Go provider read, and the documented errors.

Each test builds its own VPCs on the shared session cloud and looks only at those.
"""

from __future__ import annotations

from typing import Any

import pytest

from riconnect.testing import DEMO_ACCOUNT_ID
from tests.sdk.conftest import Sdk

ZONE = "cn-hangzhou-h"


# -- building blocks -----------------------------------------------------------------------


def new_vpc(sdk: Sdk, cidr: str = "172.16.0.0/12") -> dict[str, Any]:
    return sdk.action("CreateVpc", {"CidrBlock": cidr})


def new_vswitch(sdk: Sdk, vpc_id: str, cidr: str, **params: Any) -> str:
    body = sdk.action(
        "CreateVSwitch", {"VpcId": vpc_id, "ZoneId": ZONE, "CidrBlock": cidr, **params}
    )
    vsw_id: str = body["VSwitchId"]
    return vsw_id


def connected_pair(sdk: Sdk, a: dict[str, Any], b: dict[str, Any]) -> tuple[str, str]:
    """An initiator on A's vRouter connected to an acceptor on B's: both Active."""
    region = sdk.region
    ids = []
    for vpc, role, spec in ((a, "InitiatingSide", "Large.1"), (b, "AcceptingSide", "Negative")):
        body = sdk.action(
            "CreateRouterInterface",
            {
                "RouterType": "VRouter",
                "RouterId": vpc["VRouterId"],
                "Role": role,
                "Spec": spec,
                "OppositeRegionId": region,
            },
        )
        ids.append(body["RouterInterfaceId"])
    for me, other, other_vpc in ((ids[0], ids[1], b), (ids[1], ids[0], a)):
        sdk.action(
            "ModifyRouterInterfaceAttribute",
            {
                "RouterInterfaceId": me,
                "OppositeInterfaceId": other,
                "OppositeRouterId": other_vpc["VRouterId"],
                "OppositeRouterType": "VRouter",
                "OppositeInterfaceOwnerId": DEMO_ACCOUNT_ID,
            },
        )
    sdk.action("ConnectRouterInterface", {"RouterInterfaceId": ids[0]})
    return ids[0], ids[1]


def route(sdk: Sdk, table: str, destination: str, ri_id: str, **params: Any) -> str:
    body = sdk.action(
        "CreateRouteEntry",
        {
            "RouteTableId": table,
            "DestinationCidrBlock": destination,
            "NextHopType": "RouterInterface",
            "NextHopId": ri_id,
            **params,
        },
    )
    entry_id: str = body["RouteEntryId"]
    return entry_id


def entries(sdk: Sdk, table: str, **params: Any) -> list[dict[str, Any]]:
    body = sdk.action("DescribeRouteEntryList", {"RouteTableId": table, "MaxResult": 100, **params})
    items: list[dict[str, Any]] = body["RouteEntrys"]["RouteEntry"]
    return items


def check(obj: dict[str, Any], types: dict[str, type]) -> None:
    for name, kind in types.items():
        assert name in obj, f"{name} missing from {sorted(obj)}"
        assert type(obj[name]) is kind, f"{name}={obj[name]!r} is not {kind.__name__}"


# -- zones ------------------------------------------------------------------------------------


def test_describe_zones(sdk: Sdk) -> None:
    zones = sdk.action("DescribeZones", {})["Zones"]["Zone"]
    ids = [z["ZoneId"] for z in zones]
    assert ids == [f"cn-hangzhou-{x}" for x in "befghijk"]
    assert zones[ids.index(ZONE)]["LocalName"] == "杭州 可用区H"
    assert {z["ZoneType"] for z in zones} == {"AvailabilityZone"}
    english = sdk.action("DescribeZones", {"AcceptLanguage": "en-us"})["Zones"]["Zone"]
    assert english[ids.index(ZONE)]["LocalName"] == "Hangzhou Zone H"


# -- vSwitches --------------------------------------------------------------------------------


def test_vswitch_lifecycle(sdk: Sdk) -> None:
    vpc = new_vpc(sdk)
    vsw = new_vswitch(
        sdk, vpc["VpcId"], "172.16.1.0/24", VSwitchName="web", Description="the web tier"
    )
    assert vsw.startswith("vsw-")
    attrs = sdk.action("DescribeVSwitchAttributes", {"VSwitchId": vsw})
    check(
        attrs,
        {
            "VSwitchId": str,
            "VpcId": str,
            "ZoneId": str,
            "CidrBlock": str,
            "Status": str,
            "AvailableIpAddressCount": int,
            "VSwitchName": str,
            "Description": str,
            "CreationTime": str,
            "IsDefault": bool,
            "Ipv6CidrBlock": str,
            "ResourceGroupId": str,
            "RouteTable": dict,
            "Tags": dict,
        },
    )
    assert (attrs["VpcId"], attrs["ZoneId"], attrs["CidrBlock"]) == (
        vpc["VpcId"],
        ZONE,
        "172.16.1.0/24",
    )
    assert (attrs["Status"], attrs["AvailableIpAddressCount"]) == ("Available", 252)
    assert (attrs["VSwitchName"], attrs["Description"], attrs["Ipv6CidrBlock"]) == (
        "web",
        "the web tier",
        "",
    )
    assert attrs["RouteTable"] == {"RouteTableId": vpc["RouteTableId"], "RouteTableType": "System"}

    listed = sdk.action("DescribeVSwitches", {"VpcId": vpc["VpcId"]})
    assert listed["TotalCount"] == 1
    (item,) = listed["VSwitches"]["VSwitch"]
    assert item["VSwitchId"] == vsw and item["RouteTable"]["RouteTableId"] == vpc["RouteTableId"]
    for filters, expected in (
        ({"VSwitchId": vsw}, [vsw]),
        ({"VpcId": vpc["VpcId"], "ZoneId": ZONE, "VSwitchName": "web"}, [vsw]),
        ({"VpcId": vpc["VpcId"], "ZoneId": "cn-hangzhou-b"}, []),
        ({"VpcId": vpc["VpcId"], "RouteTableId": vpc["RouteTableId"]}, [vsw]),
    ):
        found = sdk.action("DescribeVSwitches", filters)["VSwitches"]["VSwitch"]
        assert [v["VSwitchId"] for v in found] == expected, filters

    (listed_vpc,) = sdk.describe_vpcs(VpcId=vpc["VpcId"])["Vpcs"]["Vpc"]
    assert listed_vpc["VSwitchIds"]["VSwitchId"] == [vsw]
    tables = sdk.action("DescribeRouteTableList", {"VpcId": vpc["VpcId"]})
    (table,) = tables["RouterTableList"]["RouterTableListType"]
    assert table["VSwitchIds"]["VSwitchId"] == [vsw]

    sdk.action("ModifyVSwitchAttribute", {"VSwitchId": vsw, "VSwitchName": "app"})
    again = sdk.action("DescribeVSwitchAttributes", {"VSwitchId": vsw})
    assert (again["VSwitchName"], again["Description"]) == ("app", "the web tier")

    # CidrMask alone: the first free block of that size (the V1 SDK has no CidrMask).
    if not sdk.is_core:
        second = sdk.action(
            "CreateVSwitch", {"VpcId": vpc["VpcId"], "ZoneId": ZONE, "CidrMask": 24}
        )
        got = sdk.action("DescribeVSwitchAttributes", {"VSwitchId": second["VSwitchId"]})
        assert got["CidrBlock"] == "172.16.0.0/24"
        sdk.action("DeleteVSwitch", {"VSwitchId": second["VSwitchId"]})

    sdk.action("DeleteVSwitch", {"VSwitchId": vsw})
    with sdk.raises("InvalidVSwitchId.NotFound", 404):
        sdk.action("DescribeVSwitchAttributes", {"VSwitchId": vsw})
    sdk.delete_vpc(vpc["VpcId"])


@pytest.mark.parametrize(
    ("params", "code", "status"),
    [
        ({"CidrBlock": "172.16.1.0/30"}, "InvalidCirdrBlock.MaskLength", 400),
        ({"CidrBlock": "172.16.0.0/15"}, "InvalidCirdrBlock.MaskLength", 400),
        ({"CidrBlock": "10.0.0.0/24"}, "InvalidParameter", 400),
        ({"CidrBlock": "172.16.1.128/24"}, "InvalidCidrBlock.Malformed", 400),
        ({"CidrBlock": "not-a-cidr"}, "InvalidCidrBlock.Malformed", 400),
        ({"CidrBlock": "172.16.1.0/25"}, "InvalidCidrBlock.Overlapped", 400),
        ({"CidrBlock": "172.16.9.0/24", "ZoneId": "cn-hangzhou-z"}, "InvalidZoneId.NotFound", 404),
        ({"CidrBlock": "172.16.9.0/24", "VpcId": "vpc-nosuch"}, "InvalidVpcId.NotFound", 404),
        (
            {"CidrBlock": "172.16.9.0/24", "VSwitchName": "http://x"},
            "InvalidVSwitchName.Malformed",
            400,
        ),
        (
            {"CidrBlock": "172.16.9.0/24", "Description": "https://x"},
            "InvalidVSwitchDiscription.Malformed",
            400,
        ),
        ({}, "MissingParameter", 400),
    ],
)
def test_create_vswitch_errors(sdk: Sdk, params: dict[str, Any], code: str, status: int) -> None:
    vpc = new_vpc(sdk)
    new_vswitch(sdk, vpc["VpcId"], "172.16.1.0/24")
    with sdk.raises(code, status):
        sdk.action("CreateVSwitch", {"VpcId": vpc["VpcId"], "ZoneId": ZONE, **params})


def test_vswitch_errors_by_id(sdk: Sdk) -> None:
    for action in ("DescribeVSwitchAttributes", "ModifyVSwitchAttribute", "DeleteVSwitch"):
        with sdk.raises("InvalidVSwitchId.NotFound", 404):
            sdk.action(action, {"VSwitchId": "vsw-nosuch"})
    with sdk.raises("Forbidden.VpcNotFound", 400):
        sdk.action("DescribeVSwitches", {"VpcId": "vpc-nosuch"})
    assert sdk.action("DescribeVSwitches", {"VSwitchId": "vsw-nosuch"})["TotalCount"] == 0
    vpc = new_vpc(sdk)
    vsw = new_vswitch(sdk, vpc["VpcId"], "172.16.1.0/24")
    with sdk.raises("InvalidVSwitchName.Malformed", 400):
        sdk.action("ModifyVSwitchAttribute", {"VSwitchId": vsw, "VSwitchName": "http://x"})
    with sdk.raises("OperationDenied.VpcIpv6NotEnabled", 400):
        sdk.action("ModifyVSwitchAttribute", {"VSwitchId": vsw, "EnableIPv6": True})


def test_delete_vpc_with_vswitch_or_route(sdk: Sdk) -> None:
    a, b = new_vpc(sdk), new_vpc(sdk, "192.168.0.0/16")
    vsw = new_vswitch(sdk, a["VpcId"], "172.16.1.0/24")
    with sdk.raises("DependencyViolation.VSwitch", 400):
        sdk.delete_vpc(a["VpcId"])
    sdk.action("DeleteVSwitch", {"VSwitchId": vsw})
    ri_a, _ = connected_pair(sdk, a, b)
    entry = route(sdk, a["RouteTableId"], "192.168.0.0/16", ri_a)
    with sdk.raises("DependencyViolation.RouteEntry", 400):
        sdk.delete_vpc(a["VpcId"])
    sdk.action("DeleteRouteEntry", {"RouteEntryId": entry})
    with sdk.raises("DependencyViolation.RouterInterface", 400):
        sdk.delete_vpc(a["VpcId"])


def test_tags_on_vswitches_and_route_tables(sdk: Sdk) -> None:
    vpc = new_vpc(sdk)
    vsw = new_vswitch(sdk, vpc["VpcId"], "172.16.1.0/24")
    for kind, rid in (("VSWITCH", vsw), ("routetable", vpc["RouteTableId"])):
        sdk.call(
            "TagResources",
            {
                "RegionId": sdk.region,
                "ResourceType": kind,
                "ResourceId.1": rid,
                "Tag.1.Key": "team",
                "Tag.1.Value": "net",
            },
        )
    attrs = sdk.action("DescribeVSwitchAttributes", {"VSwitchId": vsw})
    assert attrs["Tags"]["Tag"] == [{"Key": "team", "Value": "net"}]
    tagged = sdk.call(
        "DescribeVSwitches",
        {"RegionId": sdk.region, "VpcId": vpc["VpcId"], "Tag.1.Key": "team", "Tag.1.Value": "net"},
    )
    assert [v["VSwitchId"] for v in tagged["VSwitches"]["VSwitch"]] == [vsw]
    (table,) = sdk.action("DescribeRouteTableList", {"VpcId": vpc["VpcId"]})["RouterTableList"][
        "RouterTableListType"
    ]
    assert table["Tags"]["Tag"] == [{"Key": "team", "Value": "net"}]
    sdk.call(
        "UnTagResources",
        {
            "RegionId": sdk.region,
            "ResourceType": "VSWITCH",
            "ResourceId.1": vsw,
            "TagKey.1": "team",
        },
    )
    assert sdk.action("DescribeVSwitchAttributes", {"VSwitchId": vsw})["Tags"]["Tag"] == []


# -- route tables -----------------------------------------------------------------------------


def test_route_tables(sdk: Sdk) -> None:
    vpc = new_vpc(sdk)
    vsw = new_vswitch(sdk, vpc["VpcId"], "172.16.1.0/24")
    table_id = vpc["RouteTableId"]
    sdk.action(
        "ModifyRouteTableAttributes",
        {
            "RouteTableId": table_id,
            "RouteTableName": "main",
            "Description": "the system table",
            "RoutePropagationEnable": False,
        },
    )
    body = sdk.action("DescribeRouteTableList", {"RouteTableName": "main", "VpcId": vpc["VpcId"]})
    (table,) = body["RouterTableList"]["RouterTableListType"]
    check(
        table,
        {
            "RouteTableId": str,
            "RouteTableName": str,
            "RouteTableType": str,
            "RouterId": str,
            "RouterType": str,
            "VpcId": str,
            "Description": str,
            "CreationTime": str,
            "Status": str,
            "RoutePropagationEnable": bool,
            "VSwitchIds": dict,
            "Tags": dict,
        },
    )
    assert (table["RouteTableName"], table["Description"], table["RoutePropagationEnable"]) == (
        "main",
        "the system table",
        False,
    )
    assert (table["RouterId"], table["RouteTableType"]) == (vpc["VRouterId"], "System")

    tables = sdk.action("DescribeRouteTables", {"RouteTableId": table_id})["RouteTables"][
        "RouteTable"
    ]
    (described,) = tables
    assert described["VRouterId"] == vpc["VRouterId"]
    assert described["VSwitchIds"]["VSwitchId"] == [vsw]
    system = described["RouteEntrys"]["RouteEntry"]
    assert [(e["DestinationCidrBlock"], e["NextHopType"], e["Type"]) for e in system] == [
        ("172.16.1.0/24", "local", "System"),
        ("100.64.0.0/10", "service", "System"),
    ]
    by_router = sdk.action("DescribeRouteTables", {"VRouterId": vpc["VRouterId"]})
    assert by_router["RouteTables"]["RouteTable"][0]["RouteTableId"] == table_id

    with sdk.raises("MissingParameter", 400):
        sdk.action("DescribeRouteTables", {})
    with sdk.raises("InvalidRouteTableId.NotFound", 404):
        sdk.action(
            "ModifyRouteTableAttributes", {"RouteTableId": "vtb-nosuch", "RouteTableName": "x"}
        )
    with sdk.raises("InvalidRouteTableName.Malformed", 400):
        sdk.action(
            "ModifyRouteTableAttributes", {"RouteTableId": table_id, "RouteTableName": "http://x"}
        )
    with sdk.raises("InvalidDescription.Malformed", 400):
        sdk.action(
            "ModifyRouteTableAttributes", {"RouteTableId": table_id, "Description": "https://x"}
        )
    assert sdk.action("DescribeRouteTables", {"RouteTableId": "vtb-nosuch"})["TotalCount"] == 0


# -- route entries ----------------------------------------------------------------------------


def test_route_entry_lifecycle(sdk: Sdk) -> None:
    a, b = new_vpc(sdk), new_vpc(sdk, "192.168.0.0/16")
    vsw_a = new_vswitch(sdk, a["VpcId"], "172.16.1.0/24")
    ri_a, _ = connected_pair(sdk, a, b)
    table = a["RouteTableId"]
    entry = route(sdk, table, "192.168.0.0/16", ri_a, RouteEntryName="to-b", Description="b")
    assert entry.startswith("rte-")

    listed = entries(sdk, table)
    assert [(e["DestinationCidrBlock"], e["Type"]) for e in listed] == [
        ("172.16.1.0/24", "System"),
        ("100.64.0.0/10", "System"),
        ("192.168.0.0/16", "Custom"),
    ]
    custom = listed[2]
    check(
        custom,
        {
            "RouteEntryId": str,
            "RouteTableId": str,
            "DestinationCidrBlock": str,
            "Type": str,
            "Status": str,
            "RouteEntryName": str,
            "Description": str,
            "IpVersion": str,
            "Origin": str,
            "GmtModified": str,
            "NextHops": dict,
        },
    )
    assert (custom["RouteEntryId"], custom["Status"], custom["Origin"]) == (
        entry,
        "Available",
        "CustomCreate",
    )
    (hop,) = custom["NextHops"]["NextHop"]
    assert (hop["NextHopType"], hop["NextHopId"], hop["Enabled"]) == ("RouterInterface", ri_a, 1)
    assert hop["NextHopRelatedInfo"] == {
        "InstanceId": b["VpcId"],
        "InstanceType": "VPC",
        "RegionId": sdk.region,
    }
    assert [e["RouteEntryId"] for e in entries(sdk, table, RouteEntryType="Custom")] == [entry]
    assert [e["RouteEntryId"] for e in entries(sdk, table, NextHopId=ri_a)] == [entry]
    dest = entries(sdk, table, DestinationCidrBlock="172.16.1.0/24")
    assert [e["Type"] for e in dest] == ["System"]

    first = sdk.action("DescribeRouteEntryList", {"RouteTableId": table, "MaxResult": 2})
    assert len(first["RouteEntrys"]["RouteEntry"]) == 2 and first["NextToken"]
    rest = sdk.action(
        "DescribeRouteEntryList",
        {"RouteTableId": table, "MaxResult": 2, "NextToken": first["NextToken"]},
    )
    assert [e["RouteEntryId"] for e in rest["RouteEntrys"]["RouteEntry"]] == [entry]
    assert rest["NextToken"] == ""

    (described,) = sdk.action("DescribeRouteTables", {"RouteTableId": table})["RouteTables"][
        "RouteTable"
    ]
    mine = [e for e in described["RouteEntrys"]["RouteEntry"] if e["Type"] == "Custom"]
    assert [(e["NextHopType"], e["InstanceId"], e["RouteEntryName"]) for e in mine] == [
        ("RouterInterface", ri_a, "to-b")
    ]

    sdk.action("ModifyRouteEntry", {"RouteEntryId": entry, "RouteEntryName": "towards-b"})
    assert entries(sdk, table, RouteEntryId=entry)[0]["RouteEntryName"] == "towards-b"

    sdk.action(
        "DeleteRouteEntry",
        {"RouteTableId": table, "DestinationCidrBlock": "192.168.0.0/16", "NextHopId": ri_a},
    )
    assert entries(sdk, table, RouteEntryType="Custom") == []
    assert vsw_a in sdk.action("DescribeVSwitchAttributes", {"VSwitchId": vsw_a})["VSwitchId"]


def test_route_entry_errors(sdk: Sdk) -> None:
    a, b, c = new_vpc(sdk), new_vpc(sdk, "192.168.0.0/16"), new_vpc(sdk, "10.0.0.0/8")
    new_vswitch(sdk, a["VpcId"], "172.16.1.0/24")
    ri_a, ri_b = connected_pair(sdk, a, b)
    table = a["RouteTableId"]

    def create(code: str, status: int, **params: Any) -> None:
        values = {
            "RouteTableId": table,
            "DestinationCidrBlock": "192.168.0.0/16",
            "NextHopType": "RouterInterface",
            "NextHopId": ri_a,
            **params,
        }
        with sdk.raises(code, status):
            sdk.action("CreateRouteEntry", values)

    create("InvalidRouteTableId.NotFound", 404, RouteTableId="vtb-nosuch")
    create("InvalidCidrBlock", 400, DestinationCidrBlock="172.16.1.0/25")  # inside a vSwitch
    create("InvalidCidrBlock", 400, DestinationCidrBlock="172.16.1.0/24")  # a vSwitch's own
    create("InvalidCidrBlock", 400, DestinationCidrBlock="100.64.1.0/24")
    create("InvalidCidrBlock.Malformed", 400, DestinationCidrBlock="192.168.0.0/33")
    create("InvalidNextHopType", 400, NextHopType="Teleporter")
    create("InvalidNextHop.NotFound", 400, NextHopType="Instance", NextHopId="i-nosuch")
    create("InvalidRouterInterface", 400, NextHopId="ri-nosuch")
    create("OperationFailed.InstanceDismatchCurrentVpc", 404, NextHopId=ri_b)
    create("InvalidRouteEntryName.Malformed", 400, RouteEntryName="http://x")
    create(
        "OperationDenied.RouterInterfaceIpv6NotEnabled", 400, DestinationCidrBlock="2001:db8::/32"
    )

    entry = route(sdk, table, "192.168.0.0/16", ri_a)
    create("InvalidCIDRBlock.Duplicate", 400)
    # A route may contain a vSwitch's block: 172.16.0.0/16 holds 172.16.1.0/24.
    route(sdk, table, "172.16.0.0/16", ri_a)
    # ... and a vSwitch may lie inside a route's destination, but not equal one.
    with sdk.raises("InvalidCidrBlock.Overlapped", 400):
        new_vswitch(sdk, a["VpcId"], "172.16.0.0/16")
    new_vswitch(sdk, a["VpcId"], "172.16.2.0/24")

    with sdk.raises("OperationDenied", 400):
        sdk.action(
            "DeleteRouteEntry",
            {"RouteTableId": table, "DestinationCidrBlock": "100.64.0.0/10", "NextHopId": ""},
        )
    with sdk.raises("InvalidNextHop", 400):
        sdk.action(
            "DeleteRouteEntry", {"RouteTableId": table, "DestinationCidrBlock": "192.168.0.0/16"}
        )
    with sdk.raises("InvalidRouteEntry.NotFound", 400):
        sdk.action(
            "DeleteRouteEntry",
            {"RouteTableId": table, "DestinationCidrBlock": "192.168.0.0/16", "NextHopId": ri_b},
        )
    with sdk.raises("InvalidRouteEntry.NotFound", 400):
        sdk.action("DeleteRouteEntry", {"RouteEntryId": "rte-nosuch"})
    with sdk.raises("InvalidRouteEntry.NotFound", 400):
        sdk.action("ModifyRouteEntry", {"RouteEntryId": "rte-nosuch", "RouteEntryName": "x"})
    with sdk.raises("InvalidRouteTableId.NotFound", 404):
        sdk.action("DescribeRouteEntryList", {"RouteTableId": "vtb-nosuch"})
    with sdk.raises("InvalidRouteTableId.NotFound", 404):
        sdk.action(
            "DeleteRouteEntry",
            {"RouteTableId": "vtb-nosuch", "DestinationCidrBlock": "1.0.0.0/8", "NextHopId": ri_a},
        )
    # Another VPC's table cannot use A's interface either.
    with sdk.raises("OperationFailed.InstanceDismatchCurrentVpc", 404):
        route(sdk, c["RouteTableId"], "172.16.0.0/12", ri_a)
    sdk.action("DeleteRouteEntry", {"RouteEntryId": entry})


def test_route_and_interface_deleted_in_either_order(sdk: Sdk) -> None:
    """The documented order (route first, then interface) works; the other one is refused
    with DependencyViolation.RouterInterfaceReferedByRouteEntry until the route is gone."""
    a, b = new_vpc(sdk), new_vpc(sdk, "192.168.0.0/16")
    ri_a, ri_b = connected_pair(sdk, a, b)
    to_b = route(sdk, a["RouteTableId"], "192.168.0.0/16", ri_a)
    to_a = route(sdk, b["RouteTableId"], "172.16.0.0/12", ri_b)
    sdk.action("DeactivateRouterInterface", {"RouterInterfaceId": ri_a})

    # Route first, then the interface.
    sdk.action("DeleteRouteEntry", {"RouteEntryId": to_b})
    sdk.action("DeleteRouterInterface", {"RouterInterfaceId": ri_a})

    # Interface first: refused while a route uses it; fine once the route is deleted.
    with sdk.raises("DependencyViolation.RouterInterfaceReferedByRouteEntry", 400):
        sdk.action("DeleteRouterInterface", {"RouterInterfaceId": ri_b})
    sdk.action("DeleteRouteEntry", {"RouteEntryId": to_a})
    sdk.action("DeleteRouterInterface", {"RouterInterfaceId": ri_b})
    for vpc in (a, b):
        sdk.delete_vpc(vpc["VpcId"])
