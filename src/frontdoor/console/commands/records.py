"""`frontdoor contacts` and `frontdoor db`: for administrators."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from frontdoor.access.roles import Permission, roles_for
from frontdoor.console.commands.common import (
    Refused,
    common,
    keep_data_folder_private,
    say_loosened,
)
from frontdoor.console.commands.contacts_export import export_contacts
from frontdoor.console.commands.signing import as_option, open_signed_in
from frontdoor.console.settings import Settings
from frontdoor.interactions.jsonl import FileLines
from frontdoor.referrals.handover import GROUNDS, Ground

# users, contacts files, purges and the audit (docs/access.md)
ADMIN = roles_for(Permission.ADMINISTER)


@click.group()
def contacts() -> None:
    """The record of contacts, in and out."""


@contacts.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@as_option
@common
def contacts_import(settings: Settings, path: Path, as_user: str | None) -> None:
    """Load contacts from JSON Lines, with the referrals their services made; a file with
    any bad line is refused whole."""
    try:
        # read as it loads, never whole; here only opened, to refuse at once a file that
        # cannot be read
        with path.open("rb"):
            pass
    except OSError as exc:
        raise Refused(f"cannot read {path}: {exc}; give a JSON Lines file of contacts") from exc
    front = open_signed_in(settings, as_user, ADMIN, "contacts import")
    try:
        # bytes: each line is read as UTF-8 on its own, so one that is not is refused by
        # its number; lines end at "\n" only (file_lines)
        loaded = front.load_contacts_file(FileLines(path), audit=front.trail)
    except OSError as exc:  # it went while being read: nothing of it was loaded
        raise Refused(f"cannot read {path}: {exc}; nothing of it was loaded") from exc
    for problem in loaded.bad:
        click.echo(f"{path}:{problem.number}: {problem.reason}", err=True)
    for contact_id, reason in loaded.refused:
        click.echo(f"{path}: contact {contact_id}: {reason}", err=True)
    if not loaded.loaded:
        many = f" ({len(loaded.bad)} bad line(s))" if loaded.bad else ""
        click.echo(f"{path}: refused, nothing loaded{many}", err=True)
        sys.exit(1)
    click.echo(
        f"{path}: {len(loaded.added)} added, {len(loaded.unchanged)} unchanged; referrals "
        f"{len(loaded.referrals_added)} added, {len(loaded.referrals_unchanged)} unchanged"
    )


@contacts.command("export")
@click.option("--out", type=click.Path(path_type=Path), help="Write to FILE instead of the screen.")
@click.option(
    "--pseudonymise",
    is_flag=True,
    help="Name nobody: keys as keyed pseudonyms (the site secret), no names, dates of birth, "
    "NHS numbers, notes or typed answers; repeat contacts still link.",
)
@click.option(
    "--override",
    type=click.Choice(GROUNDS),
    help="Include the contacts of people who withdrew consent to share, on this ground "
    "(audited for each of them).",
)
@as_option
@common
def contacts_export(
    settings: Settings,
    out: Path | None,
    pseudonymise: bool,
    override: Ground | None,
    as_user: str | None,
) -> None:
    """Write every contact as JSON Lines (one contact per line), each service referred
    with its referral; the contacts of people who withdrew consent to share are left
    out unless overridden. Audited, with the count and where it went."""
    front = open_signed_in(settings, as_user, ADMIN, "contacts export")
    try:
        export_contacts(front, settings, out, pseudonymise=pseudonymise, override=override)
    finally:
        front.engine.dispose()


@click.group()
def db() -> None:
    """The database itself."""


@db.command("upgrade")
@click.option(
    "--demo-users",
    is_flag=True,
    help=(
        "Add the demo users too (demo, demo-supervisor, demo-lead, one password shown on "
        "the sign-in screen): for a demo or training database with no users of its own."
    ),
)
@common
def db_upgrade(settings: Settings, demo_users: bool) -> None:
    """Bring the database's schema up to date (a SQLite file that does not exist is made),
    and bring this release's script library in: published into a new database, changed
    scripts as drafts for a lead to approve."""
    from frontdoor.access.audit import AuditTrail
    from frontdoor.access.users import UserError
    from frontdoor.console.crash import hide_password
    from frontdoor.console.wiring import add_demo_users_to, bring_in_release, unsigned_actor
    from frontdoor.db.engine import is_read_only, make_engine, make_session_factory
    from frontdoor.db.migrate import SchemaBehind, check_current, current_revision, upgrade
    from frontdoor.local_time import system_clock
    from frontdoor.triage_scripts.version_records import BroughtIn
    from frontdoor.triage_scripts.versions import ScriptVersions

    keep_data_folder_private(settings)
    engine = make_engine(settings.db, create=True, on_loosened=say_loosened)
    try:
        if is_read_only(engine):
            try:
                check_current(engine)
            except SchemaBehind as exc:
                raise Refused(
                    f"the database at {hide_password(settings.db)} cannot be written to, so "
                    f"it cannot be upgraded from revision {exc.revision or 'empty'}: run this "
                    "as someone who can write to the file and its folder"
                ) from None
        before = current_revision(engine)
        brought = BroughtIn()
        demo: list[str] | None = None
        if not is_read_only(engine):
            upgrade(engine)
            sessions = make_session_factory(engine)
            # what the release brings in is audited as by `system`, from this workstation
            audit = AuditTrail(sessions, system_clock, unsigned_actor(settings))
            store = ScriptVersions(sessions, settings.time_zone, audit)
            brought = bring_in_release(settings, store, system_clock())
            if demo_users:
                try:
                    demo = add_demo_users_to(settings, make_session_factory(engine))
                except UserError as exc:
                    raise Refused(str(exc)) from None
        elif demo_users:
            raise Refused(
                f"the database at {hide_password(settings.db)} cannot be written to, so the "
                "demo users cannot be added: run this as someone who can write to it"
            )
        after = current_revision(engine)
    finally:
        engine.dispose()
    click.echo(f"schema at {after}" + ("" if before == after else f" (was {before or 'empty'})"))
    if brought.published:
        click.echo(f"{len(brought.published)} script(s) of this release published, by system")
    if brought.drafts:
        click.echo(
            f"{len(brought.drafts)} script(s) of this release changed, waiting as drafts by "
            f"system for a lead to approve: {', '.join(brought.drafts)} "
            "(frontdoor scripts list shows them)"
        )
    if demo is not None:
        from frontdoor.access.demo import DEMO_NAMES, DEMO_PASSWORD

        click.echo(
            (f"demo users added: {', '.join(demo)}" if demo else "the demo users were there")
            + f"; each signs in with the password {DEMO_PASSWORD} (the sign-in screen shows "
            f"it); `frontdoor users disable` removes them ({', '.join(DEMO_NAMES)})"
        )
