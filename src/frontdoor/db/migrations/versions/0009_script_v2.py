"""Triage script format version 2 in the record: which wording of a question or an end's
`say` was shown (`self` to a caller who is the person, `other` to anyone else); a
check-all-that-apply answer, kept as a JSON list of labels and marked as one so that an
export gives it back as a list; and the disposition code of an end reached. A decision a
script took without asking (a `decide` node) is a step like the others: its kind is a
plain string column, so it needs nothing here.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("answers") as batch:
        batch.add_column(sa.Column("wording", sa.String(8)))
        batch.add_column(sa.Column("many", sa.Boolean, nullable=False, server_default=sa.false()))
    with op.batch_alter_table("script_ends") as batch:
        batch.add_column(sa.Column("code", sa.String(60)))
        batch.add_column(sa.Column("wording", sa.String(8)))


def downgrade() -> None:
    with op.batch_alter_table("script_ends") as batch:
        batch.drop_column("wording")
        batch.drop_column("code")
    with op.batch_alter_table("answers") as batch:
        batch.drop_column("many")
        batch.drop_column("wording")
