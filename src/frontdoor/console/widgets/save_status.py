"""One line that says whether what the handler did is in the database yet: nothing when it
is, "saving..." for a moment, and in words when the database does not answer."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from frontdoor.calls.outbox_state import OutboxState


def status_text(state: OutboxState) -> Text:
    text = Text()
    if state.offline and state.waiting:
        text.append(
            f" working offline: {state.waiting} step(s) waiting to be saved ",
            style="bold black on yellow",
        )
        text.append("  kept on this workstation, saved when the database answers")
    elif state.offline:
        text.append(" the database is not answering ", style="bold black on yellow")
        text.append("  a call on screen goes on; starting a new one waits for it")
    elif state.saving:
        text.append(" saving... ", style="dim")
    if state.refused:
        text.append("\n")
        text.append(f" {state.refused} step(s) the database refused ", style="bold white on red")
        text.append("  kept on this workstation: tell your supervisor")
    if state.taken:
        text.append("\n")
        text.append(
            f" {len(state.taken)} contact(s) were taken over by another console ",
            style="bold white on red",
        )
        text.append("  your answers to them are kept on this workstation: tell your supervisor")
    return text


class SaveStatus(Static):
    """Follows the app's `outbox_state`."""

    DEFAULT_CSS = """
    SaveStatus { height: auto; max-height: 3; }
    """

    def on_mount(self) -> None:
        self.watch(self.app, "outbox_state", self._show, init=True)

    def _show(self, state: OutboxState) -> None:
        self.update(status_text(state))
        self.display = bool(state.saving or state.offline or state.taken or state.refused)
