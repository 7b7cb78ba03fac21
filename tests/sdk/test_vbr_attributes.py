"""A VBR's settings after creation, through each of the three official clients:
ModifyVirtualBorderRouterAttribute, TerminateVirtualBorderRouter and
RecoverVirtualBorderRouter, with the errors Alibaba documents for them, and every field the
official Terraform provider reads back from DescribeVirtualBorderRouters."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from typing import Any

import pytest

from riconnect.domain.accounts import DEMO_PHYSICAL_CONNECTION_ID
from riconnect.testing import LiveCloud
from tests.sdk.conftest import Sdk

HZ = "cn-hangzhou"
_VLANS = itertools.count(2400)
PEERING = {
    "LocalGatewayIp": "10.254.0.1",
    "PeerGatewayIp": "10.254.0.2",
    "PeeringSubnetMask": "255.255.255.252",
}


def _vbr(sdk: Sdk, **extra: Any) -> str:
    body = sdk.call(
        "CreateVirtualBorderRouter",
        {
            "RegionId": HZ,
            "PhysicalConnectionId": DEMO_PHYSICAL_CONNECTION_ID,
            "VlanId": next(_VLANS),
            **PEERING,
            **extra,
        },
    )
    return str(body["VbrId"])


def _describe(sdk: Sdk, vbr_id: str) -> dict[str, Any]:
    body = sdk.call(
        "DescribeVirtualBorderRouters",
        {
            "RegionId": HZ,
            "IncludeCrossAccountVbr": "true",
            "Filter.1.Key": "VbrId",
            "Filter.1.Value.1": vbr_id,
        },
    )
    (found,) = body["VirtualBorderRouterSet"]["VirtualBorderRouterType"]
    return dict(found)


def _modify(sdk: Sdk, vbr_id: str, **params: Any) -> None:
    sdk.call("ModifyVirtualBorderRouterAttribute", {"RegionId": HZ, "VbrId": vbr_id, **params})


def test_create_with_ipv6_tags_and_group_reads_every_field_back(sdk: Sdk) -> None:
    vbr = _vbr(
        sdk,
        Name="edge-a",
        Description="first",
        CircuitCode="longtel001",
        Bandwidth=50,
        EnableIpv6="true",
        LocalIpv6GatewayIp="2408:4004:cc::1",
        PeerIpv6GatewayIp="2408:4004:cc::2",
        PeeringIpv6SubnetMask="2408:4004:cc::/56",
        ResourceGroupId="rg-vbrtest0001",
        **{"Tag.1.Key": "env", "Tag.1.Value": "test"},
    )
    got = _describe(sdk, vbr)
    assert {k: got[k] for k in ("Name", "Description", "CircuitCode", "Bandwidth")} == {
        "Name": "edge-a",
        "Description": "first",
        "CircuitCode": "longtel001",
        "Bandwidth": 50,
    }
    assert (got["EnableIpv6"], got["LocalIpv6GatewayIp"], got["PeerIpv6GatewayIp"]) == (
        True,
        "2408:4004:cc::1",
        "2408:4004:cc::2",
    )
    assert got["PeeringIpv6SubnetMask"] == "2408:4004:cc::/56"
    assert got["ResourceGroupId"] == "rg-vbrtest0001"
    assert got["Tags"]["Tags"] == [{"Key": "env", "Value": "test"}]
    # The link settings a new VBR has; the official Read takes each of them.
    assert (got["Mtu"], got["MinRxInterval"], got["MinTxInterval"]) == (1500, 1000, 1000)
    assert (got["DetectMultiplier"], got["SitelinkEnable"]) == (3, False)
    assert got["Status"] == "active" and got["CreationTime"] and got["RouteTableId"]
    assert (got["TerminationTime"], got["RecoveryTime"]) == ("", "")


def test_modify_changes_every_attribute_in_place(sdk: Sdk) -> None:
    vbr = _vbr(sdk, Name="edge-b", Description="before", CircuitCode="c1")
    vlan = next(_VLANS)
    _modify(
        sdk,
        vbr,
        VlanId=vlan,
        LocalGatewayIp="10.253.0.1",
        PeerGatewayIp="10.253.0.6",
        PeeringSubnetMask="255.255.255.248",
        Name="edge-b2",
        Description="after",
        CircuitCode="c2",
        Bandwidth=200,
        EnableIpv6="true",
        LocalIpv6GatewayIp="2408:4004:dd::1",
        PeerIpv6GatewayIp="2408:4004:dd::2",
        PeeringIpv6SubnetMask="2408:4004:dd::/64",
        Mtu=8500,
        MinRxInterval=300,
        MinTxInterval=400,
        DetectMultiplier=10,
        SitelinkEnable="true",
        AssociatedPhysicalConnections=f'[{{"PhysicalConnectionId": "{DEMO_PHYSICAL_CONNECTION_ID}"}}]',
        ClientToken=f"modify-{vbr}",
    )
    got = _describe(sdk, vbr)
    assert got["VlanId"] == vlan
    assert (got["LocalGatewayIp"], got["PeerGatewayIp"], got["PeeringSubnetMask"]) == (
        "10.253.0.1",
        "10.253.0.6",
        "255.255.255.248",
    )
    assert (got["Name"], got["Description"], got["CircuitCode"], got["Bandwidth"]) == (
        "edge-b2",
        "after",
        "c2",
        200,
    )
    assert (got["EnableIpv6"], got["LocalIpv6GatewayIp"], got["PeeringIpv6SubnetMask"]) == (
        True,
        "2408:4004:dd::1",
        "2408:4004:dd::/64",
    )
    assert (got["Mtu"], got["MinRxInterval"], got["MinTxInterval"]) == (8500, 300, 400)
    assert (got["DetectMultiplier"], got["SitelinkEnable"]) == (10, True)
    # Only what a request names changes; an empty text clears it (as the official provider
    # sends an argument removed from the configuration).
    _modify(sdk, vbr, Description="", CircuitCode="", Mtu=1500)
    got = _describe(sdk, vbr)
    assert (got["Description"], got["CircuitCode"], got["Mtu"], got["Name"]) == (
        "",
        "",
        1500,
        "edge-b2",
    )


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"VlanId": 3000}, "InvalidVlanId.Malformed"),
        ({"PeeringSubnetMask": "255.255.255.254"}, "InvalidIp.Malformed"),
        ({"PeeringSubnetMask": "255.255.0.0"}, "InvalidIp.Malformed"),
        ({"PeerGatewayIp": "10.9.9.9"}, "InvalidIp.Malformed"),
        ({"LocalGatewayIp": "not-an-ip"}, "InvalidIp.Malformed"),
        ({"LocalIpv6GatewayIp": "10.0.0.1"}, "InvalidIp.Malformed"),
        (
            {"PeerIpv6GatewayIp": "2408:4004:ee::2", "PeeringIpv6SubnetMask": "2408:4004:cc::/64"},
            "InvalidIp.Malformed",
        ),
        ({"Name": "1starts-with-a-digit"}, "InvalidVbrName.Malformed"),
        ({"Description": "http://example.com"}, "InvalidDescription.Malformed"),
        ({"Mtu": 9000}, "InvalidParameter"),
        ({"MinRxInterval": 100}, "InvalidParameter"),
        ({"MinTxInterval": 1001}, "InvalidParameter"),
        ({"DetectMultiplier": 2}, "InvalidParameter"),
        ({"Bandwidth": 0}, "InvalidParameter"),
        ({"AssociatedPhysicalConnections": "not json"}, "InvalidParameter"),
        (
            {"AssociatedPhysicalConnections": '[{"PhysicalConnectionId": "pc-other000000001"}]'},
            "InvalidParameter",
        ),
    ],
)
def test_modify_refuses_malformed_values(sdk: Sdk, params: dict[str, Any], code: str) -> None:
    vbr = _vbr(sdk)
    with sdk.raises(code, 400):
        _modify(sdk, vbr, **params)
    assert _describe(sdk, vbr)["PeeringSubnetMask"] == "255.255.255.252"  # nothing applied


def test_modify_vlan_in_use_and_unknown_vbr(sdk: Sdk) -> None:
    first_vlan = next(_VLANS)
    first = _vbr(sdk, VlanId=first_vlan)
    second = _vbr(sdk)
    with sdk.raises("InvalidVlanId.Used", 400):
        _modify(sdk, second, VlanId=first_vlan)
    _modify(sdk, first, VlanId=first_vlan)  # its own VLAN again is no conflict
    with sdk.raises("InvalidVbrId.NotFound", 404):
        _modify(sdk, "vbr-doesnotexist0000001", Name="x-name")
    with sdk.raises("MissingParameter", 400):
        sdk.call("ModifyVirtualBorderRouterAttribute", {"RegionId": HZ})


def test_terminate_then_recover(sdk: Sdk) -> None:
    vbr = _vbr(sdk)
    sdk.call("TerminateVirtualBorderRouter", {"RegionId": HZ, "VbrId": vbr})
    got = _describe(sdk, vbr)
    assert got["Status"] == "terminated" and got["TerminationTime"]
    # A terminated VBR can be neither terminated again nor modified.
    with sdk.raises("InvalidOperation.OperationNotAllowedInState", 400):
        sdk.call("TerminateVirtualBorderRouter", {"RegionId": HZ, "VbrId": vbr})
    with sdk.raises("InvalidOperation.OperationNotAllowedInState", 400):
        _modify(sdk, vbr, Description="while terminated")
    sdk.call("RecoverVirtualBorderRouter", {"RegionId": HZ, "VbrId": vbr, "ClientToken": vbr})
    sdk.call("RecoverVirtualBorderRouter", {"RegionId": HZ, "VbrId": vbr, "ClientToken": vbr})
    got = _describe(sdk, vbr)
    assert got["Status"] == "active" and got["RecoveryTime"]
    with sdk.raises("InvalidOperation.OperationNotAllowedInState", 400):
        sdk.call("RecoverVirtualBorderRouter", {"RegionId": HZ, "VbrId": vbr})
    for action in ("TerminateVirtualBorderRouter", "RecoverVirtualBorderRouter"):
        with sdk.raises("InvalidVbrId.NotFound", 404):
            sdk.call(action, {"RegionId": HZ, "VbrId": "vbr-doesnotexist0000001"})
    # A terminated VBR can be deleted (DeleteVirtualBorderRouter's documented states).
    sdk.call("TerminateVirtualBorderRouter", {"RegionId": HZ, "VbrId": vbr})
    sdk.call("DeleteVirtualBorderRouter", {"RegionId": HZ, "VbrId": vbr})


def test_terminating_and_recovering_take_their_time(
    ri_start_cloud: Callable[..., LiveCloud],
) -> None:
    # The timed states are the cloud's: one client shows them.
    cloud = ri_start_cloud(transitions="vbr_terminate=0.6,vbr_recover=0.6")
    sdk = Sdk("tea-v3", cloud.endpoint)
    vbr = _vbr(sdk)
    sdk.call("TerminateVirtualBorderRouter", {"RegionId": HZ, "VbrId": vbr})
    assert _describe(sdk, vbr)["Status"] == "terminating"
    with sdk.raises("InvalidOperation.OperationNotAllowedInState", 400):
        sdk.call("RecoverVirtualBorderRouter", {"RegionId": HZ, "VbrId": vbr})
    _wait_status(sdk, vbr, "terminated")
    sdk.call("RecoverVirtualBorderRouter", {"RegionId": HZ, "VbrId": vbr})
    assert _describe(sdk, vbr)["Status"] == "recovering"
    with sdk.raises("InvalidOperation.OperationNotAllowedInState", 400):
        _modify(sdk, vbr, Description="while recovering")
    _wait_status(sdk, vbr, "active")


def _wait_status(sdk: Sdk, vbr: str, status: str) -> None:
    deadline = time.monotonic() + 30
    while _describe(sdk, vbr)["Status"] != status:
        assert time.monotonic() < deadline, f"{vbr} never reached {status}"
        time.sleep(0.1)
