"""The simulation drives the real scripts, runner, directory and record, and is seeded."""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from frontdoor.console.commands.simulate import records_on
from frontdoor.console.settings import load_settings
from frontdoor.console.wiring import open_front_door
from frontdoor.interactions.model import Contact
from frontdoor.mi.period import Period
from frontdoor.mi.report import build_report
from frontdoor.referrals.model import Referral
from frontdoor.referrals.states import NEED_REASON, WAITING
from frontdoor.referrals.tables import ReferralChangeRow
from frontdoor.simulation.run import simulate
from frontdoor.triage_scripts.model import End
from tests.conftest import FakeClock, copy_sqlite

START = dt.date(2026, 11, 2)


def run(tmp_path, template, name: str, seed: int, days: int = 7, per_month: int = 1300):
    url = copy_sqlite(template, tmp_path / name)  # migrated, with the demo directory
    front = open_front_door(load_settings(db=url), clock=FakeClock(), migrate=False)
    result = simulate(
        functools.partial(records_on, front),
        front.library.scripts,
        front.index,
        START,
        days,
        per_month,
        seed,
    )
    report = build_report(
        front.sessions,
        Period(START, START + dt.timedelta(days=days - 1)),
        front.mi_settings(),
        dt.datetime(2026, 11, 23, tzinfo=dt.UTC),
        {},
        front.matches_now,
    ).to_json()  # the report as `frontdoor mi report` prints it
    report.pop("made_at")
    return front, result, report


def contacts(front) -> list[Contact]:
    """Everything the record holds, but the contact and search ids (random, by design)."""
    return [
        replace(contact, id="", searches=[replace(s, step_id=None) for s in contact.searches])
        for contact in front.record.all_contacts()
    ]


