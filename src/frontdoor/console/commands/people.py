"""`frontdoor people`: a person's consent to share, and their subject access request. For
administrators (docs/access.md): each signs in (`--as`) and is audited."""

from __future__ import annotations

import json
from pathlib import Path

import click

from frontdoor.access.roles import Role
from frontdoor.console.commands.common import Refused, common
from frontdoor.console.commands.export_checks import check_writable, refuse_unaudited
from frontdoor.console.commands.signing import as_option, open_signed_in
from frontdoor.console.settings import Settings
from frontdoor.console.wiring import FrontDoor
from frontdoor.interactions.whose_record import KEY_WORDS, find_person
from frontdoor.people.consent import ConsentError
from frontdoor.private_files import open_private
from frontdoor.rights.subject_access import PersonNotFound

ADMIN = frozenset({Role.ADMIN})


KEY_HELP = f"KEY is {KEY_WORDS}."


def _person(front: FrontDoor, key: str) -> str:
    """The person KEY leads to (the same reading as `frontdoor audit --person`)."""
    found = find_person(front.sessions, key)
    if found is None:
        raise Refused(f"{key.strip()!r} leads to nobody: give {KEY_WORDS}")
    return found.person_id


@click.group()
def people() -> None:
    """The people the record is about: their consent to share, and what is held about
    them (a subject access request)."""


@people.command("consent", epilog=KEY_HELP)
@click.argument("key")
@click.option(
    "--withdraw-share",
    "withdraw",
    is_flag=True,
    help="The person withdraws consent to share: their handovers and exports are refused "
    "from now unless an override is recorded.",
)
@click.option(
    "--restore-share",
    "restore",
    is_flag=True,
    help="The person agrees to share again.",
)
@click.option("--note", help="What the person said, or how (kept in the record, not the audit).")
@as_option
@common
def people_consent(
    settings: Settings,
    key: str,
    withdraw: bool,
    restore: bool,
    note: str | None,
    as_user: str | None,
) -> None:
    """Record that the person KEY withdraws consent to share (or agrees again); with
    neither option, say whether a withdrawal stands."""
    if withdraw and restore:
        raise Refused("give --withdraw-share or --restore-share, not both")
    if note is not None and not withdraw:
        raise Refused("--note goes with --withdraw-share")
    front = open_signed_in(settings, as_user, ADMIN, "people consent", check_library=False)
    try:
        person_id = _person(front, key)
        register = front.consent
        try:
            if withdraw:
                done = register.withdraw(person_id, note=note)
                click.echo(
                    f"{person_id}: consent to share withdrawn at "
                    f"{done.withdrawn_at:%Y-%m-%d %H:%M} UTC. Handovers and exports naming "
                    "them are refused from now unless an override is recorded (vital "
                    "interests or safeguarding)."
                )
            elif restore:
                done = register.restore(person_id)
                click.echo(f"{person_id}: consent to share restored; their withdrawal is kept.")
            else:
                standing = register.standing(person_id)
                click.echo(
                    f"{person_id}: no withdrawal of consent to share stands."
                    if standing is None
                    else f"{person_id}: consent to share withdrawn at "
                    f"{standing.withdrawn_at:%Y-%m-%d %H:%M} UTC, recorded by "
                    f"{standing.recorded_by}."
                )
        except ConsentError as exc:
            raise Refused(str(exc)) from None
    finally:
        front.engine.dispose()


@people.command("export", epilog=KEY_HELP)
@click.argument("key")
@click.option(
    "--out",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the JSON to FILE (made readable by you only).",
)
@as_option
@common
def people_export(settings: Settings, key: str, out: Path, as_user: str | None) -> None:
    """Everything held about the person KEY, as JSON, for their subject access request:
    their entry in the person index, their contacts with answers and notes, the referrals
    made in them with their histories, chases, follow-ups and handovers, their
    withdrawals of consent, and who viewed or changed their record."""
    check_writable(out)
    front = open_signed_in(settings, as_user, ADMIN, "people export", check_library=False)
    try:
        refuse_unaudited(front)
        person_id = _person(front, key)
        access = front.subject_access
        try:
            held = access.gather(person_id)
        except PersonNotFound as exc:
            raise Refused(str(exc)) from None
        access.record_export(held, str(out.absolute()))
    finally:
        front.engine.dispose()
    with open_private(out) as file:
        json.dump(held.to_json(), file, ensure_ascii=False, indent=2)
        file.write("\n")
    click.echo(
        f"{person_id}: {len(held.contacts)} contact(s), {len(held.referrals)} referral(s) "
        f"and {len(held.audit)} audit row(s) written to {out}"
    )
