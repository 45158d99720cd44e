"""What the SPA owes callers: the call-backs handlers promised and the overdue referrals
whose caller has not been told, earliest due first. Telling the caller before they chase
is the point: Enter calls the highlighted one back (an outbound contact), `r` opens its
referral. The list is read again every few seconds, as other handlers make calls."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from rich.text import Text
from sqlalchemy.exc import SQLAlchemyError
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from frontdoor.console.referral_sources import phone_shown
from frontdoor.referrals.model import FollowUp

# "About" last: the only one of any length, it runs to the edge of the screen
COLUMNS = ("Due", "", "What", "Caller", "Promised by", "About")


def row_key(follow_up: FollowUp) -> str:
    """The same follow-up keeps its key from one reading of the list to the next."""
    return f"{follow_up.kind}:{follow_up.id if follow_up.id is not None else follow_up.referral_id}"


def due_mark(due_at: dt.datetime, now: dt.datetime, zone: ZoneInfo) -> Text:
    """Late in words and in red, so it is read the same by anyone, colours or not."""
    if due_at < now:
        return Text("OVERDUE", style="bold red")
    if due_at.astimezone(zone).date() == now.astimezone(zone).date():
        return Text("due today", style="yellow")
    return Text("")


def caller_text(follow_up: FollowUp) -> Text:
    number = phone_shown(follow_up.caller_key)
    text = Text(follow_up.caller_name or "name not recorded", style="bold")
    text.append(f"  {number}" if number else "  no number on file", style="" if number else "red")
    return text


def about_text(follow_up: FollowUp) -> Text:
    if follow_up.kind == "overdue":
        text = Text(follow_up.referral_id or "", style="bold")
        text.append(f"  {follow_up.service_name or ''}")
        return text
    text = Text(follow_up.why)
    if follow_up.referral_id:
        text.append(f"  ({follow_up.referral_id})", style="dim")
    return text


def row(follow_up: FollowUp, now: dt.datetime, zone: ZoneInfo) -> tuple[Text | str, ...]:
    return (
        follow_up.due_at.astimezone(zone).strftime("%a %d %b %H:%M"),
        due_mark(follow_up.due_at, now, zone),
        "Call-back" if follow_up.kind == "call_back" else "Overdue referral",
        caller_text(follow_up),
        Text(follow_up.who or ""),  # a table reads a plain string as markup
        about_text(follow_up),
    )


def chosen_text(follow_up: FollowUp | None, zone: ZoneInfo) -> Text:
    """The highlighted one in full, under the list: a long reason is cut in its column."""
    if follow_up is None:
        return Text("")
    caller = follow_up.caller_name or "the caller"
    due = follow_up.due_at.astimezone(zone).strftime("%a %d %b %H:%M")
    if follow_up.kind == "overdue":
        return Text(
            f"{follow_up.referral_id} to {follow_up.service_name} was due {due} and the team "
            f"has not said it will act: tell {caller} where it stands (r shows it)."
        )
    text = Text(f"Call {caller} back by {due}: {follow_up.why}")
    if follow_up.who:
        promised = (
            f" on {follow_up.created_at.astimezone(zone):%a %d %b}" if follow_up.created_at else ""
        )
        text.append(f" (promised by {follow_up.who}{promised})")
    return text


def count_text(owed: list[FollowUp], now: dt.datetime, zone: ZoneInfo) -> Text:
    if not owed:
        return Text(
            "Nothing owed: no call-back is waiting and every caller with an overdue "
            "referral has been told.",
            style="green",
        )
    call_backs = sum(1 for f in owed if f.kind == "call_back")
    late = sum(1 for f in owed if f.due_at < now)
    text = Text(
        f"{len(owed)} owed: {call_backs} call-back{'s' if call_backs != 1 else ''}, "
        f"{len(owed) - call_backs} overdue referral{'s' if len(owed) - call_backs != 1 else ''}."
        f" Earliest due first; as of {now.astimezone(zone):%H:%M:%S}. "
    )
    if late:
        text.append(f"{late} past due.", style="bold red")
    return text


class FollowUpsScreen(Screen[None]):
    AUTO_FOCUS = "#follow-ups"
    BINDINGS = [
        Binding("enter", "call_back", "Call back", priority=True),
        Binding("r", "open_referral", "Open its referral"),
        Binding("escape", "app.pop_screen", "Back", show=False),
        Binding("q", "app.pop_screen", "Back"),
    ]
    DEFAULT_CSS = """
    FollowUpsScreen #title { text-style: bold; padding: 0 1; }
    FollowUpsScreen #count { padding: 0 1; height: auto; }
    FollowUpsScreen DataTable { height: 1fr; }
    FollowUpsScreen #chosen { padding: 0 1; height: auto; min-height: 2; }
    """

    class CallBackChosen(Message):
        """The handler is calling this caller back."""

        def __init__(self, follow_up: FollowUp) -> None:
            super().__init__()
            self.follow_up = follow_up

    class ReferralAsked(Message):
        """The handler wants to see a referral (and record what its team said)."""

        def __init__(self, referral_id: str) -> None:
            super().__init__()
            self.referral_id = referral_id

    def __init__(
        self,
        owed: Callable[[], list[FollowUp]],
        *,
        clock: Callable[[], dt.datetime],
        zone: ZoneInfo,
        poll_seconds: float,
    ) -> None:
        super().__init__()
        self.owed = owed
        self.clock = clock
        self.zone = zone
        self.poll_seconds = poll_seconds
        self.shown: list[FollowUp] = []

    def compose(self) -> ComposeResult:
        yield Static("Follow-ups: callers we owe a call", id="title")
        yield Static("Reading the list...", id="count")
        table: DataTable[Text | str] = DataTable(id="follow-ups", cursor_type="row")
        table.add_columns(*COLUMNS)
        yield table
        yield Static("", id="chosen")
        yield Footer()

    def on_mount(self) -> None:
        self.set_interval(self.poll_seconds, self.read_again)

    def on_screen_resume(self) -> None:
        self.read_again()

    @work(thread=True, exclusive=True, group="follow-ups", exit_on_error=False)
    def read_again(self) -> None:
        try:
            owed, now = self.owed(), self.clock()
        except SQLAlchemyError:
            # said here at each reading, rather than as a pop-up every few seconds
            self.app.call_from_thread(
                self.query_one("#count", Static).update,
                Text(
                    "The database is not answering: the list shown may be out of date.",
                    style="bold yellow",
                ),
            )
            return
        self.app.call_from_thread(self._show, owed, now)

    def _show(self, owed: list[FollowUp], now: dt.datetime) -> None:
        table = self.query_one(DataTable)
        highlighted = self.highlighted()
        self.shown = owed
        table.clear()
        for follow_up in owed:
            table.add_row(*row(follow_up, now, self.zone), key=row_key(follow_up))
        if highlighted is not None:
            # the handler's place is kept as the list is read again
            keys = [row_key(f) for f in owed]
            if row_key(highlighted) in keys:
                table.move_cursor(row=keys.index(row_key(highlighted)), animate=False)
        self.query_one("#count", Static).update(count_text(owed, now, self.zone))
        self.query_one("#chosen", Static).update(chosen_text(self.highlighted(), self.zone))
        self.refresh_bindings()

    def highlighted(self) -> FollowUp | None:
        table = self.query_one(DataTable)
        if not self.shown or not 0 <= table.cursor_row < len(self.shown):
            return None
        return self.shown[table.cursor_row]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "call_back":
            return bool(self.shown)
        if action == "open_referral":
            chosen = self.highlighted() if self.is_mounted else None
            return chosen is not None and chosen.referral_id is not None
        return True

    @on(DataTable.RowHighlighted)
    def _moved(self) -> None:
        self.query_one("#chosen", Static).update(chosen_text(self.highlighted(), self.zone))
        self.refresh_bindings()  # `r` only on a follow-up with a referral

    def action_call_back(self) -> None:
        chosen = self.highlighted()
        if chosen is not None:
            self.post_message(self.CallBackChosen(chosen))

    def action_open_referral(self) -> None:
        chosen = self.highlighted()
        if chosen is not None and chosen.referral_id:
            self.post_message(self.ReferralAsked(chosen.referral_id))
