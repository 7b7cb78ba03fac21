"""Vpc actions on a VPC's address space: AssociateVpcCidrBlock, UnassociateVpcCidrBlock,
EnableVpcClassicLink, DisableVpcClassicLink, CreateDefaultVpc.  Rules: service/vpc_cidr.py."""

from __future__ import annotations

from riconnect.api.actions.base import CLIENT_TOKEN, VPC, Action
from riconnect.api.params import Bool, Int, Str
from riconnect.service import vpc_cidr as svc

_VPC_ID = Str("VpcId", required=True)

ACTIONS = (
    Action(
        "AssociateVpcCidrBlock",
        VPC,
        svc.associate_vpc_cidr_block,
        (
            _VPC_ID,
            Str("SecondaryCidrBlock"),
            Str("IpVersion", enum=("IPV4", "IPV6", "IPv4", "IPv6")),
            Str("IPv6CidrBlock"),
            Str("Ipv6Isp"),
            Str("IpamPoolId"),
            Int("SecondaryCidrMask", min=8, max=28),
        ),
        writes=True,
    ),
    Action(
        "UnassociateVpcCidrBlock",
        VPC,
        svc.unassociate_vpc_cidr_block,
        (_VPC_ID, Str("SecondaryCidrBlock"), Str("IPv6CidrBlock")),
        writes=True,
    ),
    Action(
        "EnableVpcClassicLink",
        VPC,
        svc.enable_vpc_classic_link,
        (_VPC_ID, CLIENT_TOKEN),
        writes=True,
    ),
    Action(
        "DisableVpcClassicLink",
        VPC,
        svc.disable_vpc_classic_link,
        (_VPC_ID, CLIENT_TOKEN),
        writes=True,
    ),
    Action(
        "CreateDefaultVpc",
        VPC,
        svc.create_default_vpc,
        (
            Str("ResourceGroupId"),
            Bool("EnableIpv6"),
            Str("Ipv6CidrBlock"),
            CLIENT_TOKEN,
        ),
        writes=True,
    ),
)
