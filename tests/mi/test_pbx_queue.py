"""The report's queue figures from the telephone system (tests/mi/pbx_day.queue_log, 12 May
2026, summer time: local is UTC+1), worked by hand, and the same as the wallboard's at the
day's end, key by key.

The day (local times; "public" unless said; the wait is CONNECT's or ABANDON's logged time,
which here is also the time between the lines):
- 2001 answered after 8 s, talked 300 s; 2002 abandoned after 3 s (short); 2003 answered
  after exactly 20 s (within the service level), talked 600 s; 2004 abandoned after 50 s;
  2005 (professionals) answered after 35 s, talked 400 s, then transferred; 2006
  (professionals) answered after 5 s, talked 120 s; 2007 left by timeout after 300 s;
  2008 answered after 21 s by an agent on a Local channel, talked 180 s, after a ring not
  answered; 2009 (professionals) abandoned after 4 s (short); 2012 answered after 13 s,
  talked 600 s; 2010 entered at 23:59:50 and was answered at 00:00:05, the next day.
- Not the day's: 2000 entered at 23:58 the evening before; 2011 at 00:10 the day after.

Offered 11 (8 public, 3 professionals); answered 6 (4, 2): 2010 was still waiting when
the day ended; abandoned 3 (2, 1), of them short 2 (1, 1).
Abandonment (3 − 2) ÷ (11 − 2) = 0.1111; public (2 − 1) ÷ (8 − 1) = 0.1429; professionals
(1 − 1) ÷ (3 − 1) = 0.0.
Service level: within 20 s 2001, 2003, 2006, 2012: 4 ÷ (6 + 3 − 2) = 0.5714; public 3 ÷
(4 + 2 − 1) = 0.6; professionals 1 ÷ (2 + 1 − 1) = 0.5.
Speed of answer (8 + 20 + 35 + 5 + 21 + 13) ÷ 6 = 17.0; public 62 ÷ 4 = 15.5; professionals
40 ÷ 2 = 20.0.
Handle time: talk and the queue's 60 s of wrap-up (config/queues.yaml): (360 + 660 + 460
+ 180 + 240 + 660) ÷ 6 = 426.7; public 1920 ÷ 4 = 480.0; professionals 640 ÷ 2 = 320.0.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from frontdoor.console.cli import main
from frontdoor.mi.pbx_bench import describe as describe_month
from tests.conftest import filled_db_url

DAY = Path(__file__).parent / "pbx_day.queue_log"
# the keys the report and the wallboard both have (the wallboard's rates without their n)
SHARED = ("offered", "answered", "abandoned", "short_abandoned", "asa_seconds")
RATES = ("abandon_rate", "service_level")


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def report_text(db: str, start: str, end: str, as_of: str, fmt: str = "json") -> str:
    period = ("--from", start, "--to", end, "--as-of", as_of, "--format", fmt)
    return run("mi", "report", *period, "--db", db)


def report(db: str, start: str, end: str, as_of: str = "2026-06-01T09:00") -> dict:
    return json.loads(report_text(db, start, end, as_of))


def ingest_the_day(db: str) -> None:
    run("queue", "ingest", str(DAY), "--db", db)


@pytest.fixture(params=["sqlite", "postgresql"])
def pbx_day(request, tmp_path):
    """The day's queue_log read once per run on each database, copied for each test."""
    return filled_db_url(request, tmp_path, "pbx_day", ingest_the_day)


def test_the_days_queue_figures_come_from_the_telephone_system(pbx_day):
    q = report(pbx_day, "2026-05-12", "2026-05-12")["queue"]
    assert q["source"] == "pbx"
    assert (q["offered"], q["answered"], q["abandoned"], q["short_abandoned"]) == (11, 6, 3, 2)
    assert q["abandon_rate"] == {"rate": 0.1111, "n": 9}
    assert q["service_level"] == {"rate": 0.5714, "n": 7}
    assert (q["asa_seconds"], q["aht_seconds"]) == (17.0, 426.7)
    assert list(q["by_queue"]) == ["professionals", "public"]
    public, professionals = q["by_queue"]["public"], q["by_queue"]["professionals"]
    assert (public["offered"], public["answered"], public["abandoned"]) == (8, 4, 2)
    assert public["abandon_rate"] == {"rate": 0.1429, "n": 7}
    assert public["service_level"] == {"rate": 0.6, "n": 5}
    assert (public["asa_seconds"], public["aht_seconds"]) == (15.5, 480.0)
    assert professionals["abandon_rate"] == {"rate": 0.0, "n": 2}
    assert professionals["service_level"] == {"rate": 0.5, "n": 2}
    assert (professionals["asa_seconds"], professionals["aht_seconds"]) == (20.0, 320.0)
    # each queue has the total's keys, but for where they came from and the breakdown
    assert set(public) == set(q) - {"source", "by_queue"}


def test_the_report_for_a_day_agrees_with_the_wallboard_at_its_end(pbx_day):
    q = report(pbx_day, "2026-05-12", "2026-05-12")["queue"]
    live = json.loads(
        run("queue", "stats", "--json", "--at", "2026-05-12T23:59:59.999999", "--db", pbx_day)
    )
    assert live["total"]["waiting"] == 1  # 2010, answered after midnight
    pairs = [(q, live["total"])] + [(q["by_queue"][n], live["queues"][n]) for n in live["queues"]]
    assert set(q["by_queue"]) == set(live["queues"])
    for ours, theirs in pairs:
        assert {k: ours[k] for k in SHARED} == {k: theirs[k] for k in SHARED}
        assert {k: ours[k]["rate"] for k in RATES} == {k: theirs[k] for k in RATES}


