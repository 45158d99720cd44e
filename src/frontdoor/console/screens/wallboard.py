"""The supervisor's wallboard: the live queue figures from the shared database, refreshed
every 2 seconds, with calls waiting through the day, the handlers, and alerts."""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from frontdoor.console.live import alerts, live_figures
from frontdoor.console.widgets.charts import bar_chart, titled
from frontdoor.console.wiring import FrontDoor

REFRESH_SECONDS = 2.0
ROWS = [
    ("waiting", "Waiting now"),
    ("longest_wait_seconds", "Longest wait (s)"),
    ("offered", "Offered"),
    ("answered", "Answered"),
    ("abandoned", "Abandoned"),
    ("short_abandoned", "of which short"),
    ("abandon_rate", "Abandonment"),
    ("service_level", "Service level"),
    ("asa_seconds", "Speed of answer (s)"),
    ("fcr_declared", "FCR today"),
    ("failure_demand_share", "Failure demand today"),
]
RATES = {"abandon_rate", "service_level", "fcr_declared", "failure_demand_share"}


def _cell(key: str, value: Any) -> str:
    if value is None:
        return "-"
    return f"{value:.0%}" if key in RATES else str(value)


def figures_table(stats: dict[str, Any]) -> Table:
    table = Table(expand=True, show_edge=False)
    table.add_column("")
    table.add_column("All queues", justify="right", style="bold")
    for name in stats["queues"]:
        table.add_column(name, justify="right")
    for key, label in ROWS:
        table.add_row(
            label,
            _cell(key, stats["total"][key]),
            *(_cell(key, q.get(key)) for q in stats["queues"].values()),
        )
    return table


def alert_text(stats: dict[str, Any], longest: int, service_level_below: float) -> Text:
    total, text = stats["total"], Text()
    if total["longest_wait_seconds"] > longest:
        text.append(
            f" Longest wait {total['longest_wait_seconds']} s is over {longest} s ",
            style="bold white on red",
        )
        text.append("  ")
    level = total["service_level"]
    if level is not None and level < service_level_below:
        text.append(
            f" Service level {level:.0%} is below {service_level_below:.0%} ",
            style="bold white on red",
        )
    return text or Text("No alerts.", style="green")


def handlers_text(stats: dict[str, Any]) -> Text:
    h = stats["handlers"]
    text = Text(
        f"Handlers: {h['logged_in']} signed in: {h['available']} available, "
        f"{h['on_call']} on a call, {h['wrap_up']} in wrap-up, {h['paused']} away\n",
        style="bold",
    )
    colours = {
        "available": "green",
        "on a call": "yellow",
        "wrap-up": "cyan",
        "away": "magenta",
        "signed out": "dim",
    }
    for name, state in stats.get("handler_states", {}).items():
        text.append(f"{name:<14}", style="bold")
        text.append(f"{state}\n", style=colours.get(state, ""))
    return text


def waiting_text(stats: dict[str, Any]) -> Text:
    points = stats.get("waiting_through_the_day", [])[-16:]
    rows = [(when, float(n), str(n)) for when, n in points]
    return titled("Calls waiting through the day\n") + bar_chart(
        rows, width=30, label_width=6, style="yellow"
    )


class WallboardScreen(Screen[None]):
    BINDINGS = [
        Binding("m", "app.management_information", "MI"),
        Binding("r", "refresh_now", "Refresh"),
        Binding("q", "app.quit", "Quit"),
    ]
    DEFAULT_CSS = """
    WallboardScreen #alerts { height: auto; padding: 0 1; }
    WallboardScreen #figures { height: auto; border: round $primary; }
    WallboardScreen Grid { grid-size: 2; height: auto; padding: 0 1; }
    WallboardScreen Grid Static { height: auto; }
    """

    def __init__(self, front: FrontDoor) -> None:
        super().__init__()
        self.front = front
        self.thresholds = alerts(front)

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Text("Reading the queue..."), id="alerts")
            yield Static("", id="figures")
            with Grid():
                yield Static("", id="waiting")
                yield Static("", id="handlers")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_figures()
        self.set_interval(REFRESH_SECONDS, self.refresh_figures)

    def action_refresh_now(self) -> None:
        self.refresh_figures()

    @work(thread=True, exclusive=True, group="wallboard")
    def refresh_figures(self) -> None:
        stats = live_figures(self.front, self.front.clock(), details=True)
        self.app.call_from_thread(self._show, stats)

    def _show(self, stats: dict[str, Any]) -> None:
        self.query_one("#alerts", Static).update(
            Text(f"{stats['at'][:19].replace('T', ' ')}   ", style="bold")
            + alert_text(
                stats, self.thresholds.longest_wait_seconds, self.thresholds.service_level_below
            )
        )
        self.query_one("#figures", Static).update(figures_table(stats))
        self.query_one("#waiting", Static).update(waiting_text(stats))
        self.query_one("#handlers", Static).update(handlers_text(stats))
