"""Queue events keep every field a queue_log line may give: call ids as long as Asterisk's
(149 characters), queue and agent names up to 256, events up to 64; a taken call's claim
keeps the call id as long. Narrower columns made PostgreSQL refuse a whole batch of lines
for one long call id (SQLite kept it).

Revision ID: 0015_queue_lines
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

WIDER = {  # column: (before, after)
    "callid": (80, 150),
    "queue": (80, 256),
    "agent": (120, 256),
    "event": (30, 64),
}


def upgrade() -> None:
    with op.batch_alter_table("queue_events") as batch:
        for column, (before, after) in WIDER.items():
            batch.alter_column(
                column,
                type_=sa.String(after),
                existing_type=sa.String(before),
                existing_nullable=False,
            )
    with op.batch_alter_table("call_claims") as batch:
        batch.alter_column(
            "callid", type_=sa.String(150), existing_type=sa.String(80), existing_nullable=False
        )


def downgrade() -> None:
    with op.batch_alter_table("call_claims") as batch:
        batch.alter_column(
            "callid", type_=sa.String(80), existing_type=sa.String(150), existing_nullable=False
        )
    with op.batch_alter_table("queue_events") as batch:
        for column, (before, after) in WIDER.items():
            batch.alter_column(
                column,
                type_=sa.String(before),
                existing_type=sa.String(after),
                existing_nullable=False,
            )
