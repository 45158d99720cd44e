"""The frontdoor command as a service lead or administrator uses it."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from frontdoor.console.cli import main
from frontdoor.triage_scripts.library import bundled_library_path
from tests.conftest import shared_path

FIXTURES = Path(__file__).parents[1] / "triage_scripts" / "fixtures"


def run(*args: str, db: str | None = None):
    extra = ["--db", db] if db else []
    return CliRunner().invoke(main, [*args, *extra], catch_exceptions=False)


def test_scripts_test_ends_with_passed_and_failed():
    result = run("scripts", "test", str(bundled_library_path()))
    assert result.exit_code == 0
    assert result.output.strip().splitlines()[-1].endswith(" passed, 0 failed")
    failing = run("scripts", "test", str(FIXTURES / "bad" / "r7_test_fails.yaml"))
    assert failing.exit_code == 1 and failing.output.strip().endswith("2 passed, 1 failed")


def test_scripts_lint_prints_file_line_rule_and_exits_1(tmp_path):
    db = f"sqlite:///{tmp_path / 'l.db'}"
    path = FIXTURES / "bad" / "r5_used_before_recorded.yaml"
    result = run("scripts", "lint", str(path), db=db)
    assert result.exit_code == 1
    assert f"{path}:25: R5 'lives_alone'" in result.output
    clean = run("scripts", "lint", "--no-directory", str(FIXTURES / "good"), db=db)
    assert clean.exit_code == 0, clean.output


def test_directory_import_reports_and_search_answers_in_json(tmp_path):
    db = f"sqlite:///{tmp_path / 'd.db'}"
    path = shared_path("data", "oruk", "bristol-council.json")
    result = run("directory", "import", str(path), "--json", db=db)
    assert result.exit_code == 0
    report = json.loads(result.output)
    assert (report["added"], len(report["refused"])) == (817, 2)
    again = json.loads(run("directory", "import", str(path), "--json", db=db).output)
    assert (again["added"], again["updated"], again["unchanged"]) == (0, 0, 817)
    found = json.loads(
        run("directory", "search", "carers suport", "--json", "--limit", "3", db=db).output
    )
    assert len(found) == 3 and {"id", "name", "score", "why"} <= set(found[0])
    assert "carer" in found[0]["name"].lower()


def test_bad_input_is_one_sentence_and_exit_2(tmp_path):
    db = f"sqlite:///{tmp_path / 'e.db'}"
    bad = tmp_path / "broken.json"
    bad.write_text("{not json")
    result = CliRunner().invoke(main, ["directory", "import", str(bad), "--db", db])
    assert result.exit_code == 2
    assert result.output.startswith("frontdoor: ") and "Traceback" not in result.output
    missing = CliRunner().invoke(
        main, ["directory", "import", str(tmp_path / "no.json"), "--db", db]
    )
    assert missing.exit_code == 2 and "there is no file" in missing.output


def test_db_upgrade_says_where_the_schema_is(tmp_path):
    db = f"sqlite:///{tmp_path / 'u.db'}"
    from frontdoor.db.engine import make_engine
    from frontdoor.db.migrate import head_revision

    head = head_revision(make_engine(db))
    assert f"schema at {head} (was empty)" in run("db", "upgrade", db=db).output
    assert run("db", "upgrade", db=db).output.strip() == f"schema at {head}"


def test_hsds_csv_import_export_and_filtered_search(tmp_path):
    db = f"sqlite:///{tmp_path / 'h.db'}"
    folder = shared_path("data", "hsds-3.0-examples", "csv")
    report = json.loads(run("directory", "import", str(folder), "--json", db=db).output)
    assert (report["format"], report["added"], report["refused"]) == ("hsds-csv", 1, [])
    assert any("contradict" in f["problem"] for f in report["flagged"])
    out = tmp_path / "export.json"
    run("directory", "export", "--format", "hsds", "--out", str(out), db=db)
    again = json.loads(run("directory", "import", str(out), "--json", db=db).output)
    assert (again["unchanged"], again["updated"]) == (1, 0)
    found = json.loads(
        run(
            "directory", "search", "counseling", "--json", "--age", "30", "--area", "AB2 1XX", db=db
        ).output
    )
    assert [f["id"] for f in found] == ["ac148810-d857-441c-9679-408f346de14b"]
    assert found[0]["not_checked_since"] == "2005-01-01"
    too_young = json.loads(
        run("directory", "search", "counseling", "--json", "--age", "8", db=db).output
    )
    assert too_young == []


def test_bench_prints_both_searches_and_the_ratio(tmp_path):
    db = f"sqlite:///{tmp_path / 'b.db'}"
    result = json.loads(
        run("directory", "bench", "--sizes", "300", "--queries", "20", "--json", db=db).output
    )
    row = result["sizes"]["300"]
    assert set(row) >= {
        "ours_p50_ms",
        "ours_p95_ms",
        "baseline_p50_ms",
        "baseline_p95_ms",
        "ratio_p95",
    }
    assert row["ratio_p95"] == round(row["baseline_p95_ms"] / row["ours_p95_ms"], 1)
