"""What the governance tests share: two leads, and a bundled script reworded as a lead
would change it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from frontdoor.triage_scripts.library import bundled_library_path
from frontdoor.triage_scripts.loader import load_text
from frontdoor.triage_scripts.model import Question

LEAD = "Ann Lead"  # submits
SECOND = "Bob Lead"  # approves


def bundled_text(script_id: str) -> str:
    return (bundled_library_path() / f"{script_id}.yaml").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Rewording:
    text: str  # the script's text with one question asked otherwise
    node: str
    before: str
    after: str


def reworded(script_id: str, node: str | None = None) -> Rewording:
    """The bundled script with a question asked in other words: `node`, by default the
    first whose question is written on one line (a folded one is not found as such).
    Its `version` line is left out: the library numbers a submitted version itself."""
    text = bundled_text(script_id)
    loaded = load_text(text, script_id).loaded
    assert loaded is not None
    questions = {n: q for n, q in loaded.script.nodes.items() if isinstance(q, Question)}
    name = node or next(n for n, q in questions.items() if text.count(q.ask) == 1)
    before = questions[name].ask
    assert text.count(before) == 1, f"{script_id}: '{before}' is not written on one line"
    after = before.rstrip("?") + ", as far as the caller knows?"
    return Rewording(unnumbered(text.replace(before, after)), name, before, after)


def unnumbered(text: str) -> str:
    """The text without its `version` line: the library numbers a submitted version."""
    return re.sub(r"^version: .*\n", "", text, flags=re.MULTILINE)


def bundled_version(script_id: str) -> int:
    """The version the bundled file gives: its number in a new database."""
    loaded = load_text(bundled_text(script_id), script_id).loaded
    assert loaded is not None
    return loaded.script.version


def with_a_failing_test(script_id: str) -> str:
    """The bundled script, unnumbered, with its first test expecting another end."""
    text = bundled_text(script_id)
    loaded = load_text(text, script_id).loaded
    assert loaded is not None
    first = loaded.script.tests[0]
    other = next(end for end in loaded.script.ends() if end != first.expect)
    assert text.count(f"expect: {first.expect}\n") >= 1
    return unnumbered(text.replace(f"expect: {first.expect}\n", f"expect: {other}\n", 1))
