"""The bundled library: at least 8 scripts, each lint clean, each end reached by a test."""

from __future__ import annotations

import datetime as dt

from frontdoor.triage_scripts.library import bundled_library_path, load_library
from frontdoor.triage_scripts.lint import LintContext, lint_paths
from frontdoor.triage_scripts.loader import load_file
from frontdoor.triage_scripts.script_tests import run_tests
from tests.triage_scripts.test_lint_rules import CATEGORIES, OUTCOMES

REQUIRED = {
    "reason-for-call",
    "district-nursing",
    "falls",
    "care-at-home",
    "carers",
    "mental-health",
    "safeguarding-concern",
    "progress-chasing",
}


def test_the_library_has_the_scripts_the_spa_needs():
    assert set(load_library().scripts) >= REQUIRED


def test_every_bundled_script_lints_clean_against_the_demo_directory(front):
    _, problems = lint_paths([bundled_library_path()], front.lint_context())
    assert [str(p) for p in problems] == []


def test_every_bundled_script_passes_its_tests_and_every_end_is_tested():
    for path in sorted(bundled_library_path().glob("*.yaml")):
        loaded = load_file(path).loaded
        assert loaded is not None
        results = run_tests(loaded)
        assert all(r.passed for r in results), [str(r) for r in results if not r.passed]
        assert {r.reached for r in results} >= set(loaded.script.ends()), path.name


def test_red_flags_are_asked_first():
    # The first question of every script screens for danger: its options lead to an end
    # with a red flag (or, for progress chasing, the red flag sits one question later).
    library = load_library()
    for script in library.scripts.values():
        first = script.nodes[script.start]
        if script.script == "progress-chasing":
            continue
        targets = first.targets()  # type: ignore[union-attr]
        flagged = [
            t
            for t in targets
            if getattr(script.nodes.get(t), "red_flag", None)
            or getattr(script.nodes.get(t), "goto_script", None) == "safeguarding-concern"
        ]
        assert flagged, f"{script.script} does not screen for danger first"


def test_the_front_door_script_hands_on_to_every_other_script():
    library = load_library()
    front_door = library.scripts["reason-for-call"]
    handed_to = {e.goto_script for e in front_door.ends().values() if e.goto_script}
    assert handed_to == REQUIRED - {"reason-for-call"}


def test_lint_without_a_directory_still_passes():
    ctx = LintContext(
        OUTCOMES, CATEGORIES, library=load_library().scripts, today=dt.date(2026, 11, 23)
    )
    _, problems = lint_paths([bundled_library_path()], ctx)
    assert problems == []
