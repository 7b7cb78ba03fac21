"""VPC actions: CreateVpc, DescribeVpcs, DescribeVpcAttribute, DeleteVpc, ModifyVpcAttribute,
and tags (TagResources / UnTagResources for VPCs, vSwitches and route tables; ListTagResources
for VPCs)."""

from __future__ import annotations

import ipaddress
from typing import Any

from riconnect.domain import ids, transitions
from riconnect.domain.clock import iso8601
from riconnect.domain.entities import GONE, RouteTable, Vpc, VSwitch
from riconnect.domain.errors import ApiError
from riconnect.domain.validation import (
    DEFAULT_VPC_CIDR,
    check_tags,
    check_vpc_description,
    check_vpc_name,
    parse_user_cidrs,
    parse_vpc_cidr,
    tag_list,
)
from riconnect.service.context import Ctx, Params, Result, idempotent, paging
from riconnect.service.lifecycle import Lifecycle
from riconnect.service.network import TABLES, VSWITCHES, entries_of, vswitches_of
from riconnect.service.routers import interfaces_on
from riconnect.service.vpc_blocks import allocate_ipv6, new_primary_block, release_ipv6
from riconnect.store.db import Tx

MAX_VPC_IDS = 20


def _drop_tables(tx: Tx, vpc: Vpc) -> None:
    # The system route table goes with its VPC.
    for table in tx.find(RouteTable, vpc.account_id, vpc_id=vpc.id):
        tx.delete(table)


VPCS = Lifecycle(Vpc, "InvalidVpcID.NotFound", key_only_tags=True, departed=_drop_tables)


def create_vpc(ctx: Ctx, tx: Tx, p: Params, *, is_default: bool = False) -> Result:
    """CreateVpc, and CreateDefaultVpc's VPC (``is_default``: service/vpc_cidr.py)."""
    if p.get("Ipv4IpamPoolId"):
        # riconnect has no IPAM: no pool id the caller can hold exists.
        raise ApiError(
            "InvalidParameter",
            name="Ipv4IpamPoolId",
            detail="The specified IPAM pool does not exist.",
        )
    cidr = str(parse_vpc_cidr(p.get("CidrBlock") or DEFAULT_VPC_CIDR))
    name = p.get("VpcName")
    if name is not None:
        check_vpc_name(name)
    description = p.get("Description")
    if description is not None:
        check_vpc_description(description)
    user_cidrs = parse_user_cidrs(p["UserCidr"]) if p.get("UserCidr") else []
    tags = tag_list(p.get("Tag"))
    if p.get("DryRun"):
        raise ApiError("DryRunOperation")

    def create() -> Result:
        tx.require_write()
        VPCS.settle_due(ctx, tx)
        if tx.count(Vpc, ctx.account_id, region_id=ctx.region_id) >= ctx.settings.vpc_quota:
            raise ApiError("QuotaExceeded.Vpc")
        now = ctx.now()
        vpc = Vpc(
            id=ids.new_id("vpc"),
            account_id=ctx.account_id,
            region_id=ctx.region_id,
            vrouter_id=ids.new_id("vrouter"),
            route_table_id=ids.new_id("route_table"),
            cidr_block=cidr,
            status="Pending",
            created_at=now,
            modified_at=now,
            resource_group_id=p.get("ResourceGroupId")
            or ids.default_resource_group(ctx.account_id),
            name=name or "",
            description=description or "",
            user_cidrs=user_cidrs,
            tags=tags,
            enable_ipv6=bool(p.get("EnableIpv6")),
            dns_hostname=bool(p.get("EnableDnsHostname")),
            is_default=is_default,
        )
        if vpc.enable_ipv6:
            allocate_ipv6(vpc, p.get("Ipv6Isp"), p.get("Ipv6CidrBlock"))
        transitions.begin(vpc, "Pending", "Available", now, ctx.settings.delays.vpc_create)
        # Without a delay it is due at once: store it settled, as the next read would
        # (instead of leaving that write, and a read-turned-write, to the next request).
        transitions.settle(vpc, now)
        tx.insert(vpc)
        tx.insert(
            RouteTable(
                id=vpc.route_table_id,
                account_id=vpc.account_id,
                region_id=vpc.region_id,
                vpc_id=vpc.id,
                router_id=vpc.vrouter_id,
                table_type="System",
                status="Available",
                created_at=now,
                modified_at=now,
                resource_group_id=vpc.resource_group_id,
            )
        )
        return {
            "VpcId": vpc.id,
            "VRouterId": vpc.vrouter_id,
            "RouteTableId": vpc.route_table_id,
            "ResourceGroupId": vpc.resource_group_id,
        }

    return idempotent(ctx, tx, p, create)


