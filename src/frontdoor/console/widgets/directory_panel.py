"""The directory panel: searches as you type, says why each result matched, and filters
by who the call is about (age, area, caller type) and, on request, what is open now.

A filter never hides a service: those that fail one are set aside, counted on the status
line ("3 set aside by area"), and listed after the others with why when the handler asks
(ctrl+t), or at once when nothing else fits. ctrl+f turns the person's filters off.

It reads the shared live index at every search, so a rebuilt index (a correction made on
any workstation) is used from the next keystroke; until the first index is ready it says
"Loading the directory..." and a thread worker waits, so typing is never held up.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from frontdoor.directory.details import DetailsUnavailable
from frontdoor.directory.eligibility import FILTER_WORDS, Filters
from frontdoor.directory.live_index import LiveIndex
from frontdoor.directory.model import Service
from frontdoor.directory.results import Found, Result


def service_text(
    service: Service,
    why: str | None = None,
    action: str | None = None,
    now: dt.datetime | None = None,
) -> Text:
    """With `now`, the places the service last said it had free, and how long ago."""
    text = Text()
    if action:
        text.append(f"{action.upper()}: ", style="bold green")
    text.append(service.name, style="bold")
    if service.organisation:
        text.append(f"  {service.organisation}", style="dim")
    for phone in service.phones:
        text.append(f"\n  tel {phone.shown}")
        if not phone.valid:
            text.append("  (not a valid number: check it)", style="yellow")
    if now is not None:
        for capacity in service.capacities:
            text.append(f"\n  {capacity.describe(now)}", style="green")
    if why:
        text.append(f"\n  why: {why}", style="italic cyan")
    return text


def result_text(result: Result, now: dt.datetime | None = None) -> Text:
    text = service_text(result.service, result.why, now=now)
    verdict = result.verdict
    if verdict.failed:
        text.append(f"\n  set aside: {'; '.join(verdict.failed)}", style="bold yellow")
    if verdict.not_known:
        text.append(f"\n  {'; '.join(verdict.not_known)}", style="dim")
    if result.stale:
        checked = result.service.assured_date
        when = checked.strftime("%b %Y") if checked else "ever"
        text.append(f"\n  not checked since {when}", style="bold yellow")
    return text


def without_the_person(filters: Filters) -> Filters:
    """The filters with the person's age, area and caller type off (open now stays)."""
    return dataclasses.replace(filters, age=None, area=None, caller_type=None)


def filters_text(filters: Filters, off: bool = False) -> str:
    parts = []
    if filters.age is not None:
        parts.append(f"age {filters.age}")
    if filters.area:
        parts.append(filters.area)
    if filters.caller_type:
        parts.append(f"{filters.caller_type} caller")
    who = ", ".join(parts) or "anyone"
    when = "open now" if filters.open_at else "any time"
    if off and parts:
        return f"filters off ({who}): every service, {when}"
    return f"for {who}, {when}"


def set_aside_text(found: Found) -> str:
    """'3 set aside by area' or '4 set aside: 3 by area, 2 by open now'."""
    by = [(FILTER_WORDS[name], count) for name, count in found.set_aside_by.items()]
    if len(by) == 1:
        return f"{found.set_aside_total} set aside by {by[0][0]}"
    return f"{found.set_aside_total} set aside: " + ", ".join(f"{n} by {w}" for w, n in by)


class SearchBox(Input):
    """The search box. `/` means "search" everywhere in the call, so here it selects the
    query (the next word typed starts a new search) and never types a slash."""

    async def _on_key(self, event: events.Key) -> None:
        if event.character == "/":
            event.stop()
            event.prevent_default()
            self.select_all()
            return
        await super()._on_key(event)


