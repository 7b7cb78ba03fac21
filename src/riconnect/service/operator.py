"""The operator's actions on the whole cloud: its state (``GET /riconnect/state``) and its
reset (``POST /riconnect/reset``), used by api/operator/ and ``riconnect state|reset``.

Both run below the gateway with the operator as the caller of every account: the state is
read like a describe reads (due transitions are settled first, in the same transaction, so
it shows what the API would answer now), and the rows are rendered by the API's own views.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from riconnect.domain import router_interface as ri
from riconnect.domain import routing
from riconnect.domain.accounts import AccountRegistry, Principal, ram_user_uid
from riconnect.domain.entities import GONE, PhysicalConnection, RouterInterface, Vbr, Vpc
from riconnect.service import vswitch
from riconnect.service.context import Ctx, Params, Result, execute
from riconnect.service.network import routes_of, system_table, vswitches_of
from riconnect.service.route_table import entry_view, interfaces_for
from riconnect.service.router_interface.describe import load_peers, view
from riconnect.service.router_interface.pairs import INTERFACES
from riconnect.service.vbr import VBRS, vbr_view
from riconnect.service.vpc import VPCS, vpc_view
from riconnect.store import admin
from riconnect.store.db import Store, Tx

# The AccessKey id the operator acts under (in contexts only; no request carries it).
OPERATOR_KEY = "riconnect-operator"


def _as(ctx: Ctx, account_id: str, region_id: str) -> Ctx:
    return replace(ctx, principal=Principal(account_id, OPERATOR_KEY), region_id=region_id)


def _vpc(ctx: Ctx, tx: Tx, vpc: Vpc) -> dict[str, Any]:
    """A VPC as DescribeVpcs shows it, with its vSwitches and its route table's routes (system
    and custom, as DescribeRouteEntryList lists them)."""
    switches = []
    for v in vswitches_of(ctx, tx, vpc):
        item = vswitch.view(v)
        item["RouteTable"]["RouteTableId"] = vpc.route_table_id
        switches.append(item)
    table = system_table(ctx, tx, vpc)
    routes = routes_of(ctx, tx, vpc)
    hops = interfaces_for(ctx, tx, vpc, routes)
    return {
        **vpc_view(ctx, tx, vpc, attribute=False),
        "VSwitches": switches,
        "RouteTables": [
            {
                "RouteTableId": vpc.route_table_id,
                "RouteTableName": table.name if table is not None else "",
                "RouteTableType": "System",
                "RouterId": vpc.vrouter_id,
                "RouterType": "VRouter",
                "RouteEntries": [entry_view(r, hops, listing=True) for r in routes],
            }
        ],
    }


def _region(ctx: Ctx, tx: Tx) -> dict[str, Any]:
    account_id = ctx.account_id
    vpcs = tx.find(Vpc, account_id, region_id=ctx.region_id)
    vbrs = tx.find(Vbr, account_id, region_id=ctx.region_id)
    interfaces = tx.find(RouterInterface, account_id, region_id=ctx.region_id)
    pcs = tx.find(PhysicalConnection, account_id)
    by_id = {pc.id: pc for pc in pcs}
    peers = load_peers(ctx, tx, interfaces)
    return {
        "RegionId": ctx.region_id,
        "Vpcs": [_vpc(ctx, tx, v) for v in vpcs],
        "VirtualBorderRouters": [vbr_view(v, by_id.get(v.physical_connection_id)) for v in vbrs],
        "RouterInterfaces": [view(ctx, tx, o, attribute=False, peers=peers) for o in interfaces],
        "PhysicalConnections": [
            {
                "PhysicalConnectionId": pc.id,
                "AccessPointId": pc.access_point_id,
                "Bandwidth": pc.bandwidth,
                "Name": pc.name,
            }
            for pc in pcs
            if pc.region_id == ctx.region_id
        ],
    }


def _account(registry: AccountRegistry | None, account_id: str) -> dict[str, Any]:
    """An account as the state shows it: ids and names, never a secret."""
    account = registry.accounts.get(account_id) if registry is not None else None
    if account is None:
        return {"AccountId": account_id, "Name": "", "Known": False}
    return {
        "AccountId": account_id,
        "Name": account.name or "",
        "Known": True,
        "AccessKeyIds": [k.id for k in account.access_keys],
        "RamUsers": [
            {
                "UserName": user.name,
                "UserId": ram_user_uid(account_id, user.name),
                "AccessKeyIds": [k.id for k in user.access_keys],
            }
            for user in account.ram_users
        ],
    }


def state(ctx: Ctx, registry: AccountRegistry | None, account: str | None = None) -> Result:
    """Every resource by account and region (only ``account``'s when given), and every
    account the server knows, even without resources."""

    def read(ctx: Ctx, tx: Tx, _params: Params) -> Result:
        groups = [g for g in admin.owners(tx) if account is None or g[0] == account]
        for account_id, region_id in groups:
            here = _as(ctx, account_id, region_id)
            VPCS.settle_due(here, tx)
            VBRS.settle_due(here, tx)
            INTERFACES.settle_due(here, tx)
        regions: dict[str, list[dict[str, Any]]] = {}
        for account_id, region_id in groups:
            rendered = _region(_as(ctx, account_id, region_id), tx)
            if (
                any(rendered[k] for k in ("Vpcs", "VirtualBorderRouters", "RouterInterfaces"))
                or (rendered["PhysicalConnections"])
            ):
                regions.setdefault(account_id, []).append(rendered)
        known = set(registry.accounts) if registry is not None else set()
        wanted = sorted((known | set(regions)) if account is None else {account})
        accounts = [{**_account(registry, a), "Regions": regions.get(a, [])} for a in wanted]
        counts = {
            kind: sum(len(r[kind]) for a in accounts for r in a["Regions"])
            for kind in ("Vpcs", "VirtualBorderRouters", "RouterInterfaces", "PhysicalConnections")
        }
        vpcs = [v for a in accounts for r in a["Regions"] for v in r["Vpcs"]]
        counts["VSwitches"] = sum(len(v["VSwitches"]) for v in vpcs)
        counts["RouteEntries"] = sum(  # the custom ones: system routes come with vSwitches
            e["Type"] != routing.SYSTEM
            for v in vpcs
            for t in v["RouteTables"]
            for e in t["RouteEntries"]
        )
        return {"Accounts": accounts, "Counts": counts}

    return execute(ctx, read, {}, write=False)


def reset(store: Store, now: float, account: str | None = None) -> dict[str, int]:
    """Empty the cloud (or one account of it), keeping the accounts and their physical
    connections; rows deleted per table.

    A whole reset restarts the id sequence, so a seeded server hands out the ids of a fresh
    start again.  Resetting one account leaves other accounts' interfaces that were
    connected to it ``Inactive`` with a deleted opposite side: what the API shows after the
    account deactivated and deleted its side.
    """
    if account is None:
        with store.transaction(write=True) as tx:
            deleted = admin.delete_all(tx)
            version = admin.restart_ids(tx)
        admin.announce(store, version)
        return deleted
    with store.transaction(write=True) as tx:
        for obj in admin.interfaces_joined_to(tx, account):
            if obj.target_status == GONE:
                continue  # being deleted anyway
            obj.status, obj.target_status, obj.settle_at = ri.INACTIVE, None, None
            obj.modified_at = now
            tx.update(obj)
        return admin.delete_account(tx, account)