def _interfaces_on(ctx: Ctx, tx: Tx, vpc: Vpc) -> int:
    return interfaces_on(ctx, tx, ctx.account_id, vpc.vrouter_id)


def _vswitch_ids(ctx: Ctx, tx: Tx, vpcs: list[Vpc]) -> dict[str, list[str]]:
    """The vSwitch ids of each VPC, in one query for a whole page of VPCs."""
    out: dict[str, list[str]] = {v.id: [] for v in vpcs}
    if not vpcs:
        return out
    rows, _ = tx.page(VSwitch, ctx.account_id, ctx.region_id, [("vpc_id", list(out))], 1, 10**9)
    for row in rows:
        if VSWITCHES.settle(ctx, tx, row) is not None:
            out[row.vpc_id].append(row.id)
    return out


def vpc_view(
    ctx: Ctx, tx: Tx, vpc: Vpc, *, attribute: bool, vswitch_ids: list[str] | None = None
) -> dict[str, Any]:
    if vswitch_ids is None:
        vswitch_ids = _vswitch_ids(ctx, tx, [vpc])[vpc.id]
    out: dict[str, Any] = {
        "VpcId": vpc.id,
        "RegionId": vpc.region_id,
        "Status": vpc.status,
        "VpcName": vpc.name,
        "CreationTime": iso8601(vpc.created_at),
        "CidrBlock": vpc.cidr_block,
        "Ipv6CidrBlock": vpc.ipv6_cidr_block,
        "Ipv6CidrBlocks": {
            "Ipv6CidrBlock": [{"Ipv6CidrBlock": vpc.ipv6_cidr_block, "Ipv6Isp": vpc.ipv6_isp}]
            if vpc.ipv6_cidr_block
            else []
        },
        "VRouterId": vpc.vrouter_id,
        "Description": vpc.description,
        "IsDefault": vpc.is_default,
        "ResourceGroupId": vpc.resource_group_id,
        "OwnerId": int(vpc.account_id),
        "EnabledIpv6": vpc.enable_ipv6,
        "DnsHostnameStatus": "ENABLED" if vpc.dns_hostname else "DISABLED",
        "DhcpOptionsSetId": "",
        "DhcpOptionsSetStatus": "",
        "VSwitchIds": {"VSwitchId": list(vswitch_ids)},
        "UserCidrs": {"UserCidr": list(vpc.user_cidrs)},
        "SecondaryCidrBlocks": {"SecondaryCidrBlock": list(vpc.secondary_cidr_blocks)},
        "Tags": {"Tag": [{"Key": k, "Value": v} for k, v in vpc.tags]},
    }
    if attribute:
        out.update(
            {
                "ClassicLinkEnabled": vpc.classic_link,
                "SupportIpv4Gateway": True,
                "Ipv4GatewayId": "",
                "AssociatedCens": {"AssociatedCen": []},
                "AssociatedPropagationSources": {"AssociatedPropagationSources": []},
                "CloudResources": {
                    "CloudResourceSetType": [
                        {"ResourceType": "VRouter", "ResourceCount": 1},
                        {"ResourceType": "RouteTable", "ResourceCount": 1},
                        {"ResourceType": "VSwitch", "ResourceCount": len(vswitch_ids)},
                        {
                            "ResourceType": "RouterInterface",
                            "ResourceCount": _interfaces_on(ctx, tx, vpc),
                        },
                    ]
                },
            }
        )
    else:
        out.update(
            {
                "CenStatus": "",
                "NatGatewayIds": {"NatGatewayIds": []},
                "RouterTableIds": {"RouterTableIds": [vpc.route_table_id]},
            }
        )
    return out


