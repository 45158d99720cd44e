"""Try a script: run it as a call that records nothing, so that a lead and a handler can
rehearse a change before it is approved (spec/script-governance.md, "try it").

The screen has a triage runner and nothing else: no call service, no record, no outbox,
so nothing it does can reach the database. It shows the same triage panel the call
screen does, with the same keys (numbers, b, F8, F9), under a banner that says nothing is
recorded; at an end, what the end says and refers to, then r to start again or Esc to
leave.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from frontdoor.calls.escalation import EscalationAdvice, EscalationGuide
from frontdoor.calls.facts import moment_at
from frontdoor.calls.settings import CallSettings
from frontdoor.console.widgets.many_choice import ManyChoice
from frontdoor.console.widgets.triage_panel import TriagePanel, option_labels
from frontdoor.local_time import Clock, system_clock
from frontdoor.triage_scripts.answers import AnswerError
from frontdoor.triage_scripts.model import ESCALATE_EMERGENCY, ESCALATE_SAFEGUARDING, Script
from frontdoor.triage_scripts.runner import Step, Triage, TriageError

END_HINT = "Nothing was recorded. r starts again, b goes back, Esc leaves."


def rehearsal(
    script: Script,
    library: Mapping[str, Script],
    settings: CallSettings,
    clock: Clock = system_clock,
) -> Callable[[], Triage]:
    """A new run of `script` each time it is called, handing on within `library` as a
    call would (`script` in it, in place of the version there: F9 from a draft of the
    safeguarding script comes back to the draft) and escalating as the service's
    settings say. There is no contact, so every fact is null; the moment is now."""
    scripts = {**library, script.script: script}
    return lambda: Triage(
        script,
        library=scripts,
        escalations=settings.escalation_ends(),
        clock=lambda: moment_at(clock(), settings),
    )


def banner(script: Script) -> Text:
    text = Text()
    text.append(" TRYING A SCRIPT: NOTHING IS RECORDED ", style="bold reverse")
    text.append(f"  {script.title} (v{script.version}, {script.status})")
    return text


def end_detail(triage: Triage) -> Text:
    """Where the end reached sends the caller, which a call would offer in the directory."""
    reached = triage.last_end
    text = Text()
    if reached is None or not triage.finished:
        return text
    end = reached.end
    if end.refer_to:
        text.append(f"Refer to: {end.refer_to}\n")
    if end.signpost:
        text.append(f"Signpost: {', '.join(end.signpost)}\n")
    hand_ons = [e.end.goto_script for e in triage.ends if e.end.goto_script]
    if hand_ons:
        text.append(f"Scripts followed: {' -> '.join([triage.ends[0].script, *hand_ons])}\n")
    return text


class TryScriptScreen(Screen[None]):
    """A script run as a call that records nothing. `start` gives a new runner (each
    start again calls it); `guides` are the escalation keys' guidance, shown as on a call
    (without the directory's services: a rehearsal has no caller to find them for)."""

    BINDINGS = [
        *[Binding(str(n), f"option({n})", f"Answer {n}", show=False) for n in range(1, 10)],
        Binding("b", "back", "Back"),
        Binding("ctrl+b", "back_from_field", "Back", priority=True),
        Binding("f8", "escalate('emergency')", "Emergency", priority=True),
        Binding("f9", "escalate('safeguarding')", "Safeguarding", priority=True),
        Binding("r", "again", "Start again"),
        Binding("escape", "leave", "Leave", priority=True),
    ]
    DEFAULT_CSS = """
    TryScriptScreen #not-recorded { height: 1; background: $warning; color: $text; }
    TryScriptScreen TriagePanel { height: 1fr; }
    TryScriptScreen #end-detail { height: auto; color: $success; padding: 0 2; }
    """

    def __init__(
        self, start: Callable[[], Triage], *, guides: Mapping[str, EscalationGuide] | None = None
    ) -> None:
        super().__init__()
        self.start = start
        self.guides = guides or {}
        self.triage = start()

    def compose(self) -> ComposeResult:
        yield Static(banner(self.triage.script), id="not-recorded")
        yield TriagePanel(end_hint=END_HINT, id="triage")
        yield Static("", id="end-detail")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._refresh()

    def _advice(self) -> EscalationAdvice | None:
        reached = self.triage.last_escalation
        guide = self.guides.get(reached.node) if reached else None
        if reached is None or guide is None:
            return None
        return EscalationAdvice(reached.node, guide.title, guide.say, (), ())

    def _refresh(self) -> None:
        triage = self.triage
        self.query_one(TriagePanel).show(triage, self._advice())
        self.query_one("#end-detail", Static).update(end_detail(triage))
        question = triage.question
        if question is not None and question.input == "many":
            self.set_focus(self.query_one(ManyChoice))
        elif question is not None and not option_labels(question):
            self.set_focus(self.query_one("#answer-input", Input))
        else:
            self.set_focus(self.query_one(TriagePanel))
        self.refresh_bindings()

    def _do(self, action: Callable[[], Step]) -> None:
        try:
            step = action()
        except (AnswerError, TriageError) as exc:
            self.notify(str(exc), severity="warning", markup=False)
            return
        for red_flag in step.red_flags:
            self.notify(red_flag, title="Red flag", severity="error", markup=False)
        self._refresh()

    def action_option(self, number: int) -> None:
        question = self.triage.question
        if question is None:
            return
        labels = option_labels(question)
        if 1 <= number <= len(labels):
            self._do(lambda: self.triage.answer(labels[number - 1]))

    @on(Input.Submitted, "#answer-input")
    def _typed_answer(self, event: Input.Submitted) -> None:
        self._do(lambda: self.triage.answer(event.value))

    @on(ManyChoice.Chosen)
    def _ticked_answer(self, event: ManyChoice.Chosen) -> None:
        self._do(lambda: self.triage.answer(list(event.labels)))

    def action_back(self) -> None:
        self._do(self.triage.back)

    def action_back_from_field(self) -> None:
        self.action_back()

    def action_escalate(self, kind: str) -> None:
        target = ESCALATE_EMERGENCY if kind == "emergency" else ESCALATE_SAFEGUARDING
        self._do(lambda: self.triage.escalate(target))

    def action_again(self) -> None:
        self.triage = self.start()
        self._refresh()

    def action_leave(self) -> None:
        self.dismiss(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """In a typed answer `b` and `r` are letters: the footer shows what works there."""
        typing = isinstance(self.focused, Input)
        if action in ("back", "again"):
            return not typing
        if action == "back_from_field":
            return typing
        return True
