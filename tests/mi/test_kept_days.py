"""Settled days kept (mi/day_cache.py): a report made from kept days is the report made
from the record, and a change to the record under a kept day drops it, whichever way
the change is written (the triggers of migration 0017)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import func, select, update

from frontdoor.db.engine import make_engine, make_session_factory
from frontdoor.interactions.loading import bulk_add
from frontdoor.interactions.tables import ContactRow
from frontdoor.mi.bench import contacts_of_day, write_contacts
from frontdoor.mi.figures import Figures
from frontdoor.mi.period import MiSettings, Period
from frontdoor.mi.report import build_report
from frontdoor.mi.tables import MiDayRow
from frontdoor.mi.unmet import no_directory

FIRST, LAST = dt.date(2026, 3, 1), dt.date(2026, 3, 24)
PERIOD = Period(FIRST, LAST, "Europe/London")  # the clocks go forward on 29 March: not in
NOW = dt.datetime(2026, 3, 26, 12, tzinfo=dt.UTC)  # days to 18 March settled, not after
MI = MiSettings()


def _report(sessions, period=PERIOD):
    return build_report(sessions, period, MI, NOW, {}, no_directory).to_json()


def _from_the_record(sessions, period=PERIOD):
    """The report as it was made before days were kept: every day from the record."""
    with sessions() as session:
        figures = Figures(session, period, MI, NOW)
        return {
            "fcr_declared": figures.fcr_declared().to_json(),
            "fcr_verified": figures.fcr_verified().to_json(),
            "failure_demand": figures.failure_demand().to_json(),
            "contacts": figures.totals()[0],
        }


def _kept(sessions) -> list[dt.date]:
    with sessions() as session:
        return list(session.scalars(select(MiDayRow.day).order_by(MiDayRow.day)))


def test_kept_days_give_the_figures_of_the_record_and_go_when_it_changes(db_url):
    sessions = make_session_factory(make_engine(db_url))
    days = [FIRST + dt.timedelta(days=n) for n in range((LAST - FIRST).days + 1)]
    write_contacts(sessions, (c for day in days for c in contacts_of_day(day, 600, 5)))

    first = _report(sessions)
    kept = _kept(sessions)
    # a day is kept once its repeat window (7 days) has closed, and not before
    assert kept == [FIRST + dt.timedelta(days=n) for n in range(18)]
    second = _report(sessions)  # from the kept days
    assert second == first
    fresh = _from_the_record(sessions)
    assert {k: second[k] for k in fresh} == fresh

    # a resolved contact of a kept day gets a repeat, written the record's own way: the
    # day it repeats (and so its verified FCR) must change, and the day of the repeat too
    with sessions() as session:
        resolved = session.scalars(
            select(ContactRow.id)
            .where(
                ContactRow.received_at >= dt.datetime(2026, 3, 3, tzinfo=dt.UTC),
                ContactRow.outcome == "advice",
                # a caller and a person never back: nothing yet spoils its verified FCR
                ContactRow.caller_key.in_(
                    select(ContactRow.caller_key)
                    .group_by(ContactRow.caller_key)
                    .having(func.count() == 1)
                ),
                ContactRow.subject_key.in_(
                    select(ContactRow.subject_key)
                    .group_by(ContactRow.subject_key)
                    .having(func.count() == 1)
                ),
            )
            .order_by(ContactRow.received_at)
            .limit(1)
        ).one()
        row = session.get(ContactRow, resolved)
        assert row is not None
        at, caller, category = row.received_at, row.caller_key, row.category
    template = next(c for c in contacts_of_day(dt.date(2026, 3, 3), 600, 5) if c.outcome)
    repeat = dataclasses.replace(
        template,
        id="repeat-1",
        caller_key=caller,
        subject_key="someone-else",
        outcome="referred",
        category=category,
        received_at=at + dt.timedelta(days=2),
    )
    with sessions() as session, session.begin():
        bulk_add(session, [repeat])
    assert at.date() not in _kept(sessions)
    third = _report(sessions)
    assert third["contacts"] == first["contacts"] + 1
    before, after = first["fcr_verified"]["overall"], third["fcr_verified"]["overall"]
    assert after["n"] == before["n"]
    assert round(after["rate"] * after["n"]) == round(before["rate"] * before["n"]) - 1
    assert {k: third[k] for k in fresh} == _from_the_record(sessions)

    # an update under a kept day (a correction of the category) drops it as well
    assert at.date() in _kept(sessions)
    with sessions() as session, session.begin():
        session.execute(
            update(ContactRow).where(ContactRow.id == resolved).values(category="carers")
        )
    assert at.date() not in _kept(sessions)
    assert {k: _report(sessions)[k] for k in fresh} == _from_the_record(sessions)
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(MiDayRow)) == 18


def test_settled_months_are_kept_as_one_row_each_and_together_and_go_with_any_day(db_url):
    sessions = make_session_factory(make_engine(db_url))
    two_months = Period(dt.date(2026, 1, 1), dt.date(2026, 2, 28), "Europe/London")
    january = (dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    february = (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    days = [two_months.start + dt.timedelta(days=n) for n in range(59)]
    write_contacts(sessions, (c for day in days for c in contacts_of_day(day, 300, 9)))
    first = _report(sessions, two_months)

    def spans():
        with sessions() as session:
            return session.execute(
                select(MiDayRow.day, MiDayRow.last_day)
                .where(MiDayRow.last_day != MiDayRow.day)
                .order_by(MiDayRow.day, MiDayRow.last_day)
            ).all()

    # each month, and the two added up: the same period asked again reads one row
    assert spans() == [january, (january[0], february[1]), february]
    fresh = _from_the_record(sessions, two_months)
    second = _report(sessions, two_months)  # from the one row of both months
    assert second == first and {k: second[k] for k in fresh} == fresh

    late = next(c for c in contacts_of_day(dt.date(2026, 2, 10), 300, 9) if c.outcome)
    with sessions() as session, session.begin():
        bulk_add(session, [dataclasses.replace(late, id="imported-late")])
    assert spans() == [january]  # February, and both together, went with its day
    third = _report(sessions, two_months)
    assert third["contacts"] == first["contacts"] + 1
    assert {k: third[k] for k in fresh} == _from_the_record(sessions, two_months)
    assert spans() == [january, (january[0], february[1]), february]
