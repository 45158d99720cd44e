"""Every lint rule, with a fixture that breaks it and the line it must be reported at."""

from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import Path

import pytest

from frontdoor.triage_scripts.library import load_library
from frontdoor.triage_scripts.lint import LintContext, lint_paths

FIXTURES = Path(__file__).parent / "fixtures"
BAD = sorted((FIXTURES / "bad").glob("*.yaml"))
OUTCOMES = frozenset(
    [
        "advice",
        "signposted",
        "resolved",
        "transferred",
        "referred",
        "escalated",
        "safeguarding",
        "incomplete",
    ]
)
CATEGORIES = frozenset(
    ["physical_health", "social_care", "mental_health", "safeguarding", "carers", "general_enquiry"]
)


@functools.cache
def bundled_scripts():
    return load_library().scripts  # linted once, not once a fixture


def context(directory_ids: frozenset[str] | None = None) -> LintContext:
    return LintContext(
        outcomes=OUTCOMES,
        categories=CATEGORIES,
        directory_ids=directory_ids,
        library=bundled_scripts(),
        today=dt.date(2026, 11, 23),
    )


def expectation(path: Path) -> tuple[str, int]:
    match = re.match(r"# expect: (\S+) at line (\d+)", path.read_text().splitlines()[0])
    assert match, f"{path.name} needs a '# expect: CODE at line N' header"
    return match.group(1), int(match.group(2))


def test_there_is_a_failing_fixture_for_every_rule():
    codes = {expectation(p)[0] for p in BAD}
    assert codes == {"YAML", "R1", "R2", "R3", "R4", "R5", "R6", "R7"}


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_each_broken_rule_is_refused_with_its_file_line_and_rule(path):
    code, line = expectation(path)
    _, problems = lint_paths([path], context())
    errors = [p for p in problems if p.severity == "error"]
    assert errors, f"{path.name} should be refused"
    assert (str(path), line, code) in {(p.file, p.line, p.code) for p in errors}, [
        str(p) for p in problems
    ]


def test_good_scripts_by_someone_else_lint_clean():
    loaded, problems = lint_paths([FIXTURES / "good"], context())
    assert [s.script.script for s in loaded] == ["equipment-repair", "equipment-return"]
    assert problems == []


def test_a_service_missing_from_the_directory_is_a_warning_not_a_refusal():
    _, problems = lint_paths([FIXTURES / "good"], context(directory_ids=frozenset()))
    assert problems and all(p.code == "W" for p in problems)
    assert {"community-equipment-service"} == {
        re.search(r"'(.+?)'", p.message).group(1) for p in problems
    }  # type: ignore[union-attr]


def test_an_overdue_review_is_a_warning():
    ctx = context()
    late = LintContext(
        ctx.outcomes, ctx.categories, library=ctx.library, today=dt.date(2027, 10, 1)
    )
    _, problems = lint_paths([FIXTURES / "good"], late)
    assert [(Path(p.file).name, p.code, p.line) for p in problems] == [
        ("equipment-return.yaml", "W", 11)
    ]


def test_problems_print_as_file_line_rule_message():
    path = FIXTURES / "bad" / "r1_next_missing.yaml"
    _, problems = lint_paths([path], context())
    assert str(problems[0]) == f"{path}:16: R1 next 'hurted' is not a node of this script"


def test_the_same_script_id_twice_in_a_library_is_refused(tmp_path):
    source = (FIXTURES / "good" / "equipment-repair.yaml").read_text()
    (tmp_path / "a.yaml").write_text(source)
    (tmp_path / "b.yaml").write_text(source)
    _, problems = lint_paths([tmp_path], context())
    assert [(Path(p.file).name, p.code) for p in problems] == [("b.yaml", "R1")]


def test_version_2_scripts_by_someone_else_lint_clean():
    loaded, problems = lint_paths([FIXTURES / "v2"], context())
    assert sorted(s.script.script for s in loaded) == ["breathing", "breathing-self-care"]
    assert problems == []


def test_a_hand_on_to_a_script_needing_what_a_path_did_not_record_is_refused():
    path = FIXTURES / "bad_hand_on" / "r5_needs_not_recorded.yaml"
    code, line = expectation(path)
    _, problems = lint_paths([path, FIXTURES / "v2"], context())
    assert [(p.file, p.line, p.code) for p in problems] == [(str(path), line, code)]
