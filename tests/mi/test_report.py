"""Every figure on a small month of contacts whose answers were worked out by hand
(tests/mi/march.jsonl; the working is in the comments). The edges: a short abandon, a wait
equal to the service-level threshold, null caller keys, contacts with no outcome, a repeat
window that runs past the period, and the change to summer time on 29 March."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from frontdoor.console.cli import main
from tests.conftest import filled_db_url

MARCH = Path(__file__).parent / "march.jsonl"


def mi_report(db: str, as_of: str = "2026-04-20T00:00:00Z", fmt: str = "json") -> dict | str:
    """`frontdoor mi report` for March 2026, as it stood at `as_of`."""
    result = CliRunner().invoke(
        main,
        [
            "mi",
            "report",
            "--from",
            "2026-03-01",
            "--to",
            "2026-03-31",
            "--as-of",
            as_of,
            "--format",
            fmt,
            "--db",
            db,
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.output) if fmt == "json" else result.output


def import_march(db: str) -> None:
    loaded = CliRunner().invoke(main, ["contacts", "import", str(MARCH), "--db", db])
    assert loaded.exit_code == 0, loaded.output


@pytest.fixture(params=["sqlite", "postgresql"])
def march_url(request, tmp_path):
    """March imported once per run on each database, copied for each test."""
    return filled_db_url(request, tmp_path, "march", import_march)


@pytest.fixture
def report(march_url):
    return lambda as_of="2026-04-20T00:00:00Z", fmt="json": mi_report(march_url, as_of, fmt)


def test_counts_and_declared_fcr(report):
    r = report()
    # c1..c12 in March; c13 is in April. Handled: an outcome other than incomplete, and for
    # phone calls answered: c1 c2 c3 c6 c7 c8 c9 c10 (not c4 c5 abandoned, c11 no outcome,
    # c12 incomplete).
    assert (r["contacts"], r["handled"]) == (12, 8)
    fcr = r["fcr_declared"]
    assert fcr["overall"] == {"rate": 0.75, "n": 8}  # resolved: c1 c3 c6 c7 c8 c10
    assert fcr["by_category"] == {
        "social_care": {"rate": 0.6667, "n": 3},
        "physical_health": {"rate": 1.0, "n": 3},
        "mental_health": {"rate": 0.5, "n": 2},
    }
    assert fcr["by_caller_type"] == {
        "public": {"rate": 0.6667, "n": 6},
        "carer": {"rate": 1.0, "n": 1},
        "professional": {"rate": 1.0, "n": 1},
    }
    assert fcr["by_channel"] == {
        "phone": {"rate": 0.6667, "n": 6},
        "email": {"rate": 1.0, "n": 1},
        "face_to_face": {"rate": 1.0, "n": 1},
    }
    assert fcr["by_handler"] == {"a": {"rate": 1.0, "n": 5}, "b": {"rate": 0.3333, "n": 3}}


def test_verified_fcr_looks_past_the_period_and_never_matches_null_keys(report):
    # Declared resolved: c1 c3 c6 c7 c8 c10. Repeats: c1 (c2, same caller, 3 days later),
    # c6 (c9, same person, 6 days later), c10 (c13 in April, same caller). c7 and c8 both
    # have no keys: they never match. Verified: c3 c7 c8.
    v = report()["fcr_verified"]
    assert v["overall"] == {"rate": 0.5, "n": 6}
    assert v["by_category"] == {
        "social_care": {"rate": 0.0, "n": 2},
        "physical_health": {"rate": 1.0, "n": 3},
        "mental_health": {"rate": 0.0, "n": 1},
    }
    assert v["window_days"] == 7
    # On 3 April, c10's window (to 6 April, 09:00) is still open: it is left out.
    early = report("2026-04-03T00:00:00Z")["fcr_verified"]
    assert early["overall"] == {"rate": 0.6, "n": 5}


def test_failure_demand_with_its_pareto_and_weeks(report):
    fd = report()["failure_demand"]
    # Tagged: c1 c2 c3 c6 c7 c8 c9 c10 (8); failure: c2 repeat, c3 chasing.
    assert fd["share"] == {"rate": 0.25, "n": 8}
    assert fd["by_code"] == {"progress_chasing": 1, "repeat_contact": 1}
    assert fd["by_category"]["mental_health"] == {"rate": 0.0, "n": 2}
    assert fd["by_week"] == {
        "2026-W10": {"rate": 0.6667, "n": 3},
        "2026-W11": {"rate": 0.0, "n": 3},
        "2026-W12": {"rate": 0.0, "n": 1},
        "2026-W14": {"rate": 0.0, "n": 1},
    }


def test_queue_figures(report):
    q = report()["queue"]
    # Offered: every phone contact in March (10). Answered 8; abandoned c4 (3 s: short) and
    # c5 (40 s). Within 20 s: all but c2 (30 s); c3 waited exactly 20 s and counts.
    assert (q["offered"], q["answered"], q["abandoned"], q["short_abandoned"]) == (10, 8, 2, 1)
    assert q["abandon_rate"] == {"rate": 0.1111, "n": 9}  # (2 - 1) / (10 - 1)
    assert q["service_level"] == {"rate": 0.7778, "n": 9}  # 7 / (8 + 2 - 1)
    assert q["asa_seconds"] == 11.9  # (10+30+20+5+5+15+5+5) / 8 = 11.875
    assert q["aht_seconds"] == 548.6  # (590+330+700+300+1200+600+120) / 7; c11 has no wrap
    # no telephone system fed March: the contacts' figures, every phone call "public"
    assert q["source"] == "contacts"
    assert q["by_queue"] == {
        "public": {k: v for k, v in q.items() if k not in ("source", "by_queue")}
    }


def test_demand_by_local_hour_and_weekday(report):
    r = report()
    # c10 and c11 arrived at 09:00 UTC after the clocks went forward: 10:00 local.
    hours = {h: n for h, n in r["by_hour"].items() if n}
    assert hours == {"8": 1, "9": 2, "10": 3, "11": 2, "12": 2, "14": 1, "15": 1}
    assert r["by_weekday"] == {"mon": 3, "tue": 5, "wed": 2, "thu": 1, "fri": 1, "sat": 0, "sun": 0}


def test_destinations_unmet_need_and_script_paths(report):
    r = report()
    dest = {k: (v["signposted"], v["referred"]) for k, v in r["destinations"].items()}
    assert dest == {"carers-support-service": (2, 0), "adult-social-care-assessment": (0, 1)}
    # c1 found nothing for "lunch club" and was signposted elsewhere; c8 found nothing for
    # "chiropodist". c3's "Chiropody for mum" showed the podiatry service, which c3 chose
    # (from its "podiatry" search): a need met, not counted. The directory here is empty.
    assert r["unmet_need"] == [
        {
            "query": "chiropodist",
            "category": "physical_health",
            "count": 1,
            "variants": ["chiropodist"],
            "kind": "nothing_found",
            "matches_now": False,
        },
        {
            "query": "lunch club",
            "category": "social_care",
            "count": 1,
            "variants": ["lunch club"],
            "kind": "nothing_found",
            "matches_now": False,
        },
    ]
    assert r["scripts"]["mental-health@1"] == {
        "ends": {"crisis_team": 1},
        "stopped_at": {},
        "red_flags": 1,
    }
    assert r["scripts"]["falls@1"]["stopped_at"] == {"cannot_get_up": 1}
    assert r["scripts"]["reason-for-call@1"]["stopped_at"] == {"danger_now": 1}


def test_a_rate_with_no_contacts_is_not_available(tmp_path):
    db = f"sqlite:///{tmp_path / 'empty.db'}"
    CliRunner().invoke(main, ["db", "upgrade", "--db", db])
    result = CliRunner().invoke(
        main, ["mi", "report", "--from", "2026-03-01", "--to", "2026-03-31", "--db", db]
    )
    r = json.loads(result.output)
    assert r["fcr_declared"]["overall"] == {"rate": None, "n": 0}
    assert r["queue"]["service_level"] == {"rate": None, "n": 0}
    assert r["queue"]["asa_seconds"] is None


def test_export_then_import_gives_the_same_report(report, march_url, tmp_path):
    first = report()
    db = march_url
    out = tmp_path / "export.jsonl"
    CliRunner().invoke(main, ["contacts", "export", "--out", str(out), "--db", db])
    other = f"sqlite:///{tmp_path / 'other.db'}"
    CliRunner().invoke(main, ["db", "upgrade", "--db", other])
    assert CliRunner().invoke(main, ["contacts", "import", str(out), "--db", other]).exit_code == 0
    assert mi_report(other) == first


def test_other_formats_carry_the_same_figures(report):
    csv_text = report(fmt="csv")
    assert "fcr_declared,overall,,0.75,8" in csv_text
    assert "unmet_need,nothing_found,physical_health: chiropodist (no match now),1," in csv_text
    markdown = report(fmt="md")
    assert "Declared: 75.0% (n=8)" in markdown and "| Social care | 66.7% (n=3)" in markdown
    html = report(fmt="html")
    assert html.startswith("<!DOCTYPE html>") and "<svg" in html and "<script" not in html


def test_the_reports_for_people_say_names_in_words_and_what_fcr_means(report):
    """Markdown and HTML are read by people: categories, demand codes, scripts and their
    ends in words, and a line on what declared and verified mean (mi-definitions.md)."""
    for fmt in ("md", "html"):
        text = report(fmt=fmt)
        for words in (
            "Social care",
            "Progress chasing",
            "Carers support service",  # recorded by id only: its id in words
            "Mental health, including crisis (version 1)",
            "Crisis team",
            "Cannot get up",
            "Declared: of the contacts handled, the share the handler closed with an outcome",
            "Advice or self-care given, Resolved in the call, Signposted to a service",
            "Verified: of the contacts declared resolved, the share with no later contact",
            "within 7 days",
            "Nothing found",
            "Found, not chosen",
            "no match now",
        ):
            assert words in text, (fmt, words)
        for code in ("social_care", "progress_chasing", "mental-health", "crisis_team"):
            assert code not in text, (fmt, code)