class DirectoryPanel(Vertical):
    """Search box and results. Posts `Searched` and `ServiceChosen` for the screen to record."""

    DEFAULT_CSS = """
    DirectoryPanel { border: round $accent; padding: 0 1; }
    DirectoryPanel #directory-query { margin-bottom: 0; }
    DirectoryPanel #directory-filters { height: 1; color: $text-muted; }
    DirectoryPanel OptionList { height: 1fr; }
    DirectoryPanel #directory-status { height: auto; max-height: 2; color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape", "leave", "Back to triage", show=False),
        Binding("ctrl+t", "toggle_set_aside", "Set aside"),
        Binding("ctrl+f", "toggle_filters", "Filters"),
        Binding("ctrl+o", "toggle_open_now", "Open now"),
    ]

    class Searched(Message):
        def __init__(self, query: str, results: list[Result]) -> None:
            super().__init__()
            self.query = query
            self.results = results  # all it found, set aside or not

    class ResultsShown(Message):
        """What the text in the box found (set aside or not), as it is typed: no Enter
        yet. The call keeps the search the handler settles on."""

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
    UNREADABLE = (
        "The directory's entries cannot be read: the database is not answering. "
        "Search again in a moment"
    )
    SET_ASIDE_HEADING = "set aside by the filters: check before you use one"

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
        self.filters_off = False  # ctrl+f: the person's age, area and caller type ignored
        self.showing_set_aside = False  # ctrl+t
        self.found = Found()
        self.results: list[Result] = []  # everything the last search found, in its order
        self._suggested: dict[str, Service] = {}
        self.border_title = "Directory  ( / to search, Enter to choose )"

    def compose(self) -> ComposeResult:
        yield SearchBox(
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

    def _status(self, status: str, style: str = "") -> None:
        self.query_one("#directory-status", Static).update(Text(status, style=style))

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

    def active_filters(self) -> Filters:
        filters = without_the_person(self.filters) if self.filters_off else self.filters
        if filters.open_at is not None:
            filters = dataclasses.replace(filters, open_at=self.local_now())
        return filters

    def _run_search(self, query: str) -> None:
        now = self.local_now()
        index = self.index.current()
        if index is None:  # the worker started on mount searches once it is ready
            self._status(self.LOADING)
            return
        had_set_aside = bool(self.found.set_aside_total)
        try:
            found = index.find(query, limit=8, filters=self.active_filters(), today=now.date())
        except DetailsUnavailable:  # the next keystroke tries again
            self._status(self.UNREADABLE, "yellow")
            return
        self.found = found
        self.results = list(self.found.ranked)
        self._suggested = {}
        self._show(query)
        if bool(self.found.set_aside_total) != had_set_aside:
            self.refresh_bindings()  # ctrl+t has something to show, or no longer has
        self.post_message(self.ResultsShown(query, self.results))

    def _show(self, query: str) -> None:
        found = self.found
        now = self.local_now()
        listed: list[Option | None] = [
            Option(result_text(r, now), id=r.service.id) for r in found.results
        ]
        # nothing else fits: what was set aside is the best there is, so it is shown
        listing_set_aside = bool(found.set_aside) and (self.showing_set_aside or not found.results)
        if listing_set_aside:
            if found.results:
                listed += [None, Option(Text(self.SET_ASIDE_HEADING, "yellow"), disabled=True)]
            listed += [Option(result_text(r, now), id=r.service.id) for r in found.set_aside]
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(listed)
        if not query.strip():
            self._status("")
        elif not found.ranked and self._directory_is_empty():
            # an empty directory is not a gap in provision: say what fills it
            self._status(
                "The directory is empty: a service lead imports one "
                "(frontdoor directory import FILE)",
                "yellow",
            )
        elif not found.ranked:
            self._status("Nothing found: kept as unmet need unless a service is chosen")
        elif not found.set_aside_total:
            self._status(f"{len(found.results)} result(s)")
        elif not found.results:
            self._status(f"None fits: {set_aside_text(found)}, listed with why", "yellow")
        elif listing_set_aside:
            self._status(
                f"{len(found.results)} result(s); {set_aside_text(found)}, listed after "
                "them with why (ctrl+t hides them)"
            )
        else:
            self._status(
                f"{len(found.results)} result(s); {set_aside_text(found)}: ctrl+t shows them",
                "yellow",
            )

    def _directory_is_empty(self) -> bool:
        index = self.index.current()
        return index is not None and not len(index)

    @on(Input.Changed, "#directory-query")
    def _search(self, event: Input.Changed) -> None:
        self._run_search(event.value)

    def _search_again(self) -> None:
        self.query_one("#directory-filters", Static).update(
            filters_text(self.filters, self.filters_off)
        )
        query = self.query_one("#directory-query", Input).value
        if query.strip():
            self._run_search(query)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # shown greyed out while there is nothing for the key to do
        if action == "toggle_set_aside" and not self.found.set_aside_total:
            return None
        if action == "toggle_filters" and self.filters == without_the_person(self.filters):
            return None
        return True

    def action_toggle_set_aside(self) -> None:
        self.showing_set_aside = not self.showing_set_aside
        self._show(self.query_one("#directory-query", Input).value)

    def action_toggle_filters(self) -> None:
        self.filters_off = not self.filters_off
        self._search_again()

    def action_toggle_open_now(self) -> None:
        open_at = None if self.filters.open_at else self.local_now()
        self.filters = dataclasses.replace(self.filters, open_at=open_at)
        self._search_again()

    @on(Input.Submitted, "#directory-query")
    def _submitted(self, event: Input.Submitted) -> None:
        self.post_message(self.Searched(event.value, self.results))
        options = self.query_one(OptionList)
        if options.option_count:
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
