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
    with op.batch_alter_table("services") as batch:
        # existing entries published none: an empty list, as the model's default
        batch.add_column(
            sa.Column("capacities", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )


def downgrade() -> None:
    with op.batch_alter_table("services") as batch:
        batch.drop_column("capacities")
