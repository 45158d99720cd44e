"""A period's referrals made, read from kept months where it can: a report over a year
reads 12 small rows rather than looking into every referral's history and chases.

The referral figures are as of the report's moment, the end of a period that has ended,
so what a month's referrals add to them depends on that moment: a referral accepted
in June counts as accepted in a year's report (as of 31 December) but not in May's. A
month is kept with the moment it was worked out as of, and read only by a report as of
that very moment: the month's own report and every longer period ending when it does
(the last month, the quarter, the year) share their rows; a period ending elsewhere
keeps rows of its own the first time. A period still running (its moment the report's
own time, a new one each time) is worked out from the record and keeps nothing.

Whatever writes a referral, or its history or chases, drops every kept month that
referral was made in, whatever time the change is recorded at: triggers on the
referral tables (migration 0018_miyear), as mi_days's on the contacts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from frontdoor.mi.day_cache import day_runs, log, whole_months, write_locked
from frontdoor.mi.period import Period
from frontdoor.mi.referral_counts import MadeReferrals
from frontdoor.mi.tables import MiReferralMonthRow

M = MiReferralMonthRow
WorkOut = Callable[[Period], MadeReferrals]


def made_by_month(
    session: Session, period: Period, moment: dt.datetime, work_out: WorkOut
) -> MadeReferrals:
    """The period's referrals made, as of `moment`: its whole months as kept (or worked
    out by `work_out` and kept), the days before and after them worked out. Only for a
    period that has ended (`moment` its end); otherwise all of it worked out."""
    if moment != period.utc_end:
        return work_out(period)
    months = whole_months(period)
    kept = {
        first: parts
        for first, parts in session.execute(
            select(M.first_day, M.parts).where(
                M.zone == period.time_zone,
                M.moment == moment,
                M.first_day.in_([first for first, _ in months]),
            )
        )
    }
    total = MadeReferrals()
    covered: set[dt.date] = set()
    for first, last in months:
        parts = kept.get(first)
        if parts is not None:
            total.add(MadeReferrals.from_json(parts))
        else:
            total.add(_keep(session, Period(first, last, period.time_zone), moment, work_out))
        covered.update(first + dt.timedelta(days=n) for n in range((last - first).days + 1))
    every = [
        period.start + dt.timedelta(days=n) for n in range((period.end - period.start).days + 1)
    ]
    for first, last in day_runs([day for day in every if day not in covered]):
        total.add(work_out(Period(first, last, period.time_zone)))
    return total


def _keep(session: Session, month: Period, moment: dt.datetime, work_out: WorkOut) -> MadeReferrals:
    """Works the month out and keeps it, under the lock (so that a referral written
    meanwhile drops it once it commits); where the database cannot be written, only
    worked out. One month a transaction: writers wait for a month's queries at most."""
    if not write_locked(session, M.__tablename__):
        return work_out(month)
    made = work_out(month)
    try:
        session.execute(
            delete(M).where(
                M.zone == month.time_zone, M.first_day == month.start, M.moment == moment
            )
        )
        session.execute(
            insert(M),
            [
                {
                    "zone": month.time_zone,
                    "first_day": month.start,
                    "moment": moment,
                    "utc_start": month.utc_start,
                    "utc_end": month.utc_end,
                    "parts": made.to_json(),
                }
            ],
        )
        session.commit()
    except DBAPIError as error:
        session.rollback()
        log.info("referral month not kept (%s): worked out for this report only", error.orig)
    return made
