"""Run a script with a caller: a `transitions` state machine per script, handed on
from script to script by `goto_script`, with back and the two escalations everywhere.

An escalation is an end like any other (back undoes it), except that its outcome stands
for the contact whatever ends follow it, and it carries what the service's config gives
it: what to say and do now, and, for safeguarding, the script it hands on to.

The runner works on plain objects and never touches the database: each step returns
what happened (`Step`) and the console records it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from transitions import Machine

from frontdoor.triage_scripts.answers import AnswerError, Value, parse_answer
from frontdoor.triage_scripts.model import (
    ESCALATE_EMERGENCY,
    ESCALATE_SAFEGUARDING,
    ESCALATIONS,
    End,
    Escalation,
    Option,
    Question,
    Script,
)
from frontdoor.words import yes_no_label

ESCALATION_ANSWERS = {"!emergency": ESCALATE_EMERGENCY, "!safeguarding": ESCALATE_SAFEGUARDING}


class TriageError(RuntimeError):
    """An action the current state does not allow (e.g. back at the first question)."""


@dataclass(frozen=True)
class EndReached:
    script: str
    version: int
    node: str
    end: End


StepKind = Literal["answer", "back", "escalate"]


@dataclass(frozen=True)
class Step:
    """What one action did, so that no caller has to work it out again: the answer given
    (if any), the script's option it chose (for a choice or yes/no question with
    options), the ends it reached in order (a hand-on end, then perhaps the next
    script's), and how many ends going back withdrew (the hand-on it went back through).
    """

    script: str
    version: int
    node: str
    kind: StepKind
    answer: str | None = None
    value: Value | None = None
    option: Option | None = None
    ends_reached: tuple[EndReached, ...] = ()
    ends_withdrawn: int = 0

    @property
    def end(self) -> EndReached | None:
        """The first end this step reached (a hand-on end where it handed on)."""
        return self.ends_reached[0] if self.ends_reached else None

    @property
    def red_flags(self) -> list[str]:
        return [e.end.red_flag for e in self.ends_reached if e.end.red_flag]


class _ScriptRun:
    """One script's state machine. `state` is the current node's name."""

    state: str

    def __init__(self, script: Script) -> None:
        self.script = script
        self.pending: Value | None = None
        self.recorded: dict[str, Any] = {}
        states = [*script.nodes, ESCALATE_EMERGENCY, ESCALATE_SAFEGUARDING]
        self.machine = Machine(
            model=self,
            states=list(dict.fromkeys(states)),
            initial=script.start,
            auto_transitions=False,  # no jumping to arbitrary nodes
            send_event=False,
            ignore_invalid_triggers=False,
        )
        for name, node in script.questions().items():
            for option in node.options or []:
                self.machine.add_transition(
                    "answer", name, option.next, conditions=[self._is_label(option.answer)]
                )
            for rule in node.route or []:
                condition = rule.condition
                self.machine.add_transition(
                    "answer",
                    name,
                    rule.target,
                    conditions=[self._holds(condition)] if condition is not None else [],
                )
            self.machine.add_transition("escalate_emergency", name, ESCALATE_EMERGENCY)
            self.machine.add_transition("escalate_safeguarding", name, ESCALATE_SAFEGUARDING)

    def _is_label(self, label: str) -> Callable[[], bool]:
        return lambda: (
            self.pending == label
            or (isinstance(self.pending, bool) and label == yes_no_label(self.pending))
        )

    def _holds(self, condition: Any) -> Callable[[], bool]:
        from frontdoor.triage_scripts.conditions import evaluate

        return lambda: evaluate(condition, self.recorded)


@dataclass
class _Frame:
    """Where a question was answered (or escalated from): back returns here, and the
    ends reached since are withdrawn."""

    script: Script
    node: str
    recorded: dict[str, Any]
    ends_before: int


@dataclass
class Triage:
    """A caller's path through one or more scripts.

    `library` maps script ids to scripts so that `goto_script` can hand on; when
    `follow_goto` is false (a script's own tests) the run stops at such an end.
    `escalations` gives the two escalation ends their guidance and hand-on, by name.
    """

    script: Script
    library: Mapping[str, Script] = field(default_factory=dict)
    follow_goto: bool = True
    escalations: Mapping[str, Escalation] = field(default_factory=dict)
    recorded: dict[str, Any] = field(default_factory=dict)
    ends: list[EndReached] = field(default_factory=list)
    _run: _ScriptRun = field(init=False)
    _history: list[_Frame] = field(default_factory=list, init=False)
    # (question asked, answer given) along the current path, for the handler to see
    path: list[tuple[str, str]] = field(default_factory=list, init=False)
    finished: bool = field(default=False, init=False)

    def __post_init__(self) -> None:
        self._run = _ScriptRun(self.script)
        self._settle()

    # --- what the console reads ---------------------------------------------------
    @property
    def node_name(self) -> str:
        return self._run.state

    @property
    def node(self) -> Question | End:
        name = self._run.state
        return self.script.node(name, self.escalations.get(name))

    @property
    def question(self) -> Question | None:
        node = self.node
        return node if isinstance(node, Question) and not self.finished else None

    @property
    def can_go_back(self) -> bool:
        """From any question but the first, and from an end (back to the question that
        led there, the end withdrawn)."""
        return bool(self._history)

    @property
    def last_end(self) -> EndReached | None:
        return self.ends[-1] if self.ends else None

    @property
    def last_escalation(self) -> EndReached | None:
        """The latest escalation end still reached (back may have withdrawn one)."""
        return next((e for e in reversed(self.ends) if e.node in ESCALATIONS), None)

    @property
    def outcome(self) -> str | None:
        """An escalation's outcome, whatever ends follow it (the safeguarding script it
        hands on to may end in advice: the contact is still a safeguarding one); else
        the outcome of the last end that has one (a hand-on end may leave it out)."""
        escalation = self.last_escalation
        if escalation is not None:
            return escalation.end.outcome
        for reached in reversed(self.ends):
            if reached.end.outcome:
                return reached.end.outcome
        return None

    # --- what the handler does ----------------------------------------------------
    def answer(self, raw: Any) -> Step:
        if isinstance(raw, str) and raw.strip().lower() in ESCALATION_ANSWERS:
            return self.escalate(ESCALATION_ANSWERS[raw.strip().lower()])
        question = self._require_question()
        label, value = parse_answer(question, raw)
        frame = _Frame(self.script, self.node_name, dict(self.recorded), len(self.ends))
        node_name = self.node_name
        if question.record:
            self.recorded[question.record] = value
        self._run.recorded = self.recorded
        self._run.pending = value
        if not self._run.may_answer():  # type: ignore[attr-defined]
            self.recorded = frame.recorded
            raise AnswerError(f"'{label}' leads nowhere from {node_name}")
        self._run.answer()  # type: ignore[attr-defined]
        self._history.append(frame)
        self.path.append((question.ask, label))
        chosen = next((o for o in question.options or [] if o.answer == label), None)
        before = len(self.ends)
        self._settle()
        return Step(
            frame.script.script,
            frame.script.version,
            node_name,
            "answer",
            label,
            value,
            option=chosen,
            ends_reached=tuple(self.ends[before:]),
        )

    def escalate(self, target: str) -> Step:
        """Emergency or safeguarding, from any question, without an option in the script."""
        question = self._require_question()
        if target not in ESCALATIONS:
            raise TriageError(f"'{target}' is not an escalation: {' or '.join(ESCALATIONS)}")
        hand_on = self.escalations.get(target, Escalation()).goto_script
        if hand_on and self.follow_goto and hand_on not in self.library:
            # said before anything moves, so the handler is still at the question
            raise TriageError(f"{target} hands on to '{hand_on}', which is not in the library")
        node_name = self.node_name
        self._history.append(_Frame(self.script, node_name, dict(self.recorded), len(self.ends)))
        self.path.append((question.ask, "escalated: " + target.removeprefix("escalate_")))
        script = self.script
        self._run.trigger(target)  # type: ignore[attr-defined]
        before = len(self.ends)
        self._settle()
        return Step(
            script.script,
            script.version,
            node_name,
            "escalate",
            target,
            ends_reached=tuple(self.ends[before:]),
        )

    def back(self) -> Step:
        """Back to the question answered (or escalated from) last. The ends reached since
        are withdrawn (an escalation, a hand-on and the next script's end alike); the
        record keeps the answers given on the way, each with its time."""
        if not self.can_go_back:
            raise TriageError("this is the first question: there is nothing to go back to")
        frame = self._history.pop()
        self.path.pop()
        left = self.node_name
        left_script = self.script
        withdrawn = len(self.ends) - frame.ends_before
        del self.ends[frame.ends_before :]
        if frame.script is not self.script:
            self.script = frame.script
            self._run = _ScriptRun(frame.script)
        self._run.machine.set_state(frame.node)
        self.recorded = frame.recorded
        self._run.recorded = self.recorded
        self.finished = False
        return Step(left_script.script, left_script.version, left, "back", ends_withdrawn=withdrawn)

    # --- inside -------------------------------------------------------------------
    def _require_question(self) -> Question:
        question = self.question
        if question is None:
            raise TriageError("the script has ended: there is no question to answer")
        return question

    def _settle(self) -> EndReached | None:
        """If the current node is an end, record it and hand on where it says so, through
        every script whose start is itself a hand-on. A chain that comes back to a
        script it has passed, with no question between, would hand on for ever: it is
        refused before anything is recorded (lint's rule 2 refuses such scripts)."""
        node = self.node
        if not isinstance(node, End):
            return None
        if self.follow_goto:
            self._check_hand_ons(node)
        first: EndReached | None = None
        while True:
            reached = EndReached(self.script.script, self.script.version, self.node_name, node)
            first = first or reached
            self.ends.append(reached)
            if not (node.goto_script and self.follow_goto):
                self.finished = True
                return first
            # no history frame here: back from the next script's first question returns
            # to the question that led to this hand-on (the frame `answer` just pushed)
            self.script = self.library[node.goto_script]
            self._run = _ScriptRun(self.script)
            next_node = self.node
            if not isinstance(next_node, End):
                return first
            node = next_node

    def _check_hand_ons(self, node: End) -> None:
        """TriageError if the hand-ons from `node` name a script not in the library or
        go round a loop of scripts that start with a hand-on."""
        passed = [self.script.script]
        while node.goto_script:
            target = self.library.get(node.goto_script)
            if target is None:
                raise TriageError(f"script '{node.goto_script}' is not in the library")
            if target.script in passed:
                loop = " → ".join([*passed, target.script])
                raise TriageError(
                    f"the scripts hand the call on round a loop with no question ({loop}); "
                    "lint refuses this (rule 2)"
                )
            passed.append(target.script)
            start = target.node(target.start, self.escalations.get(target.start))
            if not isinstance(start, End):
                return
            node = start
