"""Signposted or referred? Asked when the handler picks a service."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from frontdoor.console.widgets.directory_panel import service_text
from frontdoor.directory.model import Service
from frontdoor.interactions.model import ACTIONS, Action


class ChooseAction(ModalScreen[Action | None]):
    BINDINGS = [
        Binding("s", "pick('signposted')", "Signposted"),
        Binding("r", "pick('referred')", "Referred"),
        Binding("enter", "default", "As the script says", show=False),
        Binding("escape", "pick(None)", "Cancel"),
    ]
    DEFAULT_CSS = """
    ChooseAction { align: center middle; }
    ChooseAction > Vertical { width: 70; height: auto; border: thick $accent; padding: 1 2;
                              background: $surface; }
    """

    def __init__(self, service: Service, suggested: Action | None) -> None:
        super().__init__()
        self.service = service
        self.suggested = suggested

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(service_text(self.service))
            prompt = (
                "s  the caller will contact them (signposted)\nr  we refer the person (referred)"
            )
            if self.suggested:
                prompt += f"\nEnter  as the script says ({self.suggested})"
            yield Static(Text(prompt))
        yield Footer()

    def action_pick(self, action: str | None) -> None:
        self.dismiss(next((a for a in ACTIONS if a == action), None))

    def action_default(self) -> None:
        if self.suggested:
            self.dismiss(self.suggested)
