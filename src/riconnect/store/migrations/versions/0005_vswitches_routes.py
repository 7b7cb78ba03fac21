"""vSwitches, route tables and route entries

Every VPC's system route table becomes a row of its own (until now it was only the VPC's
``route_table_id``): existing VPCs get theirs here, with the VPC's creation time and
resource group.

Revision ID: 0005_vswitches_routes
Revises: 0004_signature_nonces
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_vswitches_routes"
down_revision = "0004_signature_nonces"
branch_labels = None
depends_on = None


def _status() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("target_status", sa.String(length=32), nullable=True),
        sa.Column("settle_at", sa.Float(), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "vswitches",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.String(length=32), nullable=False),
        sa.Column("region_id", sa.String(length=32), nullable=False),
        sa.Column("vpc_id", sa.String(length=64), nullable=False),
        sa.Column("zone_id", sa.String(length=32), nullable=False),
        sa.Column("cidr_block", sa.String(length=64), nullable=False),
        *_status(),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("modified_at", sa.Float(), nullable=False),
        sa.Column("resource_group_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_vsw_owner", "vswitches", ["account_id", "region_id", "created_at"])
    op.create_index("ix_vsw_vpc", "vswitches", ["vpc_id"])
    op.create_index("ix_vsw_due", "vswitches", ["account_id", "region_id", "settle_at"])

    route_tables = op.create_table(
        "route_tables",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.String(length=32), nullable=False),
        sa.Column("region_id", sa.String(length=32), nullable=False),
        sa.Column("vpc_id", sa.String(length=64), nullable=False),
        sa.Column("router_id", sa.String(length=64), nullable=False),
        sa.Column("table_type", sa.String(length=16), nullable=False),
        *_status(),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("modified_at", sa.Float(), nullable=False),
        sa.Column("resource_group_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("route_propagation", sa.Boolean(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_rtb_owner", "route_tables", ["account_id", "region_id", "created_at"])
    op.create_index("ix_rtb_vpc", "route_tables", ["vpc_id"])
    op.create_index("ix_rtb_due", "route_tables", ["account_id", "region_id", "settle_at"])

    op.create_table(
        "route_entries",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.String(length=32), nullable=False),
        sa.Column("region_id", sa.String(length=32), nullable=False),
        sa.Column("route_table_id", sa.String(length=64), nullable=False),
        sa.Column("vpc_id", sa.String(length=64), nullable=False),
        sa.Column("destination_cidr_block", sa.String(length=64), nullable=False),
        sa.Column("next_hop_type", sa.String(length=64), nullable=False),
        sa.Column("next_hop_id", sa.String(length=64), nullable=False),
        *_status(),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("modified_at", sa.Float(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_rte_owner", "route_entries", ["account_id", "region_id", "created_at"])
    op.create_index("ix_rte_table", "route_entries", ["route_table_id"])
    op.create_index("ix_rte_next_hop", "route_entries", ["next_hop_id"])
    op.create_index("ix_rte_vpc", "route_entries", ["vpc_id"])
    op.create_index("ix_rte_due", "route_entries", ["account_id", "region_id", "settle_at"])

    # The system table of every existing VPC.
    vpcs = sa.table(
        "vpcs",
        sa.column("id", sa.String),
        sa.column("account_id", sa.String),
        sa.column("region_id", sa.String),
        sa.column("vrouter_id", sa.String),
        sa.column("route_table_id", sa.String),
        sa.column("created_at", sa.Float),
        sa.column("resource_group_id", sa.String),
    )
    rows = op.get_bind().execute(sa.select(vpcs)).mappings().all()
    if rows:
        op.bulk_insert(
            route_tables,
            [
                {
                    "id": r["route_table_id"],
                    "account_id": r["account_id"],
                    "region_id": r["region_id"],
                    "vpc_id": r["id"],
                    "router_id": r["vrouter_id"],
                    "table_type": "System",
                    "status": "Available",
                    "target_status": None,
                    "settle_at": None,
                    "created_at": r["created_at"],
                    "modified_at": r["created_at"],
                    "resource_group_id": r["resource_group_id"],
                    "name": "",
                    "description": "",
                    "route_propagation": True,
                    "tags": [],
                }
                for r in rows
            ],
        )


def downgrade() -> None:
    op.drop_table("route_entries")
    op.drop_table("route_tables")
    op.drop_table("vswitches")
