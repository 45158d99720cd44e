"""A question answered with y or n (Esc is no), in a box over the screen it is asked on.
Each question is a subclass that says what y and n mean in its footer (BINDINGS) and
what is asked (`question`)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Static


class YesNo(ModalScreen[bool]):
    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n", "answer(False)", "No"),
        Binding("escape", "answer(False)", "No", show=False),
    ]
    DEFAULT_CSS = """
    YesNo { align: center middle; }
    YesNo > Vertical { width: 70; height: auto; border: thick $warning; padding: 1 2;
                       background: $surface; }
    """

    def question(self) -> Text:
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question())
        yield Footer()

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
