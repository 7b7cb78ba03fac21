"""A VPC's address space beyond CreateVpc: AssociateVpcCidrBlock, UnassociateVpcCidrBlock,
EnableVpcClassicLink, DisableVpcClassicLink, CreateDefaultVpc (the block rules they share
with CreateVpc and ModifyVpcAttribute are in service/vpc_blocks.py).

Rules from the Vpc 2016-04-28 API pages: at most five secondary IPv4 blocks per VPC, each
a standard private block or a subnet of one, or a custom block outside the reserved
ranges; one default VPC per region (172.16.0.0/12, asynchronous like CreateVpc).
"""

from __future__ import annotations

from riconnect.domain.entities import Vpc
from riconnect.domain.errors import ApiError
from riconnect.domain.validation import parse_vpc_cidr
from riconnect.service.context import Ctx, Params, Result
from riconnect.service.vpc import VPCS, create_vpc
from riconnect.service.vpc_blocks import check_overlaps
from riconnect.store.db import Tx

MAX_SECONDARY_BLOCKS = 5


def _available(ctx: Ctx, tx: Tx, vpc_id: str) -> Vpc:
    vpc = VPCS.load(ctx, tx, vpc_id)
    if vpc.status != "Available":
        raise ApiError("IncorrectVpcStatus")
    return vpc


def _no_ipam(p: Params, name: str) -> None:
    if p.get(name):
        # riconnect has no IPAM: no pool id the caller can hold exists.
        raise ApiError(
            "InvalidParameter", name=name, detail="The specified IPAM pool does not exist."
        )


def associate_vpc_cidr_block(ctx: Ctx, tx: Tx, p: Params) -> Result:
    _no_ipam(p, "IpamPoolId")
    if (p.get("IpVersion") or "IPV4").upper() != "IPV4" or p.get("IPv6CidrBlock"):
        raise ApiError(
            "InvalidParameter",
            name="IpVersion",
            detail="riconnect adds secondary IPv4 blocks only (docs/fidelity.md).",
        )
    if not p.get("SecondaryCidrBlock"):
        raise ApiError("MissingParameter", name="SecondaryCidrBlock")
    vpc = _available(ctx, tx, p["VpcId"])
    block = str(parse_vpc_cidr(p["SecondaryCidrBlock"]))
    if block in vpc.secondary_cidr_blocks:
        raise ApiError("InvalidCidrBlock.Overlapped")
    if len(vpc.secondary_cidr_blocks) >= MAX_SECONDARY_BLOCKS:
        raise ApiError("QuotaExceeded.SecondaryCidrBlock", limit=MAX_SECONDARY_BLOCKS)
    check_overlaps(vpc, vpc.cidr_block, [*vpc.secondary_cidr_blocks, block])
    vpc.secondary_cidr_blocks = [*vpc.secondary_cidr_blocks, block]
    vpc.modified_at = ctx.now()
    tx.update(vpc)
    return {}


def unassociate_vpc_cidr_block(ctx: Ctx, tx: Tx, p: Params) -> Result:
    if not p.get("SecondaryCidrBlock") and not p.get("IPv6CidrBlock"):
        raise ApiError("MissingParameter", name="SecondaryCidrBlock")
    vpc = _available(ctx, tx, p["VpcId"])
    block = p.get("SecondaryCidrBlock") or ""
    if block not in vpc.secondary_cidr_blocks:
        raise ApiError("InvalidSecondaryCidrBlock.NotFound")
    vpc.secondary_cidr_blocks = [b for b in vpc.secondary_cidr_blocks if b != block]
    vpc.modified_at = ctx.now()
    tx.update(vpc)
    return {}


def _classic_link(ctx: Ctx, tx: Tx, p: Params, enabled: bool) -> Result:
    vpc = _available(ctx, tx, p["VpcId"])
    vpc.classic_link = enabled
    vpc.modified_at = ctx.now()
    tx.update(vpc)
    return {}


def enable_vpc_classic_link(ctx: Ctx, tx: Tx, p: Params) -> Result:
    return _classic_link(ctx, tx, p, True)


def disable_vpc_classic_link(ctx: Ctx, tx: Tx, p: Params) -> Result:
    return _classic_link(ctx, tx, p, False)


def create_default_vpc(ctx: Ctx, tx: Tx, p: Params) -> Result:
    VPCS.settle_due(ctx, tx)
    existing = tx.find(Vpc, ctx.account_id, region_id=ctx.region_id, is_default=True)
    if any(v.status != "Deleting" for v in existing):
        raise ApiError("DefaultVpcExist")
    params = {
        "ClientToken": p.get("ClientToken"),
        "ResourceGroupId": p.get("ResourceGroupId"),
        "EnableIpv6": p.get("EnableIpv6"),
        "Ipv6CidrBlock": p.get("Ipv6CidrBlock"),
    }
    return create_vpc(ctx, tx, params, is_default=True)
