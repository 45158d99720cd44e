"""The simulation drives the real scripts, runner, directory and record, and is seeded."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from frontdoor.console.settings import load_settings
from frontdoor.console.wiring import open_front_door
from frontdoor.interactions.model import Contact
from frontdoor.interactions.record import Record
from frontdoor.mi.period import Period
from frontdoor.mi.report import build_report
from frontdoor.simulation.run import simulate
from frontdoor.triage_scripts.model import End
from tests.conftest import FakeClock, copy_sqlite

START = dt.date(2026, 11, 2)


def run(tmp_path, template, name: str, seed: int, days: int = 3, per_month: int = 3000):
    url = copy_sqlite(template, tmp_path / name)  # migrated, with the demo directory
    front = open_front_door(load_settings(db=url), clock=FakeClock(), migrate=False)
    result = simulate(
        lambda clock: Record(front.sessions, clock),
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


def test_the_same_seed_gives_the_same_contacts(tmp_path, sqlite_directory_template):
    # A Monday's worth at a third of the usual volume (about 40 calls) is enough to show it:
    # every contact is compared whole (times, answers, ends, searches, services, outcome).
    first = run(tmp_path, sqlite_directory_template, "a.db", seed=5, days=1, per_month=1000)
    second = run(tmp_path, sqlite_directory_template, "b.db", seed=5, days=1, per_month=1000)
    other = run(tmp_path, sqlite_directory_template, "c.db", seed=6, days=1, per_month=1000)
    made = contacts(first[0])
    assert len(made) > 20 and any(c.answers for c in made) and any(c.searches for c in made)
    assert contacts(second[0]) == made
    assert (second[1], second[2]) == (first[1], first[2])  # counts, and the MI report
    assert contacts(other[0]) != made


def test_contacts_follow_the_real_scripts_and_look_like_an_spa(tmp_path, sqlite_directory_template):
    front, result, report = run(tmp_path, sqlite_directory_template, "d.db", seed=1)
    assert 250 < result.contacts < 400  # 3 days at 3,000 a month, weekdays busier
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
