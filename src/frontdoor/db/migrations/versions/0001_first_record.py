"""The first record: contacts with their answers, ends, searches and services; the directory.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

from frontdoor.db.base import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "services",
        sa.Column("id", sa.String(120), primary_key=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("organisation", sa.String(300)),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("url", sa.String(500)),
        sa.Column("email", sa.String(300)),
        sa.Column("phones", sa.JSON, nullable=False),
        sa.Column("tags", sa.JSON, nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("assured_date", sa.Date),
        sa.Column("source", sa.String(60), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_services"),
    )
    op.create_table(
        "contacts",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("caller_type", sa.String(20), nullable=False),
        sa.Column("caller_key", sa.String(120)),
        sa.Column("caller_name", sa.String(200)),
        sa.Column("subject_key", sa.String(200)),
        sa.Column("subject_name", sa.String(200)),
        sa.Column("subject_dob", sa.Date),
        sa.Column("subject_postcode", sa.String(10)),
        sa.Column("subject_nhs_number", sa.String(10)),
        sa.Column("language", sa.String(60)),
        sa.Column("interpreter_needed", sa.Boolean, nullable=False),
        sa.Column("consent_record", sa.Boolean),
        sa.Column("consent_share", sa.Boolean),
        sa.Column("category", sa.String(40)),
        sa.Column("queue", sa.String(60)),
        sa.Column("handler", sa.String(80)),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("offered_at", UTCDateTime()),
        sa.Column("answered_at", UTCDateTime()),
        sa.Column("abandoned_at", UTCDateTime()),
        sa.Column("ended_at", UTCDateTime()),
        sa.Column("wrap_ended_at", UTCDateTime()),
        sa.Column("outcome", sa.String(30)),
        sa.Column("demand", sa.String(40)),
        sa.Column("notes", sa.Text),
        sa.PrimaryKeyConstraint("id", name="pk_contacts"),
    )
    for column in ("status", "caller_key", "subject_key", "category", "handler", "received_at"):
        op.create_index(f"ix_contacts_{column}", "contacts", [column])

    def child(name: str, *columns: sa.Column) -> None:
        op.create_table(
            name,
            sa.Column("id", sa.Integer, autoincrement=True),
            sa.Column("contact_id", sa.String(40), nullable=False),
            sa.Column("seq", sa.Integer, nullable=False),
            *columns,
            sa.Column("at", UTCDateTime(), nullable=False),
            sa.PrimaryKeyConstraint("id", name=f"pk_{name}"),
            sa.ForeignKeyConstraint(
                ["contact_id"], ["contacts.id"], name=f"fk_{name}_contact_id_contacts"
            ),
        )
        op.create_index(f"ix_{name}_contact_id", name, ["contact_id"])

    child(
        "answers",
        sa.Column("script", sa.String(80), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("node", sa.String(80), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("answer", sa.Text),
    )
    child(
        "script_ends",
        sa.Column("script", sa.String(80), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("node", sa.String(80), nullable=False),
        sa.Column("outcome", sa.String(30)),
        sa.Column("red_flag", sa.Text),
        sa.Column("current", sa.Boolean, nullable=False),
    )
    child(
        "searches",
        sa.Column("query", sa.Text, nullable=False),
        sa.Column("results", sa.JSON, nullable=False),
        sa.Column("chosen", sa.String(120)),
    )
    child(
        "contact_services",
        sa.Column("service_id", sa.String(120), nullable=False),
        sa.Column("service_name", sa.String(300), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
    )


def downgrade() -> None:
    for name in ("contact_services", "searches", "script_ends", "answers", "contacts", "services"):
        op.drop_table(name)
