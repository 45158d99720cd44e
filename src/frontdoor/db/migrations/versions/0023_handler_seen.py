"""Each console says now and then that it is still there (`handler_states.seen_at`), so
that a console that stopped without saying so (killed, its computer off, its network
gone) no longer shows its handler on the wallboard as available, on a call or away for
ever: once it has not been heard from for a while, the wallboard says so instead.

A row kept before this has no such time; its state's own time (`since`) stands for it.

Revision ID: 0023_handler_seen
Revises: 0022
"""

import sqlalchemy as sa
from alembic import op

from frontdoor.db.base import UTCDateTime

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("handler_states") as table:
        table.add_column(sa.Column("seen_at", UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("handler_states") as table:
        table.drop_column("seen_at")
