"""Run a script with a caller: a `transitions` state machine per script, handed on
from script to script by `goto_script`, with back and the two escalations everywhere.

An escalation is an end like any other (back undoes it), except that its outcome stands
for the contact whatever ends follow it, and it carries what the service's config gives
it: what to say and do now, and, for safeguarding, the script it hands on to.

A decide node asks nothing: the runner passes through it on what is known (the answers
recorded, the facts the record knows, the moment), and each step says where it went, so
the record can show why the call went where it did. Back skips over it.

The runner works on plain objects and never touches the database: each step returns
what happened (`Step`) and the console records it.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, cast

from transitions import EventData, Machine, MachineError

from frontdoor.triage_scripts.answers import (
    AnswerError,
    AnswerText,
    Value,
    answer_words,
    parse_answer,
)
from frontdoor.triage_scripts.conditions import Condition, evaluate, uses_time
from frontdoor.triage_scripts.facts import Facts, Moment
from frontdoor.triage_scripts.model import (
    ESCALATE_EMERGENCY,
    ESCALATE_SAFEGUARDING,
    ESCALATIONS,
    Decide,
    End,
    Escalation,
    Option,
    Question,
    RouteRule,
    Script,
    Wording,
    WordingKind,
    worded,
)
from frontdoor.words import yes_no_label

ESCALATION_ANSWERS = {"!emergency": ESCALATE_EMERGENCY, "!safeguarding": ESCALATE_SAFEGUARDING}


class TriageError(RuntimeError):
    """An action the current state does not allow (e.g. back at the first question)."""


class MomentNotGiven(TriageError):
    """A route uses days_since, age or now.* and the run has no moment (a script's test
    without `now:` or `today:`): its result would depend on the day it runs."""


@dataclass(frozen=True)
class EndReached:
    script: str
    version: int
    node: str
    end: End
    wording: WordingKind | None = None  # which wording of its `say` was shown


@dataclass(frozen=True)
class Decided:
    """A decide node the runner passed through, and the node it went to."""

    script: str
    version: int
    node: str
    target: str


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
    answer: AnswerText | None = None
    value: Value | None = None
    option: Option | None = None
    ends_reached: tuple[EndReached, ...] = ()
    ends_withdrawn: int = 0
    # the decide nodes passed through after it, in order
    decisions: tuple[Decided, ...] = ()
    # which wording of the question was shown (None: it has only one)
    wording: WordingKind | None = None

    @property
    def end(self) -> EndReached | None:
        """The first end this step reached (a hand-on end where it handed on)."""
        return self.ends_reached[0] if self.ends_reached else None

    @property
    def red_flags(self) -> list[str]:
        return [e.end.red_flag for e in self.ends_reached if e.end.red_flag]


class _ScriptRun:
    """Where a run is in one script: `state` is the current node's name, `pending` the
    answer being routed, and `holds` says whether a route's condition holds now (the
    triage knows the answers and the facts). The script's graph is one `transitions`
    machine shared by every run of it (see `_machine`): a call no longer builds it."""

    def __init__(self, script: Script, holds: Callable[[Condition], bool]) -> None:
        self.script = script
        self.pending: Value | None = None
        self.holds = holds
        self.machine = _machine(script)
        self.state: str = script.start

    def fire(self, trigger: str) -> bool:
        """Take the first of the trigger's transitions from here whose conditions hold:
        False when none does (the run stays where it is)."""
        try:
            return bool(self.machine.events[trigger].trigger(self))
        except MachineError:  # no transition of this trigger leaves this node
            return False

    def set_state(self, node: str) -> None:
        self.machine.set_state(node, model=self)


# One machine per script object, without models: as `transitions`' FAQ advises for many
# short-lived models, a run triggers the machine's events with itself as the model and
# never registers with it (add_model binds a method per node and trigger to each model,
# and the machine would keep every run alive until remove_model). The conditions read
# the run from the event. Kept while the script object lives (a library reloaded gives
# new objects, and new machines).
_MACHINES: dict[int, Machine] = {}
_BUILDING = threading.Lock()


def _machine(script: Script) -> Machine:
    machine = _MACHINES.get(id(script))
    if machine is None:
        with _BUILDING:
            machine = _MACHINES.get(id(script))
            if machine is None:
                machine = _MACHINES[id(script)] = _build(script)
                weakref.finalize(script, _MACHINES.pop, id(script), None)
    return machine


def _build(script: Script) -> Machine:
    states = [*script.nodes, ESCALATE_EMERGENCY, ESCALATE_SAFEGUARDING]
    machine = Machine(
        model=None,
        states=list(dict.fromkeys(states)),
        initial=script.start,
        auto_transitions=False,  # no jumping to arbitrary nodes
        send_event=True,  # conditions are given the event, and read the run from it
        ignore_invalid_triggers=False,
    )
    for name, node in script.questions().items():
        for option in node.options or []:
            if option.next is not None:  # a many question's options only answer
                machine.add_transition(
                    "answer", name, option.next, conditions=[_is_label(option.answer)]
                )
        _add_rules(machine, "answer", name, node.route or [])
        machine.add_transition("escalate_emergency", name, ESCALATE_EMERGENCY)
        machine.add_transition("escalate_safeguarding", name, ESCALATE_SAFEGUARDING)
    for name, decide in script.decides().items():
        _add_rules(machine, "decide", name, decide.decide)
    return machine


def _add_rules(machine: Machine, trigger: str, name: str, rules: list[RouteRule]) -> None:
    # transitions tries them in the order added: the first rule that holds wins
    for rule in rules:
        condition = rule.condition
        machine.add_transition(
            trigger,
            name,
            rule.target,
            conditions=[_holds(condition)] if condition is not None else [],
        )


def _is_label(label: str) -> Callable[[EventData], bool]:
    def answered(event: EventData) -> bool:
        pending = cast(_ScriptRun, event.model).pending
        return pending == label or (isinstance(pending, bool) and label == yes_no_label(pending))

    return answered


def _holds(condition: Condition) -> Callable[[EventData], bool]:
    return lambda event: cast(_ScriptRun, event.model).holds(condition)


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
    `follow_goto` is false (a script's own tests) the run stops at such an end, and
    `stop_at` (script, end) stops it at that one end even when it follows the others.
    `escalations` gives the two escalation ends their guidance and hand-on, by name.
    `facts` are what the record knows; `clock` gives the moment for now.*, days_since and
    age (None: a script's test without `now:`/`today:`, where a route using them fails).
    `planned` are decisions a record already holds: a resumed call passes each decide
    node where it went the first time, whatever the facts are now.
    """

    script: Script
    library: Mapping[str, Script] = field(default_factory=dict)
    follow_goto: bool = True
    escalations: Mapping[str, Escalation] = field(default_factory=dict)
    recorded: dict[str, Any] = field(default_factory=dict)
    ends: list[EndReached] = field(default_factory=list)
    facts: Facts = field(default_factory=Facts)
    clock: Callable[[], Moment] | None = None
    planned: list[Decided] = field(default_factory=list)
    stop_at: tuple[str, str] | None = None
    _run: _ScriptRun = field(init=False)
    _history: list[_Frame] = field(default_factory=list, init=False)
    # (question asked, answer given) along the current path, for the handler to see
    path: list[tuple[str, str]] = field(default_factory=list, init=False)
    finished: bool = field(default=False, init=False)
    # the decisions taken by the action under way (then by the start: `opening`)
    _decisions: list[Decided] = field(default_factory=list, init=False)
    opening: tuple[Decided, ...] = field(default=(), init=False)

    def __post_init__(self) -> None:
        self._run = self._machine_for(self.script)
        self._settle()
        self.opening = tuple(self._decisions)

    # --- what the console reads ---------------------------------------------------
    @property
    def node_name(self) -> str:
        return self._run.state

    @property
    def node(self) -> Question | Decide | End:
        name = self._run.state
        return self.script.node(name, self.escalations.get(name))

    @property
    def is_person(self) -> bool:
        """The caller is the person the call is about: `self` wordings are shown."""
        return self.facts.caller_is_person

    def words(self, text: str | Wording) -> str:
        """An `ask` or `say` as this caller is to hear it."""
        return worded(text, self.is_person)[0]

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
        node_name = self.node_name
        self._check_moment(node_name, question.route or [])
        frame = _Frame(self.script, node_name, dict(self.recorded), len(self.ends))
        if question.record:
            self.recorded[question.record] = value
        self._run.pending = value
        if not self._run.fire("answer"):
            self.recorded = frame.recorded
            raise AnswerError(f"'{answer_words(label)}' leads nowhere from {node_name}")
        self._history.append(frame)
        asked, wording = worded(question.ask, self.is_person)
        self.path.append((asked, answer_words(label)))
        chosen = next((o for o in question.options or [] if o.answer == label), None)
        before = len(self.ends)
        self._settle_or_undo()
        return Step(
            frame.script.script,
            frame.script.version,
            node_name,
            "answer",
            label,
            value,
            option=chosen,
            ends_reached=tuple(self.ends[before:]),
            decisions=tuple(self._decisions),
            wording=wording,
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
        asked, wording = worded(question.ask, self.is_person)
        self.path.append((asked, "escalated: " + target.removeprefix("escalate_")))
        script = self.script
        self._run.fire(target)  # every question has both, whatever the answers
        before = len(self.ends)
        self._settle_or_undo()
        return Step(
            script.script,
            script.version,
            node_name,
            "escalate",
            target,
            ends_reached=tuple(self.ends[before:]),
            decisions=tuple(self._decisions),
            wording=wording,
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
            self._run = self._machine_for(frame.script)
        self._run.set_state(frame.node)
        self.recorded = frame.recorded
        self.finished = False
        return Step(left_script.script, left_script.version, left, "back", ends_withdrawn=withdrawn)

    # --- inside -------------------------------------------------------------------
    def _require_question(self) -> Question:
        question = self.question
        if question is None:
            raise TriageError("the script has ended: there is no question to answer")
        return question

    def _machine_for(self, script: Script) -> _ScriptRun:
        return _ScriptRun(script, self._holds)

    def _holds(self, condition: Condition) -> bool:
        moment = self.clock() if self.clock is not None else None
        known = {**self.facts.values(self.script.category, moment), **self.recorded}
        return evaluate(condition, known, moment.today if moment else None)

    def _check_moment(self, node: str, rules: Sequence[RouteRule]) -> None:
        """Refuse to route on the moment when there is none (a script's test without
        `now:` or `today:`): every rule of the node counts, whichever would match."""
        if self.clock is not None:
            return
        if any(rule.condition is not None and uses_time(rule.condition) for rule in rules):
            raise MomentNotGiven(
                f"the route at '{node}' uses days_since, age or now.*: "
                "give the test 'now:' or 'today:'"
            )

    def _decide(self, name: str, node: Decide) -> None:
        """Pass through a decide node: where a record says it went, else the first rule
        that holds."""
        script = self.script
        planned = self.planned[0] if self.planned else None
        if (
            planned is not None
            and (planned.script, planned.version, planned.node)
            == (script.script, script.version, name)
            and planned.target in node.targets()
        ):
            self.planned.pop(0)
            self._run.set_state(planned.target)
        else:
            self._check_moment(name, node.decide)
            if not self._run.fire("decide"):
                raise TriageError(f"no rule of '{name}' holds")  # its else always does
        self._decisions.append(Decided(script.script, script.version, name, self.node_name))

    def _settle_or_undo(self) -> None:
        """Settle after an answer or an escalation; if that cannot be done (a hand-on to a
        script not in the library, a decision that needs a moment there is none of), the
        action is undone as back would, so the run never stops half-way."""
        self._decisions = []
        try:
            self._settle()
        except TriageError:
            self.back()
            self._decisions = []
            raise

    def _settle(self) -> None:
        """Pass through decide nodes; if the node reached is an end, record it and hand on
        where it says so, through every script that starts with a decision or a hand-on.
        A chain that comes back to a decide node or a script it has passed, with no
        question between, would go round for ever: it is refused (TriageError; lint's
        rule 2 refuses such scripts), and `_settle_or_undo` undoes the action."""
        passed: set[tuple[str, str]] = set()
        scripts = [self.script.script]
        while True:
            node = self.node
            here = (self.script.script, self.node_name)
            if isinstance(node, Decide):
                if here in passed:  # lint's rule 2 refuses such a script; never spin here
                    raise TriageError(f"decide nodes loop back to '{here[1]}' in {here[0]}")
                passed.add(here)
                self._decide(self.node_name, node)
                continue
            if not isinstance(node, End):
                return
            wording = worded(node.say, self.is_person)[1] if node.say is not None else None
            self.ends.append(
                EndReached(self.script.script, self.script.version, self.node_name, node, wording)
            )
            if node.goto_script and self.follow_goto and here != self.stop_at:
                target = self.library.get(node.goto_script)
                if target is None:
                    raise TriageError(f"script '{node.goto_script}' is not in the library")
                if target.script in scripts:
                    loop = " → ".join([*scripts, target.script])
                    raise TriageError(
                        f"the scripts hand the call on round a loop with no question ({loop}); "
                        "lint refuses this (rule 2)"
                    )
                scripts.append(target.script)
                # no history frame here: back from the next script's first question returns
                # to the question that led to this hand-on (the frame `answer` just pushed)
                self.script = target
                self._run = self._machine_for(target)
                continue
            self.finished = True
            return
