"""Which one? Asked when a key on the call screen could mean more than one thing (which
referral the call is about, which service to take back): a number picks, Escape cancels."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

MOST = 9  # one key each


class PickOne(ModalScreen[int | None]):
    """Dismissed with the number picked (from 1), or None."""

    BINDINGS = [
        *[Binding(str(n), f"pick({n})", f"Pick {n}", show=False) for n in range(1, MOST + 1)],
        Binding("escape", "pick(0)", "Cancel"),
    ]
    DEFAULT_CSS = """
    PickOne { align: center middle; }
    PickOne > Vertical { width: 95%; height: auto; border: thick $accent; padding: 1 2;
                         background: $surface; }
    PickOne #choices { margin-top: 1; }
    """

    def __init__(self, question: str, choices: Sequence[Text]) -> None:
        super().__init__()
        self.question = question
        self.choices = list(choices)[:MOST]

    def compose(self) -> ComposeResult:
        listed = Text()
        for number, choice in enumerate(self.choices, start=1):
            if number > 1:
                listed.append("\n")
            listed.append(f"{number}  ", style="bold")
            listed.append_text(choice)
        with Vertical():
            yield Static(Text(self.question, style="bold"))
            yield Static(listed, id="choices")
            yield Static(Text(f"1-{len(self.choices)} to pick, Escape to cancel", style="dim"))
        yield Footer()

    def action_pick(self, number: int) -> None:
        if number == 0:
            self.dismiss(None)
        elif number <= len(self.choices):
            self.dismiss(number)
