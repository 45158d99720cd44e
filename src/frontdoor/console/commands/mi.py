"""`frontdoor mi`: management information for supervisors and commissioners."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from frontdoor.access.roles import Permission, roles_for
from frontdoor.console.commands.common import Refused, common
from frontdoor.console.commands.signing import as_option, open_signed_in
from frontdoor.console.live import queue_settings
from frontdoor.console.settings import Settings
from frontdoor.mi.formats import FORMATS, render
from frontdoor.mi.period import Period
from frontdoor.mi.report import build_report
from frontdoor.private_files import write_private


def _date(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise Refused(f"{option} takes a date as YYYY-MM-DD, not {value!r}") from None


def _time(value: str, period: Period) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise Refused(f"--as-of takes a time as 2026-04-01T09:00, not {value!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=period.zone)


@click.group()
def mi() -> None:
    """Management information: first-contact resolution, failure demand, the queue."""


@mi.command("report")
@click.option("--from", "start", required=True, help="First day, YYYY-MM-DD (local).")
@click.option("--to", "end", required=True, help="Last day, YYYY-MM-DD (local), included.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="json", show_default=True)
@click.option("--out", type=click.Path(path_type=Path), help="Write to FILE instead of the screen.")
@click.option(
    "--as-of",
    "as_of",
    help="Make the report as it stood at this time (ISO 8601; "
    "without a zone, local time). Repeat windows still open then are left out.",
)
@as_option
@common
def mi_report(
    settings: Settings,
    start: str,
    end: str,
    fmt: str,
    out: Path | None,
    as_of: str | None,
    as_user: str | None,
) -> None:
    """Every figure of the MI definitions for a period."""
    period = Period(_date(start, "--from"), _date(end, "--to"), settings.time_zone)
    if period.end < period.start:
        raise Refused("--to is before --from; give the first day, then the last")
    front = open_signed_in(settings, as_user, roles_for(Permission.SUPERVISE), "mi report")
    now = front.clock() if as_of is None else _time(as_of, period)
    # by the index that matches_now builds anyway, as the MI screen does: one read
    services = front.index.by_id
    report = build_report(
        front.sessions,
        period,
        front.mi_settings(),
        now,
        services,
        front.matches_now,
        queue=queue_settings(front),
    )
    text = render(report, fmt, front.report_labels())
    if out is None:
        click.echo(text)
    else:
        write_private(out, text)
        click.echo(f"report for {period.start} to {period.end} written to {out}", err=True)


@mi.command("bench")
@click.option("--per-month", default=12_000, show_default=True, type=click.IntRange(100))
@click.option("--seed", default=3, show_default=True)
@click.option(
    "--years",
    default=5,
    show_default=True,
    type=click.IntRange(1, 20),
    help="Years of contacts to write (five at 12,000 a month take about five minutes).",
)
@click.option("--json", "as_json", is_flag=True)
@click.option(
    "--server",
    metavar="URL",
    help="On PostgreSQL: a server URL whose user may create databases (the bench makes one "
    "of its own there and drops it). Without it, SQLite in a temporary folder.",
)
@click.option(
    "--queue-year",
    "queue_year",
    is_flag=True,
    help="With --queue-log: also the eleven months before of queue_log events, and the "
    "year's queue figures timed beside the month's.",
)
@click.option(
    "--queue-log",
    "queue_log",
    is_flag=True,
    help="Instead: a month of contacts and of queue_log events, and the month's report "
    "with its queue figures from the contacts and from the queue_log.",
)
def mi_bench(
    per_month: int,
    seed: int,
    years: int,
    as_json: bool,
    server: str | None,
    queue_year: bool,
    queue_log: bool,
) -> None:
    """Build years of contacts and time the full report for the last month made from the
    record (the baseline), and for the last month, the last year and every month made
    from the days kept."""
    from frontdoor.console.commands.contacts_bench import run_scratch_bench
    from frontdoor.mi.bench import describe, run_bench

    if queue_year and not queue_log:
        raise Refused("--queue-year goes with --queue-log: add it, or leave --queue-year out")
    if queue_log and server is not None:
        raise Refused("--queue-log runs on SQLite only: leave --server out")
    if queue_log:
        from frontdoor.mi.pbx_bench import describe as describe_pbx
        from frontdoor.mi.pbx_bench import run_pbx_bench

        month = run_pbx_bench(
            per_month,
            seed,
            progress=None if as_json else lambda s: click.echo(s, err=True),
            year=queue_year,
        )
        click.echo(json.dumps(month, indent=2) if as_json else "\n".join(describe_pbx(month)))
        return

    run_scratch_bench(
        server,
        as_json,
        lambda url, progress: run_bench(per_month, seed, years, progress, url),
        describe,
    )
