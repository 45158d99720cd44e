"""The directory panel: searches as you type and says why each result matched."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from frontdoor.directory.model import Service
from frontdoor.directory.search import Result, SearchIndex


def service_text(service: Service, why: str | None = None, action: str | None = None) -> Text:
    text = Text()
    if action:
        text.append(f"{action.upper()}: ", style="bold green")
    text.append(service.name, style="bold")
    if service.organisation:
        text.append(f"  {service.organisation}", style="dim")
    if service.phones:
        text.append(f"\n  tel {', '.join(p.number for p in service.phones)}")
    if why:
        text.append(f"\n  why: {why}", style="italic cyan")
    return text


class DirectoryPanel(Vertical):
    """Search box and results. Posts `Searched` and `ServiceChosen` for the screen to record."""

    DEFAULT_CSS = """
    DirectoryPanel { border: round $accent; padding: 0 1; }
    DirectoryPanel #directory-query { margin-bottom: 1; }
    DirectoryPanel OptionList { height: 1fr; }
    DirectoryPanel #directory-status { height: 1; color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "leave", "Back to triage", show=False)]

    class Searched(Message):
        def __init__(self, query: str, results: list[Result]) -> None:
            super().__init__()
            self.query = query
            self.results = results

    class ServiceChosen(Message):
        def __init__(self, service: Service) -> None:
            super().__init__()
            self.service = service

    class Left(Message):
        pass

    def __init__(self, index: SearchIndex, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.index = index
        self.results: list[Result] = []
        self.border_title = "Directory  ( / to search, Enter to choose )"

    def compose(self) -> ComposeResult:
        yield Input(
            placeholder="Type what the caller needs, e.g. meals on wheels", id="directory-query"
        )
        yield Static("", id="directory-status")
        yield OptionList(id="directory-results", markup=False)

    def focus_search(self) -> None:
        self.query_one("#directory-query", Input).focus()

    def show_suggestions(self, services: list[tuple[Service, str]]) -> None:
        """The services the script's end names, before any search."""
        options = self.query_one(OptionList)
        options.clear_options()
        self.results = []
        for service, action in services:
            options.add_option(
                Option(service_text(service, action=f"script says {action}"), id=service.id)
            )
        status = f"{len(services)} service(s) suggested by the script" if services else ""
        self.query_one("#directory-status", Static).update(Text(status, style="green"))
        self._suggested = {s.id: s for s, _ in services}

    @on(Input.Changed, "#directory-query")
    def _search(self, event: Input.Changed) -> None:
        self.results = self.index.search(event.value, limit=8)
        self._suggested = {}
        options = self.query_one(OptionList)
        options.clear_options()
        for result in self.results:
            options.add_option(
                Option(service_text(result.service, result.why), id=result.service.id)
            )
        status = "" if not event.value.strip() else f"{len(self.results)} result(s)"
        self.query_one("#directory-status", Static).update(Text(status))

    @on(Input.Submitted, "#directory-query")
    def _submitted(self, event: Input.Submitted) -> None:
        self.post_message(self.Searched(event.value, self.results))
        if self.results:
            options = self.query_one(OptionList)
            options.focus()
            options.highlighted = 0

    @on(OptionList.OptionSelected, "#directory-results")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        service_id = event.option.id or ""
        query = self.query_one("#directory-query", Input).value
        if getattr(self, "_suggested", {}).get(service_id):
            self.post_message(self.ServiceChosen(self._suggested[service_id]))
            return
        for result in self.results:
            if result.service.id == service_id:
                self.post_message(self.Searched(query, self.results))
                self.post_message(self.ServiceChosen(result.service))
                return

    def action_leave(self) -> None:
        self.post_message(self.Left())
