"""The simulation drives the real scripts, runner, directory and record, and is seeded."""

from __future__ import annotations

import datetime as dt

from frontdoor.console.settings import load_settings
from frontdoor.console.wiring import open_front_door
from frontdoor.interactions.record import Record
from frontdoor.mi.period import Period
from frontdoor.mi.report import build_report
from frontdoor.simulation.run import simulate
from frontdoor.triage_scripts.model import End
from tests.conftest import FakeClock

START = dt.date(2026, 11, 2)


def run(tmp_path, name: str, seed: int):
    front = open_front_door(load_settings(db=f"sqlite:///{tmp_path / name}"), clock=FakeClock())
    front.load_demo_directory()
    result = simulate(
        lambda clock: Record(front.sessions, clock),
        front.library.scripts,
        front.index,
        START,
        3,
        3000,
        seed,
    )
    report = build_report(
        front.sessions,
        Period(START, START + dt.timedelta(days=2)),
        front.mi_settings(),
        dt.datetime(2026, 11, 23, tzinfo=dt.UTC),
        {},
    )
    return front, result, report


def test_the_same_seed_gives_the_same_contacts(tmp_path):
    _, first, report_a = run(tmp_path, "a.db", seed=5)
    _, second, report_b = run(tmp_path, "b.db", seed=5)
    assert (first.contacts, first.abandoned, first.searches) == (
        second.contacts,
        second.abandoned,
        second.searches,
    )
    report_a.pop("made_at"), report_b.pop("made_at")
    assert report_a == report_b
    _, other, _ = run(tmp_path, "c.db", seed=6)
    assert other.contacts != first.contacts or other.searches != first.searches


def test_contacts_follow_the_real_scripts_and_look_like_an_spa(tmp_path):
    front, result, report = run(tmp_path, "d.db", seed=1)
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
            "3000",
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
