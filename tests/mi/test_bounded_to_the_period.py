"""Today's figures read today's rows (issue 15): the queries of a period find its contacts
through their index and read only what belongs to them, and give the same figures as the
queries that read the whole history did."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from sqlalchemy import and_, case, event, func, select

from frontdoor.db.engine import make_engine, make_session_factory
from frontdoor.db.migrate import upgrade
from frontdoor.interactions.tables import ContactRow, EndRow
from frontdoor.mi.bench import contacts_of_day, write_contacts
from frontdoor.mi.figures import Figures
from frontdoor.mi.live import live_figures
from frontdoor.mi.period import MiSettings, Period
from frontdoor.mi.report import build_report
from frontdoor.mi.unmet import no_directory
from frontdoor.telephony.ingest import ingest_lines
from frontdoor.telephony.stats import QueueSettings

FIRST, DAY, LAST = dt.date(2026, 3, 1), dt.date(2026, 3, 10), dt.date(2026, 3, 20)
NOW = dt.datetime(2026, 3, 10, 14, tzinfo=dt.UTC)
MI = MiSettings()


@pytest.fixture
def history(db_url):
    """Twenty days of contacts; every third contact handed on to a second script, and
    every fifth of those went back past its second end (withdrawn: not counted)."""
    engine = make_engine(db_url)
    upgrade(engine)
    sessions = make_session_factory(engine)
    days = [FIRST + dt.timedelta(days=n) for n in range((LAST - FIRST).days + 1)]
    write_contacts(sessions, (c for day in days for c in contacts_of_day(day, 900, 7)))
    with sessions() as session, session.begin():
        contacts = session.execute(
            select(ContactRow.id, ContactRow.received_at).order_by(ContactRow.id)
        ).all()
        for n, (contact_id, received) in enumerate(contacts):
            if n % 3 == 0:
                session.add(
                    EndRow(
                        contact_id=contact_id,
                        seq=2,  # after the script's own end (1)
                        at=received + dt.timedelta(minutes=5),
                        script=f"handed-on-{n % 2}",
                        version=2,
                        node="end",
                        outcome=None,
                        red_flag=None,
                        current=n % 5 != 0,
                    )
                )
    yield sessions
    engine.dispose()


def by_script_from_all_history(session, period: Period) -> dict[str, tuple[int, int]]:
    """The FCR by script as it was worked out before issue 15: each contact's last end
    found among every end ever recorded, then joined to the period's handled contacts."""
    figures = Figures(session, period, MI, NOW)
    resolved = func.sum(case((figures.resolved, 1), else_=0))
    last_end = (
        select(EndRow.contact_id, func.max(EndRow.seq).label("seq"))
        .where(EndRow.current.is_(True))
        .group_by(EndRow.contact_id)
        .subquery()
    )
    rows = session.execute(
        select(EndRow.script, EndRow.version, func.count(), resolved)
        .join(
            last_end,
            and_(EndRow.contact_id == last_end.c.contact_id, EndRow.seq == last_end.c.seq),
        )
        .join(ContactRow, ContactRow.id == EndRow.contact_id)
        .where(figures.in_period(), figures.handled)
        .group_by(EndRow.script, EndRow.version)
    )
    return {f"{s}@{v}": (int(n), int(r or 0)) for s, v, n, r in rows}


def test_fcr_by_script_is_the_same_as_from_the_whole_history(history):
    period = Period(DAY, DAY)
    with history() as session:
        expected = by_script_from_all_history(session, period)
        found = Figures(session, period, MI, NOW).fcr_declared().by_script
    assert {k: (n, round(r / n, 4) if n else None) for k, (n, r) in expected.items()} == {
        k: (v.n, v.rate) for k, v in found.items()
    }
    # the data has what makes the rule matter: handed on, withdrawn, and single ends
    assert {k.split("@")[0] for k in found} >= {"handed-on-0", "handed-on-1"}
    assert any(k.startswith("script-") for k in found)
    # and ends outside the period, which the bounded query no longer reads
    with history() as session:
        outside = session.scalar(
            select(func.count())
            .select_from(EndRow)
            .join(ContactRow, ContactRow.id == EndRow.contact_id)
            .where(~Figures(session, period, MI, NOW).in_period())
        )
    assert outside > 10 * sum(v.n for v in found.values())


