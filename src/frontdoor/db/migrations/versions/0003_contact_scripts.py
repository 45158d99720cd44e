"""Contacts keep the scripts and versions a loaded record says were followed; and the
repeat-contact check of verified first-contact resolution probes contacts by key,
category and time, so those get indexes of their own.

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
    op.create_index(
        "ix_contacts_caller_category_received",
        "contacts",
        ["caller_key", "category", "received_at"],
    )
    op.create_index(
        "ix_contacts_subject_category_received",
        "contacts",
        ["subject_key", "category", "received_at"],
    )


def downgrade() -> None:
    op.drop_index("ix_contacts_subject_category_received", "contacts")
    op.drop_index("ix_contacts_caller_category_received", "contacts")
    with op.batch_alter_table("contacts") as batch:
        batch.drop_column("scripts")
