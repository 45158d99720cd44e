"""`scripts show`: the indented tree of questions, answers and ends."""

from __future__ import annotations

import re

import pytest

from frontdoor.triage_scripts.library import read_library
from frontdoor.triage_scripts.model import Script
from frontdoor.triage_scripts.outline import MAX_INDENT, SHOWN_ABOVE, outline
from frontdoor.triage_scripts.parts import branches

LIBRARY = read_library().scripts
BRANCH_LINE = re.compile(
    r'^\s*(?:\[\d+\] )?(".*"|if .*|else) -> ([a-z0-9_-]+) (\[\w+\]|\(shown above\))$'
)


def chain(length: int, loop: bool) -> Script:
    """`length` questions in a row, each with a way to one shared end; the last goes back
    to the first when `loop` (lint refuses that; the outline must still end)."""
    last = "q0" if loop else "done"
    nodes: dict[str, object] = {
        f"q{i}": {
            "ask": f"Question {i}?",
            "options": [
                {"answer": "Yes", "next": "done"},
                {"answer": "No", "next": f"q{i + 1}" if i + 1 < length else last},
            ],
        }
        for i in range(length)
    }
    nodes["done"] = {"outcome": "advice", "say": "Done."}
    return Script.model_validate(
        {
            "script": "chain",
            "title": "A long chain",
            "version": 1,
            "status": "draft",
            "category": "general_enquiry",
            "start": "q0",
            "nodes": nodes,
        }
    )


def shown_in_full(text: str, name: str) -> int:
    pattern = re.compile(
        rf"^\s*(?:\[\d+\] )?(?:.* -> )?{re.escape(name)} \[(question|decide|end)\]$"
    )
    return sum(1 for line in text.splitlines() if pattern.match(line))


@pytest.mark.parametrize("script_id", sorted(LIBRARY))
def test_every_bundled_script_shows_each_node_once_and_every_answer(script_id):
    script = LIBRARY[script_id]
    text = outline(script)
    assert text.startswith(f"{script_id} v{script.version} ")
    assert f"  title: {script.title}" in text
    for name in script.nodes:
        assert shown_in_full(text, name) == 1, name
    lines = [m.groups() for line in text.splitlines() if (m := BRANCH_LINE.match(line))]
    # one line per answer or rule, each naming where it goes
    expected = sorted(
        (b.words(), b.target) for node in script.nodes.values() for b in branches(node)
    )
    assert sorted((words, target) for words, target, _ in lines) == expected
    assert "[no such node]" not in text and "Not reached from start" not in text


def test_an_end_shows_what_it_says_and_where_it_sends_the_caller():
    text = outline(LIBRARY["falls"])
    assert (
        '  "Yes" -> rapid_response [end]\n'
        "      outcome: escalated\n"
        "      red_flag: Person on the floor unable to get up (risk of a long lie)\n"
    ) in text
    assert "      refer_to: rapid-response-team\n" in text
    assert "  input: number\n" in text and "  record: falls_12m\n" in text
    # met a second time: named, not repeated
    assert f"if medicines -> medication_review {SHOWN_ABOVE}" in text
    hand_on = outline(LIBRARY["reason-for-call"])
    assert '"A fall, or someone unsteady on their feet" -> to_falls [end]' in hand_on
    assert "goto_script: falls" in hand_on
    # the escalation every script has, when a script leads to it
    assert '"Yes" -> escalate_safeguarding [end]' in hand_on


def test_thousands_of_nodes_and_a_loop_cost_lines_not_a_blow_up():
    length = 3000
    text = outline(chain(length, loop=True))
    lines = text.splitlines()
    assert shown_in_full(text, "done") == 1
    assert all(shown_in_full(text, f"q{i}") == 1 for i in (0, 1, length - 1))
    assert lines[-1].endswith(f'"No" -> q0 {SHOWN_ABOVE}')  # the loop, named
    assert len(lines) < 5 * length
    # the indent stops growing: the level is written instead
    assert max(len(line) for line in lines) < 2 * MAX_INDENT + 40
    assert f'[{length - 1}] "No" -> q{length - 1} [question]' in text


def test_nodes_the_walk_never_meets_are_shown_under_their_own_heading():
    script = chain(2, loop=False)
    nodes = dict(script.nodes)
    nodes["orphan"] = nodes["q1"]
    orphaned = script.model_copy(update={"nodes": nodes})
    text = outline(orphaned)
    assert "\nNot reached from start:\norphan [question]\n" in text
    assert f'  "No" -> done {SHOWN_ABOVE}' in text.split("Not reached from start:")[1]
