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
    assert "schema at 0001 (was empty)" in run("db", "upgrade", db=db).output
    assert run("db", "upgrade", db=db).output.strip() == "schema at 0001"
