"""`frontdoor audit [--person KEY] [--user NAME] [--from DATE] [--to DATE] [--json]`: who
did what, and who looked at whose record; `audit verify` and `audit anchor`: whether the
trail is whole (docs/access.md). For admins.

Looking at the audit is itself audited (a report, "audit"), written before anything is
shown. Exit 0 done (verify: the trail is whole); 1 verify found problems, one a line; 2
bad usage (a date or anchor that cannot be read, a key that leads to nobody, a user who
may not).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from dataclasses import asdict
from typing import Any
from zoneinfo import ZoneInfo

import click

from frontdoor.access.audit import Anchor, AuditEntry, AuditEvent, AuditQuery, Concerns
from frontdoor.access.roles import Permission, roles_for
from frontdoor.console.commands.common import Refused, common
from frontdoor.console.commands.signing import as_option, open_signed_in
from frontdoor.console.settings import Settings
from frontdoor.console.wiring import FrontDoor
from frontdoor.interactions.whose_record import KEY_WORDS, find_person

ADMIN = roles_for(Permission.ADMINISTER)
EVENTS = "events"


class AuditGroup(click.Group):
    """`frontdoor audit` with no subcommand (or only options) lists the events: the
    question asked most, "who looked at this person's record?", is the shortest to type."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        first = args[0] if args else None
        if first is None or (first not in self.commands and first not in ctx.help_option_names):
            args = [EVENTS, *args]
        return super().parse_args(ctx, args)


@click.group(cls=AuditGroup)
def audit() -> None:
    """Who did what, and who looked at whose record (for admins).

    `frontdoor audit [--person KEY] [--user NAME] [--from DATE] [--to DATE] [--json]`
    lists the events (the same as `frontdoor audit events ...`; its --help says more).
    """


def _admin(settings: Settings, as_user: str | None, command: str) -> FrontDoor:
    return open_signed_in(settings, as_user, ADMIN, command, check_library=False)


