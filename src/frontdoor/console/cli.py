"""The `frontdoor` command: one entry, subcommands grouped by the people who use them.

No subcommand shows a traceback: what one lets escape is logged and worded by
FrontDoorGroup, and the console's own failures by console/crash.py.
"""

from __future__ import annotations

import sys

import click

from frontdoor.console.commands.audit import audit
from frontdoor.console.commands.common import FrontDoorGroup, common, open_from, who_is_using
from frontdoor.console.commands.contacts_bench import contacts_bench
from frontdoor.console.commands.contacts_import_bench import contacts_import_bench
from frontdoor.console.commands.db_grant import db_grant
from frontdoor.console.commands.directory import directory
from frontdoor.console.commands.mi import mi
from frontdoor.console.commands.people import people
from frontdoor.console.commands.queue import queue
from frontdoor.console.commands.records import contacts, db
from frontdoor.console.commands.records_purge import records
from frontdoor.console.commands.referral_handover import handover_command
from frontdoor.console.commands.referrals import referrals
from frontdoor.console.commands.scripts import scripts
from frontdoor.console.commands.simulate import simulate_command
from frontdoor.console.commands.users import users
from frontdoor.console.settings import Settings


@click.group(cls=FrontDoorGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(
    package_name="frontdoor", prog_name="frontdoor", message="%(prog)s %(version)s"
)
def main() -> None:
    """Front Door: the call handler's assistant for a Single Point of Access."""


@main.command()
@click.option(
    "--role",
    type=click.Choice(["handler", "supervisor", "lead"]),
    help=(
        "Open on this role's first screen (handler: ready; supervisor: the wallboard; "
        "lead: the directory), if the user signed in may (default: their own role's)."
    ),
)
@click.option(
    "--user",
    help=(
        "The name to sign in as, filled in on the sign-in screen (default: FRONTDOOR_USER); "
        "while the database has no users, who takes the calls (else your login name)."
    ),
)
@click.option(
    "--open",
    "first_screen",
    type=click.Choice(["ready", "wallboard", "mi", "directory"]),
    help="Open on this screen, if the user signed in may (default: by role).",
)
@common
def console(
    settings: Settings, role: str | None, user: str | None, first_screen: str | None
) -> None:
    """Open the console: sign in (once the database has users), and take calls."""
    from frontdoor.console.app import FrontDoorApp
    from frontdoor.console.crash import run_console

    front = open_from(settings)
    handler = who_is_using(settings, user)
    app = FrontDoorApp(
        front,
        handler=handler,
        role=role,
        first_screen=first_screen,
        sign_in_as=user or settings.user,
    )
    status = run_console(app, settings.db)
    front.engine.dispose()
    if status:
        sys.exit(status)


referrals.add_command(handover_command)
contacts.add_command(contacts_bench)
contacts.add_command(contacts_import_bench)
db.add_command(db_grant)
for group in (
    scripts,
    directory,
    contacts,
    referrals,
    mi,
    queue,
    simulate_command,
    db,
    users,
    audit,
    people,
    records,
):
    main.add_command(group)


if __name__ == "__main__":  # pragma: no cover
    main()
