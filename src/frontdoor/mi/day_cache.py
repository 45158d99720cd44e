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

from sqlalchemy import and_, delete, insert, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from frontdoor.mi.day_parts import DayParts
from frontdoor.mi.figures import Figures
from frontdoor.mi.period import MiSettings, Period
from frontdoor.mi.tables import MiDayRow

log = logging.getLogger(__name__)
ONE_DAY = dt.timedelta(days=1)
# the shape of a kept day's counts (DayParts.to_json): a release that changes it raises
# this, and days kept in the old shape are then passed over and kept again
PARTS_FORMAT = 1
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


def _runs(days: list[dt.date]) -> Iterator[tuple[dt.date, dt.date]]:
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
    for first, last in _runs(days):
        run = Period(first, last, period.time_zone)
        worked = Figures(session, run, settings, now).days
        for n in range((last - first).days + 1):
            day = first + dt.timedelta(days=n)
            found[day] = worked.get(day) or DayParts()
    return found


def period_days(
    session: Session, period: Period, settings: MiSettings, now: dt.datetime
) -> dict[dt.date, DayParts]:
    """Each local day of the period with its parts (a day without contacts, empty)."""
    zone, key = period.time_zone, settings_key(settings)
    length = (period.end - period.start).days + 1
    every = [period.start + dt.timedelta(days=n) for n in range(length)]
    settled = {d for d in every if affected_until(d, zone, settings) <= now}
    wanted = and_(
        MiDayRow.zone == zone,
        MiDayRow.settings_key == key,
        MiDayRow.day >= period.start,
        MiDayRow.day <= period.end,
    )
    kept = {
        day: DayParts.from_json(parts)
        for day, parts in session.execute(select(MiDayRow.day, MiDayRow.parts).where(wanted))
        if day in settled
    }
    days = _worked_out(session, period, settings, now, [d for d in every if d not in settled])
    to_keep = sorted(settled - kept.keys())
    # a month at a time, each in a transaction of its own: writers wait for one month's
    # queries at most (a fraction of a second), never for years'
    for start in range(0, len(to_keep), DAYS_AT_A_TIME):
        days.update(_keep(session, period, settings, now, to_keep[start : start + DAYS_AT_A_TIME]))
    days.update(kept)
    return dict(sorted(days.items()))


def _keep(
    session: Session, period: Period, settings: MiSettings, now: dt.datetime, days: list[dt.date]
) -> dict[dt.date, DayParts]:
    """Works the settled days out and keeps them, in one transaction that no write to the
    record can interleave with (SQLite: the write lock taken first; PostgreSQL: the
    triggers' table locked first, so a contact written meanwhile drops the days once this
    commits). Where the database cannot be written (opened read-only, or a role without
    the right), the days are worked out and not kept."""
    zone, key = period.time_zone, settings_key(settings)
    session.commit()  # what was read so far, in its own transaction
    try:
        if session.get_bind().dialect.name == "sqlite":
            session.connection().exec_driver_sql("BEGIN IMMEDIATE")
        else:
            session.execute(text("LOCK TABLE mi_days IN SHARE ROW EXCLUSIVE MODE"))
    except DBAPIError as error:
        session.rollback()
        log.info("settled days not kept (%s): worked out for this report only", error.orig)
        return _worked_out(session, period, settings, now, days)
    found = _worked_out(session, period, settings, now, days)
    try:
        # a report made meanwhile may have kept some of them: these replace them
        session.execute(
            delete(MiDayRow).where(
                MiDayRow.zone == zone,
                MiDayRow.settings_key == key,
                MiDayRow.day >= days[0],
                MiDayRow.day <= days[-1],
            )
        )
        session.execute(
            insert(MiDayRow),
            [
                {
                    "zone": zone,
                    "settings_key": key,
                    "day": day,
                    "utc_start": Period(day, day, zone).utc_start,
                    "affected_until": affected_until(day, zone, settings),
                    "parts": found[day].to_json(),
                }
                for day in days
            ],
        )
        session.commit()
    except DBAPIError as error:
        session.rollback()
        log.info("settled days not kept (%s): worked out for this report only", error.orig)
    return found
