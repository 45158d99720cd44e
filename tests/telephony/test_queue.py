"""A queue_log with figures worked out by hand (tests/telephony/queue_log, 12 May 2026,
summer time, so local is UTC+1):

- calls today: 1001 answered after 12 s and completed at 09:05; 1002 abandoned after 3 s
  (a short abandon); 1003 (professionals) answered after 30 s, still talking; 1004
  abandoned after 45 s; 1005 waiting since 09:04; 1006 left by timeout. 1000 was yesterday.
- agents: 201, 202 and 203 signed in at 08:00; 203 paused at 08:30.
- one line is not a queue_log line, one has a time that is not a number, one repeats an
  earlier line.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from click.testing import CliRunner

from frontdoor.console.cli import main
from frontdoor.db.engine import make_engine, make_session_factory
from frontdoor.telephony.ingest import follow
from tests.conftest import copy_sqlite

LOG = Path(__file__).parent / "queue_log"


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_ingest_counts_bad_lines_and_reads_each_line_once(db_url):
    run("db", "upgrade", "--db", db_url)  # commands other than this never create one
    first = json.loads(run("queue", "ingest", str(LOG), "--json", "--db", db_url).output)
    assert (first["lines"], first["added"], first["already_held"]) == (21, 18, 1)
    assert [u["line"] for u in first["unreadable"]] == [13, 20]
    again = json.loads(run("queue", "ingest", str(LOG), "--json", "--db", db_url).output)
    assert (again["added"], again["already_held"]) == (0, 19)


def stats(db_url: str, at: str) -> dict:
    run("db", "upgrade", "--db", db_url)
    run("queue", "ingest", str(LOG), "--db", db_url)
    return json.loads(run("queue", "stats", "--json", "--at", at, "--db", db_url).output)


def test_the_live_figures_as_of_a_moment(db_url):
    s = stats(db_url, "2026-05-12T10:10:00")  # local: 09:10 UTC
    assert s["at"] == "2026-05-12T10:10:00+01:00"
    total = s["total"]
    assert {
        k: total[k]
        for k in (
            "offered",
            "answered",
            "abandoned",
            "short_abandoned",
            "waiting",
            "longest_wait_seconds",
        )
    } == {
        "offered": 6,
        "answered": 2,
        "abandoned": 2,
        "short_abandoned": 1,
        "waiting": 1,
        "longest_wait_seconds": 360,
    }
    assert total["abandon_rate"] == 0.2  # (2 - 1) / (6 - 1)
    assert total["service_level"] == 0.3333  # 1001 within 20 s, of 2 + 2 - 1
    assert total["asa_seconds"] == 21.0  # (12 + 30) / 2
    public, professionals = s["queues"]["public"], s["queues"]["professionals"]
    assert (public["offered"], public["service_level"], public["abandon_rate"]) == (5, 0.5, 0.25)
    assert (professionals["answered"], professionals["service_level"]) == (1, 0.0)
    assert s["handlers"] == {
        "logged_in": 3,
        "available": 1,
        "on_call": 1,
        "wrap_up": 0,
        "paused": 1,
    }
    # with no contacts in the record today, these rates are not available
    assert total["fcr_declared"] is None and total["failure_demand_share"] is None


def test_wrap_up_lasts_the_queues_wrap_up_time(db_url):
    handlers = stats(db_url, "2026-05-12T10:05:30")["handlers"]  # 30 s after 1001 ended
    assert (handlers["on_call"], handlers["wrap_up"]) == (1, 1)


def test_following_survives_rotation(tmp_path, sqlite_template):
    engine = make_engine(copy_sqlite(sqlite_template, tmp_path / "f.db"))
    sessions = make_session_factory(engine)
    path = tmp_path / "queue_log"
    lines = LOG.read_text().splitlines(keepends=True)
    path.write_text("".join(lines[:8]))

    def finish_the_line() -> None:
        with path.open("a") as handle:
            handle.write("\n")

    # `follow` asks `stop` before each look at the file: each answer moves the PBX on a step,
    # so the test drives it look by look instead of sleeping and hoping it has looked.
    pbx = iter(
        [
            lambda: None,  # the first look reads the first 8 lines
            lambda: path.rename(tmp_path / "queue_log.1"),  # rotated, no new file yet
            lambda: path.write_text(
                "".join(lines[8:]) + "1778577000|1009.1|public|NONE|ENTERQUEUE||0111|1"
            ),  # the new file, its last line half-written
            finish_the_line,
        ]
    )

    def stop() -> bool:
        step = next(pbx, None)
        if step is None:
            return True
        step()
        return False

    added: list[int] = []
    report = follow(sessions, path, poll=0, stop=stop, on_report=lambda r: added.append(r.added))
    assert added == [8, 18, 19]  # the half-written line waited for its end
    assert report.added == 19  # 18 distinct events of the file, and 1009's arrival
    assert [n for n, _ in report.unreadable] == [5, 12]  # numbered within the new file
    engine.dispose()
    assert dt.datetime.fromtimestamp(1778577000, dt.UTC).date() == dt.date(2026, 5, 12)


def test_the_wallboard_benchmark_prints_a_day_and_a_year(tmp_path):
    run("db", "upgrade", "--db", f"sqlite:///{tmp_path / 'b.db'}")
    result = json.loads(
        run(
            "queue",
            "bench",
            "--per-month",
            "300",
            "--json",
            "--db",
            f"sqlite:///{tmp_path / 'b.db'}",
        ).output
    )
    assert set(result["history"]) == {"day", "year"}
    assert result["history"]["year"]["events"] > 100 * result["history"]["day"]["events"]
    assert result["history"]["day"]["refresh_p50_ms"] > 0
