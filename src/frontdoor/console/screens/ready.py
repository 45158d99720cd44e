"""Ready for the next call: the screen a handler comes back to after every contact."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from sqlalchemy.exc import SQLAlchemyError
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from frontdoor.console.messages import CallConnected, DeskFree
from frontdoor.console.widgets.save_status import SaveStatus

if TYPE_CHECKING:
    # what the summary reads (the queue, its statistics) is imported by the summary's
    # worker, after the screen is painted: the first screen a handler sees is this one
    from frontdoor.console.sources import ReadySummary
    from frontdoor.telephony.taking import WaitingCall


def summary_text(summary: ReadySummary) -> Text:
    text = Text()
    if summary.waiting:
        text.append(
            f"Calls waiting: {summary.waiting} (longest {summary.longest_wait_seconds:.0f} s). "
            "Press t to take the next one.\n",
            style="bold yellow",
        )
    else:
        text.append("No calls waiting.\n")
    text.append(
        f"Contacts you have taken today: {summary.taken_today}.  "
        f"Scripts: {summary.scripts}.  "
        f"Services in the directory: {summary.services}."
    )
    for title in summary.overdue_reviews:
        text.append(f"\nScript overdue for review: {title}", style="yellow")
    return text


class ReadyScreen(Screen[None]):
    # the app leaves out of the footer what the signed-in role may not do (signed_in.py)
    BINDINGS = [
        Binding("t", "app.take_call", "Take next call"),
        Binding("n", "app.new_contact", "New contact"),
        Binding("a", "app.toggle_away", "Away / back"),
        Binding("f", "app.follow_ups", "Follow-ups"),
        Binding("r", "app.open_referral", "Referral"),
        Binding("d", "app.browse_directory", "Directory"),
        Binding("k", "app.keep_directory", "Keep the directory current"),
        Binding("m", "app.management_information", "MI"),
        Binding("w", "app.wallboard", "Wallboard"),
        Binding("s", "app.scripts", "Scripts"),
        Binding("o", "app.sign_out", "Sign out"),
        Binding("q", "app.quit", "Quit"),
    ]
    DEFAULT_CSS = """
    ReadyScreen { align: center middle; }
    ReadyScreen #ready { width: 76; height: auto; border: round $primary; padding: 1 2; }
    ReadyScreen #summary { margin-top: 1; color: $text-muted; }
    """

    def __init__(
        self,
        handler: str,
        service_name: str,
        *,
        summary: Callable[[], ReadySummary],
        connected: Callable[[], WaitingCall | None],
        away: Callable[[], bool] = lambda: False,
        references: Callable[[], Sequence[str]] = tuple,
        poll_seconds: float = 2.0,
    ) -> None:
        super().__init__()
        self.handler = handler
        self.service_name = service_name
        self.summary = summary
        self.connected = connected
        self.away = away
        self.references = references  # the referrals the last call made, as said
        self.poll_seconds = poll_seconds

    def headline(self) -> Text:
        headline = Text()
        headline.append(f"{self.service_name}\n", style="bold")
        headline.append(f"Signed in as {self.handler}\n\n")
        if self.away():
            # said in words, not only by the state the wallboard shows
            headline.append("Away: no calls will come to you.  ", style="bold yellow")
            headline.append("Press a when you are back.")
        else:
            headline.append("Ready for the next call.  ", style="bold green")
            headline.append("Press n for a new contact.")
        references = self.references()
        if references:
            # kept here until the next contact begins: a handler who looked away as the
            # reference was said can still read it out to the caller
            headline.append("\n\nMade on the last call (give the caller the reference):")
            for reference in references:
                headline.append(f"\n{reference}", style="bold")
        return headline

    def show_headline(self) -> None:
        self.query_one("#headline", Static).update(self.headline())

    def compose(self) -> ComposeResult:
        with Center(), Vertical(id="ready"):
            yield Static(self.headline(), id="headline")
            yield Static("", id="summary")
        yield SaveStatus(id="save-status")
        yield Footer()

    def on_screen_resume(self) -> None:
        self.post_message(DeskFree())  # what waited for a free desk may come now
        self.show_headline()
        # read once the screen is painted: at start the read (and what it imports) would
        # otherwise share the interpreter with the first paint
        self.call_after_refresh(self._poll_summary)

    def on_mount(self) -> None:
        # the queue is shared: what other workstations take drops out within a poll
        self.set_interval(self.poll_seconds, self._poll_summary)

    def _poll_summary(self) -> None:
        # A poll while the last read is still running lets it finish: replacing it (the
        # worker is exclusive) would cancel a slow read at every poll, and on a slow
        # database or a loaded machine no summary would ever be shown.
        if any(
            w.group == "ready-summary" and not w.is_finished and w.node is self
            for w in self.app.workers
        ):
            return
        self._load_summary()

    @work(thread=True, exclusive=True, group="ready-summary", exit_on_error=False)
    def _load_summary(self) -> None:
        try:
            summary = self.summary()
        except SQLAlchemyError:
            # said here, every poll, rather than as a pop-up every two seconds
            self.app.call_from_thread(
                self.query_one("#summary", Static).update,
                Text(
                    "The database is not answering: calls cannot be taken from the queue "
                    "until it does. A call on screen goes on.",
                    style="bold yellow",
                ),
            )
            return
        self.app.call_from_thread(self.query_one("#summary", Static).update, summary_text(summary))
        # a call the telephone system connected to this handler's phone opens at once
        # (only while they are ready: never on top of a call in progress)
        if not self.is_current:
            return
        answered = self.connected()
        if answered is not None:
            self.post_message(CallConnected(answered))
