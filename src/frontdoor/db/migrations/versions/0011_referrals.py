"""Referrals that close the loop: each referral made in a call, with a readable id, a due
time, a state (a FHIR R4 Task status code) and a history that is only ever added to; the
chases about it, the follow-ups owed to callers, the handovers produced and any consent
override. A directory service says how soon it answers a referral (`respond_within`), and
a service recorded in a call can be taken back before wrap-up (`withdrawn_at`).

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

from frontdoor.db.base import UTCDateTime

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("services") as batch:
        batch.add_column(sa.Column("respond_within", sa.String(40)))
    with op.batch_alter_table("contact_services") as batch:
        batch.add_column(sa.Column("withdrawn_at", UTCDateTime()))
    op.create_table(
        "referral_numbers",
        sa.Column("year", sa.Integer, autoincrement=False, nullable=False),
        sa.Column("last", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("year", name="pk_referral_numbers"),
    )
    op.create_table(
        "referrals",
        sa.Column("id", sa.String(20), nullable=False),
        sa.Column("contact_id", sa.String(40), nullable=False),
        sa.Column("service_seq", sa.Integer, nullable=False),
        sa.Column("person_id", sa.String(40)),
        sa.Column("subject_key", sa.String(200)),
        sa.Column("caller_key", sa.String(120)),
        sa.Column("category", sa.String(40)),
        sa.Column("service_id", sa.String(120), nullable=False),
        sa.Column("service_name", sa.String(300), nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("said", sa.Text),
        sa.Column("code", sa.String(60)),
        sa.Column("red_flags", sa.JSON, nullable=False),
        sa.Column("consent_share", sa.Boolean),
        sa.Column("respond_within", sa.String(40), nullable=False),
        sa.Column("due_from", sa.String(12)),
        sa.Column("made_at", UTCDateTime(), nullable=False),
        sa.Column("due_at", UTCDateTime(), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("state_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"], name="fk_referrals_contact_id_contacts"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_referrals"),
        sa.UniqueConstraint("contact_id", "service_seq", name="uq_referrals_contact_service"),
    )
    for column in ("contact_id", "person_id", "subject_key", "caller_key", "service_id"):
        op.create_index(f"ix_referrals_{column}", "referrals", [column])
    op.create_index("ix_referrals_made_at", "referrals", ["made_at"])
    op.create_index("ix_referrals_due_at", "referrals", ["due_at"])
    op.create_index("ix_referrals_state_due", "referrals", ["state", "due_at"])
    op.create_table(
        "referral_changes",
        sa.Column("id", sa.Integer, autoincrement=True),
        sa.Column("referral_id", sa.String(20), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("by", sa.String(200), nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.ForeignKeyConstraint(
            ["referral_id"], ["referrals.id"], name="fk_referral_changes_referral_id_referrals"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_referral_changes"),
    )
    op.create_index("ix_referral_changes_referral_id", "referral_changes", ["referral_id"])
    op.create_table(
        "referral_chases",
        sa.Column("id", sa.Integer, autoincrement=True),
        sa.Column("referral_id", sa.String(20), nullable=False),
        sa.Column("contact_id", sa.String(40)),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("by", sa.String(200)),
        sa.Column("note", sa.Text),
        sa.ForeignKeyConstraint(
            ["referral_id"], ["referrals.id"], name="fk_referral_chases_referral_id_referrals"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_referral_chases"),
    )
    op.create_index("ix_referral_chases_referral_id", "referral_chases", ["referral_id"])
    op.create_index("ix_referral_chases_contact_id", "referral_chases", ["contact_id"])
    op.create_table(
        "follow_ups",
        sa.Column("id", sa.Integer, autoincrement=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("contact_id", sa.String(40)),
        sa.Column("referral_id", sa.String(20)),
        sa.Column("caller_key", sa.String(120)),
        sa.Column("caller_name", sa.String(200)),
        sa.Column("who", sa.String(200)),
        sa.Column("why", sa.Text, nullable=False),
        sa.Column("due_at", UTCDateTime(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("done_at", UTCDateTime()),
        sa.Column("done_by", sa.String(200)),
        sa.Column("outbound_contact_id", sa.String(40)),
        sa.PrimaryKeyConstraint("id", name="pk_follow_ups"),
    )
    for column in ("contact_id", "referral_id", "due_at", "done_at"):
        op.create_index(f"ix_follow_ups_{column}", "follow_ups", [column])
    op.create_table(
        "consent_overrides",
        sa.Column("id", sa.Integer, autoincrement=True),
        sa.Column("referral_id", sa.String(20), nullable=False),
        sa.Column("ground", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("by", sa.String(200), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["referral_id"], ["referrals.id"], name="fk_consent_overrides_referral_id_referrals"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_consent_overrides"),
    )
    op.create_index("ix_consent_overrides_referral_id", "consent_overrides", ["referral_id"])
    op.create_table(
        "referral_handovers",
        sa.Column("id", sa.Integer, autoincrement=True),
        sa.Column("referral_id", sa.String(20), nullable=False),
        sa.Column("format", sa.String(8), nullable=False),
        sa.Column("by", sa.String(200), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("override_id", sa.Integer),
        sa.ForeignKeyConstraint(
            ["referral_id"], ["referrals.id"], name="fk_referral_handovers_referral_id_referrals"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_referral_handovers"),
    )
    op.create_index("ix_referral_handovers_referral_id", "referral_handovers", ["referral_id"])


def downgrade() -> None:
    for table in (
        "referral_handovers",
        "consent_overrides",
        "follow_ups",
        "referral_chases",
        "referral_changes",
        "referrals",
        "referral_numbers",
    ):
        op.drop_table(table)
    with op.batch_alter_table("contact_services") as batch:
        batch.drop_column("withdrawn_at")
    with op.batch_alter_table("services") as batch:
        batch.drop_column("respond_within")
