"""The directory panel: searches as you type, says why each result matched, and filters
by who the call is about (age, area, caller type) and, on request, what is open now.

It reads the shared live index at every search, so a rebuilt index (a correction made on
any workstation) is used from the next keystroke; until the first index is ready it says
"Loading the directory..." and a thread worker waits, so typing is never held up.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from frontdoor.directory.eligibility import Filters
from frontdoor.directory.live_index import LiveIndex
from frontdoor.directory.model import Service
from frontdoor.directory.search import Result


def service_text(service: Service, why: str | None = None, action: str | None = None) -> Text:
    text = Text()
    if action:
        text.append(f"{action.upper()}: ", style="bold green")
    text.append(service.name, style="bold")
    if service.organisation:
        text.append(f"  {service.organisation}", style="dim")
    for phone in service.phones:
        text.append(f"\n  tel {phone.number}")
        if not phone.valid:
            text.append("  (not a valid number: check it)", style="yellow")
    if why:
        text.append(f"\n  why: {why}", style="italic cyan")
    return text


def result_text(result: Result) -> Text:
    text = service_text(result.service, result.why)
    if result.notes:
        text.append(f"\n  not known: {'; '.join(result.notes)}", style="dim")
    if result.stale:
        checked = result.service.assured_date
        when = checked.strftime("%b %Y") if checked else "ever"
        text.append(f"\n  not checked since {when}", style="bold yellow")
    return text


def filters_text(filters: Filters) -> str:
    parts = []
    if filters.age is not None:
        parts.append(f"age {filters.age}")
    if filters.area:
        parts.append(filters.area)
    if filters.caller_type:
        parts.append(filters.caller_type)
    parts.append("open now" if filters.open_at else "any time")
    return "for " + ", ".join(parts) + "  (ctrl+o: open now)"


class DirectoryPanel(Vertical):
    """Search box and results. Posts `Searched` and `ServiceChosen` for the screen to record."""

    DEFAULT_CSS = """
    DirectoryPanel { border: round $accent; padding: 0 1; }
    DirectoryPanel #directory-query { margin-bottom: 0; }
    DirectoryPanel #directory-filters { height: 1; color: $text-muted; }
    DirectoryPanel OptionList { height: 1fr; }
    DirectoryPanel #directory-status { height: 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape", "leave", "Back to triage", show=False),
        Binding("ctrl+o", "toggle_open_now", "Open now", show=False),
    ]

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

    LOADING = "Loading the directory..."

    def __init__(
        self,
        index: LiveIndex,
        *,
        local_now: Callable[[], dt.datetime],
        filters: Filters | None = None,
        id: str | None = None,
        look_every: float = 0.1,
    ) -> None:
        super().__init__(id=id)
        self.index = index
        # how often the loading worker looks whether it is still wanted (screen closed)
        self.look_every = look_every
        self.local_now = local_now
        self.filters = filters or Filters()
        self.results: list[Result] = []
        self._suggested: dict[str, Service] = {}
        self.border_title = "Directory  ( / to search, Enter to choose )"

    def compose(self) -> ComposeResult:
        yield Input(
            placeholder="Type what the caller needs, e.g. meals on wheels", id="directory-query"
        )
        yield Static(filters_text(self.filters), id="directory-filters")
        yield Static("", id="directory-status")
        yield OptionList(id="directory-results", markup=False)

    def on_mount(self) -> None:
        if self.index.current() is None:
            self._status(self.LOADING)
            self._wait_for_index()

    @work(thread=True, exclusive=True, group="directory-loading", exit_on_error=False)
    def _wait_for_index(self) -> None:
        worker = get_current_worker()
        said: str | None = None
        while not worker.is_cancelled:
            if self.index.wait_for_index(self.look_every) is not None:
                self.app.call_from_thread(self._index_ready)
                return
            failure = self.index.failure
            if failure is not None and failure != said:
                said = failure
                self.app.call_from_thread(
                    self._status,
                    "The directory could not be loaded: the database did not answer. "
                    "Trying again...",
                )

    def _index_ready(self) -> None:
        query = self.query_one("#directory-query", Input).value
        if query.strip():
            self._run_search(query)
        elif not self._suggested:
            self._status("")

    def _status(self, status: str) -> None:
        self.query_one("#directory-status", Static).update(Text(status))

    def focus_search(self) -> None:
        self.query_one("#directory-query", Input).focus()

    def focus_results(self) -> None:
        """The results (or the script's suggestions) take the keys: arrows, Enter."""
        options = self.query_one(OptionList)
        if options.option_count:
            self.screen.set_focus(options)
            if options.highlighted is None:
                options.highlighted = 0

    def show_suggestions(self, services: Sequence[tuple[Service, str]]) -> None:
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

    def _run_search(self, query: str) -> None:
        now = self.local_now()
        filters = self.filters
        if filters.open_at is not None:
            filters = dataclasses.replace(filters, open_at=now)
        index = self.index.current()
        if index is None:  # the worker started on mount searches once it is ready
            self._status(self.LOADING)
            return
        self.results = index.search(query, limit=8, filters=filters, today=now.date())
        self._suggested = {}
        options = self.query_one(OptionList)
        options.clear_options()
        for result in self.results:
            options.add_option(Option(result_text(result), id=result.service.id))
        status = "" if not query.strip() else f"{len(self.results)} result(s)"
        if query.strip() and not self.results:
            status = "Nothing found: Enter keeps this search as unmet need"
        self._status(status)

    @on(Input.Changed, "#directory-query")
    def _search(self, event: Input.Changed) -> None:
        self._run_search(event.value)

    def action_toggle_open_now(self) -> None:
        open_at = None if self.filters.open_at else self.local_now()
        self.filters = dataclasses.replace(self.filters, open_at=open_at)
        self.query_one("#directory-filters", Static).update(filters_text(self.filters))
        self._run_search(self.query_one("#directory-query", Input).value)

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
        if service_id in self._suggested:
            self.post_message(self.ServiceChosen(self._suggested[service_id]))
            return
        query = self.query_one("#directory-query", Input).value
        for result in self.results:
            if result.service.id == service_id:
                self.post_message(self.Searched(query, self.results))
                self.post_message(self.ServiceChosen(result.service))
                return

    def action_leave(self) -> None:
        self.post_message(self.Left())
