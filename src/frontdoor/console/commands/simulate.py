"""`frontdoor simulate`: realistic contacts for demos, training and load tests."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, cast
from zoneinfo import ZoneInfo

import click
from sqlalchemy import Table

from frontdoor.access.audit import AuditKeptToCommit
from frontdoor.access.roles import Permission, roles_for
from frontdoor.console.commands.common import Refused, common
from frontdoor.console.commands.signing import as_option, open_signed_in
from frontdoor.console.commands.visible_output import terminal_itself
from frontdoor.console.settings import Settings
from frontdoor.console.wiring import FrontDoor, call_settings
from frontdoor.db.held import held_transaction
from frontdoor.db.pipeline import deferring
from frontdoor.interactions import contact_rows as rows
from frontdoor.private_files import open_private
from frontdoor.referrals.follow_ups import FollowUps
from frontdoor.referrals.reading import CHANGES, CHASES, REFERRALS
from frontdoor.referrals.store import ReferralStore
from frontdoor.referrals.tables import FollowUpRow
from frontdoor.simulation.follow_ups import MadeKept, Records
from frontdoor.simulation.run import SimulatedClock, Writes, simulate
from frontdoor.telephony.writer import QueueLogWriter

if TYPE_CHECKING:
    from frontdoor.console.commands.simulate_bench import OnDatabase


# the tables a simulation fills, analysed as they grow (db/held.py): each call reads its
# contact's rows and its caller's, and the teams read the referrals
_GROWN = (
    rows.CONTACTS,
    rows.ANSWERS,
    rows.ENDS,
    rows.SEARCHES,
    rows.SERVICES,
    rows.RECEIPTS,
    REFERRALS,
    CHANGES,
    CHASES,
    cast(Table, FollowUpRow.__table__),
)


@contextlib.contextmanager
def records_on(front: FrontDoor, clock: SimulatedClock, writes: Writes) -> Iterator[Records]:
    """Where a simulation on this database writes, on its own clock: the record (making
    referrals at wrap-up as the console does), the referrals and the follow-ups. Batched,
    they share a held transaction, committed as the simulation says (and at the end),
    with the audit's rows written as it commits; else each unit of work commits itself,
    as the console's do."""
    if writes == "each":
        yield Records(
            front.record_on(clock),
            ReferralStore(front.sessions, clock, front.trail),
            FollowUps(front.sessions, clock, front.trail),
        )
        return
    with held_transaction(front.engine, _GROWN) as held, deferring(held.connection):
        trail = AuditKeptToCommit(held.sessions, clock, front.trail.actor)
        held.before_commit(trail.settle)
        from frontdoor.referrals.importing import RememberedTerms
        from frontdoor.referrals.making import ReferralMaker

        # the directory is read once a service, as the simulation's index is built once
        maker = front.referral_maker
        made = MadeKept(ReferralMaker(maker.rules, RememberedTerms(maker.terms)))
        yield Records(
            front.record_on(clock, held.sessions, trail, made),
            ReferralStore(held.sessions, clock, trail),
            FollowUps(held.sessions, clock, trail),
            commit=held.commit,
            made=made,
        )