def describe_vpcs(ctx: Ctx, tx: Tx, p: Params) -> Result:
    if p.get("DryRun"):
        raise ApiError("DryRunOperation")
    VPCS.settle_due(ctx, tx)
    page_number, page_size = paging(p)
    conditions: list[tuple[str, list[Any]]] = []
    if p.get("VpcId"):
        wanted = [v.strip() for v in p["VpcId"].split(",") if v.strip()]
        if len(wanted) > MAX_VPC_IDS:
            raise ApiError("InvalidParameter", name="VpcId", detail=f"At most {MAX_VPC_IDS} ids.")
        conditions.append(("id", wanted))
    if p.get("VpcName") is not None:
        conditions.append(("name", [p["VpcName"]]))
    if p.get("IsDefault") is not None:
        conditions.append(("is_default", [p["IsDefault"]]))
    if p.get("EnableIpv6") is not None:
        conditions.append(("enable_ipv6", [p["EnableIpv6"]]))
    if p.get("ResourceGroupId"):
        conditions.append(("resource_group_id", [p["ResourceGroupId"]]))
    owner = p.get("VpcOwnerId")
    if owner is not None and str(owner) != ctx.account_id:
        # Only the caller's own VPCs are visible (no shared VPCs in riconnect).
        conditions.append(("id", []))
    vpcs, total = VPCS.page(ctx, tx, conditions, p.get("Tag") or [], page_number, page_size)
    vswitch_ids = _vswitch_ids(ctx, tx, vpcs)
    return {
        "PageNumber": page_number,
        "PageSize": page_size,
        "TotalCount": total,
        "Vpcs": {
            "Vpc": [
                vpc_view(ctx, tx, v, attribute=False, vswitch_ids=vswitch_ids[v.id]) for v in vpcs
            ]
        },
    }


def describe_vpc_attribute(ctx: Ctx, tx: Tx, p: Params) -> Result:
    if p.get("DryRun"):
        raise ApiError("DryRunOperation")
    vpc = VPCS.load(ctx, tx, p["VpcId"])
    return vpc_view(ctx, tx, vpc, attribute=True)


def modify_vpc_attribute(ctx: Ctx, tx: Tx, p: Params) -> Result:
    vpc = VPCS.load(ctx, tx, p["VpcId"])
    if vpc.status != "Available":
        raise ApiError("IncorrectVpcStatus")
    if p.get("VpcName") is not None:
        check_vpc_name(p["VpcName"])
        vpc.name = p["VpcName"]
    if p.get("Description") is not None:
        check_vpc_description(p["Description"])
        vpc.description = p["Description"]
    if p.get("CidrBlock") and p["CidrBlock"] != vpc.cidr_block:
        # Larger or smaller, or another range, as long as every vSwitch still lies inside
        # the VPC's blocks ("If ... existing IP addresses do not fall within the CIDR block,
        # the modification fails", the API page).
        block = new_primary_block(vpc, p["CidrBlock"])
        nets = [ipaddress.IPv4Network(b) for b in (block, *vpc.secondary_cidr_blocks)]
        for vsw in vswitches_of(ctx, tx, vpc):
            if not any(ipaddress.IPv4Network(vsw.cidr_block).subnet_of(n) for n in nets):
                raise ApiError(
                    "InvalidCidrBlock.Malformed",
                    detail=f"vSwitch {vsw.id} ({vsw.cidr_block}) would fall outside {block}.",
                )
        vpc.cidr_block = block
    if p.get("EnableIPv6") is not None:
        vpc.enable_ipv6 = bool(p["EnableIPv6"])
        if vpc.enable_ipv6:
            allocate_ipv6(vpc, p.get("Ipv6Isp"))
        else:
            release_ipv6(vpc)
    elif p.get("Ipv6Isp") and vpc.ipv6_cidr_block:
        vpc.ipv6_isp = p["Ipv6Isp"]
    if p.get("EnableDnsHostname") is not None:
        vpc.dns_hostname = bool(p["EnableDnsHostname"])
    vpc.modified_at = ctx.now()
    tx.update(vpc)
    return {}


def delete_vpc(ctx: Ctx, tx: Tx, p: Params) -> Result:
    def delete() -> Result:
        # Inside the token check: a retried delete gets the first answer, not NotFound.
        vpc = VPCS.load(ctx, tx, p["VpcId"])
        if vpc.status != "Available":
            raise ApiError("IncorrectVpcStatus")
        # vSwitches and routes still being deleted count until they are gone.
        if vswitches_of(ctx, tx, vpc):
            raise ApiError("DependencyViolation.VSwitch")
        if entries_of(ctx, tx, vpc.account_id, vpc.route_table_id):
            raise ApiError("DependencyViolation.RouteEntry")
        # Interfaces still being deleted count too: the real service refuses for a short
        # while after the last DeleteRouterInterface (aliyun/terraform-provider-alicloud#9889).
        if _interfaces_on(ctx, tx, vpc):
            raise ApiError("DependencyViolation.RouterInterface")
        if p.get("DryRun"):
            raise ApiError("DryRunOperation")
        now = ctx.now()
        transitions.begin(vpc, "Deleting", GONE, now, ctx.settings.delays.vpc_delete)
        vpc.modified_at = now
        tx.update(vpc)
        return {}

    return idempotent(ctx, tx, p, delete)


