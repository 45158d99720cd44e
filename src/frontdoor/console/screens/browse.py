"""The directory outside a call: search it to answer a question, nothing is recorded."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer

from frontdoor.console.widgets.directory_panel import DirectoryPanel
from frontdoor.console.wiring import FrontDoor


class BrowseDirectoryScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("slash", "search", "Search"),  # from the results back to the box, as in a call
    ]

    def __init__(self, front: FrontDoor) -> None:
        super().__init__()
        self.front = front

    def compose(self) -> ComposeResult:
        yield DirectoryPanel(self.front.directory_index, local_now=self.front.local_now)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DirectoryPanel).focus_search()

    def action_search(self) -> None:
        self.query_one(DirectoryPanel).focus_search()

    def on_directory_panel_left(self) -> None:
        self.app.pop_screen()

    def on_directory_panel_service_chosen(self, event: DirectoryPanel.ServiceChosen) -> None:
        phones = ", ".join(p.number for p in event.service.phones) or "no phone listed"
        self.notify(f"{event.service.name}: {phones}", markup=False)
