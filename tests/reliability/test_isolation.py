"""Isolation: another account's resources are invisible and unchangeable, for every action
that takes an id, unless the cross-account consent rules allow the connection.

Account A owns a connected pair, a fast-link pair on a VBR, VPCs, route tables and a physical
connection.  Account B probes every id parameter of every action with A's ids, and with ids
that exist nowhere: the two answers must be the same (status, code and message, the id
aside), so B cannot even learn that A's resource exists; lists filtered by A's ids are
empty.  The whole store is snapshotted before and after every probe that fails: a refused
call changes nothing.  A table of probes covers the action table; a new id parameter without
a probe fails test_every_id_parameter_is_probed.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from riconnect.api.actions import ACTIONS
from riconnect.api.app import App
from riconnect.api.runtime import CloudRuntime as Cloud
from riconnect.testing import inprocess_app, invoke, signed_request
from tests.reliability.helpers import (
    ACCOUNT_A,
    ACCOUNT_B,
    KEYS,
    PC_ACCESS_POINT,
    PC_ID_A,
    connected_pair,
    decode_answer,
    record,
    registry,
    snapshot,
)

REGION = "cn-hangzhou"

# Id parameters that name no resource of an account: (action or "*", parameter) -> why.
NOT_RESOURCES = {
    ("*", "RegionId"): "a region",
    ("*", "OppositeRegionId"): "a region",
    ("*", "AccessPointId"): "access points are public locations",
    ("*", "OppositeAccessPointId"): "access points are public locations",
    ("*", "OppositeInterfaceOwnerId"): "an account id the caller states; checked at Connect",
    ("*", "DhcpOptionsSetId"): "riconnect has no DHCP option sets",
    ("*", "VlanId"): "a number on the caller's own physical connection",
    ("*", "ZoneId"): "zones are public locations",
    ("*", "DedicatedHostId"): "riconnect has no dedicated hosts",
    ("*", "OwnerId"): "the common parameter naming the caller's own account (BssOpenApi)",
    ("*", "IpamPoolId"): "riconnect has no IPAM pools (any id is refused)",
    ("*", "Ipv4IpamPoolId"): "riconnect has no IPAM pools (any id is refused)",
}
# Filter keys that name no resource of an account.
FILTER_NOT_RESOURCES = {
    "OppositeInterfaceOwnerId": "an account id; matches the caller's own interfaces that name it",
    "AccessPointId": "access points are public locations",
    "eccId": "riconnect has no such circuits",
}


@dataclass
class World:
    app: App
    cloud: Cloud
    a: dict[str, str]  # A's ids by role
    ghost: dict[str, str]  # well-formed ids nobody has


def _version(action: str) -> str:
    """The API version that serves ``action`` (Vpc's when several products have it): a probe
    sent with another product's version would compare two InvalidAction.NotFound answers."""
    versions = sorted(v for v, name in ACTIONS if name == action)
    return "2016-04-28" if "2016-04-28" in versions else versions[0]


def call(world: World, account: str, action: str, **params: Any) -> Any:
    params.setdefault("RegionId", REGION)
    key = KEYS[account]
    return signed_request(
        world.app,
        action,
        params,
        access_key_id=key.id,
        secret=key.secret,
        version=_version(action),
    )


def ok(world: World, account: str, action: str, **params: Any) -> dict[str, Any]:
    params.setdefault("RegionId", REGION)
    key = KEYS[account]
    return invoke(world.app, action, params, access_key_id=key.id, secret=key.secret)


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    app, cloud = inprocess_app(registry=registry(), vpc_quota=1000)
    w = World(app, cloud, {}, {})
    ok(w, ACCOUNT_B, "CreateDefaultVpc")
    # Tagged, so that ListTagResources would have something of A's to show.
    vpcs = [
        ok(w, ACCOUNT_A, "CreateVpc", VpcName=f"a{n}", **{"Tag.1.Key": "owner", "Tag.1.Value": "a"})
        for n in range(3)
    ]
    i_id, a_id = connected_pair(
        functools.partial(ok, w, ACCOUNT_A),
        vpcs[0]["VRouterId"],
        vpcs[1]["VRouterId"],
        ACCOUNT_A,
        REGION,
        Name="a-initiator",
    )
    vbr = ok(
        w,
        ACCOUNT_A,
        "CreateVirtualBorderRouter",
        PhysicalConnectionId=PC_ID_A,
        VlanId=7,
        LocalGatewayIp="10.0.0.1",
        PeerGatewayIp="10.0.0.2",
        PeeringSubnetMask="255.255.255.252",
    )["VbrId"]
    fast = ok(
        w,
        ACCOUNT_A,
        "CreateRouterInterface",
        Role="InitiatingSide",
        RouterType="VBR",
        RouterId=vbr,
        AccessPointId=PC_ACCESS_POINT,
        Spec="Large.1",
        OppositeRegionId=REGION,
        OppositeRouterType="VRouter",
        OppositeRouterId=vpcs[2]["VRouterId"],
        OppositeInterfaceOwnerId=ACCOUNT_A,
        FastLinkMode="true",
    )["RouterInterfaceId"]
    vsw = ok(
        w,
        ACCOUNT_A,
        "CreateVSwitch",
        VpcId=vpcs[0]["VpcId"],
        ZoneId="cn-hangzhou-h",
        CidrBlock="172.16.1.0/24",
    )["VSwitchId"]
    entry = ok(
        w,
        ACCOUNT_A,
        "CreateRouteEntry",
        RouteTableId=vpcs[0]["RouteTableId"],
        DestinationCidrBlock="10.50.0.0/16",
        NextHopType="RouterInterface",
        NextHopId=i_id,
    )["RouteEntryId"]
    w.a = {
        "vswitch": vsw,
        "route_entry": entry,
        "vpc": vpcs[0]["VpcId"],
        "vrouter": vpcs[0]["VRouterId"],
        "route_table": vpcs[0]["RouteTableId"],
        "initiator": i_id,
        "acceptor": a_id,
        "fast_link": fast,
        "vbr": vbr,
        "pc": PC_ID_A,
        "resource_group": ok(w, ACCOUNT_A, "DescribeVpcAttribute", VpcId=vpcs[0]["VpcId"])[
            "ResourceGroupId"
        ],
        "account": ACCOUNT_A,
    }
    w.ghost = {
        "vswitch": "vsw-bp1nobodyhasthis00000",
        "route_entry": "rte-bp1nobodyhasthis00000",
        "vpc": "vpc-bp1nobodyhasthis00000",
        "vrouter": "vrt-bp1nobodyhasthis00000",
        "route_table": "vtb-bp1nobodyhasthis00000",
        "initiator": "ri-bp1nobodyhasthis000000",
        "acceptor": "ri-bp1nobodyhasthis000001",
        "fast_link": "ri-bp1nobodyhasthis000002",
        "vbr": "vbr-bp1nobodyhasthis00000",
        "pc": "pc-bp1nobodyhasthis00000",
        "resource_group": "rg-acfmnobodyhasthis0000",
        "account": "3999999999999999",
    }
    # B has things of its own, so that "empty" is not just "B has nothing".
    b_vpc = ok(w, ACCOUNT_B, "CreateVpc", VpcName="b0")
    ok(
        w,
        ACCOUNT_B,
        "CreateRouterInterface",
        Role="InitiatingSide",
        RouterType="VRouter",
        RouterId=b_vpc["VRouterId"],
        Spec="Small.1",
        OppositeRegionId=REGION,
    )
    try:
        yield w
    finally:
        cloud.executor.shutdown(wait=True)
        cloud.store.close()


_GROUP = {"NewResourceGroupId": "rg-aek2example0001"}
_RI, _VBR = "ROUTERINTERFACE", "VIRTUALBORDERROUTER"
# (action, parameter, which of A's ids, other parameters, kind of answer expected)
# kind: "404" (refused as not found), "empty" (a list with nothing), "same" (any answer,
# identical for A's id and a ghost id: B's own configuration that merely names it).
PROBES: list[tuple[str, str, str, dict[str, Any], str]] = [
    ("ActivateRouterInterface", "RouterInterfaceId", "initiator", {}, "404"),
    ("ActivateRouterInterface", "RouterInterfaceId", "acceptor", {}, "404"),
    ("ConnectRouterInterface", "RouterInterfaceId", "initiator", {}, "404"),
    ("DeactivateRouterInterface", "RouterInterfaceId", "acceptor", {}, "404"),
    ("DeleteRouterInterface", "RouterInterfaceId", "initiator", {}, "404"),
    ("DeleteExpressConnect", "RouterInterfaceId", "fast_link", {"Force": "true"}, "404"),
    ("DescribeRouterInterfaceAttribute", "InstanceId", "acceptor", {}, "404"),
    ("ModifyRouterInterfaceAttribute", "RouterInterfaceId", "initiator", {"Name": "stolen"}, "404"),
    ("ModifyRouterInterfaceSpec", "RouterInterfaceId", "initiator", {"Spec": "Small.1"}, "404"),
    ("DeleteVirtualBorderRouter", "VbrId", "vbr", {}, "404"),
    ("ModifyVirtualBorderRouterAttribute", "VbrId", "vbr", {"Description": "stolen"}, "404"),
    ("TerminateVirtualBorderRouter", "VbrId", "vbr", {}, "404"),
    ("RecoverVirtualBorderRouter", "VbrId", "vbr", {}, "404"),
    ("DeleteVpc", "VpcId", "vpc", {}, "404"),
    ("DescribeVpcAttribute", "VpcId", "vpc", {}, "404"),
    ("ModifyVpcAttribute", "VpcId", "vpc", {"VpcName": "stolen"}, "404"),
    ("AssociateVpcCidrBlock", "VpcId", "vpc", {"SecondaryCidrBlock": "10.9.0.0/16"}, "404"),
    ("UnassociateVpcCidrBlock", "VpcId", "vpc", {"SecondaryCidrBlock": "10.9.0.0/16"}, "404"),
    ("EnableVpcClassicLink", "VpcId", "vpc", {}, "404"),
    ("DisableVpcClassicLink", "VpcId", "vpc", {}, "404"),
    ("TagResources", "ResourceId.1", "vpc", {"ResourceType": "VPC", "Tag.1.Key": "k"}, "404"),
    ("UnTagResources", "ResourceId.1", "vpc", {"ResourceType": "VPC", "TagKey.1": "k"}, "404"),
    ("ListTagResources", "ResourceId.1", "vpc", {"ResourceType": "VPC"}, "empty"),
    (
        "CreateRouterInterface",
        "RouterId",
        "vrouter",
        {
            "Role": "InitiatingSide",
            "RouterType": "VRouter",
            "Spec": "Large.2",
            "OppositeRegionId": REGION,
        },
        "404",
    ),
    (
        "CreateRouterInterface",
        "RouterId",
        "vbr",
        {
            "Role": "InitiatingSide",
            "RouterType": "VBR",
            "Spec": "Large.2",
            "OppositeRegionId": REGION,
            "AccessPointId": PC_ACCESS_POINT,
        },
        "404",
    ),
    (
        "CreateVirtualBorderRouter",
        "PhysicalConnectionId",
        "pc",
        {
            "VlanId": "8",
            "LocalGatewayIp": "10.0.0.5",
            "PeerGatewayIp": "10.0.0.6",
            "PeeringSubnetMask": "255.255.255.252",
        },
        "404",
    ),
    (
        "CreateVirtualBorderRouter",
        "VbrOwnerId",
        "account",
        {"PhysicalConnectionId": "pc-b-none", "VlanId": "9"},
        "same",
    ),
    ("DescribeVpcs", "VpcId", "vpc", {}, "empty"),
    ("DescribeVpcs", "VpcOwnerId", "account", {}, "empty"),
    ("DescribeVpcs", "ResourceGroupId", "resource_group", {}, "empty"),
    ("CreateVpc", "ResourceGroupId", "resource_group", {"DryRun": "true"}, "same"),
    # B already has its default VPC (the world): both answers are DefaultVpcExist.
    ("CreateDefaultVpc", "ResourceGroupId", "resource_group", {}, "same"),
    ("DescribeRouteTableList", "VpcId", "vpc", {}, "empty"),
    ("DescribeRouteTableList", "RouterId", "vrouter", {}, "empty"),
    ("DescribeRouteTableList", "RouteTableId", "route_table", {}, "empty"),
    ("DescribeRouterInterfaces", "ResourceGroupId", "resource_group", {}, "empty"),
    (
        "CreateVirtualBorderRouter",
        "ResourceGroupId",
        "resource_group",
        {"PhysicalConnectionId": "pc-b-none", "VlanId": "9"},
        "same",
    ),
    ("DescribeVirtualBorderRouters", "ResourceGroupId", "resource_group", {}, "empty"),
    (
        "CreateRouterInterface",
        "ResourceGroupId",
        "resource_group",
        {
            "Role": "InitiatingSide",
            "RouterType": "VRouter",
            "RouterId": "b-fresh",
            "Spec": "Large.2",
            "OppositeRegionId": REGION,
        },
        "same",
    ),
    # B's own interface may name A's as its opposite: that is B's configuration, and it
    # must read the same whether or not A's interface exists (Connect decides consent).
    (
        "CreateRouterInterface",
        "OppositeInterfaceId",
        "acceptor",
        {
            "Role": "InitiatingSide",
            "RouterType": "VRouter",
            "RouterId": "b-fresh",
            "Spec": "Large.2",
            "OppositeRegionId": REGION,
        },
        "same",
    ),
    (
        "CreateRouterInterface",
        "OppositeRouterId",
        "vrouter",
        {
            "Role": "InitiatingSide",
            "RouterType": "VRouter",
            "RouterId": "b-fresh",
            "Spec": "Large.2",
            "OppositeRegionId": REGION,
        },
        "same",
    ),
    (
        "ModifyRouterInterfaceAttribute",
        "OppositeInterfaceId",
        "acceptor",
        {"RouterInterfaceId": "b-own"},
        "same",
    ),
    (
        "ModifyRouterInterfaceAttribute",
        "OppositeRouterId",
        "vrouter",
        {"RouterInterfaceId": "b-own"},
        "same",
    ),
    # vSwitches, route tables and route entries ("b-table": a route table of B's own).
    (
        "CreateVSwitch",
        "VpcId",
        "vpc",
        {"ZoneId": "cn-hangzhou-h", "CidrBlock": "172.16.9.0/24"},
        "404",
    ),
    ("DescribeVSwitches", "VpcId", "vpc", {}, "same"),
    ("DescribeVSwitches", "VSwitchId", "vswitch", {}, "empty"),
    ("DescribeVSwitches", "RouteTableId", "route_table", {}, "empty"),
    ("DescribeVSwitches", "ResourceGroupId", "resource_group", {}, "empty"),
    ("DescribeVSwitches", "VSwitchOwnerId", "account", {}, "empty"),
    ("DescribeVSwitchAttributes", "VSwitchId", "vswitch", {}, "404"),
    ("ModifyVSwitchAttribute", "VSwitchId", "vswitch", {"VSwitchName": "stolen"}, "404"),
    ("DeleteVSwitch", "VSwitchId", "vswitch", {}, "404"),
    (
        "TagResources",
        "ResourceId.1",
        "vswitch",
        {"ResourceType": "VSWITCH", "Tag.1.Key": "k"},
        "404",
    ),
    (
        "UnTagResources",
        "ResourceId.1",
        "route_table",
        {"ResourceType": "ROUTETABLE", "TagKey.1": "k"},
        "404",
    ),
    ("DescribeRouteTableList", "ResourceGroupId", "resource_group", {}, "empty"),
    ("DescribeRouteTables", "RouteTableId", "route_table", {}, "empty"),
    ("DescribeRouteTables", "VRouterId", "vrouter", {}, "empty"),
    ("DescribeRouteTables", "RouterId", "vrouter", {}, "empty"),
    ("DescribeRouteTables", "ResourceGroupId", "resource_group", {"RouteTableName": "x"}, "empty"),
    (
        "ModifyRouteTableAttributes",
        "RouteTableId",
        "route_table",
        {"RouteTableName": "stolen"},
        "404",
    ),
    (
        "CreateRouteEntry",
        "RouteTableId",
        "route_table",
        {
            "DestinationCidrBlock": "10.9.0.0/16",
            "NextHopType": "RouterInterface",
            "NextHopId": "ri-x",
        },
        "404",
    ),
    (
        "CreateRouteEntry",
        "NextHopId",
        "initiator",
        {
            "RouteTableId": "b-table",
            "DestinationCidrBlock": "10.9.0.0/16",
            "NextHopType": "RouterInterface",
        },
        "same",
    ),
    ("DescribeRouteEntryList", "RouteTableId", "route_table", {}, "404"),
    ("DescribeRouteEntryList", "RouteEntryId", "route_entry", {"RouteTableId": "b-table"}, "empty"),
    ("DescribeRouteEntryList", "NextHopId", "initiator", {"RouteTableId": "b-table"}, "empty"),
    ("ModifyRouteEntry", "RouteEntryId", "route_entry", {"RouteEntryName": "stolen"}, "same"),
    (
        "ModifyRouteEntry",
        "RouteTableId",
        "route_table",
        {"DestinationCidrBlock": "10.50.0.0/16"},
        "404",
    ),
    (
        "ModifyRouteEntry",
        "NewNextHopId",
        "initiator",
        {"RouteTableId": "b-table", "DestinationCidrBlock": "10.50.0.0/16"},
        "same",
    ),
    ("DeleteRouteEntry", "RouteEntryId", "route_entry", {}, "same"),
    (
        "DeleteRouteEntry",
        "RouteTableId",
        "route_table",
        {"DestinationCidrBlock": "10.50.0.0/16", "NextHopId": "ri-x"},
        "404",
    ),
    (
        "DeleteRouteEntry",
        "NextHopId",
        "initiator",
        {"RouteTableId": "b-table", "DestinationCidrBlock": "10.50.0.0/16"},
        "same",
    ),
    # Resource groups, Express Connect tags and refunds: their not-found answers are
    # documented as 400 (InvalidResourceId.NotFound, ResourceNotExists), so "same" here:
    # A's id and a missing one must read alike.
    ("MoveResourceGroup", "ResourceId", "vpc", {"ResourceType": "Vpc", **_GROUP}, "same"),
    (
        "MoveResourceGroup",
        "NewResourceGroupId",
        "resource_group",
        {"ResourceType": "Vpc", "ResourceId": "vpc-bp1nobodyhasthis00000"},
        "same",
    ),
    ("ChangeResourceGroup", "ResourceId", "vbr", {"ResourceType": _VBR, **_GROUP}, "same"),
    ("ChangeResourceGroup", "ResourceId", "initiator", {"ResourceType": _RI, **_GROUP}, "same"),
    (
        "ChangeResourceGroup",
        "NewResourceGroupId",
        "resource_group",
        {"ResourceType": _RI, "ResourceId": "ri-bp1nobodyhasthis000009"},
        "same",
    ),
    (
        "TagResourcesForExpressConnect",
        "ResourceId.1",
        "vbr",
        {"ResourceType": _VBR, "Tag.1.Key": "k"},
        "same",
    ),
    (
        "UntagResourcesForExpressConnect",
        "ResourceId.1",
        "initiator",
        {"ResourceType": _RI, "TagKey.1": "k"},
        "same",
    ),
    ("RefundInstance", "InstanceId", "initiator", {"ProductCode": "ri"}, "same"),
    # A's default resource group is A's: B's lists filtered by it are empty, and getting it
    # reads like getting a group nobody has (EntityNotExists.ResourceGroup).
    ("GetResourceGroup", "ResourceGroupId", "resource_group", {}, "same"),
    ("ListResourceGroups", "ResourceGroupId", "resource_group", {}, "empty"),
    ("DescribePhysicalConnections", "ResourceGroupId", "resource_group", {}, "empty"),
]
FILTERED = {
    "DescribeRouterInterfaces": {
        "RouterInterfaceId": "initiator",
        "RouterId": "vrouter",
        "OppositeInterfaceId": "acceptor",
        "OppositeRouterId": "vrouter",
        "RouterInterfaceOwnerId": "account",
    },
    "DescribeVirtualBorderRouters": {"VbrId": "vbr", "PhysicalConnectionId": "pc"},
    "DescribePhysicalConnections": {"PhysicalConnectionId": "pc"},
}


def _b_own_interface(world: World) -> str:
    listed = ok(world, ACCOUNT_B, "DescribeRouterInterfaces")
    return str(listed["RouterInterfaceSet"]["RouterInterfaceType"][0]["RouterInterfaceId"])


def _answer(world: World, response: Any, probe_id: str) -> tuple[int, str, str]:
    fields = decode_answer(response.status_code, response.headers, response.content, xml=False)
    text = response.text.replace(probe_id, "<id>")
    if response.status_code == 200:
        for noise in ("RequestId", "VpcId", "RouterInterfaceId", "VRouterId", "RouteTableId"):
            fields.pop(noise, None)
        import json

        return 200, "", json.dumps(fields, sort_keys=True).replace(probe_id, "<id>")
    return response.status_code, fields["Code"], fields["Message"].replace(probe_id, "<id>") or text


def probe(world: World, action: str, params: dict[str, Any], target: str) -> tuple[int, str, str]:
    """B calls ``action``; a failing call must not change the store."""
    before = snapshot(world.cloud.store)
    response = call(world, ACCOUNT_B, action, **params)
    answer = _answer(world, response, target)
    if response.status_code != 200:
        assert snapshot(world.cloud.store) == before, f"{action} failed but changed the store"
        record("isolation", snapshots=1)
    record("isolation", probes=1)
    return answer


def _list_items(body: dict[str, Any]) -> list[Any]:
    for key, value in body.items():
        if isinstance(value, dict) and len(value) == 1:
            inner = next(iter(value.values()))
            if isinstance(inner, list) and key not in ("Tags",):
                return inner
    raise AssertionError(f"no list in {body}")


@pytest.mark.parametrize(
    ("action", "param", "which", "extra", "kind"),
    PROBES,
    ids=[f"{p[0]}:{p[1]}:{p[2]}" for p in PROBES],
)
def test_another_accounts_id_reads_like_no_id(
    world: World, action: str, param: str, which: str, extra: dict[str, Any], kind: str
) -> None:
    params = dict(extra)
    if params.get("RouterInterfaceId") == "b-own":
        params["RouterInterfaceId"] = _b_own_interface(world)
    if params.get("RouteTableId") == "b-table":  # a route table of B's own
        params["RouteTableId"] = ok(world, ACCOUNT_B, "CreateVpc", VpcName="b-table")[
            "RouteTableId"
        ]
    if params.get("RouterId") == "b-fresh":  # a router of B's with room for two interfaces
        params["RouterId"] = ok(world, ACCOUNT_B, "CreateVpc", VpcName="b-probe")["VRouterId"]
    theirs, nobodys = world.a[which], world.ghost[which]
    seen = probe(world, action, {**params, param: theirs}, theirs)
    unknown = probe(world, action, {**params, param: nobodys}, nobodys)
    assert seen == unknown, f"{action} tells A's {which} from a missing one:\n{seen}\n{unknown}"
    if kind == "404":
        assert seen[0] == 404 and seen[1].endswith("NotFound"), seen
    elif kind == "empty":
        assert seen[0] == 200, seen
    elif "RouterId" in params and param != "RouterId":
        assert seen[0] == 200, seen  # B's own interface, naming whatever it likes
    # A's resource is untouched whatever B did.
    assert ok(world, ACCOUNT_A, "DescribeVpcAttribute", VpcId=world.a["vpc"])["VpcName"] == "a0"
    attr = ok(world, ACCOUNT_A, "DescribeRouterInterfaceAttribute", InstanceId=world.a["initiator"])
    assert (attr["Name"], attr["Status"], attr["Spec"]) == ("a-initiator", "Active", "Large.2")


@pytest.mark.parametrize(
    ("action", "key"),
    [(a, k) for a, keys in FILTERED.items() for k in keys],
)
def test_filters_never_show_another_accounts_resources(world: World, action: str, key: str) -> None:
    which = FILTERED[action][key]
    # (The probes above leave B's own interface naming the ghost ids, so a ghost id that no
    # one ever named is the comparison here.)
    for target in (world.a[which], world.ghost[which][:-4] + "zzzz"):
        params = {"Filter.1.Key": key, "Filter.1.Value.1": target}
        response = call(world, ACCOUNT_B, action, **params)
        body = decode_answer(response.status_code, response.headers, response.content, xml=False)
        assert response.status_code == 200
        items = _list_items(body)
        assert body["TotalCount"] == len(items)
        if key.startswith("Opposite"):
            # B's own interfaces may name A's as their opposite (the probes above made some):
            # those are B's and may be listed; none of A's own may.
            listed = {i.get("RouterInterfaceId") for i in items}
            assert not listed & {world.a["initiator"], world.a["acceptor"], world.a["fast_link"]}
        else:
            assert items == [], body
        record("isolation", probes=1)
    # ...while A sees its own through the same filter (the filter works).
    mine = ok(world, ACCOUNT_A, action, **{"Filter.1.Key": key, "Filter.1.Value.1": world.a[which]})
    assert mine["TotalCount"] >= 1


def test_every_id_parameter_is_probed() -> None:
    probed = {(a, p.split(".")[0]) for a, p, *_ in PROBES} | {(a, "Filter") for a in FILTERED}
    missing = []
    for (_, name), action in ACTIONS.items():
        for param in action.params:
            if param.kind == "filters":
                keys = [
                    k
                    for k in param.filter_keys or ()
                    if k.endswith("Id") and k not in FILTER_NOT_RESOURCES
                ]
                covered = set(FILTERED.get(name, {}))
                missing += [f"{name} Filter {k}" for k in keys if k not in covered]
                continue
            if not (param.name.endswith("Id") or param.name == "ResourceId"):
                continue
            if ("*", param.name) in NOT_RESOURCES or (name, param.name) in probed:
                continue
            missing.append(f"{name} {param.name}")
    assert not missing, f"id parameters without an isolation probe: {missing}"
    record("isolation", actions=len({a for a, *_ in PROBES} | set(FILTERED)), leaks=0)


def test_cross_account_connection_only_with_consent(world: World) -> None:
    """B's initiator names A's acceptor: Connect is refused (the same way as for a missing
    interface) until A's acceptor names B's initiator; then it connects, and B still cannot
    touch A's side by id."""
    b_vpc = ok(world, ACCOUNT_B, "CreateVpc", VpcName="b-consent")
    a_vpc = ok(world, ACCOUNT_A, "CreateVpc", VpcName="a-consent")
    b_ri = ok(
        world,
        ACCOUNT_B,
        "CreateRouterInterface",
        Role="InitiatingSide",
        RouterType="VRouter",
        RouterId=b_vpc["VRouterId"],
        Spec="Large.2",
        OppositeRegionId=REGION,
    )["RouterInterfaceId"]
    a_ri = ok(
        world,
        ACCOUNT_A,
        "CreateRouterInterface",
        Role="AcceptingSide",
        RouterType="VRouter",
        RouterId=a_vpc["VRouterId"],
        Spec="Negative",
        OppositeRegionId=REGION,
    )["RouterInterfaceId"]
    answers = []
    for target, router in (
        (a_ri, a_vpc["VRouterId"]),
        (world.ghost["acceptor"], world.ghost["vrouter"]),
    ):
        ok(
            world,
            ACCOUNT_B,
            "ModifyRouterInterfaceAttribute",
            RouterInterfaceId=b_ri,
            OppositeInterfaceId=target,
            OppositeRouterId=router,
            OppositeRouterType="VRouter",
            OppositeInterfaceOwnerId=ACCOUNT_A,
        )
        answers.append(
            _answer(
                world,
                call(world, ACCOUNT_B, "ConnectRouterInterface", RouterInterfaceId=b_ri),
                target,
            )
        )
        # Put the real target back for the next round / the consent below.
        ok(
            world,
            ACCOUNT_B,
            "ModifyRouterInterfaceAttribute",
            RouterInterfaceId=b_ri,
            OppositeInterfaceId=a_ri,
            OppositeRouterId=a_vpc["VRouterId"],
        )
    assert answers[0] == answers[1]
    assert answers[0][1] == "IncorrectOppositeInterfaceInfo.NotSet"
    ok(
        world,
        ACCOUNT_A,
        "ModifyRouterInterfaceAttribute",
        RouterInterfaceId=a_ri,
        OppositeInterfaceId=b_ri,
        OppositeRouterId=b_vpc["VRouterId"],
        OppositeRouterType="VRouter",
        OppositeInterfaceOwnerId=ACCOUNT_B,
    )
    ok(world, ACCOUNT_B, "ConnectRouterInterface", RouterInterfaceId=b_ri)
    assert (
        ok(world, ACCOUNT_A, "DescribeRouterInterfaceAttribute", InstanceId=a_ri)["Status"]
        == "Active"
    )
    response = call(world, ACCOUNT_B, "DeactivateRouterInterface", RouterInterfaceId=a_ri)
    assert response.json()["Code"] == "InvalidRouterInterfaceId.NotFound"
    # Either side deactivates the pair through its own interface.
    ok(world, ACCOUNT_B, "DeactivateRouterInterface", RouterInterfaceId=b_ri)
    assert (
        ok(world, ACCOUNT_A, "DescribeRouterInterfaceAttribute", InstanceId=a_ri)["Status"]
        == "Inactive"
    )
    record("isolation", probes=4)
