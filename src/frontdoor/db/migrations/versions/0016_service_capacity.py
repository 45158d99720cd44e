"""A service keeps the capacity it publishes (HSDS 3.1 `service_capacity`: places free,
of how many, as of when), so a handler sees "3 places free, updated 2 hours ago".

Revision ID: 0016_service_capacity
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN, not a batch: on SQLite a batch rebuilds the table (copy, drop,
    # rename), and dropping `services` while service_changes refers to it fails with
    # foreign keys on, so every database holding a directory refused the upgrade.
    # Existing entries published none: an empty list, as the model's default.
    op.add_column(
        "services", sa.Column("capacities", sa.JSON(), nullable=False, server_default="[]")
    )


def downgrade() -> None:
    with op.batch_alter_table("services") as batch:
        batch.drop_column("capacities")
