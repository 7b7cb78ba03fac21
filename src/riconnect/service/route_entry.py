"""Route entry actions: CreateRouteEntry, DescribeRouteEntryList, ModifyRouteEntry,
DeleteRouteEntry.  Next hops riconnect can hold are router interfaces on the table's own
vRouter; every other next hop type names an instance that cannot exist here."""

from __future__ import annotations

from riconnect.domain import ids, routing, transitions
from riconnect.domain.entities import GONE, RouteEntry, RouterInterface, Vpc
from riconnect.domain.errors import ApiError
from riconnect.service.context import Ctx, Params, Result, idempotent
from riconnect.service.network import ENTRIES, check_quiet, entries_of, routes_of, vswitches_of
from riconnect.service.route_table import entry_view, interfaces_for, load_table
from riconnect.service.router_interface.pairs import INTERFACES
from riconnect.store.db import Tx


def _next_hop(ctx: Ctx, tx: Tx, vpc: Vpc, hop_type: str, hop_id: str) -> RouterInterface:
    """The router interface a route may point at: on the VPC's own vRouter, settled."""
    if hop_type != routing.ROUTER_INTERFACE:
        raise ApiError("InvalidNextHop.NotFound")  # no instances, gateways, ... in riconnect
    obj = INTERFACES.get(ctx, tx, hop_id)
    if obj is None:
        raise ApiError("InvalidRouterInterface")
    if obj.router_id != vpc.vrouter_id:
        raise ApiError("OperationFailed.InstanceDismatchCurrentVpc")
    if obj.status not in routing.NEXT_HOP_INTERFACE_STATES or transitions.is_gone(obj):
        raise ApiError("IncorrectStatus.RouterInterface")
    return obj


def _usable(vpc: Vpc) -> None:
    if vpc.status != "Available":
        raise ApiError("IncorrectVpcStatus")


def create_route_entry(ctx: Ctx, tx: Tx, p: Params) -> Result:
    hop_type = p.get("NextHopType") or "Instance"
    if hop_type not in routing.NEXT_HOP_TYPES:
        raise ApiError("InvalidNextHopType")
    if p.get("NextHopList"):
        raise ApiError(
            "InvalidParameter",
            name="NextHopList",
            detail="ECMP routes (towards VBRs) are not modelled by riconnect.",
        )
    destination = routing.parse_destination(p["DestinationCidrBlock"], hop_type)
    if p.get("RouteEntryName") is not None:
        routing.check_name(p["RouteEntryName"])
    if p.get("Description") is not None:
        routing.check_description(p["Description"])
    if not p.get("NextHopId"):
        raise ApiError("MissingParameter", name="NextHopId")

    def create() -> Result:
        tx.require_write()
        table, vpc = load_table(ctx, tx, p["RouteTableId"])
        _usable(vpc)
        check_quiet(ctx, tx, vpc)
        routing.check_destination(destination, [v.cidr_block for v in vswitches_of(ctx, tx, vpc)])
        entries = entries_of(ctx, tx, vpc.account_id, table.id)
        if any(e.destination_cidr_block == str(destination) for e in entries):
            raise ApiError("InvalidCIDRBlock.Duplicate")
        if len(entries) >= routing.MAX_CUSTOM_ENTRIES:
            raise ApiError("QuotaExceeded")
        _next_hop(ctx, tx, vpc, hop_type, p["NextHopId"])
        if p.get("DryRun"):
            raise ApiError("DryRunOperation")
        now = ctx.now()
        entry = RouteEntry(
            id=ids.new_id("route_entry"),
            account_id=ctx.account_id,
            region_id=ctx.region_id,
            route_table_id=table.id,
            vpc_id=vpc.id,
            destination_cidr_block=str(destination),
            next_hop_type=hop_type,
            next_hop_id=p["NextHopId"],
            status=routing.PENDING,
            created_at=now,
            modified_at=now,
            name=p.get("RouteEntryName") or "",
            description=p.get("Description") or "",
        )
        transitions.begin(
            entry, routing.PENDING, routing.AVAILABLE, now, ctx.settings.delays.route_create
        )
        transitions.settle(entry, now)
        tx.insert(entry)
        return {"RouteEntryId": entry.id}

    return idempotent(ctx, tx, p, create)


def _token(p: Params) -> int:
    token = p.get("NextToken") or "0"
    if not token.isdigit():
        raise ApiError("InvalidParameter", name="NextToken", detail="Use the NextToken answered.")
    return int(token)


def describe_route_entry_list(ctx: Ctx, tx: Tx, p: Params) -> Result:
    _, vpc = load_table(ctx, tx, p["RouteTableId"])
    routes = routes_of(ctx, tx, vpc)
    wanted = set(p.get("DestCidrBlockList") or [])
    if p.get("DestinationCidrBlock"):
        wanted.add(p["DestinationCidrBlock"])
    if wanted:
        normal = set()
        for text in wanted:
            try:
                normal.add(routing.normalize(text))
            except ApiError:
                normal.add(text)  # matches nothing
        routes = [r for r in routes if r.destination in normal]
    for param, attribute in (
        ("RouteEntryId", "id"),
        ("RouteEntryName", "name"),
        ("RouteEntryType", "type"),
        ("NextHopId", "next_hop_id"),
        ("NextHopType", "next_hop_type"),
    ):
        if p.get(param):
            routes = [r for r in routes if getattr(r, attribute) == p[param]]
    if (p.get("IpVersion") or "ipv4").lower() != "ipv4" or p.get("ServiceType"):
        routes = []  # no IPv6 routes, no routes hosted by a transit router
    start, size = _token(p), p.get("MaxResult") or 10
    page = routes[start : start + size]
    hops = interfaces_for(ctx, tx, vpc, page)
    more = start + size < len(routes)
    return {
        "NextToken": str(start + size) if more else "",
        "TotalCount": len(routes),
        "RouteEntrys": {"RouteEntry": [entry_view(r, hops, listing=True) for r in page]},
    }


