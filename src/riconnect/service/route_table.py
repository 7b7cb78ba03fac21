"""Route table reads and their one write: DescribeRouteTableList, DescribeRouteTables,
ModifyRouteTableAttributes; and the views of routes that DescribeRouteTables and
DescribeRouteEntryList answer with."""

from __future__ import annotations

from typing import Any

from riconnect.domain import router_interface as ri
from riconnect.domain import routing
from riconnect.domain.clock import iso8601
from riconnect.domain.entities import RouterInterface, RouteTable, Vpc
from riconnect.domain.errors import ApiError
from riconnect.service.context import Ctx, Params, Result, paging
from riconnect.service.network import TABLES, routes_of, vswitches_of
from riconnect.service.router_interface.pairs import INTERFACES, peer_of
from riconnect.service.vpc import VPCS
from riconnect.store.db import Tx

Hops = dict[str, tuple[RouterInterface | None, RouterInterface | None]]


def interfaces_for(ctx: Ctx, tx: Tx, vpc: Vpc, routes: list[routing.Route]) -> Hops:
    """Each router interface the routes point at, with its connected peer (or None)."""
    out: Hops = {}
    for route in routes:
        if route.next_hop_type != routing.ROUTER_INTERFACE or route.next_hop_id in out:
            continue
        obj = INTERFACES.get(
            ctx, tx, route.next_hop_id, account_id=vpc.account_id, region_id=vpc.region_id
        )
        out[route.next_hop_id] = (obj, peer_of(ctx, tx, obj) if obj is not None else None)
    return out


def next_hop(route: routing.Route, hops: Hops) -> dict[str, Any]:
    """One element of ``NextHops.NextHop``."""
    if route.next_hop_type != routing.ROUTER_INTERFACE:
        return {"NextHopType": route.next_hop_type, "NextHopId": route.next_hop_id, "Enabled": 1}
    obj, peer = hops.get(route.next_hop_id, (None, None))
    related: dict[str, Any] = {}
    if peer is not None:
        related = {
            "InstanceId": peer.vpc_id if peer.router_type == ri.VROUTER else peer.router_id,
            "InstanceType": "VPC" if peer.router_type == ri.VROUTER else "VBR",
            "RegionId": peer.region_id,
        }
    return {
        "NextHopType": route.next_hop_type,
        "NextHopId": route.next_hop_id,
        # "Indicates whether the route is available": the interface carries traffic.
        "Enabled": int(obj is not None and obj.status == ri.ACTIVE),
        "Weight": 0,
        "NextHopRegionId": obj.opposite_region_id if obj is not None else "",
        "NextHopRelatedInfo": related,
    }


def entry_view(route: routing.Route, hops: Hops, *, listing: bool) -> dict[str, Any]:
    """A route as DescribeRouteEntryList (``listing``) or DescribeRouteTables shows it."""
    out: dict[str, Any] = {
        "RouteEntryId": route.id,
        "RouteTableId": route.route_table_id,
        "DestinationCidrBlock": route.destination,
        "Type": route.type,
        "Status": route.status,
        "RouteEntryName": route.name,
        "Description": route.description,
        "NextHops": {"NextHop": [next_hop(route, hops)]},
    }
    if listing:
        out.update(
            {
                "IpVersion": "ipv4",
                "Origin": "SystemCreate" if route.type == routing.SYSTEM else "CustomCreate",
                "GmtModified": iso8601(route.modified_at) if route.modified_at else "",
                "ServiceType": "",
            }
        )
    else:
        # DescribeRouteTables' own two fields, which the Go provider matches entries on.
        out["NextHopType"] = route.next_hop_type
        out["InstanceId"] = route.next_hop_id
    return out


def load_table(ctx: Ctx, tx: Tx, table_id: str) -> tuple[RouteTable, Vpc]:
    """The caller's route table (InvalidRouteTableId.NotFound) and its VPC."""
    table = TABLES.get(ctx, tx, table_id)
    vpc = VPCS.get(ctx, tx, table.vpc_id) if table is not None else None
    if table is None or vpc is None:
        raise ApiError("InvalidRouteTableId.NotFound")
    return table, vpc


def _vpcs_of(ctx: Ctx, tx: Tx, tables: list[RouteTable]) -> dict[str, Vpc]:
    wanted = sorted({t.vpc_id for t in tables})
    if not wanted:
        return {}
    rows, _ = tx.page(Vpc, ctx.account_id, ctx.region_id, [("id", wanted)], 1, len(wanted))
    return {v.id: v for v in rows}


