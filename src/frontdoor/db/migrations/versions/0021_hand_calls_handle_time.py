"""The MI's kept days are worked out again: from this release, handle time counts every
answered phone call, a call taken by hand with no time it was offered (no queue the
console knows of) too, where the days kept so far left such calls out of every queue
figure. Offered, answered, abandoned and the waits are unchanged. The next report over a
period works its days out from the record and keeps them (mi/day_cache.py).

Revision ID: 0021_hand_calls_handle_time
Revises: 0020
"""

from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DELETE FROM mi_days")


def downgrade() -> None:
    op.execute("DELETE FROM mi_days")