@click.command("simulate")
@click.option("--days", default=30, show_default=True, type=click.IntRange(1, 3660))
@click.option(
    "--calls-per-month", default=12_000, show_default=True, type=click.IntRange(1, 1_000_000)
)
@click.option("--seed", default=1, show_default=True)
@click.option("--start", help="First day, YYYY-MM-DD (default: so that the last day is today).")
@click.option("--all-day", is_flag=True, help="A 24/7 service (default: 8am to 8pm).")
@click.option(
    "--queue-log",
    type=click.Path(path_type=Path),
    help="Also write the calls' queue events to FILE, as Asterisk would.",
)
@click.option(
    "--bench",
    is_flag=True,
    help="Time a simulated week with each call's writes applied step by step and batched, "
    "and a month batched, on scratch databases of its own (the options above are not used).",
)
@click.option(
    "--server",
    metavar="URL",
    help="With --bench, also on PostgreSQL: a server URL whose user may create databases.",
)
@click.option("--json", "as_json", is_flag=True, help="With --bench, the figures as JSON.")
@click.option(
    "--month-only",
    is_flag=True,
    help="With --bench, only the month batched (not the weeks beside it).",
)
@as_option
@common
def simulate_command(
    settings: Settings,
    days: int,
    calls_per_month: int,
    seed: int,
    start: str | None,
    all_day: bool,
    queue_log: Path | None,
    bench: bool,
    server: str | None,
    as_json: bool,
    month_only: bool,
    as_user: str | None,
) -> None:
    """Contacts through the real scripts, directory and record, on a simulated clock.
    It writes contacts, so once there are users it is for an admin."""
    if bench:
        _bench(settings, server, as_json, month_only)
        return
    if server is not None or as_json or month_only:
        raise Refused("--server, --json and --month-only go with --bench")
    front = open_signed_in(settings, as_user, roles_for(Permission.ADMINISTER), "simulate")
    if start is None:
        first = front.local_now().date() - dt.timedelta(days=days)
    else:
        try:
            first = dt.date.fromisoformat(start)
        except ValueError:
            raise Refused(f"--start takes a date as YYYY-MM-DD, not {start!r}") from None
    _check_days_are_free(front, first)
    if front.directory.count() == 0:
        count = front.load_demo_directory()
        click.echo(f"the directory was empty: loaded the {count} demo services", err=True)

    bar: click._termui_impl.ProgressBar[int]
    with click.progressbar(
        length=round(calls_per_month * days / 30),
        label="Simulating",
        file=terminal_itself(sys.stderr),
    ) as bar:
        done = [0]

        def moved(count: int) -> None:
            bar.update(count - done[0])
            done[0] = count

        with contextlib.ExitStack() as stack:
            writer = None
            if queue_log is not None:
                handle = stack.enter_context(open_private(queue_log, append=True))
                writer = QueueLogWriter(handle)
            result = simulate(
                functools.partial(records_on, front),
                front.library.scripts,
                front.index,
                first,
                days,
                calls_per_month,
                seed,
                call_settings(front.settings, front.escalations),
                all_day,
                moved,
                writer,
            )
    click.echo(
        f"{result.contacts} contacts and {result.abandoned} abandoned calls from "
        f"{first} for {days} days; {result.searches} directory searches"
    )
    click.echo(
        f"{result.referrals} referrals made, {result.team_moves} states recorded by the "
        f"teams, {result.chases} calls chasing a referral, {result.follow_ups} callers rung "
        "back about a late referral"
    )


def _check_days_are_free(front: FrontDoor, first: dt.date) -> None:
    """Refused, before anything is written, when the record holds contacts on or after the
    first day asked for: a simulation's callers, teams and follow-up desk live in days of
    their own, and over days that hold other contacts they would ring a caller about a
    referral someone already told them about (the second run over the same days stopped
    part way with AlreadyDone)."""
    zone = ZoneInfo(front.settings.time_zone)
    last = front.record.last_received()
    if last is None or last < dt.datetime.combine(first, dt.time(), zone):
        return
    last_day = last.astimezone(zone).date()
    after = last_day + dt.timedelta(days=1)
    raise Refused(
        f"this database already holds contacts up to {last_day} (the latest received "
        f"{last.astimezone(zone):%Y-%m-%d %H:%M}), and a simulation writes days of its own: "
        f"start after them with --start {after} (and --days to say how many), or simulate "
        "on a new database"
    )


def _bench(settings: Settings, server: str | None, as_json: bool, month_only: bool) -> None:
    """The simulation's benchmark on scratch databases: the user's own is not opened."""
    from frontdoor.console.commands.contacts_bench import run_scratch_bench
    from frontdoor.console.commands.simulate_bench import WEEK, describe, run_bench

    def run(server: str | None, progress: Callable[[str], None] | None) -> list[OnDatabase]:
        targets = [("SQLite", None)] + ([("PostgreSQL", server)] if server else [])
        week = None if month_only else WEEK
        return [run_bench(settings, at, name, progress, week=week) for name, at in targets]

    run_scratch_bench(server, as_json, run, describe)
