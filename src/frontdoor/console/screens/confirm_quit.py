"""Quit Front Door? Asked every time, because one stray `q` on a busy desk must not
close the console a handler has twelve callers waiting on."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding

from frontdoor.console.screens.yes_no import YesNo


class ConfirmQuit(YesNo):
    BINDINGS = [
        Binding("y", "answer(True)", "Yes, quit"),
        Binding("n", "answer(False)", "No, stay"),
        Binding("escape", "answer(False)", "Stay", show=False),
    ]

    def __init__(self, call_open: bool, waiting_to_save: int) -> None:
        super().__init__()
        self.call_open = call_open
        self.waiting_to_save = waiting_to_save

    def question(self) -> Text:
        text = Text("Quit Front Door?\n\n", style="bold")
        if self.call_open:
            text.append(
                "A contact is open. What you recorded is kept, and the next start offers "
                "it to finish.\n",
                style="yellow",
            )
        if self.waiting_to_save:
            text.append(
                f"{self.waiting_to_save} step(s) are not yet saved to the database: they are "
                "kept on this workstation and saved at the next start.\n",
                style="yellow",
            )
        text.append("y  quit      n  stay")
        return text
