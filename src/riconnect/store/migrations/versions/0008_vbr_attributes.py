"""VBR attributes of ModifyVirtualBorderRouterAttribute and the terminate/recover times

IPv6 peering addresses, MTU, BFD settings (MinRxInterval, MinTxInterval,
DetectMultiplier), SitelinkEnable, and when a VBR was last terminated or recovered.
Existing VBRs get the defaults DescribeVirtualBorderRouters showed for them before.

Revision ID: 0008_vbr_attributes
Revises: 0007_listing_versions
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_vbr_attributes"
down_revision = "0007_listing_versions"
branch_labels = None
depends_on = None

_TEXT = ("local_ipv6_gateway_ip", "peer_ipv6_gateway_ip", "peering_ipv6_subnet_mask")
_INTS = (("mtu", "1500"), ("min_rx_interval", "1000"), ("min_tx_interval", "1000"))


def upgrade() -> None:
    with op.batch_alter_table("vbrs") as batch:
        for name in _TEXT:
            batch.add_column(
                sa.Column(name, sa.String(length=64), nullable=False, server_default="")
            )
        for name, default in (*_INTS, ("detect_multiplier", "3")):
            batch.add_column(sa.Column(name, sa.Integer(), nullable=False, server_default=default))
        batch.add_column(
            sa.Column("sitelink_enable", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("terminated_at", sa.Float(), nullable=True))
        batch.add_column(sa.Column("recovered_at", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("vbrs") as batch:
        for name in (
            "recovered_at",
            "terminated_at",
            "sitelink_enable",
            "detect_multiplier",
            *(n for n, _ in reversed(_INTS)),
            *reversed(_TEXT),
        ):
            batch.drop_column(name)
