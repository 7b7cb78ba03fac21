"""vSwitch rules: names, CIDR blocks inside their VPC, reserved addresses, allocation by mask.

Sources: CreateVSwitch (https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-createvswitch)
and its SDK model: the mask is /16 to /29; the block lies inside the VPC's, overlaps no
other vSwitch of the VPC, and cannot be the destination of a route entry of the VPC; the
first address and the last three of every vSwitch are reserved.  Choices the documents
leave open are in docs/fidelity.md.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable

from riconnect.domain.errors import ApiError

MIN_MASK, MAX_MASK = 16, 29
# Per VPC (the current CreateVSwitch page; older pages said 24).
MAX_VSWITCHES_PER_VPC = 150
RESERVED_ADDRESSES = 4  # the first and the last three

_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")

Net = ipaddress.IPv4Network


def _plain(value: str, low: int, high: int) -> bool:
    return (
        low <= len(value) <= high
        and not value.lower().startswith(("http://", "https://"))
        and not _CONTROL_RE.search(value)
    )


def check_name(value: str) -> None:
    if not _plain(value, 1, 128):
        raise ApiError("InvalidVSwitchName.Malformed")


def check_description(value: str) -> None:
    if not _plain(value, 1, 256):
        raise ApiError("InvalidVSwitchDiscription.Malformed")


def parse_cidr(value: str) -> Net:
    try:
        net = ipaddress.IPv4Network(value.strip(), strict=True)
    except ValueError as exc:
        raise ApiError("InvalidCidrBlock.Malformed", detail=f"{value!r}: {exc}.") from None
    check_mask(net.prefixlen)
    return net


def check_mask(mask: int) -> None:
    if not MIN_MASK <= mask <= MAX_MASK:
        raise ApiError("InvalidCirdrBlock.MaskLength")


def check_inside(vpc_cidr: str, cidr: Net) -> None:
    if not cidr.subnet_of(ipaddress.IPv4Network(vpc_cidr)):
        raise ApiError("InvalidParameter", "Specified CIDR block is not valid in VPC.")


def check_placement(cidr: Net, vswitches: Iterable[str], route_destinations: Iterable[str]) -> None:
    """No overlap with the VPC's other vSwitches; not a custom route's destination, nor a
    block holding one (a route may not point inside a vSwitch, see domain.routing)."""
    for other in vswitches:
        if cidr.overlaps(ipaddress.IPv4Network(other)):
            raise ApiError("InvalidCidrBlock.Overlapped")
    for destination in route_destinations:
        dest = ipaddress.ip_network(destination)
        if isinstance(dest, ipaddress.IPv4Network) and dest.subnet_of(cidr):
            raise ApiError(
                "InvalidCidrBlock.Overlapped", "Specified CIDR block overlapped with other entry."
            )


def allocate(
    vpc_cidr: str, mask: int, vswitches: Iterable[str], route_destinations: Iterable[str]
) -> Net:
    """The first free block of ``mask`` bits in the VPC (CreateVSwitch with CidrMask only).

    Candidates jump past each block they collide with, so a crowded /8 is not walked one
    /29 at a time.
    """
    check_mask(mask)
    vpc = ipaddress.IPv4Network(vpc_cidr)
    if mask < vpc.prefixlen:
        raise ApiError("InvalidParameter", "Specified CIDR block is not valid in VPC.")
    subnets = [ipaddress.IPv4Network(c) for c in vswitches]
    destinations = [
        d
        for d in (ipaddress.ip_network(r) for r in route_destinations)
        if isinstance(d, ipaddress.IPv4Network)
    ]
    size = 1 << (32 - mask)
    start = int(vpc.network_address)
    end = int(vpc.broadcast_address)
    while start + size - 1 <= end:
        candidate = ipaddress.IPv4Network((start, mask))
        blocker = next((s for s in subnets if s.overlaps(candidate)), None) or next(
            (d for d in destinations if d.subnet_of(candidate)), None
        )
        if blocker is None:
            return candidate
        # The next aligned candidate after the colliding block.
        after = int(blocker.broadcast_address) + 1
        start = max(start + size, (after + size - 1) // size * size)
    raise ApiError("InvalidCidrBlock.Overlapped")


def available_ip_count(cidr: str) -> int:
    """Addresses left for instances: all but the reserved four (riconnect has no instances)."""
    return int(ipaddress.IPv4Network(cidr).num_addresses) - RESERVED_ADDRESSES
