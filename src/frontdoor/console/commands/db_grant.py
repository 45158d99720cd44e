"""`frontdoor db grant --app-role NAME`: on PostgreSQL, what the role the workstations
connect as may do (docs/access.md). Run by the owner of the tables, who runs `db upgrade`,
and again after each upgrade. Exit 0 granted; 2 a SQLite database, no such role, or a role
no grant binds."""

from __future__ import annotations

import click
from sqlalchemy.engine import make_url

from frontdoor.access.tables import APPEND_ONLY_RIGHTS
from frontdoor.console.commands.common import Refused, common
from frontdoor.console.settings import Settings
from frontdoor.db.engine import make_engine
from frontdoor.db.grants import ROW_RIGHTS, SCHEMA_RIGHTS, GrantRefused, grant_app_role
from frontdoor.db.migrate import SchemaBehind, check_current


@click.command("grant")
@click.option(
    "--app-role",
    "app_role",
    required=True,
    metavar="NAME",
    help="The PostgreSQL role the workstations connect as (made beforehand, not a superuser).",
)
@common
def db_grant(settings: Settings, app_role: str) -> None:
    """Give the application's role what it needs on every table (read, add, change,
    remove rows) but the audit: there, only add and read, never change or remove."""
    if make_url(settings.db).get_backend_name() != "postgresql":
        raise Refused(
            "a SQLite database has no roles: its file's permissions are what protect it "
            "(readable and writable by its owner only); db grant is for PostgreSQL"
        )
    engine = make_engine(settings.db)
    try:
        try:
            check_current(engine)
        except SchemaBehind:
            raise Refused(
                "the schema is not this release's: run 'frontdoor db upgrade' first, then grant"
            ) from None
        granted = grant_app_role(engine, app_role.strip(), {**SCHEMA_RIGHTS, **APPEND_ONLY_RIGHTS})
    except GrantRefused as exc:
        raise Refused(str(exc)) from None
    finally:
        engine.dispose()
    full = [t for t, rights in granted.tables.items() if len(rights) == 4]
    click.echo(
        f"{granted.role} may read, add, change and remove rows in {len(full)} table(s) of "
        f"schema {granted.schema}, and use its {granted.sequences} sequence(s)"
    )
    for table, rights in sorted(granted.tables.items()):
        if table not in full:
            withheld = [r for r in (*ROW_RIGHTS, "TRUNCATE") if r not in rights]
            click.echo(
                f"{granted.role} has only {', '.join(rights)} on {table} (no {', '.join(withheld)})"
            )
    click.echo(
        "run this again after every 'frontdoor db upgrade': a table an upgrade adds has no "
        "grant until then"
    )
