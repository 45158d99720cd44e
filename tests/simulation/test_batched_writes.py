"""A simulated call's writes applied together as it ends give exactly the rows that
applying each step in a transaction of its own (as the console does) gives: the same
seed through both paths, compared table by table."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import MetaData, select

from frontdoor.console.cli import main
from frontdoor.console.commands.simulate import records_on
from frontdoor.console.commands.simulate_bench import describe, run_bench
from frontdoor.console.settings import load_settings
from frontdoor.console.wiring import FrontDoor, open_front_door
from frontdoor.mi.period import Period
from frontdoor.mi.report import build_report
from frontdoor.simulation.run import Writes, simulate
from tests.conftest import FakeClock, _create_database, _drop_database, _url_of, copy_sqlite

START = dt.date(2026, 11, 2)
DAYS = 2
# contacts' and people's ids are random by design: each is replaced by the order it first
# appears in the audit chain, so two runs compare row for row
RANDOM_ID = re.compile(r"(c-\d{8}-[0-9a-f]{16}|p-[0-9a-f]{16})")
# a step's id is random too, and only ever names its own write
STEP_IDS = {"step_id"}
# an audit row's hash covers the contact ids it names
HASHES = {"hash", "prev_hash", "last_hash"}


def in_any_order(parts: dict[str, Any]) -> dict[str, Any]:
    """A kept MI day's counts: their lists and names are in the order the server
    returned rows (PostgreSQL's order moves with how its rows were updated), the counts
    are what count."""
    return {
        k: sorted(v, key=repr)
        if isinstance(v, list)
        else dict(sorted(v.items()))
        if isinstance(v, dict)
        else v
        for k, v in parts.items()
    }


@pytest.fixture(params=["sqlite", "postgresql"])
def two_databases(request, tmp_path) -> Iterator[tuple[str, str]]:
    """Two migrated databases of the test's own, on SQLite or a PostgreSQL server."""
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        yield copy_sqlite(template, tmp_path / "a.db"), copy_sqlite(template, tmp_path / "b.db")
        return
    admin = request.getfixturevalue("postgres_admin")
    template = request.getfixturevalue("postgres_template")
    names = [_create_database(admin, template) for _ in range(2)]
    try:
        yield _url_of(admin, names[0]), _url_of(admin, names[1])
    finally:
        for name in names:
            _drop_database(admin, name)


def simulated(url: str, writes: Writes) -> tuple[FrontDoor, Any, dict[str, Any]]:
    front = open_front_door(load_settings(db=url), clock=FakeClock(), migrate=False)
    front.load_demo_directory()
    result = simulate(
        functools.partial(records_on, front),
        front.library.scripts,
        front.index,
        START,
        DAYS,
        2000,  # about 75 calls a weekday: chases, referrals and team moves in two days
        seed=3,
        writes=writes,
    )
    report = build_report(
        front.sessions,
        Period(START, START + dt.timedelta(days=DAYS - 1)),
        front.mi_settings(),
        dt.datetime(2026, 11, 23, tzinfo=dt.UTC),
        {},
        front.matches_now,
    ).to_json()
    report.pop("made_at")
    return front, result, report


def every_row(front: FrontDoor) -> dict[str, list[str]]:
    """Each table's rows, random ids renamed by first appearance in the audit chain,
    step ids and hashes left out, in a stable order (a row's own number, where it has
    one, keeps the order rows were written in)."""
    tables = MetaData()
    tables.reflect(front.engine)
    names: dict[str, str] = {}

    def renamed(value: object) -> object:
        if isinstance(value, str):
            return RANDOM_ID.sub(lambda m: names.setdefault(m[0], f"id{len(names)}"), value)
        return value

    found: dict[str, list[str]] = {}
    with front.engine.connect() as connection:
        audit = tables.tables["audit_events"]
        ordered = ["audit_events", *sorted(t for t in tables.tables if t != "audit_events")]
        for name in ordered:
            table = tables.tables[name]
            query = select(table)
            if name == "audit_events":
                query = query.order_by(audit.c.seq)
            rows = []
            for row in connection.execute(query):
                kept = {
                    k: renamed(v) for k, v in row._mapping.items() if k not in STEP_IDS | HASHES
                }
                if name == "mi_days":
                    kept["parts"] = in_any_order(kept["parts"])
                rows.append(repr(sorted(kept.items())))
            found[name] = rows if name == "audit_events" else sorted(rows)
    return found


@pytest.mark.long
def test_a_call_written_as_one_batch_gives_the_rows_of_a_step_at_a_time(two_databases):
    each, each_result, each_report = simulated(two_databases[0], "each")
    batched, batched_result, batched_report = simulated(two_databases[1], "batched")
    before, after = every_row(each), every_row(batched)
    # the hashes are left out of the rows compared (they cover random ids): each chain
    # must still verify, the batched one written as its held transactions committed
    chains = [front.trail.verify() for front in (each, batched)]
    for front in (each, batched):
        front.engine.dispose()
    assert [(c.ok, c.problems) for c in chains] == [(True, [])] * 2
    assert chains[0].rows == chains[1].rows == len(before["audit_events"])
    # enough of everything to show it: answers and ends, searches, services chosen,
    # referrals made and chased, the teams' answers, and an audit row for each write
    assert each_result.contacts > 100 and each_result.chases > 0
    assert each_result.referrals > 20 and each_result.team_moves > 0
    for table in ("answers", "script_ends", "searches", "contact_services", "step_receipts"):
        assert len(before[table]) > each_result.contacts / 3, table
    assert len(before["audit_events"]) > len(before["step_receipts"])
    assert set(after) == set(before)
    for table in before:
        assert after[table] == before[table], table
    assert batched_result == each_result
    assert batched_report == each_report


@pytest.mark.long
def test_the_bench_times_both_ways_in_one_run_and_says_what_it_ran(tmp_path):
    # a day at a few hundred calls a month, as the bench runs a week (the month is the
    # batched run again, over more days: not run here, to keep the suite short)
    settings = load_settings(db=f"sqlite:///{tmp_path / 'unused.db'}")
    result = run_bench(settings, None, "SQLite", None, per_month=300, week=1, month=None)
    each, batched = result["week_each"], result["week_batched"]
    assert (each["writes"], batched["writes"]) == ("each", "batched")
    assert each["contacts"] == batched["contacts"] > 0 and result["month_batched"] is None
    assert all(r["wall_s"] > 0 and r["cpu_s"] > 0 for r in (each, batched))
    assert result["times_faster"] == round(each["wall_s"] / batched["wall_s"], 2)
    assert result["times_less_cpu"] == round(each["cpu_s"] / batched["cpu_s"], 2)
    words = "\n".join(describe([result]))
    assert "1 days, step by step" in words and "1 days, batched" in words
    assert not (tmp_path / "unused.db").exists()  # scratch databases only
    refused = CliRunner().invoke(main, ["simulate", "--bench", "--server", "sqlite:///x.db"])
    assert refused.exit_code == 2 and "a PostgreSQL URL" in refused.output
    alone = CliRunner().invoke(main, ["simulate", "--json", "--db", settings.db])
    assert alone.exit_code == 2 and "go with --bench" in alone.output
    alone = CliRunner().invoke(main, ["simulate", "--month-only", "--db", settings.db])
    assert alone.exit_code == 2 and "go with --bench" in alone.output
    # the month alone (--month-only): no weeks beside it
    month = run_bench(settings, None, "SQLite", None, per_month=300, week=None, month=1)
    assert month["week_each"] is None and month["times_faster"] is None
    assert month["month_batched"] is not None and month["month_batched"]["contacts"] > 0
    words = "\n".join(describe([month]))
    assert "1 days, batched, run whole" in words and "days, step by step" not in words
