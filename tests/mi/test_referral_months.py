"""Referral counts kept by month (mi/referral_months.py): a period's referral figures from
the kept months (and from its whole months kept as one row) are those worked out from
every referral, and a change written late, under a kept month, drops it (the triggers
of migration 0018), whichever table it is written to."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert, select, update

from frontdoor.db.engine import make_engine, make_session_factory
from frontdoor.mi.bench import contacts_of_day, write_contacts
from frontdoor.mi.period import Period
from frontdoor.mi.referrals import referral_figures
from frontdoor.mi.tables import MiReferralMonthRow
from frontdoor.referrals.tables import FollowUpRow, ReferralChaseRow, ReferralRow

FIRST, LAST = dt.date(2026, 1, 1), dt.date(2026, 3, 31)
QUARTER = Period(FIRST, LAST, "Europe/London")
MARCH = Period(dt.date(2026, 3, 1), LAST, "Europe/London")
NOW = dt.datetime(2026, 4, 10, 9, tzinfo=dt.UTC)


def _figures(sessions, period=QUARTER, *, keep=True):
    with sessions() as session:
        return referral_figures(session, period, NOW, {}, keep=keep).to_json()


def _kept(sessions) -> list[tuple[dt.date, dt.date]]:
    with sessions() as session:
        rows = session.execute(
            select(MiReferralMonthRow.first_day, MiReferralMonthRow.last_day).order_by(
                MiReferralMonthRow.first_day, MiReferralMonthRow.last_day
            )
        )
        return [(first, last) for first, last in rows]


def test_kept_months_give_the_figures_of_every_referral_and_go_when_one_changes(db_url):
    sessions = make_session_factory(make_engine(db_url))
    days = [FIRST + dt.timedelta(days=n) for n in range((LAST - FIRST).days + 1)]
    write_contacts(sessions, (c for day in days for c in contacts_of_day(day, 300, 7)), 7, NOW)

    first = _figures(sessions)  # works the months out and keeps them
    jan, feb, mar = (dt.date(2026, m, 1) for m in (1, 2, 3))
    months = [(jan, dt.date(2026, 1, 31)), (feb, dt.date(2026, 2, 28)), (mar, LAST)]
    assert _kept(sessions) == [months[0], (jan, LAST), months[1], months[2]]
    assert first["made"] > 100 and first["chased_at_least_once"]["n"] == first["made"]
    assert _figures(sessions) == first == _figures(sessions, keep=False)  # one row read
    # March alone, as of the same moment, reads March's row
    assert _figures(sessions, MARCH) == _figures(sessions, MARCH, keep=False)
    # from mid-January: February's and March's rows added up, with January's end worked out
    # (the medians from the times of all)
    uneven = Period(dt.date(2026, 1, 15), LAST, "Europe/London")
    assert _figures(sessions, uneven) == _figures(sessions, uneven, keep=False)

    # a caller chases a February referral, written late by any program: February and the
    # quarter go, January and March stay, and the figures are the record's again
    with sessions() as session, session.begin():
        referral = session.scalar(
            select(ReferralRow.id)
            .where(ReferralRow.made_at >= dt.datetime(2026, 2, 10, tzinfo=dt.UTC))
            .order_by(ReferralRow.made_at)
            .limit(1)
        )
        session.execute(
            insert(ReferralChaseRow).values(
                referral_id=referral,
                contact_id="late-chase",
                kind="caller",
                at=dt.datetime(2026, 3, 20, 10, tzinfo=dt.UTC),
                by="h01",
                note=None,
            )
        )
    assert _kept(sessions) == [months[0], months[2]]
    after = _figures(sessions)
    assert after == _figures(sessions, keep=False)
    assert after["chases_per_referral"] != first["chases_per_referral"]

    # a caller rung in March about that referral, recorded late: March goes (February,
    # kept again by the report above, stays), and the follow-ups are the record's
    march_done = dt.datetime(2026, 3, 5, 11, tzinfo=dt.UTC)
    with sessions() as session, session.begin():
        session.execute(
            insert(FollowUpRow).values(
                kind="overdue",
                contact_id=None,
                referral_id=referral,
                caller_key=None,
                why="tell the caller where the referral is",
                who="h01",
                due_at=march_done,
                created_at=march_done,
                done_at=march_done,
                done_by="h01",
                outbound_contact_id=None,
            )
        )
    assert _kept(sessions) == [months[0], months[1]]  # the quarter went with March
    rung = _figures(sessions)
    assert rung == _figures(sessions, keep=False)
    assert sum(rung["follow_ups"].values()) == sum(after["follow_ups"].values()) + 1

    # a referral of January moved to another service: January goes too
    with sessions() as session, session.begin():
        session.execute(
            update(ReferralRow)
            .where(ReferralRow.made_at < dt.datetime(2026, 1, 20, tzinfo=dt.UTC))
            .values(service_id="svc-moved")
        )
    assert (jan, dt.date(2026, 1, 31)) not in _kept(sessions)
    moved = _figures(sessions)
    assert moved == _figures(sessions, keep=False)
    assert "svc-moved" in moved["by_service"]
