"""The supervisor's wallboard: the live queue figures from the shared database, refreshed
every few seconds, with calls waiting through the day, the handlers, alerts, and the
referrals overdue and follow-ups due today."""

from __future__ import annotations

from collections.abc import Callable

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import get_current_worker

from frontdoor.console.widgets.charts import bar_chart, titled
from frontdoor.mi.live import LiveFigures, LiveQueue
from frontdoor.telephony.states import HandlerState
from frontdoor.telephony.stats import Alerts
from frontdoor.words import in_words

REFRESH_SECONDS = 2.0


def _rate(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _number(value: float | None) -> str:
    return "-" if value is None else str(value)


# each row of the figures table: its label, and how to show it for a queue
ROWS: list[tuple[str, Callable[[LiveQueue], str]]] = [
    ("Waiting now", lambda q: _number(q.queue.waiting)),
    ("Longest wait (s)", lambda q: _number(q.queue.longest_wait_seconds)),
    ("Offered", lambda q: _number(q.queue.offered)),
    ("Answered", lambda q: _number(q.queue.answered)),
    ("Abandoned", lambda q: _number(q.queue.abandoned)),
    ("of which short", lambda q: _number(q.queue.short_abandoned)),
    ("Abandonment", lambda q: _rate(q.queue.abandon_rate)),
    ("Service level", lambda q: _rate(q.queue.service_level)),
    ("Average speed of answer (s)", lambda q: _number(q.queue.asa_seconds)),
    ("First-contact resolution today (declared)", lambda q: _rate(q.fcr_declared)),
    ("Failure demand today", lambda q: _rate(q.failure_demand_share)),
]


def figures_table(figures: LiveFigures) -> Table:
    table = Table(
        expand=True,
        show_edge=False,
        caption="Declared: of today's handled contacts, the share the handler closed with an "
        "outcome that counts as resolved (no check yet for a repeat contact).",
    )
    table.add_column("")
    table.add_column("All queues", justify="right", style="bold")
    for name in figures.queues:
        # a queue's name comes from the telephone system: Text, never read as markup
        table.add_column(Text(in_words(name)), justify="right")
    for label, shown in ROWS:
        table.add_row(label, shown(figures.total), *(shown(q) for q in figures.queues.values()))
    return table


def alert_text(figures: LiveFigures, alerts: Alerts) -> Text:
    total, text = figures.total.queue, Text()
    longest = alerts.longest_wait_seconds
    if total.longest_wait_seconds > longest:
        text.append(
            f" Longest wait {total.longest_wait_seconds} s is over {longest} s ",
            style="bold white on red",
        )
        text.append("  ")
    level, below = total.service_level, alerts.service_level_below
    if level is not None and level < below:
        text.append(
            f" Service level {level:.0%} is below {below:.0%} ",
            style="bold white on red",
        )
    return text or Text("No alerts.", style="green")


def referrals_text(figures: LiveFigures) -> Text:
    """Overdue referrals now, and the follow-ups owed callers that are due today."""
    r = figures.referrals
    text = Text("Referrals overdue now: ")
    text.append(str(r.overdue_now), style="bold red" if r.overdue_now else "bold green")
    text.append("    Follow-ups due today: ")
    text.append(
        str(r.follow_ups_due_today), style="bold yellow" if r.follow_ups_due_today else "bold"
    )
    if r.follow_ups_from_earlier_days:
        text.append(
            f" ({r.follow_ups_from_earlier_days} from earlier days, still owed)", style="red"
        )
    return text


def handlers_text(figures: LiveFigures) -> Text:
    h = figures.handlers
    text = Text(
        f"Handlers: {h.logged_in} signed in: {h.available} available, "
        f"{h.on_call} on a call, {h.wrap_up} in wrap-up, {h.paused} away\n",
        style="bold",
    )
    colours = {
        HandlerState.AVAILABLE: "green",
        HandlerState.ON_A_CALL: "yellow",
        HandlerState.WRAP_UP: "cyan",
        HandlerState.AWAY: "magenta",
        HandlerState.SIGNED_OUT: "dim",
        HandlerState.NOT_HEARD_FROM: "red",
    }
    # each state in one column, past the longest name (a name of 14 ran into its state)
    width = max((len(name) for name in figures.handler_states), default=0) + 2
    for name, state in figures.handler_states.items():
        text.append(f"{name:<{width}}", style="bold")
        text.append(f"{state}\n", style=colours[state])
    return text


def waiting_text(figures: LiveFigures) -> Text:
    points = figures.waiting_through_the_day[-16:]
    rows = [(when, float(n), str(n)) for when, n in points]
    return titled("Calls waiting through the day\n") + bar_chart(
        rows, width=30, label_width=6, style="yellow"
    )


class WallboardScreen(Screen[None]):
    """The live figures, refreshed every `refresh_seconds` from `figures` (which reads
    the database: it runs in a thread worker, never on the event loop)."""

    BINDINGS = [
        Binding("m", "app.management_information", "MI"),
        Binding("r", "refresh_now", "Refresh"),
        Binding("q", "app.pop_screen", "Back"),  # quitting is the ready screen's, and asks
    ]
    DEFAULT_CSS = """
    WallboardScreen #alerts { height: auto; padding: 0 1; }
    WallboardScreen #referrals { height: auto; padding: 0 1; }
    WallboardScreen #figures { height: auto; border: round $primary; }
    WallboardScreen Grid { grid-size: 2; height: auto; padding: 0 1; }
    WallboardScreen Grid Static { height: auto; }
    """

    def __init__(
        self,
        figures: Callable[[], LiveFigures],
        alerts: Alerts,
        refresh_seconds: float = REFRESH_SECONDS,
    ) -> None:
        super().__init__()
        self.figures = figures
        self.alerts = alerts
        self.refresh_seconds = refresh_seconds

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Text("Reading the queue..."), id="alerts")
            yield Static("", id="referrals")
            yield Static("", id="figures")
            with Grid():
                yield Static("", id="waiting")
                yield Static("", id="handlers")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_figures()
        self.set_interval(self.refresh_seconds, self.refresh_figures)

    def action_refresh_now(self) -> None:
        self.refresh_figures()

    @work(thread=True, exclusive=True, group="wallboard", exit_on_error=False)
    def refresh_figures(self) -> None:
        figures = self.figures()
        if not get_current_worker().is_cancelled:  # the screen has not closed meanwhile
            self.app.call_from_thread(self._show, figures)

    def _show(self, figures: LiveFigures) -> None:
        self.query_one("#alerts", Static).update(
            Text(f"{figures.at:%Y-%m-%d %H:%M:%S}   ", style="bold")
            + alert_text(figures, self.alerts)
        )
        self.query_one("#referrals", Static).update(referrals_text(figures))
        self.query_one("#figures", Static).update(figures_table(figures))
        self.query_one("#waiting", Static).update(waiting_text(figures))
        self.query_one("#handlers", Static).update(handlers_text(figures))
