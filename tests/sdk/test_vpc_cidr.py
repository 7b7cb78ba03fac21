"""A VPC's address space through each of the three official clients: ModifyVpcAttribute's
CidrBlock rule (issue 11, item 9), secondary blocks, ClassicLink, the IPv6 block and the
default VPC (item 6)."""

from __future__ import annotations

import ipaddress
from typing import Any

HZ = "cn-hangzhou"


def _vpc(sdk: Any, cidr: str = "172.16.0.0/12", **extra: Any) -> str:
    return str(sdk.call("CreateVpc", {"RegionId": HZ, "CidrBlock": cidr, **extra})["VpcId"])


def _attribute(sdk: Any, vpc_id: str) -> dict[str, Any]:
    return sdk.call("DescribeVpcAttribute", {"RegionId": HZ, "VpcId": vpc_id})


def _modify(sdk: Any, vpc_id: str, **params: Any) -> None:
    sdk.call("ModifyVpcAttribute", {"RegionId": HZ, "VpcId": vpc_id, **params})


def test_cidr_block_shrinks_and_switches_range(sdk: Any) -> None:
    # The official acceptance tests: /12 -> /16 -> /12, and 172.16/12 -> 10/8 -> back.
    vpc_id = _vpc(sdk)
    for cidr in ("172.16.0.0/16", "172.16.0.0/12", "10.0.0.0/8", "172.16.0.0/12"):
        _modify(sdk, vpc_id, CidrBlock=cidr)
        assert _attribute(sdk, vpc_id)["CidrBlock"] == cidr
    with sdk.raises("InvalidCidrBlock.Malformed", 400):
        _modify(sdk, vpc_id, CidrBlock="127.0.0.0/16")
    assert _attribute(sdk, vpc_id)["CidrBlock"] == "172.16.0.0/12"


def test_secondary_blocks_associate_and_unassociate(sdk: Any) -> None:
    vpc_id = _vpc(sdk, "192.168.0.0/16")
    blocks = ["10.0.0.0/16", "10.1.0.0/16", "10.2.0.0/16", "10.3.0.0/16", "10.4.0.0/16"]
    for block in blocks:
        sdk.call(
            "AssociateVpcCidrBlock",
            {"RegionId": HZ, "VpcId": vpc_id, "SecondaryCidrBlock": block, "IpVersion": "IPV4"},
        )
    vpc = _attribute(sdk, vpc_id)
    assert vpc["SecondaryCidrBlocks"]["SecondaryCidrBlock"] == blocks
    with sdk.raises("QuotaExceeded.SecondaryCidrBlock", 400):
        sdk.call(
            "AssociateVpcCidrBlock",
            {"RegionId": HZ, "VpcId": vpc_id, "SecondaryCidrBlock": "10.9.0.0/16"},
        )
    sdk.call(
        "UnassociateVpcCidrBlock",
        {"RegionId": HZ, "VpcId": vpc_id, "SecondaryCidrBlock": "10.2.0.0/16"},
    )
    listed = sdk.call("DescribeVpcs", {"RegionId": HZ, "VpcId": vpc_id})["Vpcs"]["Vpc"][0]
    assert listed["SecondaryCidrBlocks"]["SecondaryCidrBlock"] == [
        b for b in blocks if b != "10.2.0.0/16"
    ]
    for block in ("192.168.1.0/24", "10.1.0.0/24"):  # inside the primary / a secondary
        with sdk.raises("InvalidCidrBlock.Overlapped", 400):
            sdk.call(
                "AssociateVpcCidrBlock",
                {"RegionId": HZ, "VpcId": vpc_id, "SecondaryCidrBlock": block},
            )
    with sdk.raises("InvalidCidrBlock.Malformed", 400):
        sdk.call(
            "AssociateVpcCidrBlock",
            {"RegionId": HZ, "VpcId": vpc_id, "SecondaryCidrBlock": "100.64.0.0/16"},
        )
    with sdk.raises("InvalidSecondaryCidrBlock.NotFound", 404):
        sdk.call(
            "UnassociateVpcCidrBlock",
            {"RegionId": HZ, "VpcId": vpc_id, "SecondaryCidrBlock": "10.2.0.0/16"},
        )
    # The primary block cannot move onto a secondary one.
    with sdk.raises("InvalidCidrBlock.Overlapped", 400):
        _modify(sdk, vpc_id, CidrBlock="10.0.0.0/8")


def test_classic_link_enable_and_disable(sdk: Any) -> None:
    vpc_id = _vpc(sdk)
    assert _attribute(sdk, vpc_id)["ClassicLinkEnabled"] is False
    sdk.call("EnableVpcClassicLink", {"RegionId": HZ, "VpcId": vpc_id})
    assert _attribute(sdk, vpc_id)["ClassicLinkEnabled"] is True
    sdk.call("DisableVpcClassicLink", {"RegionId": HZ, "VpcId": vpc_id})
    assert _attribute(sdk, vpc_id)["ClassicLinkEnabled"] is False
    with sdk.raises("InvalidVpcID.NotFound", 404):
        sdk.call("EnableVpcClassicLink", {"RegionId": HZ, "VpcId": "vpc-doesnotexist0000000"})


def test_ipv6_block_follows_enable_ipv6(sdk: Any) -> None:
    vpc_id = _vpc(sdk, EnableIpv6="true", Ipv6Isp="ChinaTelecom")
    vpc = _attribute(sdk, vpc_id)
    block = ipaddress.IPv6Network(vpc["Ipv6CidrBlock"])
    assert block.prefixlen == 56
    assert vpc["Ipv6CidrBlocks"]["Ipv6CidrBlock"] == [
        {"Ipv6CidrBlock": str(block), "Ipv6Isp": "ChinaTelecom"}
    ]
    _modify(sdk, vpc_id, EnableIPv6="false")
    vpc = _attribute(sdk, vpc_id)
    assert (vpc["Ipv6CidrBlock"], vpc["Ipv6CidrBlocks"]["Ipv6CidrBlock"]) == ("", [])
    _modify(sdk, vpc_id, EnableIPv6="true")
    vpc = _attribute(sdk, vpc_id)
    assert vpc["EnabledIpv6"] is True
    assert vpc["Ipv6CidrBlocks"]["Ipv6CidrBlock"][0]["Ipv6Isp"] == "BGP"


def test_default_vpc_is_one_per_region(sdk: Any) -> None:
    vpc_id = str(sdk.call("CreateDefaultVpc", {"RegionId": HZ})["VpcId"])
    try:
        vpc = _attribute(sdk, vpc_id)
        assert (vpc["IsDefault"], vpc["CidrBlock"]) == (True, "172.16.0.0/12")
        listed = sdk.call("DescribeVpcs", {"RegionId": HZ, "IsDefault": "true"})["Vpcs"]["Vpc"]
        assert [v["VpcId"] for v in listed] == [vpc_id]
        with sdk.raises("DefaultVpcExist", 400):
            sdk.call("CreateDefaultVpc", {"RegionId": HZ})
    finally:
        sdk.call("DeleteVpc", {"RegionId": HZ, "VpcId": vpc_id})
    with sdk.raises("InvalidParameter", 400):
        sdk.call("CreateVpc", {"RegionId": HZ, "Ipv4IpamPoolId": "ipam-pool-x"})
