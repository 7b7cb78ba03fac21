"""vSwitch actions: CreateVSwitch, DescribeVSwitches, DescribeVSwitchAttributes,
ModifyVSwitchAttribute, DeleteVSwitch; and Vpc DescribeZones."""

from __future__ import annotations

from typing import Any

from riconnect.domain import ids, transitions, zones
from riconnect.domain import vswitch as rules
from riconnect.domain.clock import iso8601
from riconnect.domain.entities import GONE, Vpc, VSwitch
from riconnect.domain.errors import ApiError
from riconnect.domain.validation import tag_list
from riconnect.service.context import Ctx, Params, Result, idempotent, paging
from riconnect.service.network import VSWITCHES, check_quiet, entries_of, vswitches_of
from riconnect.service.vpc import VPCS
from riconnect.store.db import Tx


def describe_zones(ctx: Ctx, tx: Tx, p: Params) -> Result:
    language = p.get("AcceptLanguage") or "zh-cn"
    zone_type = p.get("ZoneType") or "AvailabilityZone"
    found = zones.zones_of(ctx.region_id) if zone_type == "AvailabilityZone" else ()
    return {
        "Zones": {
            "Zone": [
                {"ZoneId": z.id, "LocalName": z.local_name(language), "ZoneType": zone_type}
                for z in found
            ]
        }
    }


def view(v: VSwitch) -> dict[str, Any]:
    return {
        "VSwitchId": v.id,
        "VpcId": v.vpc_id,
        "ZoneId": v.zone_id,
        "CidrBlock": v.cidr_block,
        "Status": v.status,
        "AvailableIpAddressCount": rules.available_ip_count(v.cidr_block),
        "VSwitchName": v.name,
        "Description": v.description,
        "CreationTime": iso8601(v.created_at),
        "IsDefault": False,
        "EnabledIpv6": False,
        # Always present, even empty: the Go provider reads a missing one as IPv6 enabled.
        "Ipv6CidrBlock": "",
        "NetworkAclId": "",
        "ResourceGroupId": v.resource_group_id,
        "ShareType": "",
        "OwnerId": int(v.account_id),
        # Every vSwitch uses its VPC's system table (riconnect has no custom tables).
        "RouteTable": {"RouteTableId": "", "RouteTableType": "System"},
        "Tags": {"Tag": [{"Key": k, "Value": val} for k, val in v.tags]},
    }


def _view(v: VSwitch, vpc_tables: dict[str, str]) -> dict[str, Any]:
    out = view(v)
    out["RouteTable"]["RouteTableId"] = vpc_tables.get(v.vpc_id, "")
    return out


def _tables(ctx: Ctx, tx: Tx, items: list[VSwitch]) -> dict[str, str]:
    """VPC id -> its system route table id, for the VPCs of ``items``."""
    wanted = sorted({v.vpc_id for v in items})
    if not wanted:
        return {}
    rows, _ = tx.page(Vpc, ctx.account_id, ctx.region_id, [("id", wanted)], 1, len(wanted))
    return {vpc.id: vpc.route_table_id for vpc in rows}


def _usable_vpc(ctx: Ctx, tx: Tx, vpc_id: str) -> Vpc:
    vpc = VPCS.get(ctx, tx, vpc_id)
    if vpc is None:
        raise ApiError("InvalidVpcId.NotFound")
    if vpc.status != "Available":
        raise ApiError("IncorrectVpcStatus")
    return vpc


def create_vswitch(ctx: Ctx, tx: Tx, p: Params) -> Result:
    cidr_text, mask = p.get("CidrBlock"), p.get("CidrMask")
    if cidr_text is None and mask is None:
        raise ApiError("MissingParameter", name="CidrBlock")
    cidr = rules.parse_cidr(cidr_text) if cidr_text is not None else None
    if mask is not None:
        rules.check_mask(mask)
    if p.get("VSwitchName") is not None:
        rules.check_name(p["VSwitchName"])
    if p.get("Description") is not None:
        rules.check_description(p["Description"])
    tags = tag_list(p.get("Tag"))
    if p.get("Ipv6CidrBlock") is not None or p.get("VpcIpv6CidrBlock"):
        raise ApiError("OperationDenied.VpcIpv6NotEnabled")  # riconnect VPCs have no IPv6

    def create() -> Result:
        tx.require_write()
        vpc = _usable_vpc(ctx, tx, p["VpcId"])
        if zones.find(ctx.region_id, p["ZoneId"]) is None:
            raise ApiError("InvalidZoneId.NotFound")
        check_quiet(ctx, tx, vpc, creating_vswitch=True)
        siblings = vswitches_of(ctx, tx, vpc)
        if len(siblings) >= rules.MAX_VSWITCHES_PER_VPC:
            raise ApiError("QuotaExceeded.VSwitch")
        destinations = [
            e.destination_cidr_block
            for e in entries_of(ctx, tx, vpc.account_id, vpc.route_table_id)
        ]
        taken = [v.cidr_block for v in siblings]
        if cidr is None:
            assert mask is not None
            block = rules.allocate(vpc.cidr_block, mask, taken, destinations)
        else:
            rules.check_inside(vpc.cidr_block, cidr)
            rules.check_placement(cidr, taken, destinations)
            block = cidr
        now = ctx.now()
        vsw = VSwitch(
            id=ids.new_id("vswitch"),
            account_id=ctx.account_id,
            region_id=ctx.region_id,
            vpc_id=vpc.id,
            zone_id=p["ZoneId"],
            cidr_block=str(block),
            status="Pending",
            created_at=now,
            modified_at=now,
            resource_group_id=vpc.resource_group_id,
            name=p.get("VSwitchName") or "",
            description=p.get("Description") or "",
            tags=tags,
        )
        transitions.begin(vsw, "Pending", "Available", now, ctx.settings.delays.vsw_create)
        transitions.settle(vsw, now)
        tx.insert(vsw)
        return {"VSwitchId": vsw.id}

    return idempotent(ctx, tx, p, create)


