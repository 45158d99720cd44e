"""The triage a contact recorded, as the team receiving a referral reads it: each question
in the words the handler saw in the script version the call ran, and the answer that
stands at the end of the call.

The record keeps every step in order, backs included, so that nothing said is lost. A back
withdraws the last answer (or escalation) and the decisions the script took after it, as
the runner does; what was withdrawn is not part of the path the referral came from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from frontdoor.interactions.model import Answer
from frontdoor.triage_scripts.answers import answer_words
from frontdoor.triage_scripts.model import Question, Script, worded
from frontdoor.words import in_words

# asked: a question put to the caller; escalated: the handler escalated from it;
# decided: the script went on from what was known, asking nothing
StepShown = Literal["asked", "escalated", "decided"]


@dataclass(frozen=True)
class AnsweredStep:
    script_title: str
    question: str
    answer: str
    shown: StepShown
    at: dt.datetime
    # False when the record's script version is not held here (a contact loaded from
    # elsewhere): the question is then the node's name in words
    worded_as_asked: bool = True


class ScriptVersions(Protocol):
    """Where a script version a contact recorded is found (the library: live in the
    console, fixed in tests)."""

    def version(self, script: str, version: int) -> Script | None: ...


def standing(answers: Sequence[Answer]) -> list[Answer]:
    """The steps still standing at the end of the call: each back removes the last
    answer or escalation, and the decisions taken after it."""
    path: list[Answer] = []
    for step in answers:
        if step.kind != "back":
            path.append(step)
            continue
        while path and path[-1].kind == "decide":
            path.pop()
        if path:
            path.pop()
    return path


def _question_words(script: Script | None, step: Answer, caller_is_person: bool) -> str | None:
    node = script.nodes.get(step.node) if script is not None else None
    if not isinstance(node, Question):
        return None
    # the wording the record says was shown; a record from before wordings, the caller's
    is_person = step.wording == "self" if step.wording is not None else caller_is_person
    return worded(node.ask, is_person)[0]


def _answer_words(step: Answer) -> str:
    if step.answer is None:
        return "(no answer recorded)"
    if step.kind == "escalate" and isinstance(step.answer, str):
        return "Escalated: " + in_words(step.answer.removeprefix("escalate_")).lower()
    if step.kind == "decide" and isinstance(step.answer, str):
        return in_words(step.answer)
    return answer_words(step.answer)


def answered_steps(
    answers: Sequence[Answer], scripts: ScriptVersions, caller_is_person: bool
) -> list[AnsweredStep]:
    """Every question and answer standing at the end of the call, in the order asked."""
    found: dict[tuple[str, int], Script | None] = {}
    shown: list[AnsweredStep] = []
    for step in standing(answers):
        key = (step.script, step.version)
        if key not in found:
            found[key] = scripts.version(step.script, step.version)
        script = found[key]
        title = script.title if script is not None else in_words(step.script)
        kind: StepShown = (
            "decided"
            if step.kind == "decide"
            else "escalated"
            if step.kind == "escalate"
            else "asked"
        )
        asked = None if kind == "decided" else _question_words(script, step, caller_is_person)
        shown.append(
            AnsweredStep(
                script_title=title,
                question=asked or in_words(step.node),
                answer=_answer_words(step),
                shown=kind,
                at=step.at,
                worded_as_asked=asked is not None or kind == "decided",
            )
        )
    return shown
