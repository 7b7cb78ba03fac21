"""vSwitch and route entry services on an in-memory store with a FakeClock: the timed states
(Pending -> Available, Modifying, Deleting -> gone), the locks they put on each other, the
quotas, and the route/interface dependency while a route is still being deleted."""

from __future__ import annotations

from typing import Any

import pytest

from riconnect.domain.clock import FakeClock
from riconnect.domain.errors import ApiError
from riconnect.domain.transitions import Delays
from riconnect.service.context import Settings
from riconnect.store.db import Store
from riconnect.testing import InProcessService

ACCOUNT = "1234567890123456"
REGION = "cn-hangzhou"
DELAYS = Delays(vsw_create=2, vsw_delete=2, route_create=2, route_modify=1, route_delete=2)


class Cloud:
    def __init__(self, delays: Delays = DELAYS) -> None:
        self.clock = FakeClock()
        self.service = InProcessService(
            Store(":memory:"), self.clock, Settings(delays=delays), ACCOUNT
        )

    def call(self, action: str, **params: Any) -> dict[str, Any]:
        return self.service.run(action, {k: str(v) for k, v in params.items()}, REGION)

    def error(self, action: str, **params: Any) -> str:
        with pytest.raises(ApiError) as info:
            self.call(action, **params)
        return info.value.code

    def vpc(self, cidr: str) -> dict[str, Any]:
        return self.call("CreateVpc", CidrBlock=cidr)

    def vswitch(self, vpc_id: str, cidr: str) -> str:
        vsw_id: str = self.call(
            "CreateVSwitch", VpcId=vpc_id, ZoneId="cn-hangzhou-h", CidrBlock=cidr
        )["VSwitchId"]
        return vsw_id

    def vsw_status(self, vsw_id: str) -> str:
        status: str = self.call("DescribeVSwitchAttributes", VSwitchId=vsw_id)["Status"]
        return status

    def routes(self, table: str) -> dict[str, str]:
        body = self.call("DescribeRouteEntryList", RouteTableId=table, MaxResult=100)
        return {e["DestinationCidrBlock"]: e["Status"] for e in body["RouteEntrys"]["RouteEntry"]}

    def pair(self, a: dict[str, Any], b: dict[str, Any]) -> tuple[str, str]:
        ia = self.call(
            "CreateRouterInterface",
            RouterType="VRouter",
            RouterId=a["VRouterId"],
            Role="InitiatingSide",
            Spec="Large.1",
            OppositeRegionId=REGION,
        )["RouterInterfaceId"]
        ib = self.call(
            "CreateRouterInterface",
            RouterType="VRouter",
            RouterId=b["VRouterId"],
            Role="AcceptingSide",
            Spec="Negative",
            OppositeRegionId=REGION,
        )["RouterInterfaceId"]
        for me, other, vpc in ((ia, ib, b), (ib, ia, a)):
            self.call(
                "ModifyRouterInterfaceAttribute",
                RouterInterfaceId=me,
                OppositeInterfaceId=other,
                OppositeRouterId=vpc["VRouterId"],
                OppositeRouterType="VRouter",
                OppositeInterfaceOwnerId=ACCOUNT,
            )
        self.call("ConnectRouterInterface", RouterInterfaceId=ia)
        return ia, ib


def test_vswitch_states_and_the_lock_they_hold() -> None:
    cloud = Cloud()
    vpc = cloud.vpc("172.16.0.0/12")
    cloud.clock.advance(1)
    first = cloud.vswitch(vpc["VpcId"], "172.16.1.0/24")
    assert cloud.vsw_status(first) == "Pending"
    # Its system route is pending too, and a second vSwitch must wait.
    assert cloud.routes(vpc["RouteTableId"])["172.16.1.0/24"] == "Pending"
    assert (
        cloud.error(
            "CreateVSwitch", VpcId=vpc["VpcId"], ZoneId="cn-hangzhou-h", CidrBlock="172.16.2.0/24"
        )
        == "IncorrectVSwitchStatus"
    )
    assert cloud.error("DeleteVSwitch", VSwitchId=first) == "IncorrectVSwitchStatus"
    cloud.clock.advance(2)
    assert cloud.vsw_status(first) == "Available"
    cloud.call("DeleteVSwitch", VSwitchId=first)
    assert cloud.vsw_status(first) == "Pending"  # "Pending ... is being deleted"
    assert cloud.error("DeleteVpc", VpcId=vpc["VpcId"]) == "DependencyViolation.VSwitch"
    cloud.clock.advance(2)
    assert cloud.error("DescribeVSwitchAttributes", VSwitchId=first) == "InvalidVSwitchId.NotFound"
    cloud.call("DeleteVpc", VpcId=vpc["VpcId"])


