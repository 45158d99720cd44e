"""Which answers a script offered (a choice, yes or no, boxes ticked), and which the handler
typed (free text, a number, a date): the first say which way a call went and are no
one's words, so a purge and a pseudonymised export keep them; the second may hold
anything the caller said, and go."""

from __future__ import annotations

from frontdoor.interactions.model import Answered
from frontdoor.referrals.triage_path import ScriptVersions
from frontdoor.triage_scripts.model import Question, Script
from frontdoor.words import NO, YES

# inputs whose answers are one of the script's own labels
_OFFERED_INPUTS = frozenset({"choice", "yes_no", "many"})


class OfferedAnswers:
    """`offered(script, version, node, answer)` over the script versions a record holds.
    An answer whose script version is not held here (a contact loaded from another
    system) cannot be checked, and counts as typed."""

    def __init__(self, scripts: ScriptVersions) -> None:
        self._scripts = scripts
        self._found: dict[tuple[str, int], Script | None] = {}

    def _script(self, script: str, version: int) -> Script | None:
        key = (script, version)
        if key not in self._found:
            self._found[key] = self._scripts.version(script, version)
        return self._found[key]

    def __call__(self, script: str, version: int, node: str, answer: Answered) -> bool:
        found = self._script(script, version)
        question = found.nodes.get(node) if found is not None else None
        if not isinstance(question, Question) or question.input not in _OFFERED_INPUTS:
            return False
        labels = set(question.labels())
        if question.input == "yes_no":
            labels |= {YES, NO}
        given = answer if isinstance(answer, tuple) else (answer,)
        return bool(given) and all(label in labels for label in given)