def _day(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise Refused(f"{option} takes a date as YYYY-MM-DD, not {text!r}") from None


def local_days(
    start: str | None, end: str | None, time_zone: str
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """The moments from the start of `start` to the end of `end` (included), local days of
    the service: (since, before)."""
    zone = ZoneInfo(time_zone)
    first = _day(start, "--from") if start else None
    last = _day(end, "--to") if end else None
    if first and last and last < first:
        raise Refused("--to is before --from; give the first day, then the last")
    since = dt.datetime.combine(first, dt.time(), zone) if first else None
    after = last + dt.timedelta(days=1) if last else None
    return since, dt.datetime.combine(after, dt.time(), zone) if after else None


def concerns_words(concerns: Concerns) -> str:
    """What an event concerns, in a few words: ids only, as the audit keeps them."""
    named = [
        ("contact", concerns.contact_id),
        ("person", concerns.person_id),
        ("referral", concerns.referral_id),
        ("script", concerns.script),
        ("service", concerns.service_id),
        ("user", concerns.about_user),
    ]
    words = [f"{kind} {value}" for kind, value in named if value]
    if concerns.row_count is not None:
        words.append(f"{concerns.row_count} row(s)")
    if concerns.destination:
        words.append(f"to {concerns.destination}")
    if concerns.detail:
        words.append(concerns.detail)
    return ", ".join(words)


def _utc(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def entry_json(entry: AuditEntry) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "at": _utc(entry.at),
        "user": entry.user,
        "role": entry.role,
        "workstation": entry.workstation,
        "event": entry.event,
        **asdict(entry.concerns),
    }


def entry_lines(entries: list[AuditEntry], zone: ZoneInfo) -> list[str]:
    """One line an event: local time, user, role, workstation, event, what it concerns."""
    rows = [
        [
            entry.at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S"),
            entry.user,
            entry.role,
            entry.workstation,
            entry.event,
            concerns_words(entry.concerns),
        ]
        for entry in entries
    ]
    if not rows:
        return []
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    return [
        "  ".join([*(c.ljust(w) for c, w in zip(row, widths, strict=False)), row[5]]).rstrip()
        for row in rows
    ]


def _query(front: FrontDoor, person_key: str | None, base: AuditQuery) -> AuditQuery:
    """The query with the person a key leads to; a key that leads to nobody is refused,
    unless the audit names it as a person (one whose record was purged)."""
    if person_key is None:
        return base
    record = find_person(front.sessions, person_key)
    if record is not None:
        return AuditQuery(
            person_id=record.person_id,
            contact_ids=record.contact_ids,
            user=base.user,
            since=base.since,
            before=base.before,
        )
    as_named = AuditQuery(person_id=person_key.strip())
    if not front.trail.entries(as_named):
        raise Refused(f"{person_key!r} leads to nobody: give {KEY_WORDS}")
    return AuditQuery(
        person_id=person_key.strip(), user=base.user, since=base.since, before=base.before
    )


@audit.command(EVENTS)
@click.option(
    "--person", "person_key", metavar="KEY", help=f"Only what concerns one person: {KEY_WORDS}."
)
@click.option("--user", "user_name", metavar="NAME", help="Only what this user did.")
@click.option("--from", "start", metavar="DATE", help="From this day (YYYY-MM-DD, local).")
@click.option("--to", "end", metavar="DATE", help="To this day, included (YYYY-MM-DD, local).")
@click.option("--json", "as_json", is_flag=True, help="A JSON list of objects, oldest first.")
@as_option
@common
def audit_events(
    settings: Settings,
    person_key: str | None,
    user_name: str | None,
    start: str | None,
    end: str | None,
    as_json: bool,
    as_user: str | None,
) -> None:
    """Who did what, oldest first: one line an event (local time, user, role,
    workstation, event, what it concerns). `--person KEY` answers "who looked at this
    person's record?": what concerns the person or any contact about them."""
    since, before = local_days(start, end, settings.time_zone)
    front = _admin(settings, as_user, "audit")
    user = user_name.strip() if user_name else None
    query = _query(front, person_key, AuditQuery(user=user, since=since, before=before))
    entries = front.trail.entries(query)
    front.trail.record_now(
        AuditEvent.REPORT,
        Concerns(
            person_id=query.person_id,
            about_user=user,
            row_count=len(entries),
            destination="screen",
            detail="audit",
        ),
    )
    if as_json:
        click.echo(json.dumps([entry_json(e) for e in entries], indent=2, ensure_ascii=False))
        return
    for line in entry_lines(entries, ZoneInfo(settings.time_zone)):
        click.echo(line)
    click.echo(f"{len(entries)} event(s)", err=True)


@audit.command("verify")
@click.option(
    "--anchor",
    "anchor_text",
    metavar="COUNT:HASH",
    help="Also check against a head kept outside the database, as `frontdoor audit "
    "anchor` printed it.",
)
@as_option
@common
def audit_verify(settings: Settings, anchor_text: str | None, as_user: str | None) -> None:
    """Walk the whole chain: every row as it was written, none missing, the last
    included. Exit 1, with each problem on its own line, when any is found."""
    try:
        anchor = Anchor.read(anchor_text) if anchor_text is not None else None
    except ValueError as exc:
        raise Refused(str(exc)) from None
    front = _admin(settings, as_user, "audit verify")
    result = front.trail.verify(anchor)
    if not result.ok:
        for problem in result.problems:
            click.echo(problem)
        click.echo(
            f"frontdoor: the audit trail is not as it was written: {len(result.problems)} "
            "problem(s)",
            err=True,
        )
        sys.exit(1)
    held = f"; the anchor {anchor.count}:{anchor.hash[:12]}... is in it" if anchor else ""
    click.echo(f"the audit trail is whole: {result.rows} row(s), head {result.head}{held}")


@audit.command("anchor")
@as_option
@common
def audit_anchor(settings: Settings, as_user: str | None) -> None:
    """Print the chain's head as COUNT:HASH, to keep outside the database (a ticket, a
    printout, another system): `audit verify --anchor` finds rows removed since, even if
    the head was wound back with them."""
    front = _admin(settings, as_user, "audit anchor")
    click.echo(str(front.trail.anchor()))
