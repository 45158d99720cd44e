"""Loading: line numbers kept, Yes/No stay text, the spec's own example loads."""

from __future__ import annotations

import re

from frontdoor.triage_scripts.loader import load_text
from frontdoor.triage_scripts.model import End, Question
from tests.conftest import shared_path


def test_unquoted_yes_and_no_stay_answer_labels():
    text = """
script: s
title: T
version: 1
status: draft
category: carers
start: q
nodes:
  q:
    ask: Q?
    options:
      - answer: Yes
        next: e
      - answer: No
        next: e
  e:
    outcome: advice
tests:
  - name: t
    answers: [yes]
    expect: e
"""
    loaded = load_text(text, "s.yaml").loaded
    assert loaded is not None
    question = loaded.script.nodes["q"]
    assert isinstance(question, Question)
    assert [o.answer for o in question.options or []] == ["Yes", "No"]
    assert loaded.line("nodes", "q") == 9
    assert loaded.line("nodes", "q", "options", 1, "next", prefer_value=True) == 15


def test_the_format_specs_own_example_loads():
    spec = shared_path("spec", "triage-script-format.md").read_text()
    example = re.search(r"```yaml\n(.*?)```", spec, re.S).group(1)  # type: ignore[union-attr]
    result = load_text(example, "falls.yaml")
    assert result.problems == []
    script = result.loaded.script  # type: ignore[union-attr]
    assert script.script == "falls" and script.version == 4
    assert isinstance(script.nodes["call_999"], End)
    assert script.approved_on.isoformat() == "2026-10-01"  # type: ignore[union-attr]


def test_a_file_that_is_not_a_mapping_is_refused():
    result = load_text("- just\n- a list\n", "x.yaml")
    assert [(p.code, p.line) for p in result.problems] == [("YAML", 1)]
