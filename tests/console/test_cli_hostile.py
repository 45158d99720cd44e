"""`scripts lint` and `scripts test` on files written to break them: each gives its
FILE:LINE problem lines and exit 1, never a traceback, and none hangs."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from frontdoor.console.cli import main
from tests.conftest import copy_sqlite
from tests.triage_scripts.hostile import GOTO_LINE, HOSTILE, Hostile, goto_start

DEVICE = Hostile(os.devnull, b"", "YAML", 1)  # given by its path; never written


def invoke(*args: str):
    result = CliRunner().invoke(main, list(args))
    # nothing escaped but the exit itself (click's runner would make a fault exit 1)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


@pytest.fixture
def db(sqlite_template, tmp_path) -> str:
    return copy_sqlite(sqlite_template, tmp_path / "lint.db")


@pytest.mark.parametrize("hostile", [*HOSTILE, DEVICE], ids=[h.name for h in [*HOSTILE, DEVICE]])
def test_each_hostile_file_is_a_problem_line_and_exit_1(hostile, tmp_path, db):
    folder = tmp_path / "scripts"
    folder.mkdir()
    path = hostile.make(folder) if hostile is not DEVICE else hostile.name
    where = f"{path}:{hostile.line}: {hostile.code} "
    linted = invoke("scripts", "lint", "--no-directory", str(path), "--db", db)
    assert linted.exit_code == 1, linted.output
    assert where in linted.output, linted.output
    tested = invoke("scripts", "test", str(path))
    assert tested.exit_code == 1, tested.output
    assert f"ERROR {where}" in tested.output, tested.output
    assert "Traceback" not in linted.output + tested.output


def test_scripts_handing_on_round_a_loop_are_problem_lines_and_exit_1(tmp_path, db):
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text(goto_start("loop-a", "loop-b"))
    b.write_text(goto_start("loop-b", "loop-a"))
    linted = invoke("scripts", "lint", "--no-directory", str(a), str(b), "--db", db)
    tested = invoke("scripts", "test", str(a), str(b))
    for result, prefix in ((linted, ""), (tested, "ERROR ")):
        assert result.exit_code == 1, result.output
        for path in (a, b):
            assert f"{prefix}{path}:{GOTO_LINE}: R2 goto_script" in result.output
    assert "Traceback" not in linted.output + tested.output