def describe_vswitches(ctx: Ctx, tx: Tx, p: Params) -> Result:
    if p.get("DryRun"):
        raise ApiError("DryRunOperation")
    VSWITCHES.settle_due(ctx, tx)
    page_number, page_size = paging(p)
    conditions: list[tuple[str, list[Any]]] = []
    if p.get("VpcId"):
        vpc = VPCS.get(ctx, tx, p["VpcId"])
        if vpc is None:
            raise ApiError("Forbidden.VpcNotFound")
        conditions.append(("vpc_id", [vpc.id]))
    if p.get("VSwitchId"):
        conditions.append(("id", [v.strip() for v in p["VSwitchId"].split(",") if v.strip()]))
    for param, column in (
        ("ZoneId", "zone_id"),
        ("VSwitchName", "name"),
        ("ResourceGroupId", "resource_group_id"),
    ):
        if p.get(param) is not None:
            conditions.append((column, [p[param]]))
    owner = p.get("VSwitchOwnerId")
    # No default vSwitches, no IPv6, no shared vSwitches in riconnect.
    if (
        p.get("IsDefault") is True
        or p.get("EnableIpv6") is True
        or (owner is not None and str(owner) != ctx.account_id)
    ):
        conditions.append(("id", []))
    if p.get("RouteTableId"):
        found = tx.find(Vpc, ctx.account_id, route_table_id=p["RouteTableId"])
        conditions.append(("vpc_id", [v.id for v in found]))
    items, total = VSWITCHES.page(ctx, tx, conditions, p.get("Tag") or [], page_number, page_size)
    tables = _tables(ctx, tx, items)
    return {
        "PageNumber": page_number,
        "PageSize": page_size,
        "TotalCount": total,
        "VSwitches": {"VSwitch": [_view(v, tables) for v in items]},
    }


def describe_vswitch_attributes(ctx: Ctx, tx: Tx, p: Params) -> Result:
    if p.get("DryRun"):
        raise ApiError("DryRunOperation")
    vsw = VSWITCHES.load(ctx, tx, p["VSwitchId"])
    out = _view(vsw, _tables(ctx, tx, [vsw]))
    vpc = VPCS.get(ctx, tx, vsw.vpc_id)
    out["CloudResources"] = {"CloudResourceSetType": []}
    out["VpcId"] = vpc.id if vpc is not None else vsw.vpc_id
    return out


def modify_vswitch_attribute(ctx: Ctx, tx: Tx, p: Params) -> Result:
    vsw = VSWITCHES.get(ctx, tx, p["VSwitchId"])
    if vsw is None:  # this action's documented wording
        raise ApiError("InvalidVSwitchId.NotFound", "The specified virtual switch does not exists.")
    if vsw.status != "Available":
        raise ApiError("IncorrectVSwitchStatus")
    if p.get("VSwitchName") is not None:
        rules.check_name(p["VSwitchName"])
    if p.get("Description") is not None:
        rules.check_description(p["Description"])
    if p.get("EnableIPv6") or p.get("Ipv6CidrBlock") is not None or p.get("VpcIpv6CidrBlock"):
        raise ApiError("OperationDenied.VpcIpv6NotEnabled")
    if p.get("VSwitchName") is not None:
        vsw.name = p["VSwitchName"]
    if p.get("Description") is not None:
        vsw.description = p["Description"]
    vsw.modified_at = ctx.now()
    tx.update(vsw)
    return {}


def delete_vswitch(ctx: Ctx, tx: Tx, p: Params) -> Result:
    def delete() -> Result:
        vsw = VSWITCHES.load(ctx, tx, p["VSwitchId"])
        if vsw.status != "Available" or transitions.is_gone(vsw):
            raise ApiError("IncorrectVSwitchStatus")
        vpc = VPCS.get(ctx, tx, vsw.vpc_id)
        if vpc is not None:
            check_quiet(ctx, tx, vpc)
        if p.get("DryRun"):
            raise ApiError("DryRunOperation")
        now = ctx.now()
        # "If the vSwitch is in the Pending state, the vSwitch is being deleted."
        transitions.begin(vsw, "Pending", GONE, now, ctx.settings.delays.vsw_delete)
        vsw.modified_at = now
        tx.update(vsw)
        return {}

    return idempotent(ctx, tx, p, delete)
