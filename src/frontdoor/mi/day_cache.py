"""A period's day parts: the settled days' as kept (mi_days, see tables.py), the others
worked out from the record, and settled days not yet kept worked out and kept.

A settled day is one whose repeat window has closed by the time the report is made: no
contact written from then on can be a repeat of its contacts, so its counts change only
when the record is changed behind it (and the triggers then drop it). The days are
worked out in runs of consecutive days, one set of queries a run, so a first report over
five years costs what one period's queries cost; later ones read the kept rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Delete, Engine, and_, delete, insert, select, text, tuple_
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from frontdoor.db.chunks import in_chunks
from frontdoor.db.engine import is_read_only
from frontdoor.mi.day_parts import DayParts
from frontdoor.mi.figures import Figures
from frontdoor.mi.period import MiSettings, Period
from frontdoor.mi.tables import MiDayRow

log = logging.getLogger(__name__)
ONE_DAY = dt.timedelta(days=1)
# the shape of a kept day's counts (DayParts.to_json): a release that changes it raises
# this, and days kept in the old shape are then passed over and kept again
PARTS_FORMAT = 2
DAYS_AT_A_TIME = 31


def settings_key(settings: MiSettings) -> str:
    """What the counts depend on, as a short key: days kept with other settings (or in
    another shape) are not these."""
    said = json.dumps(
        [
            PARTS_FORMAT,
            settings.repeat_window_days,
            settings.short_abandon_seconds,
            settings.service_level_seconds,
            sorted(settings.resolved_outcomes),
            sorted(settings.failure_codes),
        ]
    )
    return hashlib.sha256(said.encode()).hexdigest()[:32]


def affected_until(day: dt.date, zone: str, settings: MiSettings) -> dt.datetime:
    """The last moment a contact written could still change `day`'s counts: the day's end
    plus the repeat window (its last contacts' repeats may come until then)."""
    end = Period(day, day, zone).utc_end
    return end + dt.timedelta(days=settings.repeat_window_days)


def _settled_count(days: list[dt.date], zone: str, settings: MiSettings, now: dt.datetime) -> int:
    """How many of the consecutive `days` are settled: a day settles after the one
    before it, so they are the first ones, found by halving (a year's report asks about
    9 days, not 365)."""
    low, high = 0, len(days)
    while low < high:
        middle = (low + high) // 2
        if affected_until(days[middle], zone, settings) <= now:
            low = middle + 1
        else:
            high = middle
    return low


def day_runs(days: list[dt.date]) -> Iterator[tuple[dt.date, dt.date]]:
    """Consecutive days as (first, last) runs."""
    start = previous = None
    for day in sorted(days):
        if previous is not None and day == previous + ONE_DAY:
            previous = day
            continue
        if start is not None and previous is not None:
            yield start, previous
        start = previous = day
    if start is not None and previous is not None:
        yield start, previous


def _worked_out(
    session: Session, period: Period, settings: MiSettings, now: dt.datetime, days: list[dt.date]
) -> dict[dt.date, DayParts]:
    found: dict[dt.date, DayParts] = {}
    for first, last in day_runs(days):
        run = Period(first, last, period.time_zone)
        worked = Figures(session, run, settings, now).days
        for n in range((last - first).days + 1):
            day = first + dt.timedelta(days=n)
            found[day] = worked.get(day) or DayParts()
    return found


def whole_months(period: Period) -> list[tuple[dt.date, dt.date]]:
    """The whole calendar months inside the period, (first day, last day)."""
    months = []
    first = period.start.replace(day=1)
    if first < period.start:
        first = _next_month(first)
    while (last := _next_month(first) - ONE_DAY) <= period.end:
        months.append((first, last))
        first = _next_month(first)
    return months


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def period_days(
    session: Session, period: Period, settings: MiSettings, now: dt.datetime
) -> dict[dt.date, DayParts]:
    """The period's parts, by the first day each covers: its whole settled months as one
    kept row where there is one, else each whole settled month as one, else each day (a
    day without contacts, empty)."""
    zone, key = period.time_zone, settings_key(settings)
    every = days_of(period.start, period.end)
    settled = set(every[: _settled_count(every, zone, settings, now)])
    wanted = and_(
        MiDayRow.zone == zone,
        MiDayRow.settings_key == key,
        MiDayRow.day >= period.start,
        MiDayRow.last_day <= period.end,
    )
    kept = {
        (first, last)
        for first, last in session.execute(select(MiDayRow.day, MiDayRow.last_day).where(wanted))
        if last in settled
    }
    covered: set[dt.date] = set()
    chosen: list[tuple[dt.date, dt.date]] = []
    months = whole_months(period)
    # the period's whole months as one row, kept by an earlier report over them: a
    # year's report made again reads one row, not twelve
    span = (months[0][0], months[-1][1]) if len(months) > 1 else None
    for first, last in [span] if span in kept else months:
        if (first, last) in kept:
            chosen.append((first, last))
            covered.update(days_of(first, last))
    chosen += [(first, last) for first, last in kept if first == last and first not in covered]
    found = {first: DayParts.from_json(parts) for first, parts in _parts(session, wanted, chosen)}
    open_days = [d for d in every if d not in settled]
    found.update(_worked_out(session, period, settings, now, open_days))
    to_keep = sorted(settled - covered - found.keys())
    # a month at a time, each in a transaction of its own: writers wait for one month's
    # queries at most (a fraction of a second), never for years'
    for some in in_chunks(to_keep, DAYS_AT_A_TIME):
        found.update(_keep(session, period, settings, now, some))
    for first, last in months:
        if first not in covered and last in settled:
            _keep_sum(
                session, zone, settings, (first, last), [(d, d) for d in days_of(first, last)]
            )
    if span is not None and span not in kept and span[1] in settled:
        _keep_sum(session, zone, settings, span, months)
    return found


def days_of(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def _parts(
    session: Session, wanted: ColumnElement[bool], spans: list[tuple[dt.date, dt.date]]
) -> list[tuple[dt.date, Any]]:
    """The kept counts of the chosen spans only, (first day, parts): a month's days are
    kept beside the month, and decoding them too would cost a year's report 365 rows of
    JSON for the 12 it reads."""
    found: list[tuple[dt.date, Any]] = []
    for some in in_chunks(spans, DAYS_AT_A_TIME):
        found += session.execute(
            select(MiDayRow.day, MiDayRow.parts).where(
                wanted, tuple_(MiDayRow.day, MiDayRow.last_day).in_(some)
            )
        ).tuples()
    return found


def write_locked(session: Session, table: str = "mi_days") -> bool:
    """Starts a transaction no write to the record can interleave with (SQLite: the write
    lock taken first; PostgreSQL: the triggers' `table` locked first, so a contact or a
    referral written meanwhile drops what this keeps once it commits). False where the
    database cannot be written (opened read-only, or a role without the right): nothing
    is kept then."""
    session.commit()  # what was read so far, in its own transaction
    bind = session.get_bind()
    if isinstance(bind, Engine) and is_read_only(bind):
        return False
    try:
        if session.get_bind().dialect.name == "sqlite":
            session.connection().exec_driver_sql("BEGIN IMMEDIATE")
        else:
            session.execute(text(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE"))
    except DBAPIError as error:
        session.rollback()
        log.info("settled days not kept (%s): worked out for this report only", error.orig)
        return False
    return True


def _row(
    zone: str, key: str, first: dt.date, last: dt.date, settings: MiSettings, parts: DayParts
) -> dict[str, object]:
    return {
        "zone": zone,
        "settings_key": key,
        "day": first,
        "last_day": last,
        "utc_start": Period(first, first, zone).utc_start,
        "affected_until": affected_until(last, zone, settings),
        "parts": parts.to_json(),
    }


@contextmanager
def kept_or_let_go(session: Session, what: str) -> Iterator[None]:
    """What a report keeps, written in the block and committed after it; where the
    database refuses, nothing is kept and the report goes on with what it worked out.
    The kept days, referral months and queue days are each written so."""
    try:
        yield
        session.commit()
    except DBAPIError as error:
        session.rollback()
        log.info("%s not kept (%s): worked out for this report only", what, error.orig)


def _written(session: Session, gone: Delete, rows: list[dict[str, object]]) -> None:
    """The rows written in place of those `gone` selects, and committed (or not kept)."""
    with kept_or_let_go(session, "settled days"):
        session.execute(gone)
        session.execute(insert(MiDayRow), rows)


def _keep(
    session: Session, period: Period, settings: MiSettings, now: dt.datetime, days: list[dt.date]
) -> dict[dt.date, DayParts]:
    """Works the settled days out and keeps them, under the lock (`write_locked`)."""
    zone, key = period.time_zone, settings_key(settings)
    if not write_locked(session):
        return _worked_out(session, period, settings, now, days)
    found = _worked_out(session, period, settings, now, days)
    # a report made meanwhile may have kept some of them: these replace them
    gone = delete(MiDayRow).where(
        MiDayRow.zone == zone,
        MiDayRow.settings_key == key,
        MiDayRow.day.in_(days),
        MiDayRow.last_day == MiDayRow.day,
    )
    _written(session, gone, [_row(zone, key, d, d, settings, found[d]) for d in days])
    return found


def _keep_sum(
    session: Session,
    zone: str,
    settings: MiSettings,
    span: tuple[dt.date, dt.date],
    pieces: list[tuple[dt.date, dt.date]],
) -> None:
    """Keeps a settled span (a month, or a period's whole months) as one row, its kept
    pieces (the month's days, the months) added up, under the lock: read again there, so
    that a piece dropped meanwhile is not in it (the span then waits for the next
    report)."""
    key = settings_key(settings)
    if not write_locked(session):
        return
    mine = and_(MiDayRow.zone == zone, MiDayRow.settings_key == key)
    found = _parts(session, mine, pieces)
    if len(found) != len(pieces):
        session.rollback()
        return
    total = DayParts()
    for _, parts in found:
        total.add(DayParts.from_json(parts))
    first, last = span
    gone = delete(MiDayRow).where(mine, MiDayRow.day == first, MiDayRow.last_day == last)
    _written(session, gone, [_row(zone, key, first, last, settings, total)])
