"""The MI report keeps each whole month's referral counts, and a period's whole months'
added up, as of a report's moment (mi_referral_months); the referral tables drop a kept
row whenever one of its referrals, a change or chase of one, or a follow-up done in it,
is written, changed or deleted: triggers, as migration 0017's for the contacts, so that
no program can leave a kept row out of date.

Revision ID: 0018_referral_months
Revises: 0017
"""

import sqlalchemy as sa
from alembic import op

from frontdoor.db.base import UTCDateTime

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

TABLES = ("referrals", "referral_changes", "referral_chases", "follow_ups")
FORGET = "DELETE FROM mi_referral_months WHERE utc_start <= {at} AND utc_end > {at};"
OF_REFERRAL = "(SELECT made_at FROM referrals WHERE id = {row}.referral_id)"
# a chase may turn a follow-up done earlier from "before the chase" to "after": the
# months its referral's follow-ups were done in go too
OF_FOLLOW_UPS = (
    "DELETE FROM mi_referral_months WHERE EXISTS (SELECT 1 FROM follow_ups f "
    "WHERE f.referral_id = {row}.referral_id AND f.done_at >= mi_referral_months.utc_start "
    "AND f.done_at < mi_referral_months.utc_end);"
)


def _forget(table: str, row: str) -> str:
    """What a row written to `table` (as OLD or NEW) drops: the months it counts in."""
    if table == "referrals":
        return FORGET.format(at=f"{row}.made_at")
    if table == "follow_ups":  # counted in the month it was done (no done_at: none)
        return FORGET.format(at=f"{row}.done_at")
    made = FORGET.format(at=OF_REFERRAL.format(row=row))
    return made + (" " + OF_FOLLOW_UPS.format(row=row) if table == "referral_chases" else "")


def _sqlite() -> None:
    for table in TABLES:
        op.execute(
            f"CREATE TRIGGER mi_referral_months_{table}_insert AFTER INSERT ON {table} BEGIN "
            + _forget(table, "NEW")
            + " END"
        )
        op.execute(
            f"CREATE TRIGGER mi_referral_months_{table}_update AFTER UPDATE ON {table} BEGIN "
            + _forget(table, "OLD")
            + " "
            + _forget(table, "NEW")
            + " END"
        )
        # a change or chase deleted after its referral finds no made_at: the referral's
        # own trigger has dropped the month then
        op.execute(
            f"CREATE TRIGGER mi_referral_months_{table}_delete AFTER DELETE ON {table} BEGIN "
            + _forget(table, "OLD")
            + " END"
        )


def _postgresql() -> None:
    # SECURITY DEFINER: the console's role writes referrals and need not be allowed to
    # touch the report's keep; the function runs as the tables' owner
    for table in TABLES:
        op.execute(
            f"CREATE FUNCTION mi_referral_months_{table}_changed() RETURNS trigger "
            "LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$ BEGIN "
            "IF TG_OP <> 'INSERT' THEN "
            + _forget(table, "OLD")
            + " END IF; IF TG_OP <> 'DELETE' THEN "
            + _forget(table, "NEW")
            + " END IF; RETURN NULL; END $$"
        )
        op.execute(
            f"CREATE TRIGGER mi_referral_months_{table} AFTER INSERT OR UPDATE OR DELETE ON "
            f"{table} FOR EACH ROW EXECUTE FUNCTION mi_referral_months_{table}_changed()"
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
        sa.Column("seconds_to_accept", sa.JSON(), nullable=False),
    )
    op.create_index("ix_mi_referral_months_utc_start", "mi_referral_months", ["utc_start"])
    if op.get_bind().dialect.name == "sqlite":
        _sqlite()
    else:
        _postgresql()


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in TABLES:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS mi_referral_months_{table}_{event}")
    else:
        for table in TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS mi_referral_months_{table} ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS mi_referral_months_{table}_changed()")
    op.drop_index("ix_mi_referral_months_utc_start", "mi_referral_months")
    op.drop_table("mi_referral_months")
