"""The frontdoor command as a service lead or administrator uses it."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from frontdoor.console.cli import main
from frontdoor.triage_scripts.library import bundled_library_path
from tests.conftest import copy_sqlite, shared_path

FIXTURES = Path(__file__).parents[1] / "triage_scripts" / "fixtures"


def run(*args: str, db: str | None = None):
    extra = ["--db", db] if db else []
    return CliRunner().invoke(main, [*args, *extra], catch_exceptions=False)


def new_db(path: Path) -> str:
    """A new, empty database: only `db upgrade` makes one (any other command refuses)."""
    db = f"sqlite:///{path}"
    assert run("db", "upgrade", db=db).exit_code == 0
    return db


def test_scripts_test_ends_with_passed_and_failed():
    result = run("scripts", "test", str(bundled_library_path()))
    assert result.exit_code == 0
    assert result.output.strip().splitlines()[-1].endswith(" passed, 0 failed")
    failing = run("scripts", "test", str(FIXTURES / "bad" / "r7_test_fails.yaml"))
    assert failing.exit_code == 1 and failing.output.strip().endswith("2 passed, 1 failed")


def test_scripts_lint_prints_file_line_rule_and_exits_1(tmp_path):
    db = new_db(tmp_path / "l.db")
    path = FIXTURES / "bad" / "r5_used_before_recorded.yaml"
    result = run("scripts", "lint", str(path), db=db)
    assert result.exit_code == 1
    assert f"{path}:25: R5 'lives_alone'" in result.output
    clean = run("scripts", "lint", "--no-directory", str(FIXTURES / "good"), db=db)
    assert clean.exit_code == 0, clean.output


def test_directory_import_reports_and_search_answers_in_json(tmp_path):
    db = new_db(tmp_path / "d.db")
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
    db = new_db(tmp_path / "e.db")
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
    db = new_db(tmp_path / "h.db")
    folder = shared_path("data", "hsds-3.0-examples", "csv")
    report = json.loads(run("directory", "import", str(folder), "--json", db=db).output)
    assert (report["format"], report["added"], report["refused"]) == ("hsds-csv", 1, [])
    assert any("contradict" in f["problem"] for f in report["flagged"])
    assert report["skipped_rows"] == [] and "languages.csv" in report["tables_not_read"]
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
    assert [(f["id"], f["fits"], f["filters"]["age"]) for f in too_young] == [
        ("ac148810-d857-441c-9679-408f346de14b", False, "fail")  # set aside, not hidden
    ]


def test_search_lists_what_fits_first_and_what_the_filters_set_aside_after(
    tmp_path, sqlite_directory_template
):
    db = copy_sqlite(sqlite_directory_template, tmp_path / "demo.db")
    args = ["directory", "search", "lunch club", "--area", "DN35 8LN", "--age", "82"]
    found = json.loads(run(*args, "--json", db=db).output)
    first, *others = found
    assert (first["id"], first["fits"], first["set_aside"]) == ("lunch-club-seaview", True, False)
    assert first["filters"] == {
        "area": "pass",
        "age": "pass",
        "caller_type": "pass",
        "open_now": "pass",
    }
    eastgate = next(f for f in others if f["id"] == "lunch-club-eastgate")
    assert (eastgate["fits"], eastgate["set_aside"], eastgate["filters"]["area"]) == (
        False,
        True,
        "fail",
    )
    assert eastgate["set_aside_because"] == ["not in DN35: covers DN31, DN32, DN33"]
    assert eastgate["filters"]["age"] == "unknown" and eastgate["not_known"] == ["ages not known"]
    assert [f["set_aside"] for f in found] == sorted(f["set_aside"] for f in found)
    text = run(*args, db=db).output
    assert text.index("Sea View Lunch Club") < text.index("-- set aside by the filters --")
    assert "set aside: not in DN35: covers DN31, DN32, DN33" in text


def test_bench_prints_both_searches_and_the_ratio(tmp_path):
    db = new_db(tmp_path / "b.db")
    result = json.loads(
        run(
            "directory",
            "bench",
            "--sizes",
            "300",
            "--queries",
            "20",
            "--keystroke-size",
            "300",
            "--build-size",
            "0",
            "--runs",
            "1",
            "--json",
            db=db,
        ).output
    )
    keystroke = result["keystroke"]
    assert (keystroke["size"], keystroke["runs"]) == (300, 1)
    for name in ("ours", "ours_open_now", "baseline"):
        spread = keystroke[name]
        assert 0 < spread["p50_ms"] <= spread["p95_ms"] <= spread["max_ms"]
    assert "build" not in result  # --build-size 0 leaves it out
    row = result["sizes"]["300"]
    assert set(row) >= {
        "ours_p50_ms",
        "ours_p95_ms",
        "baseline_p50_ms",
        "baseline_p95_ms",
        "ratio_p95",
    }
    assert row["ratio_p95"] == round(row["baseline_p95_ms"] / row["ours_p95_ms"], 1)


def test_scripts_test_reports_a_missing_node_as_lint_errors_not_a_traceback(tmp_path):
    route = tmp_path / "route_next_missing.yaml"
    route.write_text(
        (FIXTURES / "bad" / "r1_next_missing.yaml")
        .read_text()
        .replace("next: hurted", "next: hurt")
        .replace("next: refer", "next: referral")
    )
    bad = [FIXTURES / "bad" / "r1_start_missing.yaml", FIXTURES / "bad" / "r1_next_missing.yaml"]
    good = FIXTURES / "good" / "equipment-repair.yaml"
    result = CliRunner().invoke(main, ["scripts", "test", *map(str, [*bad, route, good])])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"ERROR {bad[0]}:9: R1 start 'begin' is not a node of this script" in result.output
    assert f"ERROR {bad[1]}:16: R1 next 'hurted' is not a node of this script" in result.output
    assert f"ERROR {route}:26: R1 next 'referral' is not a node of this script" in result.output
    assert "PASS equipment-repair:" in result.output  # the good file's tests still run
    assert result.output.strip().splitlines()[-1].endswith(" passed, 3 failed")
    linted = run(
        "scripts", "lint", "--no-directory", *map(str, [*bad, route]), db=new_db(tmp_path / "l.db")
    )
    assert linted.exit_code == 1
    for line in (f"{bad[0]}:9: R1 start 'begin'", f"{route}:26: R1 next 'referral'"):
        assert line in linted.output


def test_the_console_refuses_a_library_with_lint_errors_and_says_where(tmp_path):
    """A dangling `next` (which the runner's state machine would meet mid-call) stops the
    console before anyone could take a call: it closes from its getting-ready screen (the
    library is checked after that first paint) and says why once the terminal is given
    back. In a process of its own, with a time limit: a console that did start would
    otherwise wait for keys for ever."""
    library = tmp_path / "library"
    library.mkdir()
    for name in ("r1_next_missing.yaml", "r7_test_fails.yaml"):
        text = (FIXTURES / "bad" / name).read_text()
        (library / name).write_text(text.replace("script: lint-fixture", f"script: {name[:2]}"))
    env = {
        **os.environ,
        "FRONTDOOR_LIBRARY": str(library),
        "FRONTDOOR_LOG_FILE": str(tmp_path / "log"),
    }
    args = ["console", "--db", new_db(tmp_path / "c.db")]
    result = subprocess.run(
        [sys.executable, "-m", "frontdoor.console.cli", *args],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and result.stdout == ""
    # what is left on the terminal (Textual draws on stderr): what follows its leaving
    # the console's screen, without the sequences that give the terminal back
    after = result.stderr.rpartition("\x1b[?1049l")[2]
    said = re.sub(r"\x1b\[[0-9;?<>=$]*[ -/]*[@-~]", "", after)
    assert said.startswith("frontdoor: the script library has 2 error(s)")
    assert f"  {library / 'r1_next_missing.yaml'}:16: R1 next 'hurted'" in said
    assert f"  {library / 'r7_test_fails.yaml'}:41: R7 test 'two falls' fails" in said
    assert "Traceback" not in result.stderr


def test_scripts_lint_works_on_a_configured_library_that_has_errors(tmp_path):
    library = tmp_path / "library"
    library.mkdir()
    shutil.copy(FIXTURES / "bad" / "r1_next_missing.yaml", library / "a.yaml")
    result = CliRunner().invoke(
        main,
        ["scripts", "lint", "--no-directory", str(library), "--db", new_db(tmp_path / "c.db")],
        env={"FRONTDOOR_LIBRARY": str(library)},
    )
    assert result.exit_code == 1
    assert f"{library / 'a.yaml'}:16: R1 next 'hurted'" in result.output
