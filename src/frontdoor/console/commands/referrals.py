"""`frontdoor referrals`: for handlers and supervisors. Where referrals stood at a moment
(`list`), one change of state a team reported (`set`), and the file of changes a team
sends (`update`). The handover summary (`handover`) is referral_handover.py's, added to
this group by cli.py.

Exit statuses: 0 done; 1 refused (a move not allowed, a file with bad rows: nothing of it
written); 2 bad usage or a file that cannot be read at all.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import click

from frontdoor.access.audit import AuditEvent, Concerns
from frontdoor.access.roles import Permission, roles_for
from frontdoor.console.commands.common import Refused, common, who_is_using
from frontdoor.console.commands.signing import as_option, open_signed_in
from frontdoor.console.settings import Settings
from frontdoor.local_time import TimeError, read_time
from frontdoor.referrals.standing import Standing
from frontdoor.referrals.states import NEED_REASON, STATES, as_state
from frontdoor.referrals.store import CLOCK_SLACK, ReferralError, StateChange, utc_text
from frontdoor.referrals.updates import BY_LENGTH, UnreadableFile, parse, plan

SERVICE_WIDTH = 30
# handlers, supervisors and leads record what teams said (docs/access.md)
REFERRAL_ROLES = roles_for(Permission.REFERRALS)


@click.group()
def referrals() -> None:
    """Referrals made in calls: where each stands, what the teams said, the handover."""


def _moment(text: str, option: str, settings: Settings) -> dt.datetime:
    try:
        return read_time(text, settings.time_zone)
    except TimeError as exc:
        raise Refused(f"{option}: {exc}") from None


def _local(at: dt.datetime, zone: ZoneInfo) -> str:
    """Sun 2026-03-29 03:30 BST: the weekday and the zone say which working day it is and
    which side of a change of the clocks."""
    return at.astimezone(zone).strftime("%a %Y-%m-%d %H:%M %Z")


@referrals.command("list")
@click.option(
    "--state",
    type=click.Choice(STATES, case_sensitive=False),
    help="Only those in this state at the time.",
)
@click.option("--overdue", is_flag=True, help="Only those overdue at the time.")
@click.option("--service", "service_id", help="Only those to this directory service (its id).")
@click.option(
    "--at", "at_text", help="As they stood at this time (ISO 8601; without a zone, local)."
)
@click.option("--json", "as_json", is_flag=True, help="A JSON list of objects.")
@as_option
@common
def referrals_list(
    settings: Settings,
    state: str | None,
    overdue: bool,
    service_id: str | None,
    at_text: str | None,
    as_json: bool,
    as_user: str | None,
) -> None:
    """The referrals made by a time (default now), as they stood then, oldest first."""
    asked = _moment(at_text, "--at", settings) if at_text else None
    front = open_signed_in(settings, as_user, REFERRAL_ROLES, "referrals list", check_library=False)
    at = asked or front.clock()
    found = front.referrals.listing(
        at, state=as_state(state) if state else None, overdue=overdue, service=service_id
    )
    if service_id and front.directory.get(service_id) is None:
        click.echo(
            f"frontdoor: note: '{service_id}' is not a service in the directory "
            "(frontdoor directory search --json gives the ids)",
            err=True,
        )
    standings = [s for s in (Standing.of(r, at) for r in found) if s is not None]
    # ids of contacts and the services they were referred to: health information about
    # people, if not their names, so who listed them is on record
    front.trail.record_now(
        AuditEvent.REPORT,
        Concerns(row_count=len(standings), destination="terminal", detail="referrals list"),
    )
    if as_json:
        click.echo(json.dumps([s.to_json() for s in standings], indent=2, ensure_ascii=False))
        return
    zone = ZoneInfo(settings.time_zone)
    for line in table(standings, zone):
        click.echo(line)
    overdue_count = sum(1 for s in standings if s.overdue)
    click.echo(f"{len(standings)} referral(s) as of {_local(at, zone)}; {overdue_count} overdue")


def table(standings: list[Standing], zone: ZoneInfo) -> list[str]:
    """One line a referral under a header; nothing when there are none."""
    if not standings:
        return []
    lines = [
        f"{'id':<15}{'service':<{SERVICE_WIDTH + 2}}{'made':<26}{'state':<13}"
        f"{'due':<26}{'':<9}chases"
    ]
    for s in standings:
        name = s.referral.service_name
        if len(name) > SERVICE_WIDTH:
            name = name[: SERVICE_WIDTH - 3] + "..."
        lines.append(
            f"{s.referral.id:<15}{name:<{SERVICE_WIDTH + 2}}"
            f"{_local(s.referral.made_at, zone):<26}{s.state:<13}"
            f"{_local(s.referral.due_at, zone):<26}{'OVERDUE' if s.overdue else '':<9}"
            f"{s.chases:>6}"
        )
    return lines


@referrals.command("set")
@click.argument("referral_id", metavar="ID")
@click.argument("state_text", metavar="STATE")
@click.option("--note", help="Why: needed for rejected, cancelled and on-hold.")
@click.option("--at", "at_text", help="When it happened (ISO 8601; without a zone, local).")
@click.option(
    "--by",
    help="Who said so, at the team (default: you as signed in; before the first user, "
    "FRONTDOOR_USER, else your login name).",
)
@as_option
@common
def referrals_set(
    settings: Settings,
    referral_id: str,
    state_text: str,
    note: str | None,
    at_text: str | None,
    by: str | None,
    as_user: str | None,
) -> None:
    """Record one change of a referral's state: what a team said."""
    try:
        state = as_state(state_text)
    except ValueError as exc:
        raise Refused(str(exc)) from None
    if state in NEED_REASON and not (note or "").strip():
        raise Refused(f"{state} needs the reason: give it with --note")
    if len((by or "").strip()) > BY_LENGTH:
        raise Refused(f"--by is longer than {BY_LENGTH} characters: give who said so")
    asked = _moment(at_text, "--at", settings) if at_text else None
    front = open_signed_in(settings, as_user, REFERRAL_ROLES, "referrals set", check_library=False)
    # --by names the person at the team who said so; the audit names who recorded it
    who = (by or "").strip() or who_is_using(settings, front=front)
    if len(who) > BY_LENGTH:
        raise Refused(f"FRONTDOOR_USER is longer than {BY_LENGTH} characters: give --by")
    now = front.clock()
    if asked is not None and asked > now + CLOCK_SLACK:
        raise Refused(
            f"--at {utc_text(asked)} is in the future (it is now {utc_text(now)}): "
            "give the time it happened"
        )
    change = StateChange(referral_id.strip().upper(), state, asked or now, who, note)
    try:
        done = front.referrals.change(change, source="set")
    except ReferralError as exc:
        click.echo(f"frontdoor: refused: {exc}", err=True)
        sys.exit(1)
    zone = ZoneInfo(settings.time_zone)
    click.echo(f"{done.id} is {state} from {_local(change.at, zone)}, by {change.by}")


