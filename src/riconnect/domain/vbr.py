"""Rules of a virtual border router's own settings: the peering addresses (IPv4 and IPv6),
its link settings (MTU, BFD), the states its lifecycle actions accept, and the deprecated
``AssociatedPhysicalConnections`` parameter.

Sources: Alibaba Cloud's API reference of CreateVirtualBorderRouter,
ModifyVirtualBorderRouterAttribute, TerminateVirtualBorderRouter and
RecoverVirtualBorderRouter (Vpc 2016-04-28); choices where the reference is silent are
recorded in docs/fidelity.md ("VBR attributes").
"""

from __future__ import annotations

import ipaddress
import json
from dataclasses import dataclass

from riconnect.domain.errors import ApiError

# The defaults DescribeVirtualBorderRouters shows for a VBR nobody changed.
DEFAULT_MTU = 1500
DEFAULT_MIN_INTERVAL = 1000  # ms, both directions of BFD
DEFAULT_DETECT_MULTIPLIER = 3

MTU_VALUES = (1500, 8500)
BFD_INTERVAL = (200, 1000)  # MinTxInterval / MinRxInterval, ms
DETECT_MULTIPLIER = (3, 10)

# The peering mask is 24 to 30 bits (255.255.255.0 ... 255.255.255.252).
_MASK_BITS = (24, 30)

# Which states each action accepts.  Terminate: active -> terminating -> terminated;
# Recover: terminated -> recovering -> active; Modify: a settled, enabled VBR.
TERMINABLE = ("active",)
RECOVERABLE = ("terminated",)
MODIFIABLE = ("active", "unconfirmed")


@dataclass(frozen=True)
class Peering:
    local: str
    peer: str
    mask: str


def check_peering(local: str, peer: str, mask: str) -> Peering:
    """The IPv4 peering: two different addresses of one subnet of a 24 to 30 bit mask."""
    addresses = []
    for field, value in (("LocalGatewayIp", local), ("PeerGatewayIp", peer)):
        try:
            addresses.append(ipaddress.IPv4Address(value))
        except ValueError:
            raise ApiError(
                "InvalidIp.Malformed", detail=f"{field} {value!r} is not an IPv4 address."
            ) from None
    try:
        subnet = ipaddress.IPv4Network(f"{addresses[0]}/{mask}", strict=False)
    except ValueError:
        raise ApiError(
            "InvalidIp.Malformed", detail=f"PeeringSubnetMask {mask!r} is not a valid mask."
        ) from None
    if not _MASK_BITS[0] <= subnet.prefixlen <= _MASK_BITS[1]:
        raise ApiError(
            "InvalidIp.Malformed",
            detail="PeeringSubnetMask must be 24 to 30 bits (255.255.255.0 to 255.255.255.252).",
        )
    if addresses[1] not in subnet or addresses[0] == addresses[1]:
        raise ApiError(
            "InvalidIp.Malformed",
            detail="LocalGatewayIp and PeerGatewayIp must be two addresses of one "
            "PeeringSubnetMask subnet.",
        )
    return Peering(str(addresses[0]), str(addresses[1]), mask)


def check_ipv6_peering(local: str, peer: str, mask: str) -> Peering:
    """The IPv6 peering; "" leaves a part unset.  Given parts must agree: both addresses
    inside the ``PeeringIpv6SubnetMask`` block (e.g. ``2408:4004:cc::/56``)."""
    out = []
    for field, value in (("LocalIpv6GatewayIp", local), ("PeerIpv6GatewayIp", peer)):
        if not value:
            out.append("")
            continue
        try:
            out.append(str(ipaddress.IPv6Address(value)))
        except ValueError:
            raise ApiError(
                "InvalidIp.Malformed", detail=f"{field} {value!r} is not an IPv6 address."
            ) from None
    if mask:
        try:
            block = ipaddress.IPv6Network(mask, strict=False)
        except ValueError:
            raise ApiError(
                "InvalidIp.Malformed",
                detail=f"PeeringIpv6SubnetMask {mask!r} is not an IPv6 block such as "
                "2408:4004:cc::/56.",
            ) from None
        for value in out:
            if value and ipaddress.IPv6Address(value) not in block:
                raise ApiError(
                    "InvalidIp.Malformed",
                    detail=f"{value} is not inside PeeringIpv6SubnetMask {mask}.",
                )
    if out[0] and out[0] == out[1]:
        raise ApiError(
            "InvalidIp.Malformed",
            detail="LocalIpv6GatewayIp and PeerIpv6GatewayIp must differ.",
        )
    return Peering(out[0], out[1], mask)


def check_mtu(value: int) -> None:
    if value not in MTU_VALUES:
        raise ApiError(
            "InvalidParameter",
            name="Mtu",
            detail=f"Mtu must be one of {', '.join(map(str, MTU_VALUES))}.",
        )


def check_associated_connections(value: str, own: str) -> None:
    """``AssociatedPhysicalConnections`` (deprecated, a JSON list of circuits): riconnect
    keeps a VBR on one physical connection, so the list may name only that one."""
    try:
        entries = json.loads(value)
    except ValueError:
        entries = None
    if not isinstance(entries, list) or not all(
        isinstance(e, dict) and isinstance(e.get("PhysicalConnectionId"), str) for e in entries
    ):
        raise ApiError(
            "InvalidParameter",
            name="AssociatedPhysicalConnections",
            detail="Expected a JSON list of objects, each with a PhysicalConnectionId.",
        )
    others = sorted({e["PhysicalConnectionId"] for e in entries} - {own})
    if others:
        raise ApiError(
            "InvalidParameter",
            name="AssociatedPhysicalConnections",
            detail=f"riconnect keeps a VBR on its own physical connection {own} only; "
            f"cannot associate {', '.join(others)} (see docs/fidelity.md).",
        )
