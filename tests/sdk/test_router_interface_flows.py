"""End-to-end flows through both official SDKs against a live ``riconnect serve``.

* the seed flow (two VPCs, an initiator and a Negative acceptor, acceptor configured first,
  connect, deactivate, activate, deactivate, delete) with the V2 SDK (V3 and V2 signing)
  and the V1 core SDK, checking every Opposite* field and the response field types;
* cross-account (consent of both accounts), cross-region (one V1 client per region),
  VBR to VPC, fast link mode;
* ``--transitions fixed:1``: the intermediate states, and DeleteVpc refused while an
  interface is still Deleting.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from alibabacloud_tea_openapi.exceptions import ClientException
from alibabacloud_vpc20160428 import models as m
from Tea.exceptions import TeaException

from riconnect.domain.accounts import (
    DEMO_ACCESS_POINT_ID,
    DEMO_ACCOUNT_ID,
    DEMO_PHYSICAL_CONNECTION_ID,
)
from riconnect.testing import LiveCloud, vpc_client, wait_until
from tests.support.router_interface import (
    ACCOUNT_B,
    ACCOUNT_C,
    KEY_B,
    KEY_C,
    REGION,
    SECRET_B,
    SECRET_C,
    V1,
    V2,
    next_vlan,
    unique,
)

ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
NOT_SET_MESSAGE = (
    "OppositeInterfaceId/OppositeRouterId/OppositeRouterType/OppositeInterfaceOwnerId "
    "must be all set."
)


def is_int(value: Any) -> bool:
    return type(value) is int


# -- the views of a pair ------------------------------------------------------------------


def check_types(view: dict[str, Any], *, attribute: bool) -> None:
    """The type quirks of the API reference (as the SDK models carry them), for a list item or an Attribute body."""
    if attribute:
        assert view["FastLinkMode"] in ("true", "false")  # a string here
        assert isinstance(view["Code"], str)
        assert isinstance(view["Message"], str)
        assert view["Success"] is True
        assert ISO.match(view["GmtModified"])
        assert view["HealthCheckStatus"] in (
            "Abnormal",
            "Normal",
            "NoRedundantRoute",
            "NoHealthCheckConfig",
        )
        assert isinstance(view["ReservationBandwidth"], str)
    else:
        assert isinstance(view["FastLinkMode"], bool)  # a bool here
        assert isinstance(view["Ipv6Status"], str)
    assert isinstance(view["OppositeInterfaceOwnerId"], str)
    assert view["HasReservationData"] in ("true", "false")  # a string, not a bool
    for name in ("Bandwidth", "OppositeBandwidth", "HcRate"):
        assert is_int(view[name]), (name, view[name])
    # HcThreshold only once set (the Go provider reads its presence: docs/fidelity.md).
    assert "HcThreshold" not in view or (is_int(view["HcThreshold"]) and view["HcThreshold"])
    assert isinstance(view["CrossBorder"], bool)
    assert isinstance(view["Tags"], dict)
    assert isinstance(view["Tags"]["Tags"], list)  # wrapper always present
    assert ISO.match(view["CreationTime"])


def check_pair(
    init: dict[str, Any],
    acc: dict[str, Any],
    *,
    status: str,
    init_router: str,
    acc_router: str,
    init_owner: str = DEMO_ACCOUNT_ID,
    acc_owner: str = DEMO_ACCOUNT_ID,
    init_region: str = REGION,
    acc_region: str = REGION,
    init_vpc: str = "",
    acc_vpc: str = "",
    init_type: str = "VRouter",
    spec: str = "Large.2",
    attribute: bool,
) -> None:
    """Both sides of a connected pair: each side's Opposite* fields describe the other."""
    bandwidth = {"Large.2": 2000, "Middle.1": 100}[spec]
    for view in (init, acc):
        check_types(view, attribute=attribute)
        assert view["Status"] == status
        assert view["OppositeInterfaceStatus"] == status
        assert view["ChargeType"] == "AfterPay"
        assert view["BusinessStatus"] == "Normal"
        assert view["Bandwidth"] == view["OppositeBandwidth"] == bandwidth
        assert ISO.match(view["ConnectedTime"])
    assert init["ConnectedTime"] == acc["ConnectedTime"]
    assert init["CrossBorder"] == acc["CrossBorder"]

    assert init["Role"] == "InitiatingSide"
    assert init["RouterType"] == init_type
    assert init["RouterId"] == init_router
    assert init["Spec"] == spec
    assert init["VpcInstanceId"] == init_vpc
    assert init["OppositeInterfaceId"] == acc["RouterInterfaceId"]
    assert init["OppositeRouterId"] == acc_router
    assert init["OppositeRouterType"] == "VRouter"
    assert init["OppositeInterfaceOwnerId"] == acc_owner
    assert init["OppositeRegionId"] == acc_region
    assert init["OppositeInterfaceSpec"] == "Negative"
    assert init["OppositeVpcInstanceId"] == acc_vpc
    assert init["OppositeInterfaceBusinessStatus"] == "Normal"

    assert acc["Role"] == "AcceptingSide"
    assert acc["RouterType"] == "VRouter"
    assert acc["RouterId"] == acc_router
    assert acc["Spec"] == "Negative"
    assert acc["VpcInstanceId"] == acc_vpc
    assert acc["OppositeInterfaceId"] == init["RouterInterfaceId"]
    assert acc["OppositeRouterId"] == init_router
    assert acc["OppositeRouterType"] == init_type
    assert acc["OppositeInterfaceOwnerId"] == init_owner
    assert acc["OppositeRegionId"] == init_region
    assert acc["OppositeInterfaceSpec"] == spec
    assert acc["OppositeVpcInstanceId"] == init_vpc
    assert acc["OppositeInterfaceBusinessStatus"] == "Normal"


