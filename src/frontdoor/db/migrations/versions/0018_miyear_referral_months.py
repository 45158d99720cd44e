"""The MI report keeps each whole month's referral counts, and a period's whole months'
added up, as of a report's moment (mi_referral_months); the referral tables drop a kept
row whenever one of its referrals, or a change or chase of one, is written, changed or
deleted: triggers, as migration 0017's for the contacts, so that no program can leave a
kept row out of date.

Revision ID: 0018_miyear
Revises: 0017
"""

import sqlalchemy as sa
from alembic import op

from frontdoor.db.base import UTCDateTime

revision = "0018_miyear"
down_revision = "0017"
branch_labels = None
depends_on = None

# a change or a chase counts in the month its referral was made in
CHILDREN = ("referral_changes", "referral_chases")
FORGET = "DELETE FROM mi_referral_months WHERE utc_start <= {at} AND utc_end > {at};"
OF_REFERRAL = "(SELECT made_at FROM referrals WHERE id = {row}.referral_id)"


def _sqlite() -> None:
    for table, at in (("referrals", "{row}.made_at"), *((t, OF_REFERRAL) for t in CHILDREN)):
        op.execute(
            f"CREATE TRIGGER mi_referral_months_{table}_insert AFTER INSERT ON {table} BEGIN "
            + FORGET.format(at=at.format(row="NEW"))
            + " END"
        )
        op.execute(
            f"CREATE TRIGGER mi_referral_months_{table}_update AFTER UPDATE ON {table} BEGIN "
            + FORGET.format(at=at.format(row="OLD"))
            + " "
            + FORGET.format(at=at.format(row="NEW"))
            + " END"
        )
        # a child deleted after its referral finds no made_at: the referral's own
        # trigger has dropped the month then
        op.execute(
            f"CREATE TRIGGER mi_referral_months_{table}_delete AFTER DELETE ON {table} BEGIN "
            + FORGET.format(at=at.format(row="OLD"))
            + " END"
        )


def _postgresql() -> None:
    # SECURITY DEFINER: the console's role writes referrals and need not be allowed to
    # touch the report's keep; the function runs as the tables' owner
    for name, at in (
        ("mi_referral_months_referral_changed", "{row}.made_at"),
        ("mi_referral_months_child_changed", OF_REFERRAL),
    ):
        op.execute(
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER "
            "SET search_path FROM CURRENT AS $$ BEGIN "
            "IF TG_OP <> 'INSERT' THEN "
            + FORGET.format(at=at.format(row="OLD"))
            + " END IF; IF TG_OP <> 'DELETE' THEN "
            + FORGET.format(at=at.format(row="NEW"))
            + " END IF; RETURN NULL; END $$"
        )
    op.execute(
        "CREATE TRIGGER mi_referral_months_referrals AFTER INSERT OR UPDATE OR DELETE ON "
        "referrals FOR EACH ROW EXECUTE FUNCTION mi_referral_months_referral_changed()"
    )
    for table in CHILDREN:
        op.execute(
            f"CREATE TRIGGER mi_referral_months_{table} AFTER INSERT OR UPDATE OR DELETE ON "
            f"{table} FOR EACH ROW EXECUTE FUNCTION mi_referral_months_child_changed()"
        )


def upgrade() -> None:
    op.create_table(
        "mi_referral_months",
        sa.Column("zone", sa.String(60), primary_key=True),
        sa.Column("first_day", sa.Date(), primary_key=True),
        sa.Column("last_day", sa.Date(), primary_key=True),
        sa.Column("moment", UTCDateTime(), primary_key=True),
        sa.Column("utc_start", UTCDateTime(), nullable=False),
        sa.Column("utc_end", UTCDateTime(), nullable=False),
        sa.Column("parts", sa.JSON(), nullable=False),
    )
    op.create_index("ix_mi_referral_months_utc_start", "mi_referral_months", ["utc_start"])
    if op.get_bind().dialect.name == "sqlite":
        _sqlite()
    else:
        _postgresql()


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in ("referrals", *CHILDREN):
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS mi_referral_months_{table}_{event}")
    else:
        for table in ("referrals", *CHILDREN):
            op.execute(f"DROP TRIGGER IF EXISTS mi_referral_months_{table} ON {table}")
        op.execute("DROP FUNCTION IF EXISTS mi_referral_months_referral_changed()")
        op.execute("DROP FUNCTION IF EXISTS mi_referral_months_child_changed()")
    op.drop_index("ix_mi_referral_months_utc_start", "mi_referral_months")
    op.drop_table("mi_referral_months")
