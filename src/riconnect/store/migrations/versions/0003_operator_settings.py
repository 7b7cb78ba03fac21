"""operator settings: live settings shared by every server process, and the id sequence

One row (id 1) that ``PUT /riconnect/settings`` changes and every process reads (its
``version`` column, once per request) so that a change made through one process applies to
all of them; ``id_sequence`` numbers the ids generated under a seed.

Revision ID: 0003_operator_settings
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_operator_settings"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "riconnect_settings",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("id_sequence", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.bulk_insert(table, [{"id": 1, "version": 0, "settings": {}, "id_sequence": 0}])


def downgrade() -> None:
    op.drop_table("riconnect_settings")