def error_of(call: Callable[[], Any]) -> TeaException:
    with pytest.raises(TeaException) as caught:
        call()
    return caught.value


# -- the seed flow ------------------------------------------------------------------------


def test_seed_flow_v2_sdk(v2_client: Any) -> None:
    """The seed example with the V2 SDK, V3 and V2 signatures (parametrised fixture)."""
    sdk = V2(v2_client)
    vpc1, vrt1 = sdk.vpc("172.16.0.0/12")
    vpc2, vrt2 = sdk.vpc("192.168.0.0/16")
    name = unique("seed")
    init = sdk.create(
        opposite_region_id=REGION,
        router_type="VRouter",
        router_id=vrt1,
        role="InitiatingSide",
        spec="Large.2",
        name=name,
        description=name,
        instance_charge_type="PostPaid",
    )
    acc = sdk.create(
        opposite_region_id=REGION,
        router_type="VRouter",
        router_id=vrt2,
        role="AcceptingSide",
        spec="Negative",
        name=f"{name}-opposite",
        description=f"{name}-opposite",
    )
    before = sdk.listed(init, acc)
    assert {v["Status"] for v in before.values()} == {"Idle"}
    assert before[init]["OppositeInterfaceId"] == before[init]["ConnectedTime"] == ""
    assert before[init]["OppositeInterfaceStatus"] == ""
    assert before[init]["Name"] == name and before[acc]["Description"] == f"{name}-opposite"

    sdk.point(acc, init, vrt1, DEMO_ACCOUNT_ID)  # the acceptor first
    sdk.point(init, acc, vrt2, DEMO_ACCOUNT_ID)
    sdk.c.connect_router_interface(
        m.ConnectRouterInterfaceRequest(region_id=REGION, router_interface_id=init)
    )
    sdk.wait((init, acc), "Active")
    where = {
        "init_router": vrt1,
        "acc_router": vrt2,
        "init_vpc": vpc1,
        "acc_vpc": vpc2,
    }
    listed = sdk.listed(init, acc)
    check_pair(listed[init], listed[acc], status="Active", attribute=False, **where)
    assert listed[init]["FastLinkMode"] is False and listed[init]["CrossBorder"] is False
    attr_i, attr_a = sdk.attr(init), sdk.attr(acc)
    check_pair(attr_i, attr_a, status="Active", attribute=True, **where)
    assert attr_i["FastLinkMode"] == "false"
    assert attr_i["HasReservationData"] == "false"

    sdk.act("Deactivate", init)
    sdk.wait((init, acc), "Inactive")
    listed = sdk.listed(init, acc)
    check_pair(listed[init], listed[acc], status="Inactive", attribute=False, **where)
    sdk.act("Activate", acc)  # either side may activate the pair
    sdk.wait((init, acc), "Active")
    sdk.act("Deactivate", acc)
    sdk.wait((init, acc), "Inactive")
    sdk.c.delete_router_interface(
        m.DeleteRouterInterfaceRequest(region_id=REGION, router_interface_id=init)
    )
    sdk.wait((init,), "gone")
    assert sdk.attr(acc)["OppositeInterfaceStatus"] == "Deleted"
    sdk.c.delete_router_interface(
        m.DeleteRouterInterfaceRequest(region_id=REGION, router_interface_id=acc)
    )
    sdk.wait((acc,), "gone")
    assert sdk.listed(init, acc) == {}
    sdk.delete_vpc(vpc1)
    sdk.delete_vpc(vpc2)


