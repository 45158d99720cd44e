"""Calls taken from the queue by handlers, and each handler's state.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

from frontdoor.db.base import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "call_claims",
        sa.Column("callid", sa.String(80), nullable=False),
        sa.Column("handler", sa.String(80), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("callid", name="pk_call_claims"),
    )
    op.create_table(
        "handler_states",
        sa.Column("handler", sa.String(80), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("reason", sa.String(120)),
        sa.Column("since", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("handler", name="pk_handler_states"),
    )


def downgrade() -> None:
    op.drop_table("handler_states")
    op.drop_table("call_claims")
