"""`frontdoor queue`: calls from the telephone system, and the live queue figures."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import click

from frontdoor.access.roles import Permission, roles_for
from frontdoor.console.commands.common import Refused, common, open_from
from frontdoor.console.commands.signing import as_option, open_signed_in
from frontdoor.console.live import live_figures_at, queue_settings
from frontdoor.console.settings import Settings
from frontdoor.telephony.ingest import IngestReport, follow, ingest_file


@click.group()
def queue() -> None:
    """Calls from the telephone system (Asterisk queue_log) and the live queue figures."""


def _print(report: IngestReport, path: Path, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps({"file": str(path), **report.as_dict()}, indent=2))
        return
    click.echo(
        f"{path}: {report.lines} line(s), {report.added} new event(s), "
        f"{report.already_held} already held, {report.not_used} not used, "
        f"{len(report.unreadable)} unreadable"
    )
    for number, reason in report.unreadable[:50]:
        click.echo(f"  line {number}: {reason}")


@queue.command("ingest")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--follow",
    "keep_following",
    is_flag=True,
    help="Keep reading as the file grows (and after it is rotated); Ctrl+C stops.",
)
@click.option("--json", "as_json", is_flag=True)
@common
def queue_ingest(settings: Settings, path: Path, keep_following: bool, as_json: bool) -> None:
    """Read a queue_log; the same line read twice is one event."""
    if not path.exists() and not keep_following:
        raise Refused(f"there is no file {path}; give the path of the queue_log")
    front = open_from(settings)
    if not keep_following:
        report = ingest_file(front.sessions, path)
        _print(report, path, as_json)
        sys.exit(
            1
            if report.lines and not report.added and not report.already_held and report.unreadable
            else 0
        )
    shown = 0  # unreadable lines already said while following
    latest = IngestReport()

    def so_far(report: IngestReport) -> None:
        nonlocal shown, latest
        latest = report
        for number, reason in report.unreadable[shown:]:
            click.echo(f"  line {number}: {reason}", err=True)
        shown = len(report.unreadable)
        click.echo(f"{report.added} new event(s) so far", err=True)

    try:
        follow(front.sessions, path, on_report=so_far)
    except KeyboardInterrupt:
        click.echo("stopped following", err=True)
        _print(latest, path, as_json)


@queue.command("stats")
@click.option("--json", "as_json", is_flag=True)
@click.option("--at", "at_text", help="As of this time (ISO 8601; without a zone, local).")
@as_option
@common
def queue_stats_command(
    settings: Settings, as_json: bool, at_text: str | None, as_user: str | None
) -> None:
    """The live queue figures for the local day so far."""
    front = open_signed_in(settings, as_user, roles_for(Permission.SUPERVISE), "queue stats")
    if at_text:
        try:
            at = dt.datetime.fromisoformat(at_text)
        except ValueError:
            raise Refused(f"--at takes a time as 2026-05-12T10:15, not {at_text!r}") from None
        at = at if at.tzinfo else at.replace(tzinfo=ZoneInfo(settings.time_zone))
    else:
        at = front.clock()
    figures = live_figures_at(front, at)
    if as_json:
        click.echo(json.dumps(figures.to_json(), indent=2))
        return
    total = figures.total.queue
    click.echo(
        f"{figures.at.isoformat()}: waiting {total.waiting} (longest "
        f"{total.longest_wait_seconds} s), offered {total.offered}, answered {total.answered}, "
        f"abandoned {total.abandoned}, service level {total.service_level}, handlers "
        f"{figures.handlers.to_json()}"
    )


@queue.command("bench")
@click.option("--per-month", default=12_000, show_default=True, type=click.IntRange(100))
@click.option("--seed", default=5, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@common
def queue_bench(settings: Settings, per_month: int, seed: int, as_json: bool) -> None:
    """Time the wallboard's whole refresh with a day and with a year of queue events and
    contacts. It writes into the database given, which must hold no contacts or queue
    events, and takes its rows out afterwards: use a scratch one."""
    from frontdoor.mi.live_bench import NotScratch, describe, run_bench

    front = open_from(settings)
    try:
        result = run_bench(
            front.engine,
            front.sessions,
            per_month,
            seed,
            progress=None if as_json else lambda s: click.echo(s, err=True),
            settings=queue_settings(front),
            mi=front.mi_settings(),
        )
    except NotScratch as exc:
        raise Refused(str(exc)) from None
    if as_json:
        click.echo(json.dumps(result, indent=2))
        return
    for line in describe(result):
        click.echo(line)
