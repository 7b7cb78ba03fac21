"""signature nonces kept in the database

Every server process on one database (``--workers N``, several ``riconnect serve`` on one
SQLite file or one PostgreSQL) records the nonces of the signed requests it accepted here,
so that a request replayed to another process inside the 15-minute window is refused too.
Rows expire; ``expires_at`` is indexed for the periodic sweep.

Revision ID: 0004_signature_nonces
Revises: 0003_operator_settings
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_signature_nonces"
down_revision = "0003_operator_settings"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "signature_nonces",
        sa.Column("key", sa.String(length=32), primary_key=True),
        sa.Column("expires_at", sa.Float(), nullable=False),
    )
    op.create_index("ix_nonces_expiry", "signature_nonces", ["expires_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_nonces_expiry", table_name="signature_nonces")
    op.drop_table("signature_nonces")
