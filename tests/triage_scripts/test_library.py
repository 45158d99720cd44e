"""The bundled library: at least 8 scripts, each lint clean, each end reached by a test."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from frontdoor.triage_scripts.library import (
    LibraryError,
    bundled_library_path,
    load_library,
    read_library,
)
from frontdoor.triage_scripts.lint import LintContext, lint_paths
from frontdoor.triage_scripts.loader import load_file
from frontdoor.triage_scripts.model import End, Question, Script
from frontdoor.triage_scripts.script_tests import run_tests
from tests.triage_scripts.test_lint_rules import BAD, CATEGORIES, FIXTURES, OUTCOMES, expectation

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
    # safeguarding through the escalation end, as F9 takes it (the settings name the script)
    options = [o.next for n in front_door.nodes.values() for o in getattr(n, "options", None) or []]
    assert "escalate_safeguarding" in options
    assert handed_to | {"safeguarding-concern"} == REQUIRED - {"reason-for-call"}


def test_lint_without_a_directory_still_passes():
    ctx = LintContext(
        OUTCOMES, CATEGORIES, library=load_library().scripts, today=dt.date(2026, 11, 23)
    )
    _, problems = lint_paths([bundled_library_path()], ctx)
    assert problems == []


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.stem)
def test_a_library_with_any_lint_error_is_refused_with_file_line_and_rule(tmp_path, path):
    """Not only shape errors: a dangling `next`, a failing test, an unknown outcome..."""
    code, line = expectation(path)
    shutil.copy(path, tmp_path / path.name)
    with pytest.raises(LibraryError) as refused:
        load_library(tmp_path, LintContext(OUTCOMES, CATEGORIES))
    assert (str(tmp_path / path.name), line, code) in {
        (p.file, p.line, p.code) for p in refused.value.problems
    }


def test_without_the_vocabulary_every_rule_but_outcomes_and_categories_is_checked(tmp_path):
    def folder_with(name: str) -> Path:
        folder = tmp_path / name
        folder.mkdir()
        shutil.copy(FIXTURES / "bad" / name, folder / name)
        return folder

    for unchecked in ("r3_unknown_outcome.yaml", "r6_bad_category.yaml"):
        assert set(load_library(folder_with(unchecked)).scripts) == {"lint-fixture"}
    with pytest.raises(LibraryError) as refused:
        load_library(folder_with("r1_next_missing.yaml"))
    assert [p.code for p in refused.value.problems] == ["R1"]


def test_read_library_keeps_what_loads_for_looking_ids_up(tmp_path):
    shutil.copy(FIXTURES / "bad" / "yaml_not_valid.yaml", tmp_path / "a.yaml")
    shutil.copy(FIXTURES / "good" / "equipment-repair.yaml", tmp_path / "b.yaml")
    assert set(read_library(tmp_path).scripts) == {"equipment-repair"}


# --- what the scripts ask, as a clinician would check it ---------------------------------


@pytest.fixture(scope="module")
def library():
    return load_library()


def paths_to(script: Script, end: str) -> list[list[str]]:
    """Every path of node names from the start to `end` (bundled scripts have no loops)."""
    found: list[list[str]] = []

    def walk(path: list[str]) -> None:
        node = script.nodes[path[-1]]
        if path[-1] == end:
            found.append(path)
        for target in node.targets() if isinstance(node, Question) else []:
            if target not in path:
                walk([*path, target])

    walk([script.start])
    return found


def test_every_bundled_script_says_what_it_draws_on(library):
    for script in library.scripts.values():
        assert script.summary and "Draws on" in script.summary, script.script


def test_the_falls_script_refers_only_after_asking_what_a_falls_assessment_needs(library):
    falls = library.scripts["falls"]
    asked = {"blackout", "falls_count", "needed_treatment", "unsteady", "medicines", "lives_alone"}
    for end in ("falls_service", "falls_service_and_alarm"):
        paths = paths_to(falls, end)
        assert paths, end
        for path in paths:
            assert asked <= set(path), (end, path)
    # no one is offered an alarm without being asked whether they live alone and have one
    for path in paths_to(falls, "falls_service_and_alarm") + paths_to(falls, "alarm_and_advice"):
        assert {"lives_alone", "alarm"} <= set(path)


def test_a_missed_nursing_visit_is_always_handed_to_a_team_never_resolved_from_the_record(library):
    chasing = library.scripts["progress-chasing"]
    nurse = next(o for o in chasing.nodes["chasing_what"].options if "nurse" in o.answer)
    hand_on = chasing.nodes[nurse.next]
    assert isinstance(hand_on, End) and hand_on.goto_script == "missed-nursing-visit"
    missed = library.scripts["missed-nursing-visit"]
    assert missed.category == "physical_health"
    for name, end in missed.ends().items():
        assert end.outcome in ("referred", "transferred", "escalated"), name
        assert end.refer_to in ("district-nursing", "rapid-response-team"), name
    # a missed leg-ulcer dressing asks about infection and the wound before it ends
    wound = next(o for o in missed.nodes["visit_for"].options if "wound" in o.answer)
    assert wound.next == "wound_changed"


def test_a_missed_care_visit_is_social_care_and_harm_from_missed_visits_is_safeguarding(library):
    missed = library.scripts["missed-care-visit"]
    assert missed.category == "social_care"
    to_safeguarding = [e for e in missed.ends().values() if e.goto_script]
    assert [e.goto_script for e in to_safeguarding] == ["safeguarding-concern"]


def test_every_adult_carer_is_offered_an_assessment_whatever_they_asked_for(library):
    carers = library.scripts["carers"]
    not_offered = {"carer_crisis", "young_carer_support"}
    for name in set(carers.ends()) - not_offered:
        for path in paths_to(carers, name):
            assert "offer_assessment" in path, (name, path)


def test_safeguarding_asks_danger_a_child_and_consent_before_it_ends_for_an_adult(library):
    script = library.scripts["safeguarding-concern"]
    for name in ("raise_concern", "domestic_abuse_support", "financial_abuse_advice"):
        for path in paths_to(script, name):
            assert path[:3] == ["danger_now", "about_a_child", "kind_of_concern"]
            assert "adult_agrees" in path
    # without consent, the reasons to raise it anyway are asked before any other end
    for name in ("domestic_abuse_support", "financial_abuse_advice", "advice_recorded"):
        assert all("risk_overrides" in p for p in paths_to(script, name))


def test_an_overdose_goes_to_emergency_care_even_when_the_person_seems_safe(library):
    script = library.scripts["mental-health"]
    first = script.nodes[script.start]
    assert isinstance(first, Question)
    overdose = next(o for o in first.options or [] if "overdose" in o.answer)
    end = script.nodes[overdose.next]
    assert isinstance(end, End) and end.outcome == "escalated" and end.red_flag