def test_seed_flow_v1_sdk(ri_cloud: LiveCloud) -> None:
    """The same flow with aliyun-python-sdk-vpc on aliyun-python-sdk-core."""
    v1 = V1(ri_cloud)
    vpc1 = v1("CreateVpc", CidrBlock="172.16.0.0/12", VpcName=unique("vpc"))
    vpc2 = v1("CreateVpc", CidrBlock="192.168.0.0/16", VpcName=unique("vpc"))
    vrt1, vrt2 = vpc1["VRouterId"], vpc2["VRouterId"]
    for vpc in (vpc1, vpc2):
        wait_until(
            lambda v=vpc: v1("DescribeVpcAttribute", VpcId=v["VpcId"])["Status"] == "Available"
        )
    init = v1(
        "CreateRouterInterface",
        OppositeRegionId=REGION,
        RouterType="VRouter",
        RouterId=vrt1,
        Role="InitiatingSide",
        Spec="Large.2",
        InstanceChargeType="PostPaid",
        Name=unique("seed"),
    )["RouterInterfaceId"]
    acc = v1(
        "CreateRouterInterface",
        OppositeRegionId=REGION,
        RouterType="VRouter",
        RouterId=vrt2,
        Role="AcceptingSide",
        Spec="Negative",
    )["RouterInterfaceId"]
    for ri_id, at, router in ((acc, init, vrt1), (init, acc, vrt2)):
        v1(
            "ModifyRouterInterfaceAttribute",
            RouterInterfaceId=ri_id,
            OppositeInterfaceId=at,
            OppositeRouterId=router,
            OppositeRouterType="VRouter",
            OppositeInterfaceOwnerId=int(DEMO_ACCOUNT_ID),
        )
    v1("ConnectRouterInterface", RouterInterfaceId=init)

    def listed() -> dict[str, dict[str, Any]]:
        body = v1(
            "DescribeRouterInterfaces",
            Filters=[{"Key": "RouterInterfaceId", "Value": [init, acc]}],
        )
        assert body["TotalCount"] == len(body["RouterInterfaceSet"]["RouterInterfaceType"])
        return {
            i["RouterInterfaceId"]: i for i in body["RouterInterfaceSet"]["RouterInterfaceType"]
        }

    def attr(ri_id: str) -> dict[str, Any]:
        return v1("DescribeRouterInterfaceAttribute", InstanceId=ri_id)

    where = {
        "init_router": vrt1,
        "acc_router": vrt2,
        "init_vpc": vpc1["VpcId"],
        "acc_vpc": vpc2["VpcId"],
    }
    for status, action, side in (
        ("Active", None, None),
        ("Inactive", "Deactivate", init),
        ("Active", "Activate", init),
        ("Inactive", "Deactivate", acc),
    ):
        if action:
            v1(f"{action}RouterInterface", RouterInterfaceId=side)
        wait_until(lambda s=status: attr(init)["Status"] == attr(acc)["Status"] == s)
        items = listed()
        check_pair(items[init], items[acc], status=status, attribute=False, **where)
        check_pair(attr(init), attr(acc), status=status, attribute=True, **where)
    for ri_id in (init, acc):
        v1("DeleteRouterInterface", RouterInterfaceId=ri_id)
    wait_until(lambda: listed() == {})
    assert v1.code("DescribeRouterInterfaceAttribute", InstanceId=init) == (
        "InvalidInstanceId.NotFound"
    )
    for vpc in (vpc1, vpc2):
        v1("DeleteVpc", VpcId=vpc["VpcId"])
        wait_until(lambda v=vpc: v1.code("DescribeVpcAttribute", VpcId=v["VpcId"]) != "")


# -- cross-account --------------------------------------------------------------------------


