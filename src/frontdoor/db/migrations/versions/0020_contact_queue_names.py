"""A contact keeps its queue's name as long as the telephone system's queue_log gives it
(256 characters, as queue_events keeps it since 0015): at 60, a call taken at the console
from a queue with a longer name could not be started on PostgreSQL (SQLite keeps any
length whatever the declared one, and refused nothing).

PostgreSQL widens the column in place (no rewrite: a longer varchar is the same data).
SQLite has no ALTER COLUMN; rebuilding `contacts` would mean dropping a table that
steps, answers, referrals and the MI's triggers refer to. The declared type is changed
instead, as SQLite's own documentation describes for a change that leaves every stored
value as it is (a VARCHAR of any length is TEXT affinity): the schema text edited, its
version bumped so that every open connection reads it again, the schema checked.

Revision ID: 0020_contact_queue_names
Revises: 0019
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

# the queue column as SQLAlchemy declared it in contacts' CREATE TABLE (0001)
_DECLARED = re.compile(r"\bqueue VARCHAR\((\d+)\)")


def _sqlite_queue_length(length: int) -> None:
    connection = op.get_bind()
    sql = connection.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'contacts'"
    ).scalar_one()
    declared = _DECLARED.findall(sql)
    if len(declared) != 1:
        raise RuntimeError(
            "contacts' queue column is not declared as this release expects "
            f"({len(declared)} declarations found): restore the database from a backup "
            "taken by this release, or ask for help"
        )
    if int(declared[0]) == length:
        return
    version = connection.exec_driver_sql("PRAGMA schema_version").scalar_one()
    connection.exec_driver_sql("PRAGMA writable_schema = ON")
    try:
        connection.exec_driver_sql(
            "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'contacts'",
            (_DECLARED.sub(f"queue VARCHAR({length})", sql),),
        )
        connection.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    except sa.exc.OperationalError:
        # an SQLite built "defensive" refuses any edit of its schema: the declared length
        # stays, which changes nothing stored or refused (SQLite keeps any length; the
        # import checks against this release's models)
        return
    finally:
        connection.exec_driver_sql("PRAGMA writable_schema = OFF")
    problems = connection.exec_driver_sql("PRAGMA quick_check").scalars().all()
    if problems != ["ok"]:
        raise RuntimeError(f"the database's check failed after widening: {problems[:3]}")


def _widen(length: int) -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_queue_length(length)
    else:
        op.alter_column(
            "contacts", "queue", type_=sa.String(length), existing_type=sa.String(), nullable=True
        )


def upgrade() -> None:
    _widen(256)


def downgrade() -> None:
    _widen(60)
