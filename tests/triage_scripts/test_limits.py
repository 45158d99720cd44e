"""Lint cannot be turned against the machine: every file a tester wrote to take its
memory, time or stack is refused at a line, with the limit it met."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest

from frontdoor.triage_scripts.library import bundled_library_path
from frontdoor.triage_scripts.limits import Deadline, Limits
from frontdoor.triage_scripts.loader import load_file, load_text, script_files
from frontdoor.triage_scripts.script_tests import run_tests
from frontdoor.triage_scripts.yaml_source import YamlError, load_with_lines
from tests.triage_scripts.hostile import HOSTILE, script


def ticking(step: float = 1.0):
    """A clock that moves on `step` seconds each time it is read."""
    counter = itertools.count()
    return lambda: next(counter) * step


@pytest.mark.parametrize("hostile", HOSTILE, ids=[h.name for h in HOSTILE])
def test_each_hostile_file_is_refused_at_its_line(hostile, tmp_path):
    result = load_file(hostile.make(tmp_path))
    if hostile.code == "YAML":
        assert result.lintable is None
        assert [(p.code, p.line) for p in result.problems] == [("YAML", hostile.line)]
    # (the R6 files load; lint refuses them, see test_lint_every_problem and the CLI)


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("bomb.yaml", "past 250,000 values"),
        ("recursive-alias.yaml", "inside the value it names"),
        ("brackets.yaml", "nested more than 64 deep"),
        ("aliases.yaml", "more than 500 aliases"),
        ("fifo.yaml", "named pipe (FIFO), not a file"),
        ("big.yaml", "larger than 2,000,000 bytes"),
        ("latin-1.yaml", "byte 0xe9 at column 11 is not UTF-8"),
    ],
)
def test_a_refusal_says_which_limit_was_met(name, words, tmp_path):
    hostile = next(h for h in HOSTILE if h.name == name)
    (problem,) = load_file(hostile.make(tmp_path)).problems
    assert words in problem.message


def test_an_alias_is_counted_as_what_it_repeats_and_shared_not_copied():
    text = "a: &a [1, 2, 3]\nb: [*a, *a]\nc: *a\n"
    data, source = load_with_lines(text)
    assert data == {"a": [1, 2, 3], "b": [[1, 2, 3], [1, 2, 3]], "c": [1, 2, 3]}
    assert data["b"][0] is data["a"] and data["c"] is data["a"]
    assert source.line_of(("c", 1), prefer_value=True) == 3  # inside an alias: its line
    # 1 mapping + 4 + 1 + 4 + 4 + 4 + three keys = 21 values; one fewer is refused
    load_with_lines(text, Limits(max_values=21))
    with pytest.raises(YamlError, match="past 20 values") as refused:
        load_with_lines(text, Limits(max_values=20))
    assert refused.value.line == 3


def test_reading_stops_at_the_time_limit_at_the_line_it_reached():
    text = "keywords:\n" + "".join(f"  - k{i}\n" for i in range(5000))
    result = load_text(text, "slow.yaml", deadline=Deadline(0.5, ticking()))
    (problem,) = result.problems
    assert problem.code == "YAML" and "took more than 0.5 s" in problem.message
    assert 4000 < problem.line < 4100  # the clock is read every 4096 events, one a line


def test_running_tests_stops_at_the_time_limit_and_says_where():
    text = script(
        "t",
        "q",
        "  q:\n    ask: Q?\n    options:\n      - answer: A\n        next: r\n"
        "  r:\n    ask: R?\n    options:\n      - answer: A\n        next: e\n"
        "  e:\n    outcome: advice\n",
        "tests:\n"
        + "".join(f"  - name: t{i}\n    answers: [A, A]\n    expect: e\n" for i in range(3)),
    )
    loaded = load_text(text, "t.yaml").loaded
    assert loaded is not None
    # read when made, then before each test and each answer: the 8th read is test 3's
    results = run_tests(loaded, Deadline(5, iter([0.0] * 7 + [9.0]).__next__))
    assert [r.passed for r in results] == [True, True, False]
    assert results[2].line == loaded.line("tests", 2)
    assert "took more than 5 s" in results[2].message
    assert "(1 test(s) not run)" in results[2].message
    # one test of many answers is stopped on the way
    (stopped, *_) = run_tests(loaded, Deadline(5, iter([0.0, 0.0, 0.0, 9.0, 9.0]).__next__))
    assert not stopped.passed and stopped.reached == "r"
    assert stopped.message.startswith("stopped at answer 2 of 2: this file's tests took more")


def test_only_regular_files_are_read(tmp_path):
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    os.mkfifo(tmp_path / "pipe.yaml")
    for path, kind in [
        (folder, "a folder"),
        (tmp_path / "pipe.yaml", "a named pipe"),
        (Path(os.devnull), "a device"),
    ]:
        (problem,) = load_file(path).problems
        assert (problem.code, problem.line) == ("YAML", 1)
        assert problem.message.startswith(f"this is {kind}")
    missing = load_file(tmp_path / "missing.yaml").problems
    assert [p.message for p in missing] == ["cannot open the file: No such file or directory"]


def test_pyyamls_own_parser_gives_the_same_data_lines_and_refusals():
    """Where PyYAML was built without libyaml, its own parser feeds the same builder
    (`pure_python`: what such a machine runs, and what the benchmark times)."""
    texts = [p.read_text() for p in script_files([bundled_library_path()])]
    with_libyaml = [load_with_lines(text) for text in texts]
    hostile = [h for h in HOSTILE if h.content is not None and h.code == "YAML"]

    def refusal(content: bytes, pure_python: bool) -> tuple[str, int] | None:
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            return None  # refused before parsing, whichever parser
        try:
            load_with_lines(text, pure_python=pure_python)
        except YamlError as exc:
            return exc.message, exc.line
        return None

    refusals = [refusal(h.content or b"", False) for h in hostile]
    assert [load_with_lines(text, pure_python=True) for text in texts] == with_libyaml
    for h, expected in zip(hostile, refusals, strict=True):
        found = refusal(h.content or b"", True)
        # the parsers word invalid YAML each in their own way; the line is the same
        assert (found and found[1]) == (expected and expected[1]), h.name