def test_cross_account_connection_needs_both_accounts_consent(ri_cloud: LiveCloud) -> None:
    a = V2(vpc_client(ri_cloud))
    b = V2(vpc_client(ri_cloud, KEY_B, SECRET_B))
    c = V2(vpc_client(ri_cloud, KEY_C, SECRET_C))
    vpc_a, vrt_a = a.vpc("172.16.0.0/12")
    vpc_b, vrt_b = b.vpc("192.168.0.0/16")
    _, vrt_c = c.vpc("10.0.0.0/8")
    common = {"opposite_region_id": REGION, "router_type": "VRouter"}
    init = a.create(router_id=vrt_a, role="InitiatingSide", spec="Large.2", **common)
    acc = b.create(router_id=vrt_b, role="AcceptingSide", spec="Negative", **common)
    c_init = c.create(router_id=vrt_c, role="InitiatingSide", spec="Large.2", **common)
    a.point(init, acc, vrt_b, ACCOUNT_B)

    def refused() -> tuple[str, int, str]:
        err = error_of(
            lambda: a.c.connect_router_interface(
                m.ConnectRouterInterfaceRequest(region_id=REGION, router_interface_id=init)
            )
        )
        assert isinstance(err, ClientException)
        return err.code, err.status_code, err.data["Message"]

    # B has not consented: nothing configured, then consent to C instead of A.
    answers = [refused()]
    b.point(acc, c_init, vrt_c, ACCOUNT_C)
    answers.append(refused())
    a.point(init, "ri-" + "0" * 21, vrt_b, ACCOUNT_B)  # an interface B does not have
    answers.append(refused())
    assert set(answers) == {("IncorrectOppositeInterfaceInfo.NotSet", 400, NOT_SET_MESSAGE)}
    # Nothing changed on either side.
    assert a.attr(init)["Status"] == b.attr(acc)["Status"] == "Idle"
    # Neither account sees the other's interface.
    assert a.listed(acc) == {} and b.listed(init) == {}
    assert error_of(lambda: a.attr(acc)).code == "InvalidInstanceId.NotFound"

    # B's acceptor was pointed at C while Idle: B may re-point it at A.
    a.point(init, acc, vrt_b, ACCOUNT_B)
    b.point(acc, init, vrt_a, DEMO_ACCOUNT_ID)
    a.c.connect_router_interface(
        m.ConnectRouterInterfaceRequest(region_id=REGION, router_interface_id=init)
    )
    wait_until(lambda: a.status(init) == b.status(acc) == "Active")
    where = {
        "init_router": vrt_a,
        "acc_router": vrt_b,
        "init_vpc": vpc_a,
        "acc_vpc": vpc_b,
        "acc_owner": ACCOUNT_B,
    }
    check_pair(a.attr(init), b.attr(acc), status="Active", attribute=True, **where)
    check_pair(a.listed(init)[init], b.listed(acc)[acc], status="Active", attribute=False, **where)
    # Once connected, B's side cannot be re-pointed, and B can deactivate the pair.
    err = error_of(lambda: b.point(acc, c_init, vrt_c, ACCOUNT_C))
    assert err.code == "IncorrectStatus"
    b.act("Deactivate", acc)
    wait_until(lambda: a.status(init) == b.status(acc) == "Inactive")
    a.c.delete_router_interface(
        m.DeleteRouterInterfaceRequest(region_id=REGION, router_interface_id=init)
    )
    wait_until(lambda: a.status(init) == "gone")
    assert b.attr(acc)["OppositeInterfaceStatus"] == "Deleted"
    b.c.delete_router_interface(
        m.DeleteRouterInterfaceRequest(region_id=REGION, router_interface_id=acc)
    )
    wait_until(lambda: b.status(acc) == "gone")