def test_route_entry_states_and_locks() -> None:
    cloud = Cloud()
    a, b = cloud.vpc("172.16.0.0/12"), cloud.vpc("192.168.0.0/16")
    cloud.clock.advance(1)
    ia, _ = cloud.pair(a, b)
    table = a["RouteTableId"]
    entry = cloud.call(
        "CreateRouteEntry",
        RouteTableId=table,
        DestinationCidrBlock="192.168.0.0/16",
        NextHopType="RouterInterface",
        NextHopId=ia,
    )["RouteEntryId"]
    assert cloud.routes(table)["192.168.0.0/16"] == "Pending"
    # While one route is pending the table takes no other change, nor a vSwitch.
    assert (
        cloud.error(
            "CreateRouteEntry",
            RouteTableId=table,
            DestinationCidrBlock="10.0.0.0/8",
            NextHopType="RouterInterface",
            NextHopId=ia,
        )
        == "IncorrectRouteEntryStatus"
    )
    assert (
        cloud.error(
            "CreateVSwitch", VpcId=a["VpcId"], ZoneId="cn-hangzhou-h", CidrBlock="172.16.1.0/24"
        )
        == "IncorrectRouteEntryStatus"
    )
    assert cloud.error("DeleteRouteEntry", RouteEntryId=entry) == "IncorrectRouteEntryStatus"
    cloud.clock.advance(2)
    assert cloud.routes(table)["192.168.0.0/16"] == "Available"

    # A new next hop: Modifying, then Available (a name alone changes at once).
    ib2 = cloud.call(
        "CreateRouterInterface",
        RouterType="VRouter",
        RouterId=a["VRouterId"],
        Role="AcceptingSide",
        Spec="Negative",
        OppositeRegionId=REGION,
    )["RouterInterfaceId"]
    cloud.call(
        "ModifyRouteEntry", RouteEntryId=entry, NewNextHopType="RouterInterface", NewNextHopId=ib2
    )
    assert cloud.routes(table)["192.168.0.0/16"] == "Modifying"
    cloud.clock.advance(1)
    assert cloud.routes(table)["192.168.0.0/16"] == "Available"
    cloud.call("ModifyRouteEntry", RouteEntryId=entry, RouteEntryName="to-b")
    assert cloud.routes(table)["192.168.0.0/16"] == "Available"

    cloud.call("DeleteRouteEntry", RouteEntryId=entry)
    assert cloud.routes(table)["192.168.0.0/16"] == "Deleting"
    # Still there while being deleted: the interface it used stays referred to.
    assert cloud.error("DeleteRouterInterface", RouterInterfaceId=ib2) == (
        "DependencyViolation.RouterInterfaceReferedByRouteEntry"
    )
    assert cloud.error("DeleteVpc", VpcId=a["VpcId"]) == "DependencyViolation.RouteEntry"
    cloud.clock.advance(2)
    assert "192.168.0.0/16" not in cloud.routes(table)
    cloud.call("DeleteRouterInterface", RouterInterfaceId=ib2)


def test_interface_in_transition_is_not_a_next_hop() -> None:
    cloud = Cloud(Delays(ri_connect=5))
    a, b = cloud.vpc("172.16.0.0/12"), cloud.vpc("192.168.0.0/16")
    ia, _ = cloud.pair(a, b)  # Connecting for 5 s
    assert (
        cloud.error(
            "CreateRouteEntry",
            RouteTableId=a["RouteTableId"],
            DestinationCidrBlock="192.168.0.0/16",
            NextHopType="RouterInterface",
            NextHopId=ia,
        )
        == "IncorrectStatus.RouterInterface"
    )
    cloud.clock.advance(5)
    cloud.call(
        "CreateRouteEntry",
        RouteTableId=a["RouteTableId"],
        DestinationCidrBlock="192.168.0.0/16",
        NextHopType="RouterInterface",
        NextHopId=ia,
    )


def test_quotas() -> None:
    cloud = Cloud(Delays())
    vpc = cloud.vpc("10.0.0.0/8")
    for i in range(150):
        cloud.vswitch(vpc["VpcId"], f"10.{i // 250}.{i % 250}.0/24")
    assert (
        cloud.error(
            "CreateVSwitch", VpcId=vpc["VpcId"], ZoneId="cn-hangzhou-h", CidrBlock="10.9.0.0/24"
        )
        == "QuotaExceeded.VSwitch"
    )

    a, b = cloud.vpc("172.16.0.0/12"), cloud.vpc("192.168.0.0/16")
    ia, _ = cloud.pair(a, b)
    for i in range(200):
        cloud.call(
            "CreateRouteEntry",
            RouteTableId=a["RouteTableId"],
            DestinationCidrBlock=f"192.168.{i}.0/24",
            NextHopType="RouterInterface",
            NextHopId=ia,
        )
    assert (
        cloud.error(
            "CreateRouteEntry",
            RouteTableId=a["RouteTableId"],
            DestinationCidrBlock="192.168.250.0/24",
            NextHopType="RouterInterface",
            NextHopId=ia,
        )
        == "QuotaExceeded"
    )


def test_cidr_mask_allocation_skips_taken_blocks() -> None:
    cloud = Cloud(Delays())
    vpc = cloud.vpc("192.168.0.0/16")
    cloud.vswitch(vpc["VpcId"], "192.168.0.0/24")
    cloud.vswitch(vpc["VpcId"], "192.168.2.0/23")
    made = [
        cloud.call("CreateVSwitch", VpcId=vpc["VpcId"], ZoneId="cn-hangzhou-h", CidrMask=m)[
            "VSwitchId"
        ]
        for m in (24, 23, 29)
    ]
    blocks = [cloud.call("DescribeVSwitchAttributes", VSwitchId=v)["CidrBlock"] for v in made]
    assert blocks == ["192.168.1.0/24", "192.168.4.0/23", "192.168.6.0/29"]


def test_vpc_deletion_takes_its_route_table() -> None:
    cloud = Cloud(Delays(vpc_delete=3))
    vpc = cloud.vpc("172.16.0.0/12")
    cloud.call("DeleteVpc", VpcId=vpc["VpcId"])
    listed = cloud.call("DescribeRouteTableList", RouteTableId=vpc["RouteTableId"])
    assert listed["TotalCount"] == 1  # still there while the VPC is Deleting
    cloud.clock.advance(3)
    listed = cloud.call("DescribeRouteTableList", RouteTableId=vpc["RouteTableId"])
    assert listed["TotalCount"] == 0
    assert cloud.error("DescribeRouteEntryList", RouteTableId=vpc["RouteTableId"]) == (
        "InvalidRouteTableId.NotFound"
    )