def test_the_wallboards_shares_are_the_reports_figures(history):
    """The wallboard's one-pass FCR and failure demand equal the report's, in total and
    for each queue."""
    period = Period(DAY, DAY)
    with history() as session:
        figures = Figures(session, period, MI, NOW)
        shares = figures.queue_shares()
        fcr, failure = figures.fcr_declared(), figures.failure_demand()

        def count(*where) -> int:
            return session.scalar(select(func.count()).where(figures.in_period(), *where))

        failed = ContactRow.demand.in_(sorted(MI.failure_codes))
        for queue in ("public", "professionals"):
            mine = ContactRow.queue == queue
            handled = count(figures.handled, mine)
            resolved = count(figures.handled, figures.resolved, mine)
            tagged = count(ContactRow.demand.is_not(None), mine)
            assert handled and tagged
            assert shares.queues[queue].fcr_declared == round(resolved / handled, 4)
            assert shares.queues[queue].failure_demand_share == round(
                count(failed, mine) / tagged, 4
            )
    assert fcr.overall.rate is not None and failure.share.rate is not None
    assert shares.total.fcr_declared == fcr.overall.rate
    assert shares.total.failure_demand_share == failure.share.rate
    assert set(shares.queues) == {"public", "professionals"}


HISTORY_TABLES = {
    "contacts",
    "answers",
    "script_ends",
    "searches",
    "contact_services",
    "queue_events",
    "call_claims",
    "referrals",
    "referral_changes",
    "referral_chases",
    "follow_ups",
}


def test_no_query_of_a_day_reads_a_whole_history_table(tmp_path):
    """Every query the wallboard's refresh and a day's report run reaches the history
    tables through an index (SQLite's plan says SEARCH, never a plain SCAN)."""
    path = tmp_path / "plans.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    sessions = make_session_factory(engine)
    write_contacts(sessions, contacts_of_day(DAY, 300, 1), seed=1, until=NOW)  # and referrals
    start = int(dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC).timestamp())
    ingest_lines(
        sessions,
        [
            f"{start}|1.1|public|NONE|ENTERQUEUE||0111|1",
            f"{start + 5}|1.1|public|PJSIP/201|CONNECT|5|1.1|1",
            f"{start + 9}|2.1|public|NONE|ENTERQUEUE||0222|1",
        ],
    )
    statements: list[tuple[str, object]] = []

    @event.listens_for(engine, "before_cursor_execute")
    def keep(conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, parameters))

    live_figures(sessions, QueueSettings(), MI, NOW)
    build_report(sessions, Period(DAY, DAY), MI, NOW, {}, no_directory)
    event.remove(engine, "before_cursor_execute", keep)
    engine.dispose()
    assert len(statements) > 15
    with sqlite3.connect(path) as connection:
        for statement, parameters in statements:
            plan = connection.execute(f"EXPLAIN QUERY PLAN {statement}", parameters).fetchall()
            scans = [
                step
                for *_, step in plan
                if step.startswith("SCAN ") and step.split()[1] in HISTORY_TABLES
            ]
            assert scans == [], f"{' '.join(statement.split())[:200]}: {scans}"


def test_a_claimed_call_is_answered_when_taken(tmp_path):
    """Claims are found by call id now, not by time: a call taken at a console still
    counts as answered when it was taken, and only today's claims count."""
    engine = make_engine(f"sqlite:///{tmp_path / 'claims.db'}")
    upgrade(engine)
    sessions = make_session_factory(engine)
    from frontdoor.telephony.taking import take_next

    start = int(dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC).timestamp())
    ingest_lines(
        sessions,
        [
            f"{start}|1.1|public|NONE|ENTERQUEUE||0111|1",
            f"{start}|2.1|public|NONE|ENTERQUEUE||0222|1",
        ],
    )
    day_start = dt.datetime(2026, 3, 10, tzinfo=dt.UTC)
    taken_at = dt.datetime.fromtimestamp(start + 8, dt.UTC)
    assert take_next(sessions, "a", taken_at, day_start, {}).callid == "1.1"
    figures = live_figures(sessions, QueueSettings(), MiSettings(time_zone="UTC"), NOW)
    total = figures.total.queue
    assert (total.offered, total.answered, total.waiting, total.asa_seconds) == (2, 1, 1, 8.0)
    # the claim a moment before `at` counts; as of before it, the call was still waiting
    earlier = live_figures(
        sessions, QueueSettings(), MiSettings(time_zone="UTC"), taken_at - dt.timedelta(seconds=1)
    )
    assert (earlier.total.queue.answered, earlier.total.queue.waiting) == (0, 2)
    engine.dispose()
