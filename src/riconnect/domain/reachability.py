"""Reachability: would a packet from an address in a vSwitch reach an address elsewhere, and
would the reply come back?  A pure analysis over a :class:`Topology` (whatever holds the
VPCs, vSwitches, route entries and router interfaces; the service reads them from the store,
tests from plain dicts).

The packet is followed hop by hop as the vRouters would forward it: in each VPC the route
table's longest-prefix match for the destination decides; a ``local`` route delivers it to
that vSwitch; a route to a router interface sends it, if the interface and its pair are
``Active``, to the VPC on the other side, where the lookup starts again.  Then the reply is
followed from the destination back to the source address the same way, and must arrive in
the very vSwitch it left.  The first thing that stops either walk is the blocker.

Vocabulary after Alibaba's Network Intelligence Service (NIS 2021-12-16,
GetNetworkReachableAnalysis): a forward and a reverse list of nodes, each with a
``nodeType`` (``VSW`` is NIS's; ``VROUTER``, ``ROUTE_TABLE``, ``ROUTE_ENTRY`` and
``ROUTER_INTERFACE`` are riconnect's, NIS documents no others), an overall ``reachable`` and
an ``errorCode`` naming the blocker.  NIS publishes no list of error codes; riconnect's are
:data:`CODES` (docs/fidelity.md).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Any, Protocol

from riconnect.domain import router_interface as ri
from riconnect.domain import routing
from riconnect.domain.entities import RouteEntry, RouterInterface, Vpc, VSwitch

FORWARD = "forward"
REVERSE = "reverse"

# errorCode -> what it means (the message adds the particulars).
CODES: dict[str, str] = {
    "SOURCE_IP_NOT_IN_VSWITCH": "the source address is in no vSwitch of the source",
    "NO_ROUTE": "no route of the route table matches the address",
    "DESTINATION_NOT_IN_VSWITCH": "the address is in the VPC's CIDR block but in none of its vSwitches",
    "PEER_VPC_MISMATCH": "the router interface's pair leads to a VPC that neither holds the address nor routes it on",
    "SERVICE_ADDRESS": "the address is in 100.64.0.0/10, the range of Alibaba Cloud services",
    "ROUTE_NOT_AVAILABLE": "the matching route is not in service yet (or any more)",
    "NEXT_HOP_NOT_SUPPORTED": "the route's next hop is of a type riconnect does not model",
    "INTERFACE_NOT_FOUND": "the route's next hop router interface does not exist",
    "INTERFACE_NOT_ACTIVE": "a router interface on the path is not Active",
    "INTERFACE_NOT_CONNECTED": "the router interface has no connected opposite interface",
    "PEER_IS_VBR": "the router interface leads to a virtual border router (on premises), beyond what riconnect models",
    "ROUTING_LOOP": "the routes send the packet back to a VPC it already crossed",
    "OVERLAPPING_CIDR": "the reply is delivered to another vSwitch that holds the source address too",
}


class Topology(Protocol):
    """What the analysis reads.  Objects are as they are now (due transitions applied)."""

    def vpc(self, vpc_id: str) -> Vpc | None: ...
    def vswitch(self, vswitch_id: str) -> VSwitch | None: ...
    def vswitches(self, vpc: Vpc) -> list[VSwitch]: ...
    def route_entries(self, vpc: Vpc) -> list[RouteEntry]: ...
    def interface(self, account_id: str, region_id: str, ri_id: str) -> RouterInterface | None: ...


@dataclass
class Blocker:
    code: str
    direction: str
    resource_type: str
    resource_id: str
    message: str
    details: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "errorCode": self.code,
            "direction": self.direction,
            "resourceType": self.resource_type,
            "resourceId": self.resource_id,
            "message": self.message,
            **self.details,
        }


@dataclass
class Analysis:
    reachable: bool
    source_type: str
    source_id: str
    source_ip: str
    target_ip: str
    hops: list[dict[str, Any]]
    reverse_hops: list[dict[str, Any]]
    blocker: Blocker | None

    def to_json(self) -> dict[str, Any]:
        return {
            "reachable": self.reachable,
            "sourceType": self.source_type,
            "sourceId": self.source_id,
            "sourceIpAddress": self.source_ip,
            "targetIpAddress": self.target_ip,
            "hops": self.hops,
            "reverseHops": self.reverse_hops,
            "blocker": None if self.blocker is None else self.blocker.to_json(),
        }


class Blocked(Exception):
    def __init__(self, blocker: Blocker) -> None:
        super().__init__(blocker.message)
        self.blocker = blocker


def _vsw_node(v: VSwitch, ip: str) -> dict[str, Any]:
    return {
        "nodeType": "VSW",
        "id": v.id,
        "vpcId": v.vpc_id,
        "accountId": v.account_id,
        "regionId": v.region_id,
        "zoneId": v.zone_id,
        "cidr": v.cidr_block,
        "ip": ip,
        "status": v.status,
    }


def _router_node(vpc: Vpc) -> dict[str, Any]:
    return {
        "nodeType": "VROUTER",
        "id": vpc.vrouter_id,
        "vpcId": vpc.id,
        "accountId": vpc.account_id,
        "regionId": vpc.region_id,
        "cidr": vpc.cidr_block,
    }


def _interface_node(obj: RouterInterface) -> dict[str, Any]:
    return {
        "nodeType": "ROUTER_INTERFACE",
        "id": obj.id,
        "accountId": obj.account_id,
        "regionId": obj.region_id,
        "routerId": obj.router_id,
        "routerType": obj.router_type,
        "role": obj.role,
        "status": obj.status,
        "oppositeInterfaceId": obj.peer_id or obj.opposite_interface_id,
    }


def _route_node(route: routing.Route) -> dict[str, Any]:
    return {
        "nodeType": "ROUTE_ENTRY",
        "id": route.id,
        "routeTableId": route.route_table_id,
        "destinationCidrBlock": route.destination,
        "type": route.type,
        "nextHopType": route.next_hop_type,
        "nextHopId": route.next_hop_id,
        "status": route.status,
    }


@dataclass
class _Walk:
    """One direction of the analysis: the nodes met, and where it ended."""

    topo: Topology
    direction: str
    nodes: list[dict[str, Any]] = field(default_factory=list)

    def block(self, code: str, kind: str, rid: str, detail: str, **extra: Any) -> Blocked:
        message = detail[0].upper() + detail[1:]
        return Blocked(Blocker(code, self.direction, kind, rid, message, extra))

    def run(self, vpc: Vpc, address: ipaddress.IPv4Address) -> tuple[Vpc, VSwitch]:
        """From ``vpc``'s vRouter to the vSwitch ``address`` is delivered to."""
        crossed: list[str] = []
        via: RouterInterface | None = None
        while True:
            if vpc.id in crossed:
                raise self.block(
                    "ROUTING_LOOP", "VPC", vpc.id, f"{' -> '.join([*crossed, vpc.id])}."
                )
            crossed.append(vpc.id)
            self.nodes.append(_router_node(vpc))
            self.nodes.append(
                {"nodeType": "ROUTE_TABLE", "id": vpc.route_table_id, "vpcId": vpc.id}
            )
            vswitches = self.topo.vswitches(vpc)
            routes = routing.table_routes(
                vpc.route_table_id, vswitches, self.topo.route_entries(vpc)
            )
            route = routing.longest_prefix_match(routes, address)
            if route is None:
                raise self._no_route(vpc, address, via)
            self.nodes.append(_route_node(route))
            if route.next_hop_type == routing.SERVICE:
                raise self.block(
                    "SERVICE_ADDRESS", "ROUTE_ENTRY", route.id, f"{address} in {vpc.id}."
                )
            if route.status not in routing.FORWARDING:
                raise self.block(
                    "ROUTE_NOT_AVAILABLE",
                    "ROUTE_ENTRY",
                    route.id,
                    f"route {route.id} ({route.destination}) in {route.route_table_id} is "
                    f"{route.status}.",
                )
            if route.next_hop_type == routing.LOCAL:
                vsw = next(v for v in vswitches if v.id == route.vswitch_id)
                self.nodes.append(_vsw_node(vsw, str(address)))
                return vpc, vsw
            if route.next_hop_type != routing.ROUTER_INTERFACE:
                raise self.block(
                    "NEXT_HOP_NOT_SUPPORTED",
                    "ROUTE_ENTRY",
                    route.id,
                    f"{route.next_hop_type} {route.next_hop_id}.",
                )
            via = self._cross(vpc, route)
            next_vpc = self.topo.vpc(via.vpc_id)
            if next_vpc is None:  # a VPC with interfaces cannot be deleted
                raise self.block(
                    "INTERFACE_NOT_CONNECTED", "ROUTER_INTERFACE", via.id, f"{via.vpc_id} is gone."
                )
            vpc = next_vpc

    def _cross(self, vpc: Vpc, route: routing.Route) -> RouterInterface:
        """Through the route's interface to its connected peer (which is returned)."""
        local = self.topo.interface(vpc.account_id, vpc.region_id, route.next_hop_id)
        if local is None:
            raise self.block(
                "INTERFACE_NOT_FOUND",
                "ROUTE_ENTRY",
                route.id,
                f"route {route.id} points at {route.next_hop_id}.",
            )
        self.nodes.append(_interface_node(local))
        if local.status != ri.ACTIVE:
            raise self.block(
                "INTERFACE_NOT_ACTIVE",
                "ROUTER_INTERFACE",
                local.id,
                f"{local.id} (used by route {route.id} for {route.destination}) is {local.status}.",
                routeEntryId=route.id,
            )
        peer = (
            self.topo.interface(local.peer_account_id, local.peer_region_id, local.peer_id)
            if local.peer_id
            else None
        )
        if peer is None:
            raise self.block(
                "INTERFACE_NOT_CONNECTED",
                "ROUTER_INTERFACE",
                local.id,
                f"{local.id} has no connected opposite interface.",
                routeEntryId=route.id,
            )
        self.nodes.append(_interface_node(peer))
        if peer.status != ri.ACTIVE:
            raise self.block(
                "INTERFACE_NOT_ACTIVE",
                "ROUTER_INTERFACE",
                peer.id,
                f"{peer.id}, the opposite side of {local.id}, is {peer.status}.",
                routeEntryId=route.id,
            )
        if peer.router_type != ri.VROUTER:
            raise self.block(
                "PEER_IS_VBR",
                "ROUTER_INTERFACE",
                peer.id,
                f"{local.id} is connected to {peer.id} on {peer.router_type} {peer.router_id}.",
                routeEntryId=route.id,
            )
        return peer

    def _no_route(
        self, vpc: Vpc, address: ipaddress.IPv4Address, via: RouterInterface | None
    ) -> Blocked:
        table = vpc.route_table_id
        if address in ipaddress.IPv4Network(vpc.cidr_block):
            return self.block(
                "DESTINATION_NOT_IN_VSWITCH",
                "VPC",
                vpc.id,
                f"{address} is in {vpc.id} ({vpc.cidr_block}) but in none of its vSwitches.",
                routeTableId=table,
            )
        if via is not None:
            return self.block(
                "PEER_VPC_MISMATCH",
                "ROUTER_INTERFACE",
                via.id,
                f"the pair arrives in {vpc.id} ({vpc.cidr_block}), whose route table {table} "
                f"has no route for {address}.",
                routeTableId=table,
                vpcId=vpc.id,
            )
        return self.block(
            "NO_ROUTE",
            "ROUTE_TABLE",
            table,
            f"route table {table} of {vpc.id} has no route for {address}.",
            vpcId=vpc.id,
        )


