"""A period's referrals made, read from kept months where it can: a report over a year
reads 12 small rows rather than looking into every referral's history and chases.

The referral figures are as of the report's moment, the end of a period that has ended,
so what a month's referrals add to them depends on that moment: a referral accepted
in June counts as accepted in a year's report (as of 31 December) but not in May's. A
month is kept with the moment it was worked out as of, and read only by a report as of
that very moment: the month's own report and every longer period ending when it does
(the last month, the quarter, the year) share their rows; a period ending elsewhere
keeps rows of its own the first time. Once all of a period's whole months are kept,
they are kept added up as one row too, so that the same period asked again (a year's
report, looked at once more) reads one row. A period still running (its moment the report's
own time, a new one each time) is worked out from the record and keeps nothing.

The follow-ups done in a month are kept with it. Whatever writes a referral, or its
history or chases, drops every kept month that referral was made in (a chase, also
those its follow-ups were done in), and a follow-up the month it was done in, whatever
time the change is recorded at: triggers on the referral tables (migration
0018), as mi_days's on the contacts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import delete, insert, literal, select, tuple_
from sqlalchemy.orm import Session

from frontdoor.mi.day_cache import day_runs, days_of, kept_or_let_go, whole_months, write_locked
from frontdoor.mi.period import Period
from frontdoor.mi.referral_counts import MadeReferrals
from frontdoor.mi.tables import MiReferralMonthRow

M = MiReferralMonthRow
WorkOut = Callable[[Period], MadeReferrals]


def made_by_month(
    session: Session, period: Period, moment: dt.datetime, work_out: WorkOut
) -> MadeReferrals:
    """The period's referrals made, as of `moment`: its whole months as kept (as one row
    once a report over them has kept them all), or worked out by `work_out` and kept, and
    the days before and after them worked out. Only for a period that has ended
    (`moment` its end); otherwise all of it worked out."""
    if moment != period.utc_end:
        return work_out(period)
    zone = period.time_zone
    months = whole_months(period)
    span = (months[0][0], months[-1][1]) if len(months) > 1 else None
    whole = (period.start, period.end)
    if span == whole or months == [whole]:
        # the period is its whole months, kept as one row: read with its medians
        found = _kept(session, zone, moment, [whole], times=False).get(whole)
        if found is not None:
            return found
    kept = _kept(session, zone, moment, months if span is None else [*months, span], times=True)
    total = MadeReferrals()
    covered: set[dt.date] = set()
    for first, last in [span] if span in kept else months:
        found = kept.get((first, last))
        if found is None:
            found = _keep(session, zone, moment, Period(first, last, zone), work_out)
        total.add(found)
        covered.update(days_of(first, last))
    for first, last in day_runs([d for d in days_of(period.start, period.end) if d not in covered]):
        total.add(work_out(Period(first, last, zone)))
    if span is not None and span not in kept:
        _keep_span(session, zone, moment, Period(span[0], span[1], zone), months)
    return total


def _kept(
    session: Session,
    zone: str,
    moment: dt.datetime,
    spans: list[tuple[dt.date, dt.date]],
    *,
    times: bool,
) -> dict[tuple[dt.date, dt.date], MadeReferrals]:
    """The spans kept as of `moment`, read (a span not kept is not there); with their
    times to accept, to be added up, or without them, each with its medians."""
    if not spans:
        return {}
    rows = session.execute(
        select(
            M.first_day, M.last_day, M.parts, M.seconds_to_accept if times else literal(None)
        ).where(M.zone == zone, M.moment == moment, tuple_(M.first_day, M.last_day).in_(spans))
    )
    return {
        (first, last): MadeReferrals.from_json(parts, seconds)
        for first, last, parts, seconds in rows
    }


def _written(
    session: Session, zone: str, moment: dt.datetime, span: Period, made: MadeReferrals
) -> None:
    """The span's row written (in place of one a report made meanwhile kept) and
    committed (or not kept: `kept_or_let_go`)."""
    with kept_or_let_go(session, "referral counts"):
        session.execute(
            delete(M).where(
                M.zone == zone,
                M.first_day == span.start,
                M.last_day == span.end,
                M.moment == moment,
            )
        )
        session.execute(
            insert(M),
            [
                {
                    "zone": zone,
                    "first_day": span.start,
                    "last_day": span.end,
                    "moment": moment,
                    "utc_start": span.utc_start,
                    "utc_end": span.utc_end,
                    "parts": made.to_json(),
                    "seconds_to_accept": made.times_json(),
                }
            ],
        )


def _keep(
    session: Session, zone: str, moment: dt.datetime, month: Period, work_out: WorkOut
) -> MadeReferrals:
    """Works the month out and keeps it, under the lock (so that a referral written
    meanwhile drops it once it commits); where the database cannot be written, only
    worked out. One month a transaction: writers wait for a month's queries at most."""
    if not write_locked(session, M.__tablename__):
        return work_out(month)
    made = work_out(month)
    _written(session, zone, moment, month, made)
    return made


def _keep_span(
    session: Session,
    zone: str,
    moment: dt.datetime,
    span: Period,
    months: list[tuple[dt.date, dt.date]],
) -> None:
    """Keeps the period's whole months as one row, their kept rows added up, under the
    lock: read again there, so that a month dropped meanwhile is not in it (the span
    then waits for the next report)."""
    if not write_locked(session, M.__tablename__):
        return
    found = _kept(session, zone, moment, months, times=True)
    if len(found) != len(months):
        session.rollback()
        return
    total = MadeReferrals()
    for made in found.values():
        total.add(made)
    _written(session, zone, moment, span, total)
