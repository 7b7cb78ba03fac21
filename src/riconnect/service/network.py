"""What a VPC holds, read settled: its vSwitches, its system route table and custom route
entries, and the locks they put on each other.

Shared by the vSwitch, route table, route entry and VPC actions (and the reachability
analysis), so that none of those modules imports another's.  Lookups are owner-scoped to
the account that owns the VPC.
"""

from __future__ import annotations

from riconnect.domain import routing
from riconnect.domain.entities import RouteEntry, RouterInterface, RouteTable, Vpc, VSwitch
from riconnect.domain.errors import ApiError
from riconnect.service.context import Ctx
from riconnect.service.lifecycle import Lifecycle
from riconnect.store.db import Tx

VSWITCHES = Lifecycle(VSwitch, "InvalidVSwitchId.NotFound")
TABLES = Lifecycle(RouteTable, "InvalidRouteTableId.NotFound")
ENTRIES = Lifecycle(RouteEntry, "InvalidRouteEntry.NotFound")


def vswitches_of(ctx: Ctx, tx: Tx, vpc: Vpc) -> list[VSwitch]:
    """The VPC's vSwitches (ones being deleted included until they are gone)."""
    out = []
    for row in tx.find(VSwitch, vpc.account_id, vpc_id=vpc.id):
        settled = VSWITCHES.settle(ctx, tx, row)
        if settled is not None:
            out.append(settled)
    return out


def entries_of(ctx: Ctx, tx: Tx, account_id: str, route_table_id: str) -> list[RouteEntry]:
    """The custom route entries of a table, settled."""
    out = []
    for row in tx.find(RouteEntry, account_id, route_table_id=route_table_id):
        settled = ENTRIES.settle(ctx, tx, row)
        if settled is not None:
            out.append(settled)
    return out


def system_table(ctx: Ctx, tx: Tx, vpc: Vpc) -> RouteTable | None:
    return TABLES.get(
        ctx, tx, vpc.route_table_id, account_id=vpc.account_id, region_id=vpc.region_id
    )


def check_quiet(ctx: Ctx, tx: Tx, vpc: Vpc, *, creating_vswitch: bool = False) -> None:
    """The real service refuses vSwitch and route changes while the VPC is creating or
    deleting a vSwitch or a route (documented on CreateVSwitch, DeleteVSwitch,
    CreateRouteEntry and DeleteRouteEntry).  With immediate transitions this never bites."""
    if any(v.status != routing.AVAILABLE for v in vswitches_of(ctx, tx, vpc)):
        if creating_vswitch:
            raise ApiError(
                "IncorrectVSwitchStatus", "VSwitch Creation simultaneously is not supported."
            )
        raise ApiError(
            "IncorrectVSwitchStatus", "Some virtual switch is modifying within the same VPC."
        )
    if any(
        e.status != routing.AVAILABLE
        for e in entries_of(ctx, tx, vpc.account_id, vpc.route_table_id)
    ):
        raise ApiError("IncorrectRouteEntryStatus")


def routes_of(ctx: Ctx, tx: Tx, vpc: Vpc) -> list[routing.Route]:
    """Every route of the VPC's system table (system and custom)."""
    return routing.table_routes(
        vpc.route_table_id,
        vswitches_of(ctx, tx, vpc),
        entries_of(ctx, tx, vpc.account_id, vpc.route_table_id),
    )


def entries_using(ctx: Ctx, tx: Tx, obj: RouterInterface) -> list[RouteEntry]:
    """The custom routes whose next hop is ``obj`` (ones being deleted count until gone)."""
    out = []
    for row in tx.find(RouteEntry, obj.account_id, next_hop_id=obj.id):
        settled = ENTRIES.settle(ctx, tx, row)
        if settled is not None:
            out.append(settled)
    return out
