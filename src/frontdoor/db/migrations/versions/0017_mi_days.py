"""The MI report keeps each settled local day's figure counts (mi_days), and the record's
tables drop a kept day whenever a contact it counts, or a contact that could be one of
its contacts' repeats, is written, changed or deleted: triggers, so that no program
that writes to the record can leave a kept day out of date.

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

from frontdoor.db.base import UTCDateTime

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

CHILDREN = ("answers", "script_ends", "searches", "contact_services")
FORGET = "DELETE FROM mi_days WHERE utc_start <= {at} AND affected_until >= {at};"
OF_CONTACT = "(SELECT received_at FROM contacts WHERE id = {row}.contact_id)"


def _sqlite() -> None:
    op.execute(
        "CREATE TRIGGER mi_days_contacts_insert AFTER INSERT ON contacts BEGIN "
        + FORGET.format(at="NEW.received_at")
        + " END"
    )
    op.execute(
        "CREATE TRIGGER mi_days_contacts_update AFTER UPDATE ON contacts BEGIN "
        + FORGET.format(at="OLD.received_at")
        + " "
        + FORGET.format(at="NEW.received_at")
        + " END"
    )
    op.execute(
        "CREATE TRIGGER mi_days_contacts_delete AFTER DELETE ON contacts BEGIN "
        + FORGET.format(at="OLD.received_at")
        + " END"
    )
    for table in CHILDREN:
        op.execute(
            f"CREATE TRIGGER mi_days_{table}_insert AFTER INSERT ON {table} BEGIN "
            + FORGET.format(at=OF_CONTACT.format(row="NEW"))
            + " END"
        )
        op.execute(
            f"CREATE TRIGGER mi_days_{table}_update AFTER UPDATE ON {table} BEGIN "
            + FORGET.format(at=OF_CONTACT.format(row="OLD"))
            + " "
            + FORGET.format(at=OF_CONTACT.format(row="NEW"))
            + " END"
        )
        # a child deleted with its contact: the contact's own trigger has it
        op.execute(
            f"CREATE TRIGGER mi_days_{table}_delete AFTER DELETE ON {table} BEGIN "
            + FORGET.format(at=OF_CONTACT.format(row="OLD"))
            + " END"
        )


def _postgresql() -> None:
    # SECURITY DEFINER: the console's role writes contacts and need not be allowed to
    # touch the report's keep; the function runs as the tables' owner
    for name, at in (
        ("mi_days_contact_changed", "{row}.received_at"),
        ("mi_days_child_changed", OF_CONTACT),
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
        "CREATE TRIGGER mi_days_contacts AFTER INSERT OR UPDATE OR DELETE ON contacts "
        "FOR EACH ROW EXECUTE FUNCTION mi_days_contact_changed()"
    )
    for table in CHILDREN:
        op.execute(
            f"CREATE TRIGGER mi_days_{table} AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION mi_days_child_changed()"
        )


def upgrade() -> None:
    op.create_table(
        "mi_days",
        sa.Column("zone", sa.String(60), primary_key=True),
        sa.Column("settings_key", sa.String(64), primary_key=True),
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("last_day", sa.Date(), primary_key=True),
        sa.Column("utc_start", UTCDateTime(), nullable=False),
        sa.Column("affected_until", UTCDateTime(), nullable=False),
        sa.Column("parts", sa.JSON(), nullable=False),
    )
    op.create_index("ix_mi_days_utc_start", "mi_days", ["utc_start"])
    if op.get_bind().dialect.name == "sqlite":
        _sqlite()
    else:
        _postgresql()


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in ("contacts", *CHILDREN):
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS mi_days_{table}_{event}")
    else:
        for table in ("contacts", *CHILDREN):
            op.execute(f"DROP TRIGGER IF EXISTS mi_days_{table} ON {table}")
        op.execute("DROP FUNCTION IF EXISTS mi_days_contact_changed()")
        op.execute("DROP FUNCTION IF EXISTS mi_days_child_changed()")
    op.drop_index("ix_mi_days_utc_start", "mi_days")
    op.drop_table("mi_days")
