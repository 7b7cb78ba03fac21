"""A VPC's address space beyond CreateVpc: AssociateVpcCidrBlock, UnassociateVpcCidrBlock,
EnableVpcClassicLink, DisableVpcClassicLink, CreateDefaultVpc, and the rules
ModifyVpcAttribute follows for CidrBlock and IPv6 (service/vpc.py calls them).

Rules from the Vpc 2016-04-28 API pages: at most five secondary IPv4 blocks per VPC, each
a standard private block or a subnet of one, or a custom block outside the reserved
ranges; one default VPC per region (172.16.0.0/12, asynchronous like CreateVpc).
"""

from __future__ import annotations

import ipaddress
import secrets

from riconnect.domain.entities import Vpc
from riconnect.domain.errors import ApiError
from riconnect.domain.validation import parse_vpc_cidr
from riconnect.service.context import Ctx, Params, Result
from riconnect.store.db import Tx

MAX_SECONDARY_BLOCKS = 5
DEFAULT_IPV6_ISP = "BGP"


def _available(ctx: Ctx, tx: Tx, vpc_id: str) -> Vpc:
    from riconnect.service.vpc import VPCS  # vpc.py imports this module

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


def check_overlaps(vpc: Vpc, primary: str, secondaries: list[str]) -> None:
    """No two of a VPC's IPv4 blocks may overlap."""
    nets = [ipaddress.IPv4Network(primary), *(ipaddress.IPv4Network(b) for b in secondaries)]
    for i, a in enumerate(nets):
        for b in nets[i + 1 :]:
            if a.overlaps(b):
                raise ApiError("InvalidCidrBlock.Overlapped")


def new_primary_block(vpc: Vpc, value: str) -> str:
    """ModifyVpcAttribute CidrBlock: larger or smaller than the current block, as long as
    what is inside the VPC still fits (the API page); riconnect's VPCs hold no addresses
    yet, so the new block only has to be valid and clear of the secondary blocks."""
    new = str(parse_vpc_cidr(value))
    check_overlaps(vpc, new, vpc.secondary_cidr_blocks)
    return new


def allocate_ipv6(vpc: Vpc, isp: str | None, block: str | None = None) -> None:
    """The /56 a VPC gets when IPv6 is enabled (Alibaba allocates it; 2408::/16 as in the
    API pages' examples)."""
    if block:
        try:
            net = ipaddress.IPv6Network(block, strict=True)
        except ValueError as exc:
            raise ApiError("InvalidCidrBlock.Malformed", detail=f"{block!r}: {exc}.") from None
        if net.prefixlen != 56:
            raise ApiError("InvalidCidrBlock.Malformed", detail=f"{block}: expected a /56.")
        vpc.ipv6_cidr_block = str(net)
    elif not vpc.ipv6_cidr_block:
        prefix = (0x2408 << 112) | (secrets.randbits(40) << 72)
        vpc.ipv6_cidr_block = str(ipaddress.IPv6Network((prefix, 56)))
    vpc.ipv6_isp = isp or vpc.ipv6_isp or DEFAULT_IPV6_ISP


def release_ipv6(vpc: Vpc) -> None:
    vpc.ipv6_cidr_block = ""
    vpc.ipv6_isp = ""


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
    from riconnect.service.vpc import VPCS, create_vpc

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
