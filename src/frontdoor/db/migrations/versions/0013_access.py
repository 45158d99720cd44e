"""Named users with roles, and the audit trail: append-only, each row chained to the one
before by its hash, with a head row every write updates (count and last hash). A person
may withdraw consent to share (`consent_withdrawals`), and a purged contact says when
its personal data was removed (`contacts.purged_at`).

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

from frontdoor.db.base import UTCDateTime

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

GENESIS = "0" * 64


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("display_name", sa.String(200)),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("changed_at", UTCDateTime(), nullable=False),
        sa.Column("disabled_at", UTCDateTime()),
        sa.Column("failed_sign_ins", sa.Integer, nullable=False),
        sa.Column("locked_until", UTCDateTime()),
        sa.Column("last_sign_in_at", UTCDateTime()),
        sa.PrimaryKeyConstraint("name", name="pk_users"),
    )
    op.create_table(
        "audit_events",
        sa.Column("seq", sa.BigInteger, autoincrement=False, nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("user", sa.String(64), nullable=False),
        sa.Column("role", sa.String(40), nullable=False),
        sa.Column("workstation", sa.String(200), nullable=False),
        sa.Column("event", sa.String(40), nullable=False),
        sa.Column("contact_id", sa.String(40)),
        sa.Column("person_id", sa.String(40)),
        sa.Column("referral_id", sa.String(40)),
        sa.Column("script", sa.String(100)),
        sa.Column("service_id", sa.String(200)),
        sa.Column("about_user", sa.String(64)),
        sa.Column("row_count", sa.Integer),
        sa.Column("destination", sa.String(500)),
        sa.Column("detail", sa.String(500)),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_audit_events"),
    )
    for column in ("at", "user", "contact_id", "person_id"):
        op.create_index(f"ix_audit_events_{column}", "audit_events", [column])
    head = op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer, autoincrement=False, nullable=False),
        sa.Column("count", sa.BigInteger, nullable=False),
        sa.Column("last_hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_head"),
    )
    op.bulk_insert(head, [{"id": 1, "count": 0, "last_hash": GENESIS}])
    op.create_table(
        "consent_withdrawals",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("person_id", sa.String(40), nullable=False),
        sa.Column("withdrawn_at", UTCDateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("restored_at", UTCDateTime()),
        sa.Column("restored_by", sa.String(64)),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name="fk_consent_withdrawals_person_id_people"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_consent_withdrawals"),
    )
    op.create_index("ix_consent_withdrawals_person_id", "consent_withdrawals", ["person_id"])
    with op.batch_alter_table("contacts") as batch:
        batch.add_column(sa.Column("purged_at", UTCDateTime()))


def downgrade() -> None:
    with op.batch_alter_table("contacts") as batch:
        batch.drop_column("purged_at")
    op.drop_table("consent_withdrawals")
    op.drop_table("audit_head")
    op.drop_table("audit_events")
    op.drop_table("users")
