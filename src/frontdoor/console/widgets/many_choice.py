"""A check-all-that-apply question, answered from the keyboard: a box for each option."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

# a choice question is answered with the digits 1-9: a many question's options are ticked
# with them the same way, when there are no more than that
MOST_BY_DIGIT = 9


class ManyChoice(Widget, can_focus=True):
    """The options of a `many` question, each with a box. Up and down move; Space ticks or
    unticks the option under the cursor, a digit the option of that number (when there
    are nine or fewer); Enter gives the ticked options as the answer. An `only` option
    ("None of these") unticks the others when it is ticked, and is unticked by them."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("space", "tick", "Tick"),
        Binding("enter", "confirm", "Answer"),
        *[Binding(str(n), f"tick_number({n})", show=False) for n in range(1, 10)],
    ]
    DEFAULT_CSS = """
    ManyChoice { height: auto; padding: 0 1; }
    ManyChoice:focus { background-tint: $foreground 5%; }
    """

    cursor: reactive[int] = reactive(0)
    ticked: reactive[frozenset[int]] = reactive(frozenset())

    class Chosen(Message):
        """The handler pressed Enter: the labels ticked, in the options' order."""

        def __init__(self, labels: tuple[str, ...]) -> None:
            super().__init__()
            self.labels = labels

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.labels: list[str] = []
        self.only: frozenset[int] = frozenset()

    def ask(self, labels: Sequence[str], only: Collection[str] = ()) -> None:
        """Show a new question's options, none ticked."""
        self.labels = list(labels)
        self.only = frozenset(i for i, label in enumerate(labels) if label in only)
        self.cursor = 0
        self.ticked = frozenset()
        self.refresh(layout=True)

    def render(self) -> Text:
        text = Text()
        numbered = len(self.labels) <= MOST_BY_DIGIT
        for i, label in enumerate(self.labels):
            number = f" {i + 1} " if numbered else "   "
            text.append(number, style="reverse bold")
            box = "[x]" if i in self.ticked else "[ ]"
            text.append(f" {box} {label}", style="bold" if i == self.cursor else "")
            text.append("\n")
        text.append("Space or a number ticks, Enter answers", style="dim")
        return text

    def action_move(self, by: int) -> None:
        if self.labels:
            self.cursor = (self.cursor + by) % len(self.labels)

    def action_tick(self) -> None:
        self._toggle(self.cursor)

    def action_tick_number(self, number: int) -> None:
        if len(self.labels) <= MOST_BY_DIGIT and 1 <= number <= len(self.labels):
            self.cursor = number - 1
            self._toggle(number - 1)

    def _toggle(self, index: int) -> None:
        if not self.labels:
            return
        if index in self.ticked:
            self.ticked = self.ticked - {index}
        elif index in self.only:
            self.ticked = frozenset({index})
        else:
            self.ticked = (self.ticked - self.only) | {index}

    def action_confirm(self) -> None:
        # nothing ticked is an answer the runner refuses in words, as any answer that does
        # not fit: the screen shows why
        self.post_message(
            self.Chosen(tuple(label for i, label in enumerate(self.labels) if i in self.ticked))
        )
