"""Ready for the next call: the screen a handler comes back to after every contact."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from frontdoor.console.live import queue_priorities, queue_settings
from frontdoor.console.wiring import FrontDoor
from frontdoor.local_time import local_day_start
from frontdoor.telephony.taking import answered_by_pbx, waiting


class ReadyScreen(Screen[None]):
    BINDINGS = [
        Binding("t", "app.take_call", "Take next call"),
        Binding("n", "app.new_contact", "New contact"),
        Binding("a", "app.toggle_away", "Away / back"),
        Binding("d", "app.browse_directory", "Directory"),
        Binding("k", "app.keep_directory", "Keep the directory current"),
        Binding("m", "app.management_information", "MI"),
        Binding("w", "app.wallboard", "Wallboard"),
        Binding("q", "app.quit", "Quit"),
    ]
    DEFAULT_CSS = """
    ReadyScreen { align: center middle; }
    ReadyScreen #ready { width: 76; height: auto; border: round $primary; padding: 1 2; }
    ReadyScreen #summary { margin-top: 1; color: $text-muted; }
    """

    def __init__(self, front: FrontDoor, handler: str) -> None:
        super().__init__()
        self.front = front
        self.handler = handler

    def compose(self) -> ComposeResult:
        headline = Text()
        headline.append(f"{self.front.settings.service_name}\n", style="bold")
        headline.append(f"Signed in as {self.handler}\n\n")
        headline.append("Ready for the next call.  ", style="bold green")
        headline.append("Press n for a new contact.")
        with Center(), Vertical(id="ready"):
            yield Static(headline, id="headline")
            yield Static("", id="summary")
        yield Footer()

    def on_screen_resume(self) -> None:
        self._load_summary()

    def on_mount(self) -> None:
        # the queue is shared: what other workstations take drops out within 2 seconds
        self.set_interval(2.0, self._load_summary)

    @work(thread=True, exclusive=True, group="ready-summary")
    def _load_summary(self) -> None:
        now = self.front.clock()
        start_of_day = local_day_start(now, self.front.settings.time_zone)
        count = self.front.record.count_since(start_of_day, self.handler)
        with self.front.sessions() as session:
            queue = waiting(session, now, start_of_day, queue_priorities(self.front))
        text = Text()
        if queue:
            longest = max((now - call.entered).total_seconds() for call in queue)
            text.append(
                f"Calls waiting: {len(queue)} (longest {longest:.0f} s). "
                "Press t to take the next one.\n",
                style="bold yellow",
            )
        else:
            text.append("No calls waiting.\n")
        text.append(
            f"Contacts you have taken today: {count}.  "
            f"Scripts: {len(self.front.library.scripts)}.  "
            f"Services in the directory: {len(self.front.index)}."
        )
        for script in self.front.library.scripts.values():
            if script.review_by and script.review_by < now.date():
                text.append(f"\nScript overdue for review: {script.title}", style="yellow")
        self.app.call_from_thread(self.query_one("#summary", Static).update, text)
        # a call the telephone system connected to this handler's phone opens at once
        # (only while they are ready: never on top of a call in progress)
        if not self.is_current:
            return
        answered = answered_by_pbx(
            self.front.sessions,
            self.handler,
            queue_settings(self.front).agents,
            now,
            start_of_day,
        )
        if answered is not None:
            self.app.call_from_thread(self.app._answer, answered)  # type: ignore[attr-defined]
