"""The triage panel: one question at a time with its help text, or the end reached; after
an escalation key, what to say and do now, kept in view while the questions go on."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input, Static

from frontdoor.calls.escalation import EscalationAdvice
from frontdoor.console.widgets.many_choice import ManyChoice
from frontdoor.triage_scripts.model import End, Question
from frontdoor.triage_scripts.runner import Triage
from frontdoor.words import in_words


def option_labels(question: Question) -> list[str]:
    """The answers a digit gives at once (a many question's are ticked, then Enter)."""
    if question.input == "many":
        return []
    if question.options is not None:
        return [o.answer for o in question.options]
    if question.input == "yes_no":
        return ["Yes", "No"]
    return []


PLACEHOLDERS = {
    "number": "Type a number, then Enter",
    "date": "YYYY-MM-DD, then Enter",
    "text": "Type the caller's answer, then Enter",
}


def guidance_text(advice: EscalationAdvice) -> Text:
    """What an escalation says to do now, and why its services were suggested."""
    text = Text()
    text.append(f"{advice.title}\n", style="bold")
    text.append(advice.say)
    for note in advice.notes:
        text.append(f"\n{note}", style="italic")
    if advice.services:
        text.append("\nSuggested in the directory panel: ", style="bold")
        text.append(", ".join(service.name for service, _ in advice.services))
    return text


def path_text(triage: Triage) -> Text:
    """The answers so far, newest last, so the handler can read back or go back."""
    if not triage.path:
        return Text("")
    text = Text()
    text.append("Answers so far (b goes back one)\n", style="underline")
    for asked, answer in triage.path[-8:]:
        text.append(f"  {asked}  ")
        text.append(answer, style="bold")
        text.append("\n")
    return text


class TriagePanel(VerticalScroll):
    DEFAULT_CSS = """
    TriagePanel { border: round $primary; padding: 0 1; }
    TriagePanel #script-title { color: $text-muted; }
    TriagePanel #question { text-style: bold; margin-top: 1; }
    TriagePanel #help { color: $text-muted; margin-bottom: 1; }
    TriagePanel #red-flag { background: $error; color: $text; text-style: bold; padding: 0 1; }
    TriagePanel #guidance { border: tall $error; padding: 0 1; margin-top: 1; }
    TriagePanel #answer-input { margin-top: 1; }
    TriagePanel #path { margin-top: 1; color: $text-muted; }
    """

    CALL_END_HINT = (
        "Record any service you refer or signpost to in the directory panel, "
        "then F10 to wrap up (b goes back)."
    )

    def __init__(self, *, end_hint: str = CALL_END_HINT, id: str | None = None) -> None:
        super().__init__(id=id)
        # what to do at an end: a call wraps up, a rehearsal (try it) starts again
        self.end_hint = end_hint

    def compose(self) -> ComposeResult:
        yield Static("", id="script-title")
        yield Static("", id="red-flag")
        yield Static("", id="question")
        yield Static("", id="help")
        yield Static("", id="options")
        yield ManyChoice(id="many")
        yield Input(id="answer-input")
        # below the question it stays with: F9's safeguarding questions go on under it
        yield Static("", id="guidance")
        yield Static("", id="path")

    def show(self, triage: Triage, advice: EscalationAdvice | None = None) -> None:
        """The question or end `triage` is at; `advice`: the escalation reached, if any."""
        script = triage.script
        self.border_title = "Triage"
        self.query_one("#script-title", Static).update(Text(f"{script.title}  (v{script.version})"))
        answer = self.query_one("#answer-input", Input)
        self.query_one("#path", Static).update(path_text(triage))
        # red flags stay in view after a hand-on (F9 goes on to the safeguarding questions)
        red = [e.end.red_flag for e in triage.ends if e.end.red_flag]
        flag = self.query_one("#red-flag", Static)
        flag.display = bool(red)
        flag.update(Text("RED FLAG: " + "; ".join(red)))
        guidance = self.query_one("#guidance", Static)
        guidance.display = advice is not None
        guidance.update(guidance_text(advice) if advice is not None else "")
        question = triage.question
        many = self.query_one(ManyChoice)
        many.display = question is not None and question.input == "many"
        if question is not None:
            # the wording for this caller: "Are you..." to the person, else about them
            self.query_one("#question", Static).update(Text(triage.words(question.ask)))
            self.query_one("#help", Static).update(Text(question.help or ""))
            labels = option_labels(question)
            options = Text()
            for number, label in enumerate(labels, start=1):
                options.append(f" {number} ", style="reverse bold")
                options.append(f" {label}\n")
            self.query_one("#options", Static).update(options)
            if many.display:
                many.ask(question.labels(), [o.answer for o in question.options or [] if o.only])
            answer.display = not labels and not many.display
            answer.value = ""
            answer.placeholder = PLACEHOLDERS.get(question.input, "")
            return
        answer.display = False
        node = triage.node
        assert isinstance(node, End)
        self.query_one("#question", Static).update(
            Text(
                f"End: {in_words(triage.node_name)}  -  outcome: "
                f"{in_words(triage.outcome) if triage.outcome else 'none given'}"
            )
        )
        # an escalation's own words are in the guidance above
        said = None if advice is not None and advice.node == triage.node_name else node.say
        self.query_one("#help", Static).update(Text(triage.words(said) if said else ""))
        self.query_one("#options", Static).update(Text(self.end_hint, style="green"))
