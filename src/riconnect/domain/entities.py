"""The objects riconnect keeps.  Plain data; the rules live in the other domain modules.

Field names equal the store's column names, so rows map onto these one to one.
Timed transitions: an object in an intermediate state carries ``target_status`` and
``settle_at`` (epoch seconds); it reaches the target the first time it is read or
written at or after that moment (see ``domain.transitions``).  ``GONE`` as a target
means the object disappears.
"""

from __future__ import annotations

from dataclasses import dataclass, field

GONE = "__gone__"


@dataclass
class Vpc:
    id: str
    account_id: str
    region_id: str
    vrouter_id: str
    route_table_id: str
    cidr_block: str
    status: str
    created_at: float
    resource_group_id: str
    name: str = ""
    description: str = ""
    target_status: str | None = None
    settle_at: float | None = None
    user_cidrs: list[str] = field(default_factory=list)
    tags: list[list[str]] = field(default_factory=list)
    enable_ipv6: bool = False
    dns_hostname: bool = False
    is_default: bool = False
    modified_at: float = 0.0
    # AssociateVpcCidrBlock's secondary IPv4 blocks, in the order they were added.
    secondary_cidr_blocks: list[str] = field(default_factory=list)
    classic_link: bool = False
    # The IPv6 block allocated while IPv6 is enabled ("" otherwise), and its carrier.
    ipv6_cidr_block: str = ""
    ipv6_isp: str = ""


@dataclass
class PhysicalConnection:
    id: str
    account_id: str
    region_id: str
    access_point_id: str
    bandwidth: int
    name: str = ""
    created_at: float = 0.0


@dataclass
class Vbr:
    id: str
    account_id: str
    region_id: str
    physical_connection_id: str
    access_point_id: str
    vlan_id: int
    status: str
    created_at: float
    route_table_id: str
    resource_group_id: str
    name: str = ""
    description: str = ""
    bandwidth: int | None = None
    local_gateway_ip: str = ""
    peer_gateway_ip: str = ""
    peering_subnet_mask: str = ""
    circuit_code: str = ""
    enable_ipv6: bool = False
    target_status: str | None = None
    settle_at: float | None = None
    tags: list[list[str]] = field(default_factory=list)


@dataclass
class RouterInterface:
    id: str
    account_id: str
    region_id: str
    role: str
    router_type: str
    router_id: str
    spec: str
    status: str
    created_at: float
    opposite_region_id: str
    resource_group_id: str
    vpc_id: str = ""  # the local VPC when router_type is VRouter
    access_point_id: str = ""
    name: str = ""
    description: str = ""
    # What this side was told about the other side.
    opposite_interface_id: str = ""
    opposite_router_id: str = ""
    opposite_router_type: str = ""
    opposite_interface_owner_id: str = ""
    opposite_access_point_id: str = ""
    # Set once the two sides are connected (the peer this side is actually joined to).
    peer_id: str = ""
    peer_account_id: str = ""
    peer_region_id: str = ""
    connected_at: float | None = None
    charge_type: str = "AfterPay"  # AfterPay (PostPaid) or Prepaid
    end_time: float | None = None
    auto_renew: bool = False
    fast_link_mode: bool = False
    health_check_source_ip: str = ""
    health_check_target_ip: str = ""
    hc_rate: int = 0
    hc_threshold: int = 0
    business_status: str = "Normal"
    target_status: str | None = None
    settle_at: float | None = None
    tags: list[list[str]] = field(default_factory=list)
    modified_at: float = 0.0


@dataclass
class VSwitch:
    id: str
    account_id: str
    region_id: str
    vpc_id: str
    zone_id: str
    cidr_block: str
    status: str
    created_at: float
    resource_group_id: str
    name: str = ""
    description: str = ""
    target_status: str | None = None
    settle_at: float | None = None
    tags: list[list[str]] = field(default_factory=list)
    modified_at: float = 0.0


@dataclass
class RouteTable:
    """A VPC's route table.  Every VPC has exactly one ``System`` table (its id is the VPC's
    ``route_table_id``); riconnect has no custom tables yet."""

    id: str
    account_id: str
    region_id: str
    vpc_id: str
    router_id: str
    table_type: str
    status: str
    created_at: float
    resource_group_id: str
    name: str = ""
    description: str = ""
    route_propagation: bool = True
    target_status: str | None = None
    settle_at: float | None = None
    tags: list[list[str]] = field(default_factory=list)
    modified_at: float = 0.0


@dataclass
class RouteEntry:
    """A custom route of a route table.  System routes (one per vSwitch CIDR, and
    100.64.0.0/10) are derived from the vSwitches, never stored (domain.routing)."""

    id: str
    account_id: str
    region_id: str
    route_table_id: str
    vpc_id: str
    destination_cidr_block: str
    next_hop_type: str
    next_hop_id: str
    status: str
    created_at: float
    name: str = ""
    description: str = ""
    target_status: str | None = None
    settle_at: float | None = None
    modified_at: float = 0.0
