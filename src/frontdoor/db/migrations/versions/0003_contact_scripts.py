"""Contacts keep the scripts and versions a loaded record says were followed.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contacts") as batch:
        batch.add_column(sa.Column("scripts", sa.JSON))


def downgrade() -> None:
    with op.batch_alter_table("contacts") as batch:
        batch.drop_column("scripts")
