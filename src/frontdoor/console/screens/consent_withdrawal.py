"""The person on the call withdraws consent to share: asked over the call screen (w), a
note if the handler wants one, Enter to record it, Escape to leave it. From then on their
handovers and exports are refused unless an override is recorded."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Static


class WithdrawShareScreen(ModalScreen[str | None]):
    """Dismissed with the note typed ("" for none) to record the withdrawal, or None."""

    BINDINGS = [Binding("escape", "cancel", "Not now")]
    DEFAULT_CSS = """
    WithdrawShareScreen { align: center middle; }
    WithdrawShareScreen > Vertical { width: 80; height: auto; border: thick $error;
                                     padding: 1 2; background: $surface; }
    WithdrawShareScreen Input { margin-top: 1; }
    """

    def __init__(self, person: str | None) -> None:
        super().__init__()
        self.person = person

    def compose(self) -> ComposeResult:
        who = Text()
        who.append("Record that ")
        # a name the caller gave: text, never markup
        who.append(self.person or "the person this call is about", style="bold")
        who.append(" withdraws consent to share?")
        with Vertical():
            yield Static(who)
            yield Static(
                "From now on no handover or export naming them goes to another service "
                "unless an override is recorded (vital interests or safeguarding)."
            )
            yield Input(placeholder="What they said (optional)", id="withdraw-note")
            yield Static(Text("Enter to record it, Escape to leave it", style="dim"))
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted, "#withdraw-note")
    def _record(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
