"""Queue events from the telephone system (Asterisk queue_log).

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

from frontdoor.db.base import UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "queue_events",
        sa.Column("id", sa.Integer, autoincrement=True),
        sa.Column("line_hash", sa.String(32), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("callid", sa.String(80), nullable=False),
        sa.Column("queue", sa.String(80), nullable=False),
        sa.Column("agent", sa.String(120), nullable=False),
        sa.Column("event", sa.String(30), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_queue_events"),
        sa.UniqueConstraint("line_hash", name="uq_queue_events_line_hash"),
    )
    op.create_index("ix_queue_events_at", "queue_events", ["at"])
    op.create_index("ix_queue_events_callid_event", "queue_events", ["callid", "event"])


def downgrade() -> None:
    op.drop_table("queue_events")
