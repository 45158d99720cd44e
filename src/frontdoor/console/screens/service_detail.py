"""One directory entry: everything a handler would see, its change history, and the
service lead's actions (correct it, mark it checked)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from frontdoor.console.screens.service_edit import EditServiceScreen
from frontdoor.console.wiring import FrontDoor
from frontdoor.directory.model import Service
from frontdoor.directory.store import Change
from frontdoor.directory.web_addresses import email_problem, url_problem


def _known(value: object) -> str:
    return "not known" if value in (None, [], "") else str(value)


def _checked(value: str | None, problem: str | None) -> str | None:
    """A web address or email as written, marked when it is not one (the import said)."""
    return f"{value} (NOT VALID: {problem})" if value and problem else value


def detail_text(service: Service, now: dt.datetime) -> Text:
    text = Text()
    text.append(f"{service.name}\n", style="bold")
    text.append(
        f"{service.organisation or 'organisation not known'}   id {service.id}\n\n", style="dim"
    )
    text.append(f"{service.description or 'No description.'}\n\n")
    rows = [
        ("Status", service.status),
        (
            "Phones",
            ", ".join(p.shown + ("" if p.valid else " (NOT VALID)") for p in service.phones),
        ),
        ("Places free", "; ".join(c.describe(now) for c in service.capacities)),
        ("Web", _checked(service.url, service.url and url_problem(service.url))),
        ("Email", _checked(service.email, service.email and email_problem(service.email))),
        ("Tags", ", ".join(service.tags)),
        (
            "Ages",
            ""
            if service.min_age is None and service.max_age is None
            else f"{service.min_age or 0} to {service.max_age or 'any'}",
        ),
        ("Areas", ", ".join(service.areas)),
        ("Who may use it", ", ".join(service.caller_types)),
        (
            "Hours",
            "; ".join(
                f"{'/'.join(h.days)} {h.opens:%H:%M}-{h.closes:%H:%M}" for h in service.hours
            ),
        ),
        ("Bank holidays", {True: "open", False: "closed", None: ""}[service.open_on_bank_holidays]),
        ("Eligibility", service.eligibility),
        # how soon a referral to it is due; not known: the category's default
        ("Respond within", service.respond_within),
        ("Last checked", f"{service.assured_date or ''} {service.assured_by or ''}".strip()),
        ("Source", service.source),
    ]
    for label, value in rows:
        text.append(f"{label:>15}  ", style="bold")
        text.append(f"{_known(value)}\n", style="dim" if value in (None, [], "") else "")
    return text


def history_text(changes: list[Change], zone: ZoneInfo) -> Text:
    text = Text()
    text.append("Changes, newest first\n", style="underline")
    if not changes:
        text.append("None recorded.")
    for change in reversed(changes):
        when = change.at.astimezone(zone).strftime("%d %b %Y %H:%M")
        text.append(f"{when}  {change.by}  {change.action}", style="bold")
        if change.field_name:
            text.append(f"  {change.field_name}: ")
            text.append(f"{(change.previous or '')[:60]!r}", style="red")
            text.append(" -> ")
            text.append(f"{(change.replacement or '')[:60]!r}", style="green")
        text.append("\n")
    return text


class ServiceScreen(Screen[None]):
    BINDINGS = [
        Binding("e", "edit", "Correct"),
        Binding("c", "mark_checked", "Mark checked"),
        Binding("h", "toggle_history", "History"),
        Binding("escape", "app.pop_screen", "Back"),
    ]
    DEFAULT_CSS = """
    ServiceScreen VerticalScroll { padding: 0 1; }
    ServiceScreen #history { margin-top: 1; border-top: solid $accent; }
    """

    def __init__(self, front: FrontDoor, service_id: str, user: str) -> None:
        super().__init__()
        self.front = front
        self.service_id = service_id
        self.user = user
        self.zone = ZoneInfo(front.settings.time_zone)
        self.service: Service | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("", id="detail")
            yield Static("", id="history")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#history").display = False

    def on_screen_resume(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="service-detail", exit_on_error=False)
    def _load(self) -> None:
        service = self.front.directory.get(self.service_id)
        changes = self.front.directory.changes(self.service_id)
        self.app.call_from_thread(self._show, service, changes)

    def _show(self, service: Service | None, changes: list[Change]) -> None:
        self.service = service
        if service is None:
            self.query_one("#detail", Static).update(Text("This entry no longer exists."))
            return
        self.query_one("#detail", Static).update(detail_text(service, self.front.local_now()))
        self.query_one("#history", Static).update(history_text(changes, self.zone))

    def action_toggle_history(self) -> None:
        history = self.query_one("#history")
        history.display = not history.display

    @work(
        thread=True,
        group="service-write",
        description="mark the entry checked",
        exit_on_error=False,
    )
    def action_mark_checked(self) -> None:
        # off the event loop; a failure is worded by the app's one handler
        self.front.directory.mark_checked(
            self.service_id, self.front.clock(), self.user, self.front.local_now().date()
        )
        self.app.call_from_thread(self.notify, "Marked checked today.", markup=False)
        self.front.directory_index.refresh()
        self._load()

    def action_edit(self) -> None:
        if self.service is None:
            return

        def edited(service: Service | None) -> None:
            if service is None:
                return
            self._save_correction(service)

        self.app.push_screen(EditServiceScreen(self.service), edited)

    @work(
        thread=True, group="service-write", description="save the correction", exit_on_error=False
    )
    def _save_correction(self, service: Service) -> None:
        changed = self.front.directory.update(service, self.front.clock(), self.user)
        self.app.call_from_thread(
            self.notify, "Saved." if changed else "Nothing was changed.", markup=False
        )
        if changed:
            # searches here use the correction at once; other workstations see it when
            # their next check of the directory's stamp does
            self.front.directory_index.refresh()
        self._load()