# ResourceType (case-insensitive, as documented) -> how its rows are found.
def _taggable(ctx: Ctx, tx: Tx, resource_type: str, resource_id: str) -> Vpc | VSwitch | RouteTable:
    kind = resource_type.upper()
    if kind == "VPC":
        return VPCS.load(ctx, tx, resource_id)
    if kind == "VSWITCH":
        return VSWITCHES.load(ctx, tx, resource_id)
    if kind == "ROUTETABLE":
        return TABLES.load(ctx, tx, resource_id)
    raise ApiError(
        "InvalidParameter",
        name="ResourceType",
        detail="riconnect tags VPC, VSWITCH and ROUTETABLE resources.",
    )


def tag_resources(ctx: Ctx, tx: Tx, p: Params) -> Result:
    """TagResources for ResourceType VPC, VSWITCH or ROUTETABLE."""
    rows = [_taggable(ctx, tx, p["ResourceType"], rid) for rid in p["ResourceId"]]
    new = tag_list(p.get("Tag"))
    for row in rows:
        merged = {k: v for k, v in row.tags}
        merged.update({k: v for k, v in new})
        check_tags([(k, v) for k, v in merged.items()])
        row.tags = [[k, v] for k, v in merged.items()]
        row.modified_at = ctx.now()
        tx.update(row)
    return {}


def untag_resources(ctx: Ctx, tx: Tx, p: Params) -> Result:
    rows = [_taggable(ctx, tx, p["ResourceType"], rid) for rid in p["ResourceId"]]
    keys = set(p.get("TagKey") or [])
    if not keys and not p.get("All"):
        raise ApiError("MissingParameter", name="TagKey.1")
    for row in rows:
        row.tags = [] if p.get("All") else [[k, v] for k, v in row.tags if k not in keys]
        row.modified_at = ctx.now()
        tx.update(row)
    return {}


MAX_TAG_RESULTS = 50


def list_tag_resources(ctx: Ctx, tx: Tx, p: Params) -> Result:
    """ListTagResources for ResourceType=VPC: one entry per (VPC, tag), ordered by VPC id
    and then the tag's order, paged with an opaque ``NextToken`` (docs/fidelity.md)."""
    wanted_ids = p.get("ResourceId") or []
    wanted_tags = p.get("Tag") or []
    if not wanted_ids and not wanted_tags:
        # "You must specify ResourceId.N or Tag.N" (the API reference's usage notes).
        raise ApiError("MissingParameter", name="ResourceId.1")
    size = p.get("MaxResults") or MAX_TAG_RESULTS
    start = _token_offset(p.get("NextToken"))
    VPCS.settle_due(ctx, tx)
    conditions: list[tuple[str, list[Any]]] = [("id", wanted_ids)] if wanted_ids else []
    vpcs, _ = VPCS.page(ctx, tx, conditions, wanted_tags, 1, 10**9)
    # With a tag filter the entries are the matching keys' tags ("if you specify only
    # Tag.N.Key, all tag values associated with the key are returned"); else every tag.
    keys = {key for key, _ in wanted_tags}
    entries = [
        {"ResourceType": "VPC", "ResourceId": vpc.id, "TagKey": key, "TagValue": value}
        for vpc in sorted(vpcs, key=lambda v: v.id)
        for key, value in vpc.tags
        if not keys or key in keys
    ]
    page = entries[start : start + size]
    more = start + size < len(entries)
    return {
        "NextToken": _token(start + size) if more else "",
        "TagResources": {"TagResource": page},
    }


def _token(offset: int) -> str:
    return f"lt{offset:08x}"


def _token_offset(token: str | None) -> int:
    if not token:
        return 0
    if len(token) == 10 and token.startswith("lt"):
        try:
            return int(token[2:], 16)
        except ValueError:
            pass
    raise ApiError(
        "InvalidParameter", name="NextToken", detail="Give the NextToken of the previous answer."
    )
