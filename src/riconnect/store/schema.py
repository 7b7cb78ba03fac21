"""Tables (SQLAlchemy Core).  Column names equal the entity field names in domain.entities.

The migrations under store/migrations create exactly this schema; a test compares them.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

ID = 64  # ids are short; leave room for imported ones


def _status_columns() -> list[Column[object]]:
    return [
        Column("status", String(32), nullable=False),
        Column("target_status", String(32)),
        Column("settle_at", Float),
    ]


vpcs = Table(
    "vpcs",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("account_id", String(32), nullable=False),
    Column("region_id", String(32), nullable=False),
    Column("vrouter_id", String(ID), nullable=False, unique=True),
    Column("route_table_id", String(ID), nullable=False, unique=True),
    Column("cidr_block", String(64), nullable=False),
    *_status_columns(),
    Column("created_at", Float, nullable=False),
    Column("modified_at", Float, nullable=False, default=0.0),
    Column("resource_group_id", String(ID), nullable=False),
    Column("name", Text, nullable=False, default=""),
    Column("description", Text, nullable=False, default=""),
    Column("user_cidrs", JSON, nullable=False),
    Column("tags", JSON, nullable=False),
    Column("enable_ipv6", Boolean, nullable=False, default=False),
    Column("dns_hostname", Boolean, nullable=False, default=False),
    Column("is_default", Boolean, nullable=False, default=False),
    Column("secondary_cidr_blocks", JSON, nullable=False, default=list),
    Column("classic_link", Boolean, nullable=False, default=False),
    Column("ipv6_cidr_block", String(64), nullable=False, default=""),
    Column("ipv6_isp", String(32), nullable=False, default=""),
    Index("ix_vpcs_owner", "account_id", "region_id", "created_at"),
    # Due transitions are looked for per owner and region on every describe.
    Index("ix_vpcs_due", "account_id", "region_id", "settle_at"),
)

physical_connections = Table(
    "physical_connections",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("account_id", String(32), nullable=False),
    Column("region_id", String(32), nullable=False),
    Column("access_point_id", String(ID), nullable=False),
    Column("bandwidth", Integer, nullable=False),
    Column("name", Text, nullable=False, default=""),
    Column("created_at", Float, nullable=False),
    Index("ix_pc_owner", "account_id", "region_id"),
)

vbrs = Table(
    "vbrs",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("account_id", String(32), nullable=False),
    Column("region_id", String(32), nullable=False),
    Column("physical_connection_id", String(ID), nullable=False),
    Column("access_point_id", String(ID), nullable=False),
    Column("vlan_id", Integer, nullable=False),
    *_status_columns(),
    Column("created_at", Float, nullable=False),
    Column("route_table_id", String(ID), nullable=False),
    Column("resource_group_id", String(ID), nullable=False),
    Column("name", Text, nullable=False, default=""),
    Column("description", Text, nullable=False, default=""),
    Column("bandwidth", Integer),
    Column("local_gateway_ip", String(64), nullable=False, default=""),
    Column("peer_gateway_ip", String(64), nullable=False, default=""),
    Column("peering_subnet_mask", String(64), nullable=False, default=""),
    Column("circuit_code", String(128), nullable=False, default=""),
    Column("enable_ipv6", Boolean, nullable=False, default=False),
    Column("tags", JSON, nullable=False),
    UniqueConstraint("physical_connection_id", "vlan_id", name="uq_vbr_vlan"),
    Index("ix_vbrs_owner", "account_id", "region_id", "created_at"),
    Index("ix_vbrs_due", "account_id", "region_id", "settle_at"),
)

router_interfaces = Table(
    "router_interfaces",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("account_id", String(32), nullable=False),
    Column("region_id", String(32), nullable=False),
    Column("role", String(32), nullable=False),
    Column("router_type", String(16), nullable=False),
    Column("router_id", String(ID), nullable=False),
    Column("spec", String(32), nullable=False),
    *_status_columns(),
    Column("created_at", Float, nullable=False),
    Column("modified_at", Float, nullable=False, default=0.0),
    Column("opposite_region_id", String(32), nullable=False),
    Column("resource_group_id", String(ID), nullable=False),
    Column("vpc_id", String(ID), nullable=False, default=""),
    Column("access_point_id", String(ID), nullable=False, default=""),
    Column("name", Text, nullable=False, default=""),
    Column("description", Text, nullable=False, default=""),
    Column("opposite_interface_id", String(ID), nullable=False, default=""),
    Column("opposite_router_id", String(ID), nullable=False, default=""),
    Column("opposite_router_type", String(16), nullable=False, default=""),
    Column("opposite_interface_owner_id", String(32), nullable=False, default=""),
    Column("opposite_access_point_id", String(ID), nullable=False, default=""),
    Column("peer_id", String(ID), nullable=False, default=""),
    Column("peer_account_id", String(32), nullable=False, default=""),
    Column("peer_region_id", String(32), nullable=False, default=""),
    Column("connected_at", Float),
    Column("charge_type", String(16), nullable=False, default="AfterPay"),
    Column("end_time", Float),
    Column("auto_renew", Boolean, nullable=False, default=False),
    Column("fast_link_mode", Boolean, nullable=False, default=False),
    Column("health_check_source_ip", String(64), nullable=False, default=""),
    Column("health_check_target_ip", String(64), nullable=False, default=""),
    Column("hc_rate", Integer, nullable=False, default=0),
    Column("hc_threshold", Integer, nullable=False, default=0),
    Column("business_status", String(32), nullable=False, default="Normal"),
    Column("tags", JSON, nullable=False),
    # Listing is always scoped by owner and region, ordered by creation.
    Index("ix_ri_owner", "account_id", "region_id", "created_at"),
    Index("ix_ri_router", "router_id"),
    Index("ix_ri_status", "account_id", "region_id", "status", "created_at", "id"),
    Index("ix_ri_opposite", "opposite_interface_id"),
    Index("ix_ri_due", "account_id", "region_id", "settle_at"),
)

vswitches = Table(
    "vswitches",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("account_id", String(32), nullable=False),
    Column("region_id", String(32), nullable=False),
    Column("vpc_id", String(ID), nullable=False),
    Column("zone_id", String(32), nullable=False),
    Column("cidr_block", String(64), nullable=False),
    *_status_columns(),
    Column("created_at", Float, nullable=False),
    Column("modified_at", Float, nullable=False, default=0.0),
    Column("resource_group_id", String(ID), nullable=False),
    Column("name", Text, nullable=False, default=""),
    Column("description", Text, nullable=False, default=""),
    Column("tags", JSON, nullable=False),
    Index("ix_vsw_owner", "account_id", "region_id", "created_at"),
    Index("ix_vsw_vpc", "vpc_id"),
    Index("ix_vsw_due", "account_id", "region_id", "settle_at"),
)

route_tables = Table(
    "route_tables",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("account_id", String(32), nullable=False),
    Column("region_id", String(32), nullable=False),
    Column("vpc_id", String(ID), nullable=False),
    Column("router_id", String(ID), nullable=False),
    Column("table_type", String(16), nullable=False),
    *_status_columns(),
    Column("created_at", Float, nullable=False),
    Column("modified_at", Float, nullable=False, default=0.0),
    Column("resource_group_id", String(ID), nullable=False),
    Column("name", Text, nullable=False, default=""),
    Column("description", Text, nullable=False, default=""),
    Column("route_propagation", Boolean, nullable=False, default=True),
    Column("tags", JSON, nullable=False),
    Index("ix_rtb_owner", "account_id", "region_id", "created_at"),
    Index("ix_rtb_vpc", "vpc_id"),
    Index("ix_rtb_due", "account_id", "region_id", "settle_at"),
)

route_entries = Table(
    "route_entries",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("account_id", String(32), nullable=False),
    Column("region_id", String(32), nullable=False),
    Column("route_table_id", String(ID), nullable=False),
    Column("vpc_id", String(ID), nullable=False),
    Column("destination_cidr_block", String(64), nullable=False),
    Column("next_hop_type", String(64), nullable=False),
    Column("next_hop_id", String(ID), nullable=False),
    *_status_columns(),
    Column("created_at", Float, nullable=False),
    Column("modified_at", Float, nullable=False, default=0.0),
    Column("name", Text, nullable=False, default=""),
    Column("description", Text, nullable=False, default=""),
    Index("ix_rte_owner", "account_id", "region_id", "created_at"),
    Index("ix_rte_table", "route_table_id"),
    Index("ix_rte_next_hop", "next_hop_id"),
    Index("ix_rte_vpc", "vpc_id"),
    Index("ix_rte_due", "account_id", "region_id", "settle_at"),
)

# ClientToken idempotency: the first answer per (account, action, token) is kept.
client_tokens = Table(
    "client_tokens",
    metadata,
    Column("account_id", String(32), primary_key=True),
    Column("action", String(64), primary_key=True),
    Column("token", String(64), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("response", JSON, nullable=False),
    Column("created_at", Float, nullable=False),
)

# The operator's row (one, id 1): the live settings every server process on this database
# applies over its own start-up flags, their version (bumped by every change, and by a reset
# or snapshot load, so each process notices with one cheap read per request), and the
# sequence that numbers generated ids when a seed is set.  Not part of a snapshot's tables:
# settings are how servers run, not what the cloud holds (the sequence travels separately).
operator_settings = Table(
    "riconnect_settings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("version", Integer, nullable=False),
    Column("settings", JSON, nullable=False),
    Column("id_sequence", Integer, nullable=False),
    info={"snapshot": False},
)

# Signature nonces of accepted requests, shared by every server process on this database
# (api/nonces.py).  ``key`` is a digest of the AccessKey id and the nonce.  Not the cloud's
# state: a snapshot leaves them out, and a reset keeps them (a reset must not reopen the
# replay window).
signature_nonces = Table(
    "signature_nonces",
    metadata,
    Column("key", String(32), primary_key=True),
    Column("expires_at", Float, nullable=False),
    Index("ix_nonces_expiry", "expires_at"),
    info={"snapshot": False},
)

ENTITY_TABLES = {
    "Vpc": vpcs,
    "Vbr": vbrs,
    "PhysicalConnection": physical_connections,
    "RouterInterface": router_interfaces,
    "VSwitch": vswitches,
    "RouteTable": route_tables,
    "RouteEntry": route_entries,
}


# A counter per listing (table, owner, region), moved by triggers on every insert, update
# and delete of the listed table's rows (migration 0006): store/listing.py keeps the sort
# keys of deep pages while it stands still.
listing_versions = Table(
    "listing_versions",
    metadata,
    Column("table_name", String(64), primary_key=True),
    Column("account_id", String(32), primary_key=True),
    Column("region_id", String(32), primary_key=True),
    Column("version", Integer, nullable=False),
    # Bookkeeping, not state: a snapshot neither holds nor restores it (restoring rows moves
    # the counters through the triggers, as any write does).
    info={"snapshot": False},
)
