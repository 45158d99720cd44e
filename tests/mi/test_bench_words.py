"""The benchmarks print their figures in full words, with units, and say what "ours" and
"baseline" are: each printed line is checked on figures given, not timed."""

from __future__ import annotations

from frontdoor.directory.bench import describe as describe_search
from frontdoor.mi.bench import describe as describe_report
from frontdoor.mi.live_bench import describe as describe_wallboard


def test_the_search_benchmark_says_what_ours_and_the_baseline_are():
    row = {
        "ours_p50_ms": 0.1824,
        "ours_p95_ms": 0.3811,
        "baseline_p50_ms": 4.17,
        "baseline_p95_ms": 5.65,
        "baseline_queries": 20,
        "queries": 200,
        "ratio_p95": 14.8,
    }
    quality = {"queries": 40, "services": 1210, "ours_top5": 0.925, "baseline_top5": 0.55}
    text = "\n".join(
        describe_search({"sizes": {"50000": row}, "quality": quality, "quality_held_out": quality})
    )
    assert "Ours: Front Door's search index" in text
    assert "Baseline: the search a first version would write, rapidfuzz's WRatio" in text
    assert "milliseconds (ms)" in text and "95th percentile: 95 searches in 100" in text
    assert (
        " 50,000 services, 200 searches (the baseline timed on 20 of them): ours median "
        "0.182 ms, 95th percentile 0.381 ms; baseline median 4.17 ms, 95th percentile 5.65 "
        "ms; at the 95th percentile the baseline takes 14.8 times as long as ours"
    ) in text
    assert "a right service in the first 5 results for 92% of them (ours) and 55%" in text
    assert "40 held-out labelled searches" in text
    for code in ("p50", "p95", "ratio", "top5"):
        assert code not in text


def test_the_search_benchmark_says_the_keystroke_and_build_figures_in_words():
    spread = {"p50_ms": 0.31, "p95_ms": 1.2, "max_ms": 9.5}
    result = {
        "sizes": {},
        "keystroke": {
            "size": 10000,
            "keystrokes": 438,
            "runs": 3,
            "ours": spread,
            "ours_open_now": spread,
            "ours_open_now_cpu": {"p50_ms": 0.3, "p95_ms": 1.1, "max_ms": 4.0},
            "baseline": {"p50_ms": 23.4, "p95_ms": 46.0, "max_ms": 63.7},
            "load": (3.5, 2.25, 1.0),
        },
        "build": {
            "size": 100000,
            "runs": 3,
            "ours_build_s": 2.21,
            "ours_build_cpu_s": 1.9,
            "baseline_build_s": 0.2,
            "directory_mb": 90.0,
            "ours_peak_mb": 190.0,
            "baseline_peak_mb": 896.0,
        },
    }
    text = "\n".join(describe_search(result))
    assert "one search per keystroke (438 keystrokes, 10,000 services; the median of 3 runs" in (
        text
    )
    assert (
        "open now (at each keystroke's moment): median 0.31 ms, 95th percentile 1.20 ms, "
        "longest 9.50 ms"
    ) in text
    assert "in CPU time (what they cost, whatever else the machine ran): median 0.30 ms" in text
    assert "baseline, rapidfuzz's WRatio over the names: median 23.40 ms" in text
    assert "load averages at the end (1, 5 and 15 minutes): 3.50, 2.25, 1.00" in text
    assert "Building the index of 100,000 services read from a database" in text
    assert "ours 2.21 s (1.90 s of CPU), the baseline's one string per service 0.20 s" in text
    assert "(VmHWM): 90 MB before reading, 190 MB with our index built, 896 MB" in text
    for code in ("p50", "p95", "_mb", "_s"):
        assert code not in text


def test_the_wallboard_benchmark_names_each_figure_and_its_unit():
    lines = describe_wallboard(
        {
            "database": "postgresql",
            "per_month": 12000,
            "refreshes": 20,
            "history": {
                "day": {
                    "events": 1300,
                    "contacts": 400,
                    "refresh_p50_ms": 3.94,
                    "refresh_max_ms": 15.8,
                },
                "year": {
                    "events": 480000,
                    "contacts": 144000,
                    "refresh_p50_ms": 8.41,
                    "refresh_max_ms": 18.5,
                },
            },
            "year_to_day": 2.13,
        }
    )
    assert "how long one refresh of the wallboard takes" in lines[0]
    assert "in milliseconds (ms), timed 20 times on postgresql, at 12,000 calls a month" in lines[0]
    assert lines[1].split() == (
        ["history", "queue", "events", "contacts", "median", "refresh", "slowest", "refresh"]
    )
    assert lines[3].split() == ["a", "year", "480,000", "144,000", "8.4", "ms", "18.5", "ms"]
    assert (
        lines[4]
        == "With a year behind it, the median refresh takes 2.13 times as long as with a day."
    )


def test_the_report_benchmark_says_what_it_timed_in_seconds():
    def row(months, contacts, seconds, ratio):
        return {
            "months": months,
            "contacts": contacts,
            "referrals": contacts // 6,
            "seconds": seconds,
            "seconds_without_referrals": round(seconds * 0.8, 3),
            "to_baseline": ratio,
        }

    lines = describe_report(
        {
            "database": "sqlite",
            "per_month": 12000,
            "years": 5,
            "contacts_written": 720886,
            "referrals_written": 120000,
            "write_seconds": 290.2,
            "first_report_seconds": 31.5,
            "baseline": row(1, 12000, 0.52, 1.0),
            "scratch_year": row(12, 144000, 6.1, 11.73),
            "ours": {"1": row(1, 12000, 0.02, 0.04), "12": row(12, 144000, 0.025, 0.05)},
            "year_to_month": 1.25,
        }
    )
    assert (
        "5 year(s) of made-up contacts at 12,000 a month (720,886 contacts and 120,000 "
        "referrals with their histories, chases and follow-ups, written in 290.2 seconds "
        "to a scratch sqlite database"
    ) in lines[0]
    assert "with the referral figures and without them (each the fastest of 3 runs)" in lines[0]
    assert lines[1].startswith("Baseline: the last month's report, and the last year's")
    assert lines[2].startswith("Ours: the reports reading what was kept")
    assert "kept them in 31.50 seconds, once" in lines[2]
    assert lines[3] == (
        "baseline,  1 month(s):  12,000 contacts,  2,000 referrals: the report made in 0.520 "
        "seconds with the referral figures, 0.416 without; 1.00 times the baseline month's time"
    )
    assert lines[4].startswith("baseline, 12 month(s): 144,000 contacts, 24,000 referrals")
    assert lines[6] == (
        "    ours, 12 month(s): 144,000 contacts, 24,000 referrals: the report made in 0.025 "
        "seconds with the referral figures, 0.020 without; 0.05 times the baseline month's time"
    )
    assert lines[7] == (
        "The year against the month, both read from what was kept, warm: the month in 0.020 "
        "seconds, the year in 0.025 seconds, 1.25 times the month's time (the goal: at most "
        "1.5); from the record, 0.520 and 6.100 seconds."
    )
