"""A contact after a purge boundary that shares a key with a purged contact keeps that
key's pseudonym beside its own (`contacts.caller_pseudonym`, `subject_pseudonym`), so
that the MI still finds the purged contact's repeat on the far side of the boundary;
indexed as the keys are, for the repeat look-up.

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contacts") as batch:
        batch.add_column(sa.Column("caller_pseudonym", sa.String(80)))
        batch.add_column(sa.Column("subject_pseudonym", sa.String(80)))
    op.create_index(
        "ix_contacts_caller_pseudonym_category_received",
        "contacts",
        ["caller_pseudonym", "category", "received_at"],
    )
    op.create_index(
        "ix_contacts_subject_pseudonym_category_received",
        "contacts",
        ["subject_pseudonym", "category", "received_at"],
    )


def downgrade() -> None:
    op.drop_index("ix_contacts_subject_pseudonym_category_received", table_name="contacts")
    op.drop_index("ix_contacts_caller_pseudonym_category_received", table_name="contacts")
    with op.batch_alter_table("contacts") as batch:
        batch.drop_column("subject_pseudonym")
        batch.drop_column("caller_pseudonym")
