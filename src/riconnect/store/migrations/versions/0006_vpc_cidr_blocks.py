"""VPC secondary CIDR blocks, ClassicLink and the IPv6 block

AssociateVpcCidrBlock / UnassociateVpcCidrBlock, Enable/DisableVpcClassicLink, and the
IPv6 block a VPC gets when IPv6 is enabled.  Existing VPCs have none of them.

Revision ID: 0006_vpc_cidr_blocks
Revises: 0005_vswitches_routes
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_vpc_cidr_blocks"
down_revision = "0005_vswitches_routes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("vpcs") as batch:
        batch.add_column(
            sa.Column("secondary_cidr_blocks", sa.JSON(), nullable=False, server_default="[]")
        )
        batch.add_column(
            sa.Column("classic_link", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(
            sa.Column("ipv6_cidr_block", sa.String(length=64), nullable=False, server_default="")
        )
        batch.add_column(
            sa.Column("ipv6_isp", sa.String(length=32), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("vpcs") as batch:
        for name in ("ipv6_isp", "ipv6_cidr_block", "classic_link", "secondary_cidr_blocks"):
            batch.drop_column(name)
