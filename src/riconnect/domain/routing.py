"""Route tables and route entries: next hop types, destination rules, system routes, and the
longest-prefix match a vRouter applies.

Sources: CreateRouteEntry (https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-createrouteentry)
and the route overview of the VPC user guide: the destination cannot be 100.64.0.0/10 or
inside it, nor equal to or inside a vSwitch's CIDR block (it may contain one); destinations
are unique in a table; at most 200 custom entries per table; the next hop is in the table's
VPC.  The system adds, and no one can delete, a ``local`` route per vSwitch CIDR and a
``service`` route for 100.64.0.0/10.  "The route entry with the longest subnet mask (the
most specific route) is used."
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from riconnect.domain import ids
from riconnect.domain.entities import RouteEntry, VSwitch
from riconnect.domain.errors import ApiError

SYSTEM = "System"
CUSTOM = "Custom"
LOCAL = "local"  # the next hop type of a vSwitch's system route
SERVICE = "service"  # the next hop type of the 100.64.0.0/10 system route
SERVICE_CIDR = "100.64.0.0/10"
ROUTER_INTERFACE = "RouterInterface"
NEXT_HOP_TYPES = (
    "Instance",
    "HaVip",
    ROUTER_INTERFACE,
    "NetworkInterface",
    "VpnGateway",
    "IPv6Gateway",
    "NatGateway",
    "Attachment",
    "VpcPeer",
    "Ipv4Gateway",
    "GatewayEndpoint",
    "Ecr",
    "GatewayLoadBalancerEndpoint",
    "RouteTargetGroup",
)
MAX_CUSTOM_ENTRIES = 200

PENDING = "Pending"
AVAILABLE = "Available"
MODIFYING = "Modifying"
DELETING = "Deleting"
# A route carries traffic once created, also while its name is being modified.
FORWARDING = frozenset({AVAILABLE, MODIFYING})
# Interface states a route may point at: settled ones (see docs/fidelity.md).
NEXT_HOP_INTERFACE_STATES = frozenset({"Idle", "Active", "Inactive"})

_SERVICE = ipaddress.IPv4Network(SERVICE_CIDR)
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")


def _plain(value: str, low: int, high: int) -> bool:
    return (
        low <= len(value) <= high
        and not value.lower().startswith(("http://", "https://"))
        and not _CONTROL_RE.search(value)
    )


def check_name(value: str) -> None:
    if not _plain(value, 1, 128):
        raise ApiError("InvalidRouteEntryName.Malformed")


def check_description(value: str) -> None:
    if not _plain(value, 1, 256):
        raise ApiError(
            "InvalidDescription.Malformed",
            detail="Description must be 1 to 256 characters and must not start with http:// or https://.",
        )


def check_table_name(value: str) -> None:
    if not _plain(value, 1, 128):
        raise ApiError("InvalidRouteTableName.Malformed")


def parse_destination(value: str, next_hop_type: str | None = None) -> ipaddress.IPv4Network:
    """A destination CIDR block; a bare address means /32.  IPv6 and prefix lists do not
    exist in riconnect's VPCs."""
    text = value.strip()
    try:
        net = ipaddress.ip_network(
            text if "/" in text else text + ("/128" if ":" in text else "/32")
        )
    except ValueError:
        raise ApiError("InvalidCidrBlock.Malformed", detail=f"{value[:64]!r}.") from None
    if isinstance(net, ipaddress.IPv6Network):
        if next_hop_type == ROUTER_INTERFACE:
            raise ApiError("OperationDenied.RouterInterfaceIpv6NotEnabled")
        raise ApiError("OperationDenied.VpcIpv6NotEnabled")
    return net


def normalize(value: str) -> str:
    """A destination as stored and compared (``10.0.0.1`` -> ``10.0.0.1/32``)."""
    return str(parse_destination(value))


def check_destination(destination: ipaddress.IPv4Network, vswitch_cidrs: Iterable[str]) -> None:
    if destination.subnet_of(_SERVICE):
        raise ApiError(
            "InvalidCidrBlock",
            detail=f"{destination} is within {SERVICE_CIDR}, the cloud services' range.",
        )
    for cidr in vswitch_cidrs:
        if destination.subnet_of(ipaddress.IPv4Network(cidr)):
            raise ApiError(
                "InvalidCidrBlock",
                detail=f"{destination} is the same as or within the vSwitch CIDR block {cidr}.",
            )


@dataclass(frozen=True)
class Route:
    """One route of a table as the vRouter sees it: a stored custom entry or a system route."""

    id: str
    route_table_id: str
    destination: str
    type: str
    next_hop_type: str
    next_hop_id: str
    status: str
    name: str = ""
    description: str = ""
    vswitch_id: str = ""  # the vSwitch of a local route
    created_at: float = 0.0
    modified_at: float = 0.0

    @property
    def network(self) -> ipaddress.IPv4Network:
        return ipaddress.IPv4Network(self.destination)


def system_route_id(route_table_id: str, destination: str) -> str:
    # System routes are derived, not stored: a stable id keeps them the same across reads.
    return ids.stable_id("route_entry", route_table_id, destination)


def system_routes(route_table_id: str, vswitches: Sequence[VSwitch]) -> list[Route]:
    """The routes the system keeps: one ``local`` route per vSwitch (in the vSwitch's status:
    a vSwitch being created or deleted is ``Pending``), then 100.64.0.0/10."""
    routes = [
        Route(
            id=system_route_id(route_table_id, v.cidr_block),
            route_table_id=route_table_id,
            destination=v.cidr_block,
            type=SYSTEM,
            next_hop_type=LOCAL,
            next_hop_id="",
            status=AVAILABLE if v.status == AVAILABLE else PENDING,
            vswitch_id=v.id,
            created_at=v.created_at,
            modified_at=v.modified_at or v.created_at,
        )
        for v in vswitches
    ]
    routes.append(
        Route(
            id=system_route_id(route_table_id, SERVICE_CIDR),
            route_table_id=route_table_id,
            destination=SERVICE_CIDR,
            type=SYSTEM,
            next_hop_type=SERVICE,
            next_hop_id="",
            status=AVAILABLE,
        )
    )
    return routes


def custom_route(entry: RouteEntry) -> Route:
    return Route(
        id=entry.id,
        route_table_id=entry.route_table_id,
        destination=entry.destination_cidr_block,
        type=CUSTOM,
        next_hop_type=entry.next_hop_type,
        next_hop_id=entry.next_hop_id,
        status=entry.status,
        name=entry.name,
        description=entry.description,
        created_at=entry.created_at,
        modified_at=entry.modified_at or entry.created_at,
    )


def table_routes(
    route_table_id: str, vswitches: Sequence[VSwitch], entries: Iterable[RouteEntry]
) -> list[Route]:
    """Every route of a table: system routes first, then custom ones."""
    return system_routes(route_table_id, vswitches) + [custom_route(e) for e in entries]


def longest_prefix_match(routes: Iterable[Route], address: ipaddress.IPv4Address) -> Route | None:
    """The most specific route whose destination holds ``address`` (destinations are unique
    in a table, so there is never a tie)."""
    best: Route | None = None
    for route in routes:
        net = route.network
        if address in net and (best is None or net.prefixlen > best.network.prefixlen):
            best = route
    return best
