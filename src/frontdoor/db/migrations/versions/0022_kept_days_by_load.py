"""On PostgreSQL, a contacts import drops the MI's kept days itself, once a batch, as it
already does on SQLite (db/import_days.py), and the record's INSERT triggers let it.

0017's triggers run a PL/pgSQL function for every row inserted into contacts, answers,
script_ends, searches and contact_services: for a child row it looks up its contact's
received time, then deletes from mi_days. A month's import inserts some 90,000 such
rows, and the triggers were a second of the server's 2.2 s of work (measured: 3,600
contacts a second with them, 4,400 with them disabled). SQLite's import drops its INSERT
triggers inside its own transaction; PostgreSQL cannot do that without a lock that stops
every workstation reading contacts, so here each INSERT trigger gets a WHEN condition
instead: it runs unless the inserting transaction has said, with
`SET LOCAL frontdoor.kept_days_by_load = 'on'`, that it drops the days itself. WHEN is
judged by the server without calling the function, and SET LOCAL ends with the
transaction, committed or rolled back, so no other transaction, nor a later one on the
same connection, skips anything. UPDATE and DELETE keep their triggers as they were.

A program with the console's role could set it and leave a kept day out of date; it can
write contacts anyway. The report's figures are only as good as the programs that write
the record, and the record's own programs set it only around `ImportDays`.

Revision ID: 0022_kept_days_by_load
Revises: 0021
"""

from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

# (table, the function 0017 made for it)
_TRIGGERS = (
    ("contacts", "mi_days_contact_changed"),
    ("answers", "mi_days_child_changed"),
    ("script_ends", "mi_days_child_changed"),
    ("searches", "mi_days_child_changed"),
    ("contact_services", "mi_days_child_changed"),
)
# the setting's name as db/import_days.py sets it
SETTING = "frontdoor.kept_days_by_load"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite's import drops its INSERT triggers for its own transaction
    for table, function in _TRIGGERS:
        op.execute(f"DROP TRIGGER mi_days_{table} ON {table}")
        op.execute(
            f"CREATE TRIGGER mi_days_{table} AFTER UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {function}()"
        )
        # missing_ok: a session that never set it reads NULL, and NULL is distinct from 'on'
        op.execute(
            f"CREATE TRIGGER mi_days_{table}_insert AFTER INSERT ON {table} FOR EACH ROW "
            f"WHEN (current_setting('{SETTING}', true) IS DISTINCT FROM 'on') "
            f"EXECUTE FUNCTION {function}()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, function in _TRIGGERS:
        op.execute(f"DROP TRIGGER mi_days_{table}_insert ON {table}")
        op.execute(f"DROP TRIGGER mi_days_{table} ON {table}")
        op.execute(
            f"CREATE TRIGGER mi_days_{table} AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {function}()"
        )
