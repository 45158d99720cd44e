"""A checkbox whose label says what is so ("someone else", "not needed", "no call-back
promised"), with its box marked only when it is ticked.

Textual's Checkbox draws its X either way, dimmed when off. On a handler's screen
"▐X▌ someone else" read as ticked (a fresh pair of eyes, taking calls with only the
README); here the box is empty until it is ticked: "▐ ▌ someone else",
"▐X▌ the person it is about"."""

from __future__ import annotations

from textual.widgets import Checkbox

TICKED, UNTICKED = "X", " "


class StateBox(Checkbox):
    def on_mount(self) -> None:
        # a watcher of our own beside the Checkbox's (which tells the screen it changed)
        self.watch(self, "value", self._mark, init=True)

    def _mark(self, value: bool) -> None:
        # the button is drawn from BUTTON_INNER at each render: this box's own
        self.BUTTON_INNER = TICKED if value else UNTICKED
        self.refresh()