# -- cross-region -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("region2", "cross_border"), [("cn-shanghai", False), ("ap-southeast-1", True)]
)
def test_cross_region_with_one_v1_client_per_region(
    ri_cloud: LiveCloud, region2: str, cross_border: bool
) -> None:
    here, there = V1(ri_cloud, REGION), V1(ri_cloud, region2)
    vpc1 = here("CreateVpc", CidrBlock="172.16.0.0/12")
    vpc2 = there("CreateVpc", CidrBlock="192.168.0.0/16")
    vrt1, vrt2 = vpc1["VRouterId"], vpc2["VRouterId"]
    wait_until(lambda: here("DescribeVpcAttribute", VpcId=vpc1["VpcId"])["Status"] == "Available")
    wait_until(lambda: there("DescribeVpcAttribute", VpcId=vpc2["VpcId"])["Status"] == "Available")
    init = here(
        "CreateRouterInterface",
        OppositeRegionId=region2,
        RouterType="VRouter",
        RouterId=vrt1,
        Role="InitiatingSide",
        Spec="Large.2",
    )["RouterInterfaceId"]
    acc = there(
        "CreateRouterInterface",
        OppositeRegionId=REGION,
        RouterType="VRouter",
        RouterId=vrt2,
        Role="AcceptingSide",
        Spec="Negative",
    )["RouterInterfaceId"]
    # Each region sees only its own interface.
    assert here.code("DescribeRouterInterfaceAttribute", InstanceId=acc) == (
        "InvalidInstanceId.NotFound"
    )
    assert there.code("DescribeRouterInterfaceAttribute", InstanceId=init) == (
        "InvalidInstanceId.NotFound"
    )
    for client, ri_id, at, router in ((there, acc, init, vrt1), (here, init, acc, vrt2)):
        client(
            "ModifyRouterInterfaceAttribute",
            RouterInterfaceId=ri_id,
            OppositeInterfaceId=at,
            OppositeRouterId=router,
            OppositeRouterType="VRouter",
            OppositeInterfaceOwnerId=int(DEMO_ACCOUNT_ID),
        )
    here("ConnectRouterInterface", RouterInterfaceId=init)
    wait_until(
        lambda: (
            here("DescribeRouterInterfaceAttribute", InstanceId=init)["Status"]
            == there("DescribeRouterInterfaceAttribute", InstanceId=acc)["Status"]
            == "Active"
        )
    )
    attr_i = here("DescribeRouterInterfaceAttribute", InstanceId=init)
    attr_a = there("DescribeRouterInterfaceAttribute", InstanceId=acc)
    check_pair(
        attr_i,
        attr_a,
        status="Active",
        attribute=True,
        init_router=vrt1,
        acc_router=vrt2,
        init_region=REGION,
        acc_region=region2,
        init_vpc=vpc1["VpcId"],
        acc_vpc=vpc2["VpcId"],
    )
    assert attr_i["CrossBorder"] is cross_border
    there("DeactivateRouterInterface", RouterInterfaceId=acc)
    wait_until(
        lambda: here("DescribeRouterInterfaceAttribute", InstanceId=init)["Status"] == "Inactive"
    )
    here("DeleteRouterInterface", RouterInterfaceId=init)
    there("DeleteRouterInterface", RouterInterfaceId=acc)
    wait_until(lambda: here.code("DeleteVpc", VpcId=vpc1["VpcId"]) == "")
    wait_until(lambda: there.code("DeleteVpc", VpcId=vpc2["VpcId"]) == "")


# -- VBR to VPC ---------------------------------------------------------------------------


def _vbr(sdk: V2) -> str:
    body = sdk.c.create_virtual_border_router(
        m.CreateVirtualBorderRouterRequest(
            region_id=REGION,
            physical_connection_id=DEMO_PHYSICAL_CONNECTION_ID,
            vlan_id=next_vlan(),
            local_gateway_ip="10.0.0.1",
            peer_gateway_ip="10.0.0.2",
            peering_subnet_mask="255.255.255.252",
            name=unique("vbr"),
        )
    ).body
    assert body.vbr_id.startswith("vbr-")
    return str(body.vbr_id)


def _vbr_view(sdk: V2, vbr: str) -> dict[str, Any] | None:
    req = m.DescribeVirtualBorderRoutersRequest(
        region_id=REGION,
        filter=[m.DescribeVirtualBorderRoutersRequestFilter(key="VbrId", value=[vbr])],
    )
    items = sdk.c.describe_virtual_border_routers(req).body.virtual_border_router_set
    found = [i.to_map() for i in items.virtual_border_router_type]
    return found[0] if found else None


