"""The MI report keeps each settled local day's queue figures from the telephone system
(mi_pbx_days: additive sums by queue, and the ids of the calls still open at the day's
end) and the call ids those sums hold (mi_pbx_day_calls); the queue tables drop a kept
day whenever a queue event or a console's claim is written, changed or deleted in it or
the day after, or for one of the call ids it holds, whenever: triggers, as migration
0017's for the contacts, so that no program can leave a kept day out of date.

Revision ID: 0019_pbx_days
Revises: 0018
"""

import sqlalchemy as sa
from alembic import op

from frontdoor.db.base import UTCDateTime

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

FORGET = (
    "DELETE FROM mi_pbx_days WHERE (utc_start <= {row}.at AND affected_until > {row}.at) "
    "OR utc_start IN (SELECT day_start FROM mi_pbx_day_calls WHERE callid = {row}.callid);"
)
# `records purge` rewrites an ENTERQUEUE's caller and line hash: no figure reads them
ONLY_A_CALLER = (
    "OLD.event = 'ENTERQUEUE' AND NEW.event = 'ENTERQUEUE' AND OLD.at = NEW.at "
    "AND OLD.callid = NEW.callid AND OLD.queue = NEW.queue"
)
TABLES = ("queue_events", "call_claims")


def _sqlite() -> None:
    for table in TABLES:
        op.execute(
            f"CREATE TRIGGER mi_pbx_days_{table}_insert AFTER INSERT ON {table} BEGIN "
            + FORGET.format(row="NEW")
            + " END"
        )
        skip = f" WHEN NOT ({ONLY_A_CALLER})" if table == "queue_events" else ""
        op.execute(
            f"CREATE TRIGGER mi_pbx_days_{table}_update AFTER UPDATE ON {table}{skip} BEGIN "
            + FORGET.format(row="OLD")
            + " "
            + FORGET.format(row="NEW")
            + " END"
        )
        op.execute(
            f"CREATE TRIGGER mi_pbx_days_{table}_delete AFTER DELETE ON {table} BEGIN "
            + FORGET.format(row="OLD")
            + " END"
        )


def _postgresql() -> None:
    # SECURITY DEFINER: the role that ingests the queue_log need not be allowed to touch
    # the report's keep; the function runs as the tables' owner
    for table in TABLES:
        skip = (
            f"IF TG_OP = 'UPDATE' AND {ONLY_A_CALLER} THEN RETURN NULL; END IF; "
            if table == "queue_events"
            else ""
        )
        op.execute(
            f"CREATE FUNCTION mi_pbx_days_{table}_changed() RETURNS trigger LANGUAGE plpgsql "
            "SECURITY DEFINER SET search_path FROM CURRENT AS $$ BEGIN "
            + skip
            + "IF TG_OP <> 'INSERT' THEN "
            + FORGET.format(row="OLD")
            + " END IF; IF TG_OP <> 'DELETE' THEN "
            + FORGET.format(row="NEW")
            + " END IF; RETURN NULL; END $$"
        )
        op.execute(
            f"CREATE TRIGGER mi_pbx_days_{table} AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION mi_pbx_days_{table}_changed()"
        )


def upgrade() -> None:
    op.create_table(
        "mi_pbx_days",
        sa.Column("zone", sa.String(60), primary_key=True),
        sa.Column("settings_key", sa.String(64), primary_key=True),
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("utc_start", UTCDateTime(), nullable=False),
        sa.Column("affected_until", UTCDateTime(), nullable=False),
        sa.Column("sums", sa.JSON(), nullable=False),
        sa.Column("open_callids", sa.JSON(), nullable=False),
        sa.Column("restarts", sa.JSON(), nullable=False),
    )
    op.create_index("ix_mi_pbx_days_utc_start", "mi_pbx_days", ["utc_start"])
    # an event written now finds the days it drops among the last two, not all kept
    op.create_index("ix_mi_pbx_days_affected_until", "mi_pbx_days", ["affected_until"])
    op.create_table(
        "mi_pbx_day_calls",
        sa.Column("callid", sa.String(150), primary_key=True),
        sa.Column("day_start", UTCDateTime(), primary_key=True),
    )
    if op.get_bind().dialect.name == "sqlite":
        _sqlite()
    else:
        _postgresql()


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in TABLES:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS mi_pbx_days_{table}_{event}")
    else:
        for table in TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS mi_pbx_days_{table} ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS mi_pbx_days_{table}_changed()")
    op.drop_table("mi_pbx_day_calls")
    op.drop_index("ix_mi_pbx_days_affected_until", "mi_pbx_days")
    op.drop_index("ix_mi_pbx_days_utc_start", "mi_pbx_days")
    op.drop_table("mi_pbx_days")
