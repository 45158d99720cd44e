"""The referrals changed after a moment, found through an index: the MI's "overdue now" as
of the end of a past period looks among the referrals still waiting (by state and due
time) and those changed since (by the time of their last change), never the whole table.

Revision ID: 0012
Revises: 0011
"""

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_referrals_state_at", "referrals", ["state_at"])


def downgrade() -> None:
    op.drop_index("ix_referrals_state_at", table_name="referrals")
