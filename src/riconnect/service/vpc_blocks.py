"""The rules a VPC's address blocks follow, shared by service/vpc.py (CreateVpc,
ModifyVpcAttribute) and service/vpc_cidr.py (the secondary-block actions)."""

from __future__ import annotations

import ipaddress
import secrets

from riconnect.domain.entities import Vpc
from riconnect.domain.errors import ApiError
from riconnect.domain.validation import parse_vpc_cidr

DEFAULT_IPV6_ISP = "BGP"


def check_overlaps(vpc: Vpc, primary: str, secondaries: list[str]) -> None:
    """No two of a VPC's IPv4 blocks may overlap."""
    nets = [ipaddress.IPv4Network(primary), *(ipaddress.IPv4Network(b) for b in secondaries)]
    for i, a in enumerate(nets):
        for b in nets[i + 1 :]:
            if a.overlaps(b):
                raise ApiError("InvalidCidrBlock.Overlapped")


def new_primary_block(vpc: Vpc, value: str) -> str:
    """ModifyVpcAttribute CidrBlock: larger or smaller than the current block, as long as
    what is inside the VPC still fits (the API page); riconnect's VPCs hold no addresses
    yet, so the new block only has to be valid and clear of the secondary blocks."""
    new = str(parse_vpc_cidr(value))
    check_overlaps(vpc, new, vpc.secondary_cidr_blocks)
    return new


def allocate_ipv6(vpc: Vpc, isp: str | None, block: str | None = None) -> None:
    """The /56 a VPC gets when IPv6 is enabled (Alibaba allocates it; 2408::/16 as in the
    API pages' examples)."""
    if block:
        try:
            net = ipaddress.IPv6Network(block, strict=True)
        except ValueError as exc:
            raise ApiError("InvalidCidrBlock.Malformed", detail=f"{block!r}: {exc}.") from None
        if net.prefixlen != 56:
            raise ApiError("InvalidCidrBlock.Malformed", detail=f"{block}: expected a /56.")
        vpc.ipv6_cidr_block = str(net)
    elif not vpc.ipv6_cidr_block:
        prefix = (0x2408 << 112) | (secrets.randbits(40) << 72)
        vpc.ipv6_cidr_block = str(ipaddress.IPv6Network((prefix, 56)))
    vpc.ipv6_isp = isp or vpc.ipv6_isp or DEFAULT_IPV6_ISP


def release_ipv6(vpc: Vpc) -> None:
    vpc.ipv6_cidr_block = ""
    vpc.ipv6_isp = ""
