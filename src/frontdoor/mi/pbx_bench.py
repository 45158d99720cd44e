"""The MI report over a month of the telephone system's calls: a month of contacts, and
of queue_log events behind them, written to a scratch SQLite database; the whole report
timed with its queue figures from the contacts (before the events are written) and from
the queue_log (after), and the queue figures alone each way; with the year, its queue
figures and March's from scratch beside the same read from kept days. Printed, never
asserted."""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypedDict

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from frontdoor.db.engine import make_engine, make_session_factory
from frontdoor.db.migrate import upgrade
from frontdoor.mi.bench import TIMED_RUNS, contacts_of_day, write_contacts
from frontdoor.mi.figures import Figures
from frontdoor.mi.live_bench import AGENTS, write_queue_events
from frontdoor.mi.model import QueueReport
from frontdoor.mi.pbx_days import period_queue
from frontdoor.mi.pbx_queue import pbx_queue
from frontdoor.mi.period import MiSettings, Period
from frontdoor.mi.report import build_report
from frontdoor.mi.unmet import no_directory
from frontdoor.telephony.stats import QueueSettings
from frontdoor.telephony.tables import QueueEventRow

MONTH = Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31), "Europe/London")
YEAR = Period(dt.date(2025, 4, 1), MONTH.end, "Europe/London")  # the year to March
MADE_AT = dt.datetime(2026, 4, 10, 9, tzinfo=dt.UTC)


class SourceTimed(TypedDict):
    report_seconds: float  # the whole report, the fastest of TIMED_RUNS
    queue_seconds: float  # its queue figures alone, as the report makes them
    offered: int


class YearTimed(TypedDict):
    queue_events: int  # the year's, and calls taken at a console
    offered: int  # in the year, from the queue_log
    month_queue_seconds: float  # March's queue figures alone from scratch, the year written
    year_queue_seconds: float  # the year's from scratch, the fastest of TIMED_RUNS
    keeping_seconds: float  # the year's the first time, its settled days worked out and kept
    kept_month_queue_seconds: float  # March's from its kept days, the fastest of TIMED_RUNS
    kept_year_queue_seconds: float  # the year's from its kept days, likewise
    same_figures: bool  # kept and from scratch, key by key, for the month and the year


class PbxBench(TypedDict):
    per_month: int
    contacts: int
    queue_events: int  # and calls taken at a console
    calls: int  # offered in the month, from the queue_log
    contacts_source: SourceTimed
    pbx_source: SourceTimed
    year: YearTimed | None  # with --year: the year to March's queue_log


Maker = Callable[[Session, Period, dt.datetime, MiSettings, QueueSettings], QueueReport | None]


def _queue_only(
    sessions: sessionmaker[Session], period: Period, queue: QueueSettings, maker: Maker = pbx_queue
) -> tuple[float, QueueReport | None]:
    """The period's queue figures from the queue_log alone, made by `maker` (from scratch,
    or from kept days): (seconds, the figures)."""
    mi = MiSettings()

    def figures() -> object:
        with sessions() as session:
            return maker(session, period, MADE_AT, mi, queue)

    with sessions() as session:
        made = maker(session, period, MADE_AT, mi, queue)
    return _fastest(figures), made


