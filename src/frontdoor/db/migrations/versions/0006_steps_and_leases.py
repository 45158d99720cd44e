"""Every write of a call carries its own id, so that a console working offline can replay
its journal exactly once; and a console holds a lease on the contact it has open, so that
only a contact whose console has gone is offered to another for resume.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

from frontdoor.db.base import UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "step_receipts",
        sa.Column("step_id", sa.String(36), nullable=False),
        sa.Column("contact_id", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("step_id", name="pk_step_receipts"),
    )
    op.create_index("ix_step_receipts_contact_id", "step_receipts", ["contact_id"])
    with op.batch_alter_table("searches") as batch:
        batch.add_column(sa.Column("step_id", sa.String(36)))
        batch.create_unique_constraint("uq_searches_step_id", ["step_id"])
    with op.batch_alter_table("contacts") as batch:
        batch.add_column(sa.Column("held_by", sa.String(40)))
        batch.add_column(sa.Column("held_until", UTCDateTime()))


def downgrade() -> None:
    with op.batch_alter_table("contacts") as batch:
        batch.drop_column("held_until")
        batch.drop_column("held_by")
    with op.batch_alter_table("searches") as batch:
        batch.drop_constraint("uq_searches_step_id", type_="unique")
        batch.drop_column("step_id")
    op.drop_index("ix_step_receipts_contact_id", "step_receipts")
    op.drop_table("step_receipts")
