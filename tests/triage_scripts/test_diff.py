"""`scripts diff`: what changed between two versions, node by node."""

from __future__ import annotations

import pytest

from frontdoor.triage_scripts.diff import Change, NodeDiff, ScriptDiff, diff, diff_text
from frontdoor.triage_scripts.library import bundled_library_path, read_library
from frontdoor.triage_scripts.loader import load_text
from frontdoor.triage_scripts.model import Script
from frontdoor.triage_scripts.parts import fields

LIBRARY = read_library().scripts
FALLS = (bundled_library_path() / "falls.yaml").read_text(encoding="utf-8")


def edited(source: str, *edits: tuple[str, str], count: int = 1) -> Script:
    """`source` with each (old, new) replaced, as a lead edits the file; each old text
    must be there `count` times, so an edit that no longer applies fails here."""
    for old, new in edits:
        assert source.count(old) == count, old
        source = source.replace(old, new)
    result = load_text(source, "falls.yaml")
    assert result.loaded is not None and not result.problems, result.problems
    return result.loaded.script


@pytest.mark.parametrize("script_id", sorted(LIBRARY))
def test_a_script_against_itself_is_no_change(script_id):
    script = LIBRARY[script_id]
    result = diff(script, script)
    assert result == ScriptDiff(script_id, script.version, script.version, (), ())
    assert result.empty and "no change" in diff_text(result)


def said(script: Script, node: str, field: str) -> str | None:
    return fields(script.nodes[node])[field]


def test_a_changed_copy_shows_exactly_the_changes_made():
    before = LIBRARY["falls"]
    assert FALLS.count("self_care") == 5  # the node, two routes to it, two tests
    after = edited(
        FALLS.replace("self_care", "home_safety_advice"),
        ("version: 3", "version: 4"),
        ("title: Falls and mobility", "title: Falls, trips and mobility"),
        ("review_by: 2027-04-01", "review_by: 2027-06-01"),
        (
            '      - answer: "Yes"\n        next: call_999',
            '      - answer: "Yes, hurt"\n        next: call_999',
        ),
        (
            '      - answer: "Yes"\n        next: rapid_response\n'
            '      - answer: "No"\n        next: blackout',
            '      - answer: "No"\n        next: blackout\n'
            '      - answer: "Yes"\n        next: rapid_response',
        ),
        ('      - if: "not has_alarm"', '      - if: "has_alarm == false"'),
        ("if they take blood thinners.", "about any blood thinners."),
        (
            "    input: yes_no\n    record: hurt_or_long_lie",
            "    input: yes_no\n    help: Any treatment counts.\n    record: hurt_or_long_lie",
        ),
    )
    result = diff(before, after)
    advice = said(before, "self_care", "say")
    assert result.top == (
        Change("title", "Falls and mobility", "Falls, trips and mobility"),
        Change("review_by", "2027-04-01", "2027-06-01"),
    )
    assert result.nodes == (
        NodeDiff(
            "on_floor",
            "changed",
            (Change("answer", '"Yes" -> call_999', '"Yes, hurt" -> call_999'),),
        ),
        NodeDiff(
            "cannot_get_up",
            "changed",
            (Change("answer order", '"Yes", "No"', '"No", "Yes"'),),
        ),
        NodeDiff("needed_treatment", "changed", (Change("help", None, "Any treatment counts."),)),
        NodeDiff(
            "lives_alone",
            "changed",
            (Change("rule", "else -> self_care", "else -> home_safety_advice"),),
        ),
        NodeDiff(
            "alarm",
            "changed",
            (
                Change(
                    "rule",
                    "if not has_alarm -> alarm_and_advice",
                    "if has_alarm == false -> alarm_and_advice",
                ),
                Change("rule", "else -> self_care", "else -> home_safety_advice"),
            ),
        ),
        NodeDiff(
            "call_999",
            "changed",
            (
                Change(
                    "say",
                    said(before, "call_999", "say"),
                    said(after, "call_999", "say"),
                ),
            ),
        ),
        # where it was: after the node it followed
        NodeDiff(
            "self_care",
            "removed",
            (
                Change("kind", "end", None),
                Change("outcome", "advice", None),
                Change("say", advice, None),
                Change(
                    "signpost",
                    "strength-and-balance-classes, fire-safe-and-well, handyperson-service",
                    None,
                ),
            ),
        ),
        NodeDiff(
            "home_safety_advice",
            "added",
            (
                Change("kind", None, "end"),
                Change("outcome", None, "advice"),
                Change("say", None, advice),
                Change(
                    "signpost",
                    None,
                    "strength-and-balance-classes, fire-safe-and-well, handyperson-service",
                ),
            ),
        ),
    )
    words = diff_text(result)
    assert words.startswith("falls: v3 -> v4\n  ~ title\n      was: Falls and mobility\n")
    assert "\nchanged node needed_treatment\n  + help: Any treatment counts.\n" in words
    assert "\nremoved node self_care\n  - kind: end\n" in words
    assert "\nadded node home_safety_advice\n  + kind: end\n" in words


def test_answers_added_and_removed_and_a_question_that_became_an_end():
    before = LIBRARY["falls"]
    after = edited(
        FALLS,
        (
            '      - answer: "Yes"\n        next: see_doctor_today',
            '      - answer: "Yes, and chest pain now"\n        next: call_999\n'
            '      - answer: "Yes"\n        next: see_doctor_today',
        ),
        (
            "  medicines:\n"
            "    ask:\n"
            "      self: Do you take five or more medicines a day, or any for sleep,"
            " anxiety, depression or blood pressure?\n"
            "      other: Does the person take five or more medicines a day, or any for sleep,"
            " anxiety, depression or blood pressure?\n"
            "    help: Medicines are among the commonest causes of falls that can be put right.\n"
            "    input: yes_no\n    record: medicines\n    route:\n      - else: lives_alone",
            "  medicines:\n    outcome: advice",
        ),
    )
    result = {node.node: node.changes for node in diff(before, after).nodes}
    assert result["blackout"] == (Change("answer", None, '"Yes, and chest pain now" -> call_999'),)
    assert result["medicines"][:3] == (
        Change("kind", "question", "end"),
        Change("ask", said(before, "medicines", "ask"), None),
        Change("help", said(before, "medicines", "help"), None),
    )
    assert Change("outcome", None, "advice") in result["medicines"]
    assert result["medicines"][-1] == Change("rule", "else -> lives_alone", None)
