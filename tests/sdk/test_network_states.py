"""vSwitches and route entries in their transient states, through the three official clients:
the documented errors that only a Pending, Modifying or Deleting object can provoke, and the
quotas.

Each state is held for ten minutes (``--transitions NAME=600``) so that nothing settles while
a loaded machine runs the test; the assertions only ever look inside that window.  The rules
themselves are also checked on a fake clock in tests/service/test_network.py; here the codes,
HTTP statuses and envelopes are what each SDK raises.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from riconnect.testing import LiveCloud
from tests.sdk.conftest import Sdk, SdkFactory
from tests.sdk.test_network import connected_pair, entries, new_vpc, new_vswitch, route

HOLD = 600


@pytest.fixture(scope="module")
def creating_cloud(ri_start_cloud: Callable[..., LiveCloud]) -> LiveCloud:
    """New vSwitches and route entries stay Pending."""
    return ri_start_cloud(transitions=f"vsw_create={HOLD},route_create={HOLD}")


@pytest.fixture(scope="module")
def deleting_cloud(ri_start_cloud: Callable[..., LiveCloud]) -> LiveCloud:
    """Deleted route entries and router interfaces stay Deleting; new ones are Available."""
    return ri_start_cloud(transitions=f"route_delete={HOLD},ri_delete={HOLD}")


def test_a_pending_vswitch_locks_its_vpc(make_sdk: SdkFactory, creating_cloud: LiveCloud) -> None:
    sdk = make_sdk(creating_cloud)
    vpc = new_vpc(sdk)
    vsw = new_vswitch(sdk, vpc["VpcId"], "172.16.1.0/24")
    assert sdk.action("DescribeVSwitchAttributes", {"VSwitchId": vsw})["Status"] == "Pending"
    # "VSwitch Creation simultaneously is not supported."
    with sdk.raises("IncorrectVSwitchStatus", 400):
        new_vswitch(sdk, vpc["VpcId"], "172.16.2.0/24")
    # "Only VSwitches in the Available state can be deleted."
    with sdk.raises("IncorrectVSwitchStatus", 400):
        sdk.action("DeleteVSwitch", {"VSwitchId": vsw})
    with sdk.raises("IncorrectVSwitchStatus", 400):
        sdk.action("ModifyVSwitchAttribute", {"VSwitchId": vsw, "VSwitchName": "web"})
    # The VPC is not empty while its vSwitch is being created.
    with sdk.raises("DependencyViolation.VSwitch", 400):
        sdk.delete_vpc(vpc["VpcId"])


def test_a_pending_route_locks_its_table(make_sdk: SdkFactory, creating_cloud: LiveCloud) -> None:
    sdk = make_sdk(creating_cloud)
    a, b = new_vpc(sdk), new_vpc(sdk, "192.168.0.0/16")
    ri_a, _ = connected_pair(sdk, a, b)
    table = a["RouteTableId"]
    entry = route(sdk, table, "192.168.0.0/16", ri_a)
    (listed,) = entries(sdk, table, RouteEntryType="Custom")
    assert (listed["RouteEntryId"], listed["Status"]) == (entry, "Pending")
    # "Some route entry status blocked this operation." for routes and vSwitches alike.
    with sdk.raises("IncorrectRouteEntryStatus", 400):
        route(sdk, table, "10.0.0.0/8", ri_a)
    with sdk.raises("IncorrectRouteEntryStatus", 400):
        new_vswitch(sdk, a["VpcId"], "172.16.1.0/24")
    with sdk.raises("IncorrectRouteEntryStatus", 400):
        sdk.action("DeleteRouteEntry", {"RouteEntryId": entry})
    # Until it is Available the route holds its interface like any other route.
    sdk.action("DeactivateRouterInterface", {"RouterInterfaceId": ri_a})
    with sdk.raises("DependencyViolation.RouterInterfaceReferedByRouteEntry", 400):
        sdk.action("DeleteRouterInterface", {"RouterInterfaceId": ri_a})


def test_a_deleting_route_still_holds_its_interface(
    make_sdk: SdkFactory, deleting_cloud: LiveCloud
) -> None:
    sdk = make_sdk(deleting_cloud)
    a, b = new_vpc(sdk), new_vpc(sdk, "192.168.0.0/16")
    ri_a, _ = connected_pair(sdk, a, b)
    table = a["RouteTableId"]
    entry = route(sdk, table, "192.168.0.0/16", ri_a)
    sdk.action("DeleteRouteEntry", {"RouteEntryId": entry})
    (listed,) = entries(sdk, table, RouteEntryType="Custom")
    assert listed["Status"] == "Deleting"
    sdk.action("DeactivateRouterInterface", {"RouterInterfaceId": ri_a})
    # The interface-first order stays refused until the route is really gone.
    with sdk.raises("DependencyViolation.RouterInterfaceReferedByRouteEntry", 400):
        sdk.action("DeleteRouterInterface", {"RouterInterfaceId": ri_a})
    with sdk.raises("DependencyViolation.RouteEntry", 400):
        sdk.delete_vpc(a["VpcId"])
    with sdk.raises("IncorrectRouteEntryStatus", 400):
        sdk.action("DeleteRouteEntry", {"RouteEntryId": entry})


def test_an_interface_in_transition_is_no_next_hop(
    make_sdk: SdkFactory, deleting_cloud: LiveCloud
) -> None:
    sdk = make_sdk(deleting_cloud)

    def interface(vpc: dict[str, Any]) -> str:
        body = sdk.action(
            "CreateRouterInterface",
            {
                "RouterType": "VRouter",
                "RouterId": vpc["VRouterId"],
                "Role": "AcceptingSide",
                "Spec": "Negative",
                "OppositeRegionId": sdk.region,
            },
        )
        ri_id: str = body["RouterInterfaceId"]
        return ri_id

    # An Idle interface is a valid next hop (the route carries nothing until it is Active).
    idle_vpc = new_vpc(sdk)
    route(sdk, idle_vpc["RouteTableId"], "10.0.0.0/8", interface(idle_vpc))
    # One being deleted is not.
    vpc = new_vpc(sdk)
    leaving = interface(vpc)
    sdk.action("DeleteRouterInterface", {"RouterInterfaceId": leaving})  # Deleting for HOLD s
    with sdk.raises("IncorrectStatus.RouterInterface", 400):
        route(sdk, vpc["RouteTableId"], "192.168.0.0/16", leaving)


def test_quotas(riconnect_cloud: LiveCloud) -> None:
    """150 vSwitches per VPC, 200 custom routes per table.  One client is enough: the limit is
    the server's, and the envelope of the error is the same for every SDK."""
    sdk = Sdk("tea-v3", riconnect_cloud.endpoint)
    vpc = new_vpc(sdk, "10.0.0.0/8")
    for i in range(150):
        new_vswitch(sdk, vpc["VpcId"], f"10.{i // 250}.{i % 250}.0/24")
    with sdk.raises("QuotaExceeded.VSwitch", 400) as caught:
        new_vswitch(sdk, vpc["VpcId"], "10.9.0.0/24")
    assert caught.server_message == "Virtual switch quota exceeded."
    assert sdk.action("DescribeVSwitches", {"VpcId": vpc["VpcId"]})["TotalCount"] == 150

    a, b = new_vpc(sdk, "172.16.0.0/12"), new_vpc(sdk, "192.168.0.0/16")
    ri_a, _ = connected_pair(sdk, a, b)
    for i in range(200):
        route(sdk, a["RouteTableId"], f"192.168.{i}.0/24", ri_a)
    with sdk.raises("QuotaExceeded", 400):
        route(sdk, a["RouteTableId"], "192.168.250.0/24", ri_a)
    assert len(entries(sdk, a["RouteTableId"], RouteEntryType="Custom")) == 100  # one page