def test_vbr_to_vpc(v2_client: Any) -> None:
    sdk = V2(v2_client)
    vbr = _vbr(sdk)
    view = _vbr_view(sdk, vbr)
    assert view is not None
    assert view["Status"] == "active" and view["AccessPointId"] == DEMO_ACCESS_POINT_ID
    assert is_int(view["VlanId"])
    assert isinstance(
        view["AssociatedPhysicalConnections"]["AssociatedPhysicalConnection"][0]["VlanId"], str
    )
    vpc, vrt = sdk.vpc("192.168.0.0/16")
    init = sdk.create(
        opposite_region_id=REGION,
        router_type="VBR",
        router_id=vbr,
        access_point_id=DEMO_ACCESS_POINT_ID,
        role="InitiatingSide",
        spec="Middle.1",
    )
    acc = sdk.create(
        opposite_region_id=REGION,
        router_type="VRouter",
        router_id=vrt,
        role="AcceptingSide",
        spec="Negative",
        opposite_router_type="VBR",
        opposite_access_point_id=DEMO_ACCESS_POINT_ID,
    )
    sdk.point(acc, init, vbr, DEMO_ACCOUNT_ID, kind="VBR")
    sdk.point(init, acc, vrt, DEMO_ACCOUNT_ID)
    sdk.act("Connect", init)
    sdk.wait((init, acc), "Active")
    attr_i, attr_a = sdk.attr(init), sdk.attr(acc)
    check_pair(
        attr_i,
        attr_a,
        status="Active",
        attribute=True,
        init_router=vbr,
        acc_router=vrt,
        acc_vpc=vpc,
        init_type="VBR",
        spec="Middle.1",
    )
    assert attr_i["AccessPointId"] == DEMO_ACCESS_POINT_ID
    assert attr_a["OppositeAccessPointId"] == DEMO_ACCESS_POINT_ID
    # The VBR cannot go while it has interfaces.
    err = error_of(
        lambda: sdk.c.delete_virtual_border_router(
            m.DeleteVirtualBorderRouterRequest(region_id=REGION, vbr_id=vbr)
        )
    )
    assert err.code == "InvalidOperation.RouterInterfaceNotDeleted"
    sdk.act("Deactivate", init)
    sdk.wait((init, acc), "Inactive")
    sdk.act("Delete", init)
    sdk.act("Delete", acc)
    sdk.wait((init, acc), "gone")
    sdk.c.delete_virtual_border_router(
        m.DeleteVirtualBorderRouterRequest(region_id=REGION, vbr_id=vbr)
    )
    wait_until(lambda: _vbr_view(sdk, vbr) is None, message="VBR deleted")
    sdk.delete_vpc(vpc)


def test_fast_link_mode(v2_client: Any) -> None:
    sdk = V2(v2_client)
    vbr = _vbr(sdk)
    vpc, vrt = sdk.vpc("192.168.0.0/16")
    init = sdk.create(
        opposite_region_id=REGION,
        router_type="VBR",
        router_id=vbr,
        access_point_id=DEMO_ACCESS_POINT_ID,
        role="InitiatingSide",
        spec="Middle.1",
        opposite_router_type="VRouter",
        opposite_router_id=vrt,
        opposite_interface_owner_id=DEMO_ACCOUNT_ID,
        fast_link_mode=True,
    )
    # Active at once, with the VPC-side acceptor created and connected.
    attr_i = sdk.attr(init)
    assert attr_i["Status"] == "Active" and attr_i["FastLinkMode"] == "true"
    acc = attr_i["OppositeInterfaceId"]
    req = m.DescribeRouterInterfacesRequest(
        region_id=REGION,
        filter=[m.DescribeRouterInterfacesRequestFilter(key="RouterId", value=[vrt])],
    )
    on_vpc = sdk.c.describe_router_interfaces(req).body.router_interface_set.router_interface_type
    assert [i.router_interface_id for i in on_vpc] == [acc]
    assert on_vpc[0].fast_link_mode is True
    check_pair(
        attr_i,
        sdk.attr(acc),
        status="Active",
        attribute=True,
        init_router=vbr,
        acc_router=vrt,
        acc_vpc=vpc,
        init_type="VBR",
        spec="Middle.1",
    )
    assert sdk.attr(acc)["OppositeAccessPointId"] == DEMO_ACCESS_POINT_ID
    sdk.c.delete_express_connect(
        m.DeleteExpressConnectRequest(region_id=REGION, router_interface_id=init, force=True)
    )
    sdk.wait((init, acc), "gone")
    sdk.c.delete_virtual_border_router(
        m.DeleteVirtualBorderRouterRequest(region_id=REGION, vbr_id=vbr)
    )
    sdk.delete_vpc(vpc)


# -- timed transitions --------------------------------------------------------------------


@pytest.fixture(scope="module")
def fixed_cloud(ri_start_cloud: Callable[..., LiveCloud]) -> LiveCloud:
    return ri_start_cloud(transitions="fixed:1")


