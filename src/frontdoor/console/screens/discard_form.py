"""Close the new-contact form and lose what was typed into it? Asked once a field has
been typed into: Escape also closes a drop-down menu, and a second press closed the form
with a caller's details in it."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding

from frontdoor.console.screens.yes_no import YesNo


class DiscardForm(YesNo):
    BINDINGS = [
        Binding("y", "answer(True)", "Yes, close it"),
        Binding("n", "answer(False)", "No, back to the form"),
        Binding("escape", "answer(False)", "Back to the form", show=False),
    ]

    def question(self) -> Text:
        text = Text("Close this form?\n\n", style="bold")
        text.append(
            "What you typed for this caller is not kept: nothing is recorded until triage starts.\n"
        )
        text.append("y  close it      n  back to the form")
        return text
