"""For service leads: the directory, entry by entry, with the ones not checked for a
year first when asked. Enter opens an entry to read, correct or mark checked."""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from frontdoor.console.screens.service_detail import ServiceScreen
from frontdoor.console.wiring import FrontDoor
from frontdoor.directory.model import Service, stale_before


def checked_text(service: Service, today: dt.date) -> Text:
    if service.assured_date is None:
        return Text("never checked", style="bold yellow")
    text = f"checked {service.assured_date:%d %b %Y}"
    if service.assured_by:
        text += f" by {service.assured_by}"
    return Text(text, style="bold yellow" if service.stale(today) else "dim")


def row_text(service: Service, today: dt.date) -> Text:
    text = Text(service.name, style="bold" if service.active else "dim strike")
    if service.organisation:
        text.append(f"  {service.organisation}", style="dim")
    text.append("\n  ")
    text.append(checked_text(service, today))
    if not service.active:
        text.append(f"  status: {service.status}", style="red")
    if any(not p.valid for p in service.phones):
        text.append("  a phone number is not valid", style="yellow")
    return text


class DirectoryAdminScreen(Screen[None]):
    AUTO_FOCUS = "#entries"  # letters are keys here; "/" goes to the find box
    BINDINGS = [
        Binding("s", "show_stale", "Not checked for 12 months"),
        Binding("a", "show_all", "All entries"),
        Binding("slash", "find", "Find"),
        Binding("escape", "app.pop_screen", "Back", show=False),
        Binding("q", "app.pop_screen", "Back"),  # quitting is the ready screen's, and asks
    ]
    DEFAULT_CSS = """
    DirectoryAdminScreen #title { text-style: bold; padding: 0 1; }
    DirectoryAdminScreen #count { color: $text-muted; padding: 0 1; }
    DirectoryAdminScreen OptionList { height: 1fr; }
    """

    def __init__(self, front: FrontDoor, user: str) -> None:
        super().__init__()
        self.front = front
        self.user = user
        self.stale_only = False
        self.services: list[Service] = []

    def compose(self) -> ComposeResult:
        yield Static("The directory", id="title")
        yield Input(placeholder="Find an entry by name or organisation", id="find")
        yield Static("", id="count")
        yield OptionList(id="entries", markup=False)
        yield Footer()

    def on_screen_resume(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="directory-admin", exit_on_error=False)
    def _load(self) -> None:
        today = self.front.local_now().date()
        if self.stale_only:
            services = self.front.directory.not_checked_since(stale_before(today))
        else:
            services = self.front.directory.all()
        self.app.call_from_thread(self._show, services, today)

    def _show(self, services: list[Service], today: dt.date) -> None:
        self.services = services
        wanted = self.query_one("#find", Input).value.strip().casefold()
        shown = [s for s in services if wanted in f"{s.name} {s.organisation or ''}".casefold()]
        entries = self.query_one("#entries", OptionList)
        entries.clear_options()
        for service in shown:
            entries.add_option(Option(row_text(service, today), id=service.id))
        what = "not checked for 12 months, oldest first" if self.stale_only else "all entries"
        self.query_one("#count", Static).update(Text(f"{len(shown)} of {len(services)}: {what}"))
        if shown:
            entries.highlighted = 0

    @on(Input.Changed, "#find")
    def _find(self) -> None:
        self._show(self.services, self.front.local_now().date())

    @on(Input.Submitted, "#find")
    def _found(self) -> None:
        self.query_one("#entries", OptionList).focus()

    @on(OptionList.OptionSelected, "#entries")
    def _open(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.app.push_screen(ServiceScreen(self.front, event.option.id, self.user))

    def action_show_stale(self) -> None:
        self.stale_only = True
        self._load()

    def action_show_all(self) -> None:
        self.stale_only = False
        self._load()

    def action_find(self) -> None:
        self.query_one("#find", Input).focus()