def referrals(front) -> list[Referral]:
    """Every referral whole, but the ids of the contacts it was made and chased in."""
    return [
        replace(r, contact_id="", chases=tuple(replace(c, contact_id=None) for c in r.chases))
        for r in front.referrals.listing(dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    ]


@pytest.mark.long
def test_the_same_seed_gives_the_same_contacts(tmp_path, sqlite_directory_template):
    # A Monday's worth at a third of the usual volume (about 40 calls) is enough to show it:
    # every contact is compared whole (times, answers, ends, searches, services, outcome).
    first = run(tmp_path, sqlite_directory_template, "a.db", seed=5, days=1, per_month=1000)
    second = run(tmp_path, sqlite_directory_template, "b.db", seed=5, days=1, per_month=1000)
    other = run(tmp_path, sqlite_directory_template, "c.db", seed=6, days=1, per_month=1000)
    made = contacts(first[0])
    assert len(made) > 20 and any(c.answers for c in made) and any(c.searches for c in made)
    assert contacts(second[0]) == made
    # the referrals, and what the teams said of them that day
    assert len(referrals(first[0])) > 5 and referrals(second[0]) == referrals(first[0])
    assert (second[1], second[2]) == (first[1], first[2])  # counts, and the MI report
    assert contacts(other[0]) != made


@pytest.mark.long
def test_a_simulated_week_looks_like_an_spa_and_its_referrals_close_the_loop(
    tmp_path, sqlite_directory_template
):
    # one week (Monday 2 to Sunday 8 November 2026) at 1,300 calls a month: long enough
    # for two-working-day referrals to fall due, be answered late and be chased
    front, result, report = run(tmp_path, sqlite_directory_template, "d.db", seed=1)
    assert 250 < result.contacts < 400  # weekdays busier
    looks_like_an_spa(front, report)
    referrals_close_the_loop(front, result, end=dt.datetime(2026, 11, 9, tzinfo=dt.UTC))


def looks_like_an_spa(front, report) -> None:
    library = front.library.scripts
    for contact in front.record.all_contacts():
        for answer in contact.answers:
            assert answer.node in library[answer.script].nodes
        for end in contact.ends:
            assert isinstance(library[end.script].node(end.node), End)
    fcr = report["fcr_declared"]
    # of the order the seeds report: well below 100%, social care above health
    assert 0.3 < fcr["overall"]["rate"] < 0.8
    assert fcr["by_category"]["social_care"]["rate"] > fcr["by_category"]["physical_health"]["rate"]
    assert report["failure_demand"]["by_code"]  # repeat callers and chasers arrive
    assert report["queue"]["abandoned"] > 0
    hours = {int(h) for h, n in report["by_hour"].items() if n}
    assert min(hours) >= 8 and max(hours) <= 19  # an 8am to 8pm service


def decided_at(referral: Referral) -> dt.datetime | None:
    """When its team accepted, rejected or cancelled it."""
    return next((c.at for c in referral.history if c.state not in WAITING), None)


def referrals_close_the_loop(front, result, end: dt.datetime) -> None:
    made = front.referrals.listing(end)
    assert result.referrals == len(made) > 80
    # the teams answered through the store: in order, from when it was made, nothing past
    # the end of the week, nothing recorded before it happened
    for referral in made:
        times = [c.at for c in referral.history]
        assert times == sorted(times) and times[0] == referral.made_at and times[-1] <= end
    with front.sessions() as session:
        early = select(func.count()).select_from(ReferralChangeRow)
        early = early.where(ReferralChangeRow.recorded_at < ReferralChangeRow.at)
        assert session.scalar(early) == 0
    # most answered within their due time, some late, a few rejected or cancelled with a
    # reason; accepted ones started and completed
    past_due = [r for r in made if r.due_at < end]
    late = [r for r in past_due if r.due_at < (decided_at(r) or end)]
    assert 0 < len(late) < 0.4 * len(past_due)
    ever = Counter(c.state for r in made for c in r.history)
    assert ever["accepted"] > len(made) / 3 and ever["in-progress"] and ever["completed"]
    assert ever["rejected"] + ever["cancelled"] > 0
    assert all(c.note for r in made for c in r.history if c.state in NEED_REASON)
    # callers chase, each call linked to the referral it rings about (test_teams.py shows
    # they chase late ones far more)
    chases = [(r, c) for r in made for c in r.chases if c.kind == "caller"]
    assert len(chases) == result.chases > 0
    for _, chase in chases:
        answers = [(a.node, a.answer) for a in front.record.contact(chase.contact_id).answers]
        # each said what they chase, unless they told of harm first (red flags first: the
        # front door goes to safeguarding before it asks what was arranged)
        assert ("already_arranged", "Yes") in answers or ("harm_from_others", "Yes") in answers
    # a chase is routed from the record, with nothing for the handler to judge: to the
    # team at once when the caller's referral is overdue, as the script asks otherwise
    routed = 0
    for call in front.record.all_contacts():
        decided = [a.answer for a in call.answers if a.node == "how_to_chase"]
        if decided:
            theirs = [r for r in made if r.caller_key == call.caller_key]
            overdue = any(r.overdue_at(call.answered_at) for r in theirs)
            assert (decided == ["chase_overdue"]) == overdue, call.id
            routed += 1
    assert routed > 5
    # the SPA rang some callers of late referrals first: an outbound contact each
    told = front.follow_ups.made(end - dt.timedelta(days=7), end)
    assert len(told) == result.follow_ups > 0
    by_id = {r.id: r for r in made}
    for follow_up in told:
        referral = by_id[follow_up.referral_id]
        assert referral.overdue_at(follow_up.done_at)
        assert front.record.contact(follow_up.outbound_contact_id).channel == "outbound"
    assert any(
        (first := by_id[f.referral_id].first_caller_chase()) is None or f.done_at < first
        for f in told
    )


def test_simulated_calls_reach_the_queue_figures_through_a_queue_log(tmp_path):
    from click.testing import CliRunner

    from frontdoor.console.cli import main

    db = f"sqlite:///{tmp_path / 'q.db'}"
    log = tmp_path / "queue_log"
    CliRunner().invoke(main, ["db", "upgrade", "--db", db])  # only this creates a database
    result = CliRunner().invoke(
        main,
        [
            "simulate",
            "--days",
            "1",
            "--calls-per-month",
            "1000",  # about 40 calls: every one must reach the figures, however many
            "--start",
            "2026-11-02",
            "--queue-log",
            str(log),
            "--db",
            db,
        ],
    )
    assert result.exit_code == 0, result.output
    import re

    found = re.search(r"(\d+) contacts and (\d+) abandoned", result.output)
    assert found, result.output
    contacts, abandoned = int(found.group(1)), int(found.group(2))
    ingested = CliRunner().invoke(main, ["queue", "ingest", str(log), "--json", "--db", db])
    assert '"unreadable": []' in ingested.output
    stats = CliRunner().invoke(
        main, ["queue", "stats", "--json", "--at", "2026-11-02T23:59", "--db", db]
    )
    import json

    total = json.loads(stats.output)["total"]
    assert (total["offered"], total["answered"], total["abandoned"]) == (
        contacts + abandoned,
        contacts,
        abandoned,
    )
    assert total["fcr_declared"] is not None  # the same day's contacts are in the record


def test_a_second_simulation_over_days_the_record_holds_is_refused_before_it_writes(tmp_path):
    """Over days that hold contacts, the follow-up desk rang callers another run had told
    already, and the run stopped part way (AlreadyDone): now it is refused at once, with
    the day to start from, and the days after are simulated as asked."""
    from click.testing import CliRunner, Result

    from frontdoor.console.cli import main

    db = f"sqlite:///{tmp_path / 'twice.db'}"
    CliRunner().invoke(main, ["db", "upgrade", "--db", db])

    def run(start: str, days: str = "2") -> Result:
        return CliRunner().invoke(
            main,
            ["simulate", "--days", days, "--calls-per-month", "600", "--start", start, "--db", db],
        )

    assert run("2026-11-02").exit_code == 0
    front = open_front_door(
        load_settings(db=db, log_file=tmp_path / "l.log", journal=tmp_path / "j"),
        check_library=False,
    )
    try:
        held = sum(1 for _ in front.record.all_contacts())
        refused = run("2026-11-03")
        assert refused.exit_code == 2, refused.output
        assert "already holds contacts up to 2026-11-03" in refused.output
        assert "--start 2026-11-04" in refused.output
        assert sum(1 for _ in front.record.all_contacts()) == held  # nothing written
        assert run("2026-11-04", days="1").exit_code == 0
        assert sum(1 for _ in front.record.all_contacts()) > held
    finally:
        front.engine.dispose()
