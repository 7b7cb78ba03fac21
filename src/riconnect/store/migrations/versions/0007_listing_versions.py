"""listing versions: a counter per table, owner and region, bumped by triggers on every write

Deep pages of a listing (page 3,000 of 175,000 matches) cost an index scan to the offset,
and every full page a COUNT of all matches: at 1,000,000 interfaces, hundreds of
milliseconds.  store/listing.py keeps, per listing, the sort key of every 1,000th match
and the total, valid while this counter has not moved; the triggers move it on any
insert, update or delete of a row of that owner and region, whoever writes it.

Revision ID: 0007_listing_versions
Revises: 0006_vpc_cidr_blocks
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_listing_versions"
down_revision = "0006_vpc_cidr_blocks"
branch_labels = None
depends_on = None

TABLES = ("router_interfaces",)
_EVENTS = {"INSERT": "NEW", "UPDATE": "NEW", "DELETE": "OLD"}

_SQLITE_TRIGGER = """
CREATE TRIGGER {table}_listing_{event} AFTER {event} ON {table}
BEGIN
  INSERT INTO listing_versions (table_name, account_id, region_id, version)
  VALUES ('{table}', {row}.account_id, {row}.region_id, 1)
  ON CONFLICT (table_name, account_id, region_id) DO UPDATE SET version = version + 1;
END
"""

_PG_FUNCTION = """
CREATE FUNCTION riconnect_bump_listing() RETURNS trigger AS $$
DECLARE
  r record;
BEGIN
  IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
  INSERT INTO listing_versions (table_name, account_id, region_id, version)
  VALUES (TG_TABLE_NAME, r.account_id, r.region_id, 1)
  ON CONFLICT (table_name, account_id, region_id)
  DO UPDATE SET version = listing_versions.version + 1;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""

_PG_TRIGGER = """
CREATE TRIGGER {table}_listing AFTER INSERT OR UPDATE OR DELETE ON {table}
FOR EACH ROW EXECUTE FUNCTION riconnect_bump_listing()
"""


def upgrade() -> None:
    op.create_table(
        "listing_versions",
        sa.Column("table_name", sa.String(64), nullable=False),
        sa.Column("account_id", sa.String(32), nullable=False),
        sa.Column("region_id", sa.String(32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("table_name", "account_id", "region_id"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_FUNCTION)
        for table in TABLES:
            op.execute(_PG_TRIGGER.format(table=table))
        return
    for table in TABLES:
        for event, row in _EVENTS.items():
            op.execute(_SQLITE_TRIGGER.format(table=table, event=event, row=row))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"DROP TRIGGER {table}_listing ON {table}")
        op.execute("DROP FUNCTION riconnect_bump_listing()")
    else:
        for table in TABLES:
            for event in _EVENTS:
                op.execute(f"DROP TRIGGER {table}_listing_{event}")
    op.drop_table("listing_versions")