def _conditions(p: Params, router_param: str) -> list[tuple[str, list[Any]]]:
    conditions: list[tuple[str, list[Any]]] = []
    for param, column in (
        ("VpcId", "vpc_id"),
        (router_param, "router_id"),
        ("RouteTableId", "id"),
        ("RouteTableName", "name"),
        ("ResourceGroupId", "resource_group_id"),
    ):
        if p.get(param):
            conditions.append((column, [p[param]]))
    if p.get("RouteTableType"):
        conditions.append(("table_type", [p["RouteTableType"]]))
    if p.get("RouterType") == "VBR":
        conditions.append(("id", []))  # VBR route tables are not modelled
    return conditions


def describe_route_table_list(ctx: Ctx, tx: Tx, p: Params) -> Result:
    VPCS.settle_due(ctx, tx)
    page_number, page_size = paging(p)
    tables, total = TABLES.page(
        ctx, tx, _conditions(p, "RouterId"), p.get("Tag") or [], page_number, page_size
    )
    vpcs = _vpcs_of(ctx, tx, tables)
    items = []
    for t in tables:
        vpc = vpcs.get(t.vpc_id)
        vswitches = [v.id for v in vswitches_of(ctx, tx, vpc)] if vpc is not None else []
        items.append(
            {
                "RouteTableId": t.id,
                "RouteTableName": t.name,
                "RouteTableType": t.table_type,
                "RouterId": t.router_id,
                "RouterType": "VRouter",
                "VpcId": t.vpc_id,
                "ResourceGroupId": t.resource_group_id,
                "Description": t.description,
                "CreationTime": iso8601(t.created_at),
                "Status": t.status,
                "OwnerId": int(t.account_id),
                "AssociateType": "VSwitch",
                "RoutePropagationEnable": t.route_propagation,
                "VSwitchIds": {"VSwitchId": vswitches},
                "GatewayIds": {"GatewayIds": []},
                "Tags": {"Tag": [{"Key": k, "Value": v} for k, v in t.tags]},
            }
        )
    return {
        "Success": True,
        "Code": "200",
        "Message": "successful",
        "PageNumber": page_number,
        "PageSize": page_size,
        "TotalCount": total,
        "RouterTableList": {"RouterTableListType": items},
    }


def describe_route_tables(ctx: Ctx, tx: Tx, p: Params) -> Result:
    if p.get("VRouterId") and p.get("RouterId"):
        raise ApiError(
            "InvalidParameter", name="RouterId", detail="VRouterId and RouterId are exclusive."
        )
    if not any(p.get(k) for k in ("VRouterId", "RouteTableId", "RouterId", "RouteTableName")):
        raise ApiError("MissingParameter", name="RouteTableId")
    VPCS.settle_due(ctx, tx)
    page_number, page_size = paging(p)
    router_param = "VRouterId" if p.get("VRouterId") else "RouterId"
    tables, total = TABLES.page(ctx, tx, _conditions(p, router_param), [], page_number, page_size)
    vpcs = _vpcs_of(ctx, tx, tables)
    wanted_type = p.get("Type")
    items = []
    for t in tables:
        vpc = vpcs.get(t.vpc_id)
        if vpc is None:
            continue
        routes = [r for r in routes_of(ctx, tx, vpc) if not wanted_type or r.type == wanted_type]
        hops = interfaces_for(ctx, tx, vpc, routes)
        items.append(
            {
                "RouteTableId": t.id,
                "RouteTableType": t.table_type,
                "VRouterId": t.router_id,
                "CreationTime": iso8601(t.created_at),
                "ResourceGroupId": t.resource_group_id,
                "Status": t.status,
                "VSwitchIds": {"VSwitchId": [v.id for v in vswitches_of(ctx, tx, vpc)]},
                "RouteEntrys": {"RouteEntry": [entry_view(r, hops, listing=False) for r in routes]},
            }
        )
    return {
        "PageNumber": page_number,
        "PageSize": page_size,
        "TotalCount": total,
        "RouteTables": {"RouteTable": items},
    }


def modify_route_table_attributes(ctx: Ctx, tx: Tx, p: Params) -> Result:
    table, _ = load_table(ctx, tx, p["RouteTableId"])
    if p.get("RouteTableName") is not None:
        routing.check_table_name(p["RouteTableName"])
    if p.get("Description") is not None:
        routing.check_description(p["Description"])
    if p.get("RouteTableName") is not None:
        table.name = p["RouteTableName"]
    if p.get("Description") is not None:
        table.description = p["Description"]
    if p.get("RoutePropagationEnable") is not None:
        table.route_propagation = bool(p["RoutePropagationEnable"])
    table.modified_at = ctx.now()
    tx.update(table)
    return {}
