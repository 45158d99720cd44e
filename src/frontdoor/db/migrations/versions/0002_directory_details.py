"""The directory's details (eligibility, ages, areas, hours) and its change history.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

from frontdoor.db.base import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_JSON_LISTS = ("caller_types", "areas", "hours", "hours_exceptions")


def upgrade() -> None:
    with op.batch_alter_table("services") as batch:
        batch.add_column(sa.Column("eligibility", sa.Text))
        batch.add_column(sa.Column("min_age", sa.Integer))
        batch.add_column(sa.Column("max_age", sa.Integer))
        for name in _JSON_LISTS:
            batch.add_column(sa.Column(name, sa.JSON, nullable=False, server_default="[]"))
        batch.add_column(sa.Column("open_on_bank_holidays", sa.Boolean))
        batch.add_column(sa.Column("assured_by", sa.String(200)))
        batch.create_index("ix_services_assured_date", ["assured_date"])
    op.create_table(
        "service_changes",
        sa.Column("id", sa.Integer, autoincrement=True),
        sa.Column("service_id", sa.String(120), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("by", sa.String(200), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("field_name", sa.String(60)),
        sa.Column("previous_value", sa.Text),
        sa.Column("replacement_value", sa.Text),
        sa.PrimaryKeyConstraint("id", name="pk_service_changes"),
        sa.ForeignKeyConstraint(
            ["service_id"], ["services.id"], name="fk_service_changes_service_id_services"
        ),
    )
    op.create_index("ix_service_changes_service_id", "service_changes", ["service_id"])


def downgrade() -> None:
    op.drop_table("service_changes")
    with op.batch_alter_table("services") as batch:
        batch.drop_index("ix_services_assured_date")
        for name in (
            "eligibility",
            "min_age",
            "max_age",
            *_JSON_LISTS,
            "open_on_bank_holidays",
            "assured_by",
        ):
            batch.drop_column(name)