def test_a_period_reads_its_calls_as_they_stood_at_its_end(pbx_day):
    # the next day's report: 2011 only (2010 entered the day before, whenever answered)
    next_day = report(pbx_day, "2026-05-13", "2026-05-13")["queue"]
    assert (next_day["source"], next_day["offered"], next_day["answered"]) == ("pbx", 1, 1)
    # both days together: 2010's answer at 00:00:05 is inside the period now
    both = report(pbx_day, "2026-05-12", "2026-05-13")["queue"]
    assert (both["offered"], both["answered"]) == (12, 8)
    # made at 12:00 on the day, the report sees the calls up to then, as the wallboard
    # does: 2009 entered at 12:00:00 and has not yet hung up
    midday = report(pbx_day, "2026-05-12", "2026-05-12", as_of="2026-05-12T12:00")["queue"]
    assert (midday["offered"], midday["answered"], midday["abandoned"]) == (9, 5, 2)


def test_without_queue_events_the_figures_come_from_the_contacts(pbx_day):
    q = report(pbx_day, "2026-05-20", "2026-05-20")["queue"]
    assert (q["source"], q["offered"], q["by_queue"]) == ("contacts", 0, {})


def test_the_text_and_html_reports_say_where_the_figures_came_from(pbx_day):
    def rendered(fmt: str) -> str:
        return report_text(pbx_day, "2026-05-12", "2026-05-12", "2026-06-01T09:00", fmt)

    markdown = rendered("md")
    assert "From the telephone system's queue log" in markdown
    assert "| public | 8 | 4 | 2 (1) | 14.3% (n=7) | 60.0% (n=5) | 15.5 s | 480 s |" in markdown
    assert (
        "| all queues | 11 | 6 | 3 (2) | 11.1% (n=9) | 57.1% (n=7) | 17 s | 426.7 s |" in markdown
    )
    html = rendered("html")
    assert "From the telephone system&#x27;s queue log" in html
    assert "<tr><td>professionals</td><td>3</td><td>2</td><td>1 (1)</td>" in html
    csv_text = rendered("csv")
    assert "queue,source,,pbx," in csv_text and "queue,abandon_rate,public,0.1429,7" in csv_text


def test_the_month_benchmark_reads_the_queue_log_it_wrote():
    month = json.loads(
        run("mi", "bench", "--queue-log", "--queue-year", "--per-month", "100", "--json")
    )
    pbx, contacts, year = month["pbx_source"], month["contacts_source"], month["year"]
    assert pbx["offered"] == month["calls"] > 0  # every call it wrote, from the queue_log
    assert contacts["offered"] > 0 and month["contacts"] >= contacts["offered"]
    assert all(t > 0 for t in (pbx["report_seconds"], contacts["queue_seconds"]))
    # the year's queue_log holds March's calls and eleven months' more
    assert year["offered"] > 8 * pbx["offered"] and year["queue_events"] > month["queue_events"]
    # read from kept days, the year's and March's figures are those made from scratch
    assert year["same_figures"] is True
    words = "\n".join(describe_month(month))
    assert "the whole report in" in words and "the year's queue figures alone in" in words
    assert "from kept days" in words and "the same key by key as from scratch" in words


def test_a_call_that_falls_over_counts_in_each_queue_in_the_report_and_on_the_wallboard(
    tmp_path,
):
    """3001 waits 60 s in public, leaves it empty, enters professionals and is answered
    there after 10 s; 3002 waits 5 s in public and is answered there (Asterisk's
    own times: 30 May 2026 10:00 local)."""
    log = tmp_path / "fall_over.queue_log"
    log.write_text(
        "1780131600|3001.1|public|NONE|ENTERQUEUE||01724000930|1\n"
        "1780131660|3001.1|public|NONE|EXITEMPTY|1|1|60\n"
        "1780131660|3001.1|professionals|NONE|ENTERQUEUE||01724000930|1\n"
        "1780131670|3001.1|professionals|PJSIP/202|CONNECT|10|3001.2|2\n"
        "1780131700|3002.1|public|NONE|ENTERQUEUE||01724000931|1\n"
        "1780131705|3002.1|public|PJSIP/201|CONNECT|5|3002.2|2\n",
        encoding="utf-8",
    )
    db = f"sqlite:///{tmp_path / 'fall_over.db'}"
    run("db", "upgrade", "--db", db)
    run("queue", "ingest", str(log), "--db", db)
    q = report(db, "2026-05-30", "2026-05-30")["queue"]
    public, professionals = q["by_queue"]["public"], q["by_queue"]["professionals"]
    # offered once in each queue it entered; answered only where it was answered
    assert (q["offered"], q["answered"], q["abandoned"]) == (3, 2, 0)
    assert (public["offered"], public["answered"], public["asa_seconds"]) == (2, 1, 5.0)
    assert (professionals["offered"], professionals["answered"]) == (1, 1)
    assert professionals["asa_seconds"] == 10.0  # its wait in that queue, not 70 s
    assert public["abandon_rate"] == {"rate": 0.0, "n": 2}
    live = json.loads(run("queue", "stats", "--json", "--at", "2026-05-30T23:59:59", "--db", db))
    assert set(live["queues"]) == {"public", "professionals"}
    for name in live["queues"]:
        ours, theirs = q["by_queue"][name], live["queues"][name]
        assert {k: ours[k] for k in SHARED} == {k: theirs[k] for k in SHARED}