def test_intermediate_states_with_fixed_delays(fixed_cloud: LiveCloud) -> None:
    """``--transitions fixed:1``: every intermediate state is visible, then settles."""
    sdk = V2(vpc_client(fixed_cloud))
    created = [
        sdk.c.create_vpc(m.CreateVpcRequest(region_id=REGION, cidr_block=cidr)).body
        for cidr in ("172.16.0.0/12", "192.168.0.0/16")
    ]
    assert {sdk.vpc_status(v.vpc_id) for v in created} == {"Pending"}
    # A Pending VPC's router takes no interface yet.
    err = error_of(
        lambda: sdk.create(
            opposite_region_id=REGION,
            router_type="VRouter",
            router_id=created[0].vrouter_id,
            role="InitiatingSide",
            spec="Large.2",
        )
    )
    assert err.code == "IncorrectVpcStatus"
    wait_until(lambda: {sdk.vpc_status(v.vpc_id) for v in created} == {"Available"})
    (vpc1, vrt1), (vpc2, vrt2) = ((v.vpc_id, v.vrouter_id) for v in created)
    init = sdk.create(
        opposite_region_id=REGION,
        router_type="VRouter",
        router_id=vrt1,
        role="InitiatingSide",
        spec="Large.2",
    )
    acc = sdk.create(
        opposite_region_id=REGION,
        router_type="VRouter",
        router_id=vrt2,
        role="AcceptingSide",
        spec="Negative",
    )
    sdk.point(acc, init, vrt1, DEMO_ACCOUNT_ID)
    sdk.point(init, acc, vrt2, DEMO_ACCOUNT_ID)

    def statuses() -> tuple[str, str]:
        return sdk.status(init), sdk.status(acc)

    def step(action: str, side: str, during: tuple[str, str], after: tuple[str, str]) -> None:
        sdk.act(action, side)
        assert statuses() == during
        # Nothing else may happen to the pair meanwhile.
        err = error_of(
            lambda: sdk.c.modify_router_interface_attribute(
                m.ModifyRouterInterfaceAttributeRequest(
                    region_id=REGION, router_interface_id=side, name=unique("busy")
                )
            )
        )
        assert err.code == "IncorrectStatus"
        wait_until(lambda: statuses() == after, timeout=10, message=f"{action} settles")

    step("Connect", init, ("Connecting", "AcceptingConnecting"), ("Active", "Active"))
    step("Deactivate", init, ("Deactivating", "Deactivating"), ("Inactive", "Inactive"))
    step("Activate", acc, ("Activating", "Activating"), ("Active", "Active"))
    step("Deactivate", acc, ("Deactivating", "Deactivating"), ("Inactive", "Inactive"))
    sdk.act("Delete", init)
    assert sdk.status(init) == "Deleting"
    assert sdk.attr(acc)["OppositeInterfaceStatus"] == "Deleting"
    # The VPC still has an interface while it is Deleting.
    err = error_of(lambda: sdk.c.delete_vpc(m.DeleteVpcRequest(region_id=REGION, vpc_id=vpc1)))
    assert (err.code, err.status_code) == ("DependencyViolation.RouterInterface", 400)
    wait_until(lambda: sdk.status(init) == "gone", message="initiator deleted")
    assert sdk.attr(acc)["OppositeInterfaceStatus"] == "Deleted"
    sdk.c.delete_vpc(m.DeleteVpcRequest(region_id=REGION, vpc_id=vpc1))
    assert sdk.listed_vpc_status(vpc1) == "Deleting"
    wait_until(lambda: sdk.listed_vpc_status(vpc1) == "gone", message="VPC deleted")
    sdk.act("Delete", acc)
    wait_until(lambda: sdk.status(acc) == "gone")
    sdk.delete_vpc(vpc2)


def test_describe_vpc_attribute_shows_a_deleting_vpc_as_deleting(fixed_cloud: LiveCloud) -> None:
    sdk = V2(vpc_client(fixed_cloud))
    vpc_id, _ = sdk.vpc("10.0.0.0/8")
    sdk.c.delete_vpc(m.DeleteVpcRequest(region_id=REGION, vpc_id=vpc_id))
    assert sdk.listed_vpc_status(vpc_id) == "Deleting"
    assert sdk.vpc_status(vpc_id) == "Deleting"