def _once(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return round(time.perf_counter() - start, 3)


def _fastest(work: Callable[[], object]) -> float:
    times = []
    for _ in range(TIMED_RUNS):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return round(min(times), 3)


def _timed(sessions: sessionmaker[Session], queue: QueueSettings) -> SourceTimed:
    mi = MiSettings()

    def report() -> object:
        return build_report(sessions, MONTH, mi, MADE_AT, {}, no_directory, queue=queue)

    def queue_figures() -> object:
        with sessions() as session:
            return period_queue(session, MONTH, MADE_AT, mi, queue) or (
                Figures(session, MONTH, mi, MADE_AT).queue()
            )

    made = build_report(sessions, MONTH, mi, MADE_AT, {}, no_directory, queue=queue)
    return {
        "report_seconds": _fastest(report),
        "queue_seconds": _fastest(queue_figures),
        "offered": made.queue.offered,
    }


def run_pbx_bench(
    per_month: int, seed: int, progress: Callable[[str], None] | None = None, year: bool = False
) -> PbxBench:
    days = [MONTH.start + dt.timedelta(days=n) for n in range(31)]
    queue = QueueSettings(agents=AGENTS)
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'mi-pbx-bench.db'}")
        upgrade(engine)
        sessions = make_session_factory(engine)
        if progress:
            progress(f"writing a month of contacts at {per_month:,} a month...")
        contacts, _ = write_contacts(
            sessions, (c for day in days for c in contacts_of_day(day, per_month, seed)), seed
        )
        if progress:
            progress("timing the report with the queue figures from the contacts...")
        from_contacts = _timed(sessions, queue)
        if progress:
            progress("writing the month's queue_log events...")
        events = write_queue_events(sessions, days, per_month, seed)
        with sessions() as session:
            calls = session.scalar(select(func.count()).where(QueueEventRow.event == "ENTERQUEUE"))
        if progress:
            progress("timing the report with the queue figures from the queue_log...")
        from_pbx = _timed(sessions, queue)
        timed_year: YearTimed | None = None
        if year:
            if progress:
                progress("writing the eleven months before March's queue_log events...")
            before = [
                YEAR.start + dt.timedelta(days=n) for n in range((MONTH.start - YEAR.start).days)
            ]
            written = events + write_queue_events(sessions, before, per_month, seed)
            if progress:
                progress("timing the month's and the year's queue figures from the queue_log...")
            month_seconds, month = _queue_only(sessions, MONTH, queue)
            year_seconds, whole = _queue_only(sessions, YEAR, queue)
            if progress:
                progress("keeping the year's settled days, then timing them read back...")

            def keep() -> None:
                with sessions() as session:
                    period_queue(session, YEAR, MADE_AT, MiSettings(), queue)

            keeping = _once(keep)
            kept_month_seconds, kept_month = _queue_only(sessions, MONTH, queue, period_queue)
            kept_year_seconds, kept_whole = _queue_only(sessions, YEAR, queue, period_queue)
            timed_year = {
                "queue_events": written,
                "offered": whole.offered if whole else 0,
                "month_queue_seconds": month_seconds,
                "year_queue_seconds": year_seconds,
                "keeping_seconds": keeping,
                "kept_month_queue_seconds": kept_month_seconds,
                "kept_year_queue_seconds": kept_year_seconds,
                "same_figures": kept_month == month and kept_whole == whole,
            }
        engine.dispose()
    return {
        "per_month": per_month,
        "contacts": contacts,
        "queue_events": events,
        "calls": int(calls or 0),
        "contacts_source": from_contacts,
        "pbx_source": from_pbx,
        "year": timed_year,
    }


def describe(result: PbxBench) -> list[str]:
    """The figures in words, with their units, for `frontdoor mi bench --queue-log`."""
    pbx, contacts = result["pbx_source"], result["contacts_source"]
    lines = [
        f"The MI report over a month of the telephone system's calls: March 2026 at "
        f"{result['per_month']:,} calls a month, {result['contacts']:,} contacts and "
        f"{result['queue_events']:,} queue_log events and console claims behind "
        f"{result['calls']:,} calls, on a scratch SQLite database; each time the fastest "
        f"of {TIMED_RUNS} runs.",
        f"Queue figures from the queue_log ({pbx['offered']:,} calls offered): the whole "
        f"report in {pbx['report_seconds']:.3f} seconds, the queue figures alone in "
        f"{pbx['queue_seconds']:.3f} seconds (both as the report makes them: its "
        "settled days kept the first time, then read).",
        f"Queue figures from the contacts, before the queue_log was read "
        f"({contacts['offered']:,} calls offered): the whole report in "
        f"{contacts['report_seconds']:.3f} seconds, the queue figures alone in "
        f"{contacts['queue_seconds']:.3f} seconds.",
    ]
    year = result["year"]
    if year is not None:
        lines.append(
            f"A year of the queue_log (April 2025 to March 2026, {year['queue_events']:,} "
            f"events and claims, {year['offered']:,} calls offered): the year's queue figures "
            f"alone in {year['year_queue_seconds']:.3f} seconds, March's in "
            f"{year['month_queue_seconds']:.3f} seconds, "
            f"{year['year_queue_seconds'] / year['month_queue_seconds']:.1f} times the month's "
            "time, from scratch (each call built from its events for the period, every time)."
        )
        kept_month, kept_year = year["kept_month_queue_seconds"], year["kept_year_queue_seconds"]
        lines.append(
            f"The same from kept days (warm; the first time, working out and keeping the "
            f"year's days, {year['keeping_seconds']:.3f} seconds): the year's queue figures in "
            f"{kept_year:.3f} seconds, {year['year_queue_seconds'] / kept_year:.0f} times "
            f"faster than from scratch, March's in {kept_month:.3f} seconds; the year "
            f"{kept_year / kept_month:.1f} times the month's time. The figures are "
            + ("the same key by key" if year["same_figures"] else "NOT the same")
            + " as from scratch."
        )
    return lines