@referrals.command("update")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--by",
    help="Who said so, for rows that name nobody (default: you as signed in; before the "
    "first user, FRONTDOOR_USER, else your login name).",
)
@as_option
@common
def referrals_update(settings: Settings, path: Path, by: str | None, as_user: str | None) -> None:
    """Apply a team's file of changes (CSV id,state,at,by,note or JSON Lines): all of it,
    or, when any row is bad, none of it. Rows already recorded are skipped."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise Refused(f"there is no file {path}; give the path of the team's file") from None
    except OSError as exc:
        raise Refused(f"cannot read {path}: {exc.strerror}") from None
    try:
        content = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise Refused(
            f"{path} is not UTF-8 text (line {line} is not): save it as UTF-8 CSV or JSON Lines"
        ) from None
    front = open_signed_in(
        settings, as_user, REFERRAL_ROLES, "referrals update", check_library=False
    )
    said_by = (by or "").strip() or who_is_using(settings, front=front)
    try:
        rows = parse(content, settings.time_zone, said_by)
    except UnreadableFile as exc:
        raise Refused(f"{path}: {exc}") from None
    checked = plan(rows, front.referrals.get, now=front.clock())
    if checked.bad:
        for bad in checked.bad:
            click.echo(f"{path}:line {bad.line}: {bad.reason}", err=True)
        click.echo(f"{path}: refused, nothing applied ({len(checked.bad)} bad line(s))", err=True)
        sys.exit(1)
    try:
        applied = front.referrals.apply_all(checked.changes, source="update")
    except ReferralError as exc:
        # another workstation changed a referral between the check and the writing
        click.echo(f"{path}: refused, nothing applied: {exc}; send it again", err=True)
        sys.exit(1)
    click.echo(f"{path}: {applied} applied, {len(checked.skipped)} already recorded")
