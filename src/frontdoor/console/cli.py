"""The `frontdoor` command: one entry, subcommands grouped by the people who use them.

No subcommand shows a traceback: what one lets escape is logged and worded by
FrontDoorGroup, and the console's own failures by console/crash.py.
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING

import click

from frontdoor.console.commands.common import Asked, FrontDoorGroup, common_asked

if TYPE_CHECKING:
    from frontdoor.console.app import FrontDoorApp
    from frontdoor.console.opening import Opened

# Each group's module is imported when the group is named (or `--help` lists them): the
# console's start imports none of them, and each pulls in its own room of the domain.
# name -> (module, attribute, [(module, attribute) of commands added to the group])
_LAZY: dict[str, tuple[str, str, tuple[tuple[str, str], ...]]] = {
    "scripts": ("frontdoor.console.commands.scripts", "scripts", ()),
    "directory": ("frontdoor.console.commands.directory", "directory", ()),
    "contacts": (
        "frontdoor.console.commands.records",
        "contacts",
        (
            ("frontdoor.console.commands.contacts_bench", "contacts_bench"),
            ("frontdoor.console.commands.contacts_bench", "step_bench"),
            ("frontdoor.console.commands.contacts_import_bench", "contacts_import_bench"),
        ),
    ),
    "referrals": (
        "frontdoor.console.commands.referrals",
        "referrals",
        (("frontdoor.console.commands.referral_handover", "handover_command"),),
    ),
    "mi": ("frontdoor.console.commands.mi", "mi", ()),
    "queue": ("frontdoor.console.commands.queue", "queue", ()),
    "simulate": ("frontdoor.console.commands.simulate", "simulate_command", ()),
    "db": (
        "frontdoor.console.commands.records",
        "db",
        (("frontdoor.console.commands.db_grant", "db_grant"),),
    ),
    "users": ("frontdoor.console.commands.users", "users", ()),
    "audit": ("frontdoor.console.commands.audit", "audit", ()),
    "people": ("frontdoor.console.commands.people", "people", ()),
    "records": ("frontdoor.console.commands.records_purge", "records", ()),
}


def _load(name: str) -> click.Command:
    module, attribute, added = _LAZY[name]
    command: click.Command = getattr(importlib.import_module(module), attribute)
    if isinstance(command, click.Group):
        for extra_module, extra in added:
            sub: click.Command = getattr(importlib.import_module(extra_module), extra)
            if sub.name not in command.commands:
                command.add_command(sub)
    return command


class FrontDoorCli(FrontDoorGroup):
    """`frontdoor`: its subcommands' modules imported when they are named."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *_LAZY})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in _LAZY:
            self.add_command(_load(cmd_name), cmd_name)
        return super().get_command(ctx, cmd_name)


@click.group(cls=FrontDoorCli, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(
    package_name="frontdoor", prog_name="frontdoor", message="%(prog)s %(version)s"
)
def main() -> None:
    """Front Door: the call handler's assistant for a Single Point of Access."""


@main.group(invoke_without_command=True)
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
@common_asked
def console(asked: Asked, role: str | None, user: str | None, first_screen: str | None) -> None:
    """Open the console: sign in (once the database has users), and take calls."""
    if click.get_current_context().invoked_subcommand is not None:
        return  # `frontdoor console bench`: the console is not opened
    from frontdoor.console.crash import run_console

    app = console_app(asked, role, user, first_screen)
    status = run_console(app)
    app.close_database()
    if app.not_opened is not None:
        # said as any command's failure is (FrontDoorGroup): the terminal is back by now
        raise app.not_opened
    if status:
        sys.exit(status)


def console_app(
    asked: Asked, role: str | None, user: str | None, first_screen: str | None
) -> FrontDoorApp:
    """The console as `frontdoor console` starts it: its first screen painted at once,
    and its settings, database and library opened after that, off the screen's thread
    (the start benchmark, console/start_bench.py, times this same path)."""
    from frontdoor.console.app import FrontDoorApp

    def opener() -> Opened:
        from frontdoor.console.opening import open_console

        return open_console(asked.settings(), user)

    return FrontDoorApp.opening(
        opener, role=role, first_screen=first_screen, sign_in_as=user, closes_on_hangup=True
    )


@console.command("bench")
@click.option(
    "--starts",
    default=7,
    show_default=True,
    type=click.IntRange(1),
    help="Starts of each kind, alternating; the figures are their medians.",
)
@click.option("--json", "as_json", is_flag=True)
def console_bench(starts: int, as_json: bool) -> None:
    """Time the console from its command to its first painted screen (headless, warm,
    each start a new process) beside a bare Textual app's, on a scratch database."""
    import json

    from frontdoor.console.start_bench import describe, run_start_bench

    figures = run_start_bench(
        starts, progress=None if as_json else lambda s: click.echo(s, err=True)
    )
    if as_json:
        click.echo(json.dumps(figures.as_dict(), indent=2))
        return
    for line in describe(figures):
        click.echo(line)


if __name__ == "__main__":  # pragma: no cover
    main()
