"""The referral figures of the MI report on a small March whose answers were worked out by
hand (the working is beside each referral and each assertion). The period is March 2026 in
London: summer time starts on the 29th, so the period ends at 23:00 UTC on the 31st.

Made in March, by service (times UTC):
  falls          R1 accepted after 24 h, completed; R2 overdue, chased, then accepted after
                 99 h; R3 received, then rejected before its due time; R8 made 22:30 on
                 the 31st (23:30 local, in March), still requested and not yet due
  reablement     R4 due in 4 h, never answered: overdue, chased twice; R5 accepted only
                 on 1 April, after the period
  carers-support R10, R11, R12 accepted after 2, 72 and 6 hours (median 6)
  old-team       R7 accepted after 1.5 h and completed; a chase to the team, not a caller
                 chase; a service no longer in the directory
Not made in March: R6 (carers-support, 25 February, still requested: overdue now), R9
(falls, 23:30 UTC on the 31st: 1 April locally), R13 (day-centre, 20 February, still
requested: overdue now; a service no longer in the directory).
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine

from frontdoor.db.engine import make_engine, make_session_factory
from frontdoor.directory.model import Service
from frontdoor.interactions.tables import ContactRow
from frontdoor.mi.formats import render
from frontdoor.mi.live import live_referrals
from frontdoor.mi.period import MiSettings, Period
from frontdoor.mi.report import build_report
from frontdoor.mi.unmet import no_directory
from frontdoor.referrals.follow_ups import FollowUps
from frontdoor.referrals.model import FollowUp
from frontdoor.referrals.store import ReferralStore, StateChange
from frontdoor.referrals.tables import ReferralChangeRow, ReferralRow

MARCH = Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31), "Europe/London")
AFTER = dt.datetime(2026, 4, 20, 9, 0, tzinfo=dt.UTC)  # the report is made in April
SERVICES = {
    "falls": Service(id="falls", name="Falls Prevention", organisation="Lincs Community"),
    "reablement": Service(id="reablement", name="Reablement", organisation="Lincs Community"),
    "carers-support": Service(
        id="carers-support", name="Carers Support", organisation="Carers First"
    ),
}


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=dt.UTC)


def end_of(day: int, month: int = 3) -> dt.datetime:
    return dt.datetime(2026, month, day, 23, 59, 59, tzinfo=dt.UTC)


# (id, service, recorded name, made at, due at)
MADE = [
    ("R-2026-000001", "falls", "Falls service", at(2, 10), end_of(4)),
    ("R-2026-000002", "falls", "Falls service", at(9, 9), end_of(11)),
    ("R-2026-000003", "falls", "Falls service", at(16, 14), end_of(18)),
    ("R-2026-000004", "reablement", "Reablement", at(10, 8), at(10, 12)),
    ("R-2026-000005", "reablement", "Reablement", at(30, 9), end_of(1, month=4)),
    ("R-2026-000006", "carers-support", "Carers", at(25, 10, month=2), end_of(27, month=2)),
    ("R-2026-000007", "old-team", "Old Team", at(3, 12), end_of(5)),
    ("R-2026-000008", "falls", "Falls service", at(31, 22, 30), end_of(2, month=4)),
    ("R-2026-000009", "falls", "Falls service", at(31, 23, 30), end_of(3, month=4)),
    ("R-2026-000010", "carers-support", "Carers", at(5, 10), end_of(9)),
    ("R-2026-000011", "carers-support", "Carers", at(6, 10), end_of(10)),
    ("R-2026-000012", "carers-support", "Carers", at(7, 10), end_of(11)),
    ("R-2026-000013", "day-centre", "Day Centre", at(20, 10, month=2), end_of(24, month=2)),
]
# (id, state, at, note), in order for each referral
CHANGES = [
    ("R-2026-000001", "accepted", at(3, 10), None),  # 24 h
    ("R-2026-000001", "in-progress", at(5, 9), None),
    ("R-2026-000001", "completed", at(20, 16), None),
    ("R-2026-000002", "accepted", at(13, 12), None),  # 4 days and 3 h: 99 h, overdue first
    ("R-2026-000003", "received", at(17, 9), None),
    ("R-2026-000003", "rejected", at(18, 11), "not eligible: under 65"),
    ("R-2026-000005", "accepted", at(1, 9, month=4), None),  # after the period
    ("R-2026-000007", "accepted", at(3, 13, 30), None),  # 1.5 h
    ("R-2026-000007", "completed", at(4, 10), None),
    ("R-2026-000010", "received", at(5, 11), None),  # received is not accepted
    ("R-2026-000010", "accepted", at(5, 12), None),  # 2 h
    ("R-2026-000011", "accepted", at(9, 10), None),  # 72 h
    ("R-2026-000012", "accepted", at(7, 16), None),  # 6 h
]
# (id, kind, contact, at)
CHASES = [
    ("R-2026-000002", "caller", "c-chase-1", at(12, 10)),
    ("R-2026-000002", "caller", "c-chase-2", at(2, 10, month=4)),  # after the period
    ("R-2026-000004", "caller", "c-chase-3", at(11, 9)),
    ("R-2026-000004", "caller", "c-chase-4", at(20, 9)),
    ("R-2026-000006", "caller", "c-chase-5", at(26, 9, month=2)),  # R6 was not made in March
    ("R-2026-000007", "team", None, at(3, 12, 30)),  # the handler rang the team
]


def fill(engine: Engine, contact: str | None = None) -> None:
    """The referrals above, each made in a contact of its own; or, given `contact`, all in
    that one (the MI screen's test adds them to a month of contacts it counts)."""
    sessions = make_session_factory(engine)
    with sessions() as session, session.begin():
        for seq, (referral_id, service, name, made, due) in enumerate(MADE, start=1):
            if contact is None:
                made_in = f"c-{referral_id[-2:]}"
                session.add(
                    ContactRow(
                        id=made_in,
                        status="closed",
                        channel="phone",
                        caller_type="public",
                        received_at=made,
                    )
                )
                session.flush()
            session.add(
                ReferralRow(
                    id=referral_id,
                    contact_id=contact or made_in,
                    service_seq=seq,
                    service_id=service,
                    service_name=name,
                    red_flags=[],
                    respond_within="2 working days",
                    made_at=made,
                    due_at=due,
                    state="requested",
                    state_at=made,
                )
            )
            session.flush()
            session.add(
                ReferralChangeRow(
                    referral_id=referral_id,
                    seq=1,
                    state="requested",
                    at=made,
                    by="h.jones",
                    recorded_at=made,
                    source="call",
                )
            )
    store = ReferralStore(sessions, lambda: AFTER)
    for referral_id, state, moment, note in CHANGES:
        store.change(StateChange(referral_id, state, moment, "the team", note))
    for referral_id, kind, contact, moment in CHASES:
        store.chase(referral_id, kind, contact_id=contact, by="h.smith", at=moment)
    follow_ups = FollowUps(sessions, lambda: AFTER)

    def told(referral_id: str | None, moment: dt.datetime, kind: str = "overdue") -> None:
        owed = FollowUp(None, kind, moment, "tell the caller", referral_id=referral_id)
        follow_ups.done(owed, by="h.patel", outbound_contact_id=None, at=moment)

    told("R-2026-000002", at(12, 9))  # an hour before the caller chased: before
    told("R-2026-000004", at(21, 9))  # after its first chase (11 March): after
    told("R-2026-000006", at(5, 9))  # its caller chased in February: after
    told("R-2026-000010", at(8, 9), kind="call_back")  # a call-back, never chased: before
    told(None, at(6, 9), kind="call_back")  # a call-back about no referral: not counted
    told("R-2026-000008", at(3, 9, month=4))  # in April: not counted


@pytest.fixture
def sessions(db_url):
    engine = make_engine(db_url)
    fill(engine)
    yield make_session_factory(engine)
    engine.dispose()


def march(sessions, now: dt.datetime = AFTER):
    return build_report(sessions, MARCH, MiSettings(), now, SERVICES, no_directory)


def test_every_referral_figure_of_a_month_worked_out_by_hand(sessions):
    report = march(sessions)
    referrals = report.to_json()["referrals"]
    # as of the end of March (23:00 UTC on the 31st): R9 and R5's acceptance come after
    assert referrals == {
        "made": 10,  # falls 4, reablement 2, carers-support 3, old-team 1
        "overdue_now": 3,  # R4, and R6 and R13 made in February
        "made_overdue": 2,  # R2 (accepted late), R4
        "chased_at_least_once": {"rate": 0.2, "n": 10},  # R2, R4
        "chases_per_referral": 0.3,  # R2 once (April's left out), R4 twice
        "follow_ups": {"before_chase": 2, "after_chase": 2},  # R2 R10; R4 R6
        "by_service": {
            "falls": {
                "name": "Falls Prevention",  # the directory's name, not the recorded one
                "made": 4,
                "accepted": 2,
                "rejected": 1,
                "completed": 1,
                "overdue_now": 0,
                "median_hours_to_accept": 61.5,  # (24 + 99) / 2
                "chases": 1,
            },
            "carers-support": {
                "name": "Carers Support",
                "made": 3,
                "accepted": 3,
                "rejected": 0,
                "completed": 0,
                "overdue_now": 1,  # R6
                "median_hours_to_accept": 6.0,  # of 2, 72, 6
                "chases": 0,  # R6's chase is of a referral made in February
            },
            "reablement": {
                "name": "Reablement",
                "made": 2,
                "accepted": 0,  # R5 on 1 April
                "rejected": 0,
                "completed": 0,
                "overdue_now": 1,
                "median_hours_to_accept": None,
                "chases": 2,
            },
            "old-team": {
                "name": "Old Team",  # gone from the directory: the name recorded
                "made": 1,
                "accepted": 1,
                "rejected": 0,
                "completed": 1,
                "overdue_now": 0,
                "median_hours_to_accept": 1.5,
                "chases": 0,  # a chase to the team is not the caller's
            },
            "day-centre": {
                "name": "Day Centre",  # as recorded on its referral
                "made": 0,
                "accepted": 0,
                "rejected": 0,
                "completed": 0,
                "overdue_now": 1,
                "median_hours_to_accept": None,
                "chases": 0,
            },
        },
        "by_provider": {
            "Lincs Community": {
                "made": 6,
                "accepted": 2,
                "rejected": 1,
                "completed": 1,
                "overdue_now": 1,
                "chases": 3,
            },
            "Carers First": {
                "made": 3,
                "accepted": 3,
                "rejected": 0,
                "completed": 0,
                "overdue_now": 1,
                "chases": 0,
            },
            "provider not known": {  # old-team and day-centre
                "made": 1,
                "accepted": 1,
                "rejected": 0,
                "completed": 1,
                "overdue_now": 1,
                "chases": 0,
            },
        },
    }


def test_while_the_period_runs_the_figures_are_as_of_the_reports_own_time(sessions):
    # 12 March, 09:30: R2 is past its due time and still requested; R4 R6 R13 too. Made
    # by then: R1 R2 R4 R7 R10 R11 R12. Follow-ups: R6 (after), R10 and R2 (before: at 09:00,
    # an hour before R2's caller chased).
    referrals = march(sessions, now=at(12, 9, 30)).to_json()["referrals"]
    assert referrals["made"] == 7
    assert referrals["overdue_now"] == 4
    assert referrals["made_overdue"] == 2
    assert referrals["chased_at_least_once"] == {"rate": 0.1429, "n": 7}  # R4 on the 11th
    assert referrals["follow_ups"] == {"before_chase": 2, "after_chase": 1}
    falls = referrals["by_service"]["falls"]
    assert (falls["made"], falls["accepted"], falls["median_hours_to_accept"]) == (2, 1, 24.0)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # the figures are the JSON's
def test_the_text_formats_show_the_same_figures(sessions):
    report = march(sessions)
    markdown = render(report, "md")
    assert "- 10 referrals made; 3 overdue now (whenever made); 2 of those made went " in markdown
    chased = "- Chased by the caller at least once: 20.0% (n=10); caller chases per referral: 0.3."
    assert chased in markdown
    assert "2 before the caller chased (or with no chase), 2 after." in markdown
    assert "as they stood at 2026-04-01 00:00 (the end of the period" in markdown  # local
    # made, then accepted, rejected and completed with their shares of it
    falls = "| Falls Prevention | Lincs Community | 4 | 2 (50.0%) | 1 (25.0%) | 1 (25.0%) | 0 |"
    assert f"{falls} 61.5 | 1 | 0.25 |" in markdown
    assert (
        "| Reablement | Lincs Community | 2 | 0 (0.0%) | 0 (0.0%) | 0 (0.0%) | 1 | - | 2 | 1 |"
        in (markdown)
    )
    assert "| Lincs Community | 6 | 2 (33.3%) | 1 (16.7%) | 1 (16.7%) | 1 | 3 | 0.5 |" in markdown
    assert "| provider not known | 1 | 1 (100.0%) | 0 (0.0%) | 1 (100.0%) | 1 | 0 | 0 |" in markdown
    assert "| Day Centre | not known | 0 | 0 | 0 | 0 | 1 | - | 0 | - |" in markdown
    html = render(report, "html")
    assert "<h2>Referrals</h2><p>10 referrals made; 3 overdue now" in html
    cells = ["Falls Prevention", "Lincs Community", "4", "2 (50.0%)", "1 (25.0%)", "1 (25.0%)"]
    cells += ["0", "61.5", "1", "0.25"]
    assert "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>" in html
    assert "1 per referral (2 made)" in html  # reablement's bar
    csv = render(report, "csv")
    assert "referrals,chased_at_least_once,,0.2,10" in csv
    assert "referrals_by_service,median_hours_to_accept,falls,61.5," in csv
    assert "referrals_by_provider,overdue_now,Carers First,1," in csv


def test_the_wallboard_counts_overdue_referrals_and_the_follow_ups_due_today(sessions):
    # Sunday 5 April, 10:00 in London (09:00 UTC). Overdue: R4, R6 and R8 (their callers
    # told since they fell due, so owed no follow-up), R9 and R13 (due on 3 April and 24
    # February, never told).
    now = dt.datetime(2026, 4, 5, 9, 0, tzinfo=dt.UTC)
    follow_ups = FollowUps(sessions, lambda: now)
    for due in (at(5, 14, month=4), at(5, 23, month=4)):  # 15:00 today; 00:00 tomorrow
        follow_ups.promise(due_at=due, why="ring back", who="h.jones", contact_id="c-01")
    today = Period(now.date(), now.date(), "Europe/London")
    with sessions() as session:
        live = live_referrals(session, today, now)
    assert live.overdue_now == 5
    assert live.follow_ups_due_today == 3  # R9, R13, the call-back at 15:00
    assert live.follow_ups_from_earlier_days == 2  # R9, R13
    # the follow-up list's own reckoning, counted
    owed = follow_ups.owed(now)
    assert live.follow_ups_due_today == len([f for f in owed if f.due_at < today.utc_end])
    assert live.follow_ups_from_earlier_days == len([f for f in owed if f.due_at < today.utc_start])