def _find(ctx: Ctx, tx: Tx, p: Params, *, delete: bool) -> tuple[RouteEntry, Vpc]:
    """The custom entry a Modify/Delete names: by RouteEntryId, or by RouteTableId and
    DestinationCidrBlock (and, to delete, the NextHopId it must have)."""
    entry_id, destination = p.get("RouteEntryId"), p.get("DestinationCidrBlock")
    if entry_id and destination and delete:
        raise ApiError(
            "InvalidParameter",
            name="DestinationCidrBlock",
            detail="RouteEntryId and DestinationCidrBlock are mutually exclusive.",
        )
    if entry_id:
        entry = ENTRIES.get(ctx, tx, entry_id)
        if entry is None:
            raise ApiError("InvalidRouteEntry.NotFound")
        _, vpc = load_table(ctx, tx, entry.route_table_id)
        return entry, vpc
    if not destination:
        raise ApiError("MissingParameter", name="RouteEntryId")
    if not p.get("RouteTableId"):
        raise ApiError("MissingParameter", name="RouteTableId")
    table, vpc = load_table(ctx, tx, p["RouteTableId"])
    wanted = routing.normalize(destination)
    for route in routes_of(ctx, tx, vpc):
        if route.destination == wanted and route.type == routing.SYSTEM:
            raise ApiError("OperationDenied")
    if delete and not p.get("NextHopId"):
        raise ApiError("InvalidNextHop")
    for entry in entries_of(ctx, tx, vpc.account_id, table.id):
        if entry.destination_cidr_block == wanted and (
            not delete or entry.next_hop_id == p["NextHopId"]
        ):
            return entry, vpc
    raise ApiError("InvalidRouteEntry.NotFound")


def modify_route_entry(ctx: Ctx, tx: Tx, p: Params) -> Result:
    def modify() -> Result:
        entry, vpc = _find(ctx, tx, p, delete=False)
        if entry.status != routing.AVAILABLE or transitions.is_gone(entry):
            raise ApiError("IncorrectRouteEntryStatus")
        if p.get("RouteEntryName") is not None:
            routing.check_name(p["RouteEntryName"])
        if p.get("Description") is not None:
            routing.check_description(p["Description"])
        new_type, new_id = p.get("NewNextHopType"), p.get("NewNextHopId")
        if new_type is not None and new_type not in routing.NEXT_HOP_TYPES:
            raise ApiError("InvalidNextHopType")
        if (new_type or new_id) and not new_id:
            raise ApiError("MissingParameter", name="NewNextHopId")
        rehop = bool(new_id) and (
            new_id != entry.next_hop_id or (new_type or entry.next_hop_type) != entry.next_hop_type
        )
        if rehop:
            assert new_id is not None
            _next_hop(ctx, tx, vpc, new_type or entry.next_hop_type, new_id)
        if p.get("DryRun"):
            raise ApiError("DryRunOperation")
        now = ctx.now()
        if p.get("RouteEntryName") is not None:
            entry.name = p["RouteEntryName"]
        if p.get("Description") is not None:
            entry.description = p["Description"]
        if rehop:
            assert new_id is not None
            entry.next_hop_type, entry.next_hop_id = new_type or entry.next_hop_type, new_id
            transitions.begin(
                entry, routing.MODIFYING, routing.AVAILABLE, now, ctx.settings.delays.route_modify
            )
            transitions.settle(entry, now)
        entry.modified_at = now
        tx.update(entry)
        return {}

    return idempotent(ctx, tx, p, modify)


def delete_route_entry(ctx: Ctx, tx: Tx, p: Params) -> Result:
    def delete() -> Result:
        entry, vpc = _find(ctx, tx, p, delete=True)
        if entry.status != routing.AVAILABLE or transitions.is_gone(entry):
            raise ApiError("IncorrectRouteEntryStatus")
        _usable(vpc)
        others = entries_of(ctx, tx, vpc.account_id, entry.route_table_id)
        if any(e.status != routing.AVAILABLE for e in others if e.id != entry.id):
            raise ApiError("IncorrectRouteEntryStatus")
        check_quiet_vswitches(ctx, tx, vpc)
        if p.get("DryRun"):
            raise ApiError("DryRunOperation")
        now = ctx.now()
        transitions.begin(entry, routing.DELETING, GONE, now, ctx.settings.delays.route_delete)
        entry.modified_at = now
        tx.update(entry)
        return {}

    return idempotent(ctx, tx, p, delete)


def check_quiet_vswitches(ctx: Ctx, tx: Tx, vpc: Vpc) -> None:
    if any(v.status != routing.AVAILABLE for v in vswitches_of(ctx, tx, vpc)):
        raise ApiError(
            "IncorrectVSwitchStatus", "Some virtual switch is modifying within the same VPC."
        )