def _source(
    topo: Topology, source_id: str, address: ipaddress.IPv4Address
) -> tuple[str, Vpc | None, VSwitch | None]:
    """(sourceType, VPC, vSwitch holding ``address``); None for what does not exist."""
    if source_id.startswith("vsw-"):
        vsw = topo.vswitch(source_id)
        vpc = topo.vpc(vsw.vpc_id) if vsw is not None else None
        if vsw is not None and address not in ipaddress.IPv4Network(vsw.cidr_block):
            return "vsw", vpc, None
        return "vsw", vpc, vsw
    vpc = topo.vpc(source_id)
    if vpc is None:
        return "vpc", None, None
    holder = next(
        (v for v in topo.vswitches(vpc) if address in ipaddress.IPv4Network(v.cidr_block)), None
    )
    return "vpc", vpc, holder


class UnknownSource(LookupError):
    """The source names no vSwitch or VPC."""


def analyze(topo: Topology, source_id: str, source_ip: str, target_ip: str) -> Analysis:
    """Whether ``target_ip`` is reachable from ``source_ip`` in ``source_id`` (a vSwitch or a
    VPC), and back.  Raises :class:`UnknownSource` and ValueError (a malformed address)."""
    src = ipaddress.IPv4Address(source_ip)
    dst = ipaddress.IPv4Address(target_ip)
    kind, vpc, vsw = _source(topo, source_id, src)
    if vpc is None:
        raise UnknownSource(source_id)
    analysis = Analysis(False, kind, source_id, str(src), str(dst), [], [], None)
    if vsw is None:
        where = source_id if kind == "vsw" else f"any vSwitch of {source_id}"
        analysis.blocker = Blocker(
            "SOURCE_IP_NOT_IN_VSWITCH",
            FORWARD,
            "VSW" if kind == "vsw" else "VPC",
            source_id,
            f"The source address is in no vSwitch of the source: {src} is not in {where}.",
        )
        return analysis
    forward = _Walk(topo, FORWARD, [_vsw_node(vsw, str(src))])
    reverse = _Walk(topo, REVERSE)
    analysis.hops, analysis.reverse_hops = forward.nodes, reverse.nodes
    try:
        far_vpc, far_vsw = forward.run(vpc, dst)
        reverse.nodes.append(_vsw_node(far_vsw, str(dst)))
        back_vpc, back_vsw = reverse.run(far_vpc, src)
        if back_vsw.id != vsw.id:
            raise reverse.block(
                "OVERLAPPING_CIDR",
                "VSW",
                back_vsw.id,
                f"the reply to {src} stays in {back_vsw.id} ({back_vsw.cidr_block}) of "
                f"{back_vpc.id} instead of returning to {vsw.id} of {vpc.id}.",
            )
    except Blocked as blocked:
        analysis.blocker = blocked.blocker
        return analysis
    analysis.reachable = True
    return analysis
