"""Management information for supervisors: the figures of the MI definitions for a
chosen period, with terminal charts. The report is computed in a thread worker."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import get_current_worker

from frontdoor.console.widgets.charts import bar_chart, rate_text, titled
from frontdoor.local_time import Clock
from frontdoor.mi.formats import (
    UNMET_MEANS,
    explain_declared,
    explain_verified,
    matches_now_words,
    unmet_of_kind,
)
from frontdoor.mi.labels import WORDS, Labels
from frontdoor.mi.model import UNMET_KIND_WORDS, UNMET_KINDS, QueueReport, Report
from frontdoor.mi.period import Period
from frontdoor.mi.queue_formats import QUEUE_COLUMNS, queue_note, queue_table
from frontdoor.mi.referral_formats import (
    explain_referrals,
    referral_summary,
    referral_table,
)

PERIODS = {
    "t": "today",
    "w": "this week",
    "m": "this month",
    "l": "last month",
    "y": "last 12 months",
}


def period_for(name: str, today: dt.date, time_zone: str) -> Period:
    if name == "today":
        return Period(today, today, time_zone)
    if name == "this week":
        return Period(today - dt.timedelta(days=today.weekday()), today, time_zone)
    if name == "this month":
        return Period(today.replace(day=1), today, time_zone)
    if name == "last month":
        end = today.replace(day=1) - dt.timedelta(days=1)
        return Period(end.replace(day=1), end, time_zone)
    return Period(today - dt.timedelta(days=365), today, time_zone)


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value} s"


def headline(report: Report, labels: Labels = WORDS) -> Text:
    q, fd = report.queue, report.failure_demand
    text = Text()
    text.append(f"{report.period.start} to {report.period.end}  ", style="bold")
    text.append(f"{report.contacts} contacts, {report.handled} handled\n")
    text.append("First-contact resolution (FCR): ")
    text.append(f"declared {rate_text(report.fcr_declared.overall)}   ")
    text.append(f"verified {rate_text(report.fcr_verified.overall)}   ")
    text.append(
        f"failure demand {rate_text(fd.share)}\n",
        style="bold red" if (fd.share.rate or 0) > 0.3 else "",
    )
    text.append(explain_declared(report, labels) + "\n", style="dim")
    text.append(explain_verified(report) + "\n", style="dim")
    text.append("Queue (telephone system): " if q.source == "pbx" else "Queue (contacts): ")
    text.append(
        f"offered {q.offered}  answered {q.answered}  abandoned {q.abandoned} "
        f"({q.short_abandoned} short)  abandonment {rate_text(q.abandon_rate)}  "
        f"service level {rate_text(q.service_level)}  average speed of answer "
        f"{_seconds(q.asa_seconds)}  average handle time {_seconds(q.aht_seconds)}"
    )
    return text


def fcr_text(report: Report, labels: Labels = WORDS) -> Text:
    benchmark = report.fcr_benchmark
    rows = []
    for category, value in sorted(report.fcr_declared.by_category.items()):
        nel = f"  NE Lincs {benchmark[category]:.0%}" if category in benchmark else ""
        rows.append((labels.category(category), value.rate or 0.0, rate_text(value) + nel))
    text = titled("First-contact resolution by category (declared)\n")
    text += bar_chart(rows, width=20, label_width=16)
    if any(category in benchmark for category in report.fcr_declared.by_category):
        text.append("NE Lincs: North East Lincolnshire's SPA, 2017\n", style="dim")
    return text


def hours_text(report: Report) -> Text:
    rows = [(f"{int(h):02d}:00", float(n), str(n)) for h, n in report.by_hour.items() if n]
    return titled("Demand by hour (local)\n") + bar_chart(rows, width=28, label_width=6)


def failure_text(report: Report, labels: Labels = WORDS) -> Text:
    rows = [
        (labels.demand_code(code), float(n), str(n))
        for code, n in report.failure_demand.by_code.items()
    ]
    text = titled("Failure demand by reason\n")
    return text + (bar_chart(rows, width=20, style="red") if rows else Text("none\n"))


def needs_text(report: Report, labels: Labels = WORDS) -> Text:
    text = titled("Top destinations\n")
    top = list(report.destinations.values())[:8]
    text += bar_chart(
        [
            (
                d.name,
                float(d.sent.total),
                f"{d.sent.signposted} signposted, {d.sent.referred} referred",
            )
            for d in top
        ],
        width=12,
    )
    text.append("\nUnmet need (once per contact)\n", style="underline")
    for kind in UNMET_KINDS:
        items = unmet_of_kind(report, kind)[:4]
        text.append(f"{UNMET_KIND_WORDS[kind].capitalize()}: ", style="bold")
        text.append(f"{UNMET_MEANS[kind]}\n", style="dim")
        if not items:
            text.append("     none\n")
        for item in items:
            text.append(f"{item.count:>4}  {item.query}  ({labels.category(item.category)}; ")
            text.append(
                f"{matches_now_words(item)})\n", style="green" if item.matches_now else "yellow"
            )
    return text


def queue_view(q: QueueReport) -> RenderableType:
    """Where the queue figures came from, and each queue's beside all of them: a
    supervisor whose SPA has more than one queue sees which one is struggling."""
    text = titled("The queue\n")
    text.append(queue_note(q) + "\n", style="dim")
    if not q.by_queue:  # from the contacts, or calls with no queue: the headline has it
        return text
    table = Table(expand=True, show_edge=False, pad_edge=False)
    for column in QUEUE_COLUMNS:
        table.add_column(column, justify="left" if column == "queue" else "right")
    for row in queue_table(q):
        table.add_row(*(Text(cell) for cell in row))  # queue names from the PBX, as text
    return Group(text, table)


# the report's columns (REFERRAL_COLUMNS), in fewer words for a terminal
SCREEN_COLUMNS = (
    "service",
    "provider",
    "made",
    "accepted",
    "rejected",
    "completed",
    "overdue",
    "median h",
    "chases",
    "per referral",
)


def referrals_view(report: Report, shown: int = 10) -> RenderableType:
    """The referral figures: the whole in sentences, then the services most referred to,
    with their shares accepted, rejected and completed (the report has them all)."""
    text = titled("Referrals\n")
    figures = report.referrals
    if figures is None:
        return text + Text("not worked out\n")
    for line in referral_summary(figures):
        text.append(line + "\n")
    text.append(explain_referrals(report, figures) + "\n", style="dim")
    if not figures.by_service:
        return text + Text("No referrals in this period.\n")
    table = Table(
        expand=True,
        show_edge=False,
        pad_edge=False,
        caption="median h: hours from made to accepted; chases: the callers', per referral made",
    )
    for column in SCREEN_COLUMNS:
        table.add_column(column, justify="left" if column in ("service", "provider") else "right")
    for row in referral_table(figures)[:shown]:
        table.add_row(*(Text(cell) for cell in row))  # names from the directory, as text
    return Group(text, table)


class MiScreen(Screen[None]):
    BINDINGS = [
        *[Binding(key, f"period('{name}')", name.capitalize()) for key, name in PERIODS.items()],
        Binding("escape", "app.pop_screen", "Back", show=False),
        Binding("q", "app.pop_screen", "Back"),  # quitting is the ready screen's, and asks
    ]
    DEFAULT_CSS = """
    MiScreen #headline { padding: 0 1; border: round $primary; height: auto; }
    MiScreen Grid { grid-size: 2; grid-gutter: 0 2; height: auto; padding: 0 1; }
    MiScreen Grid Static { height: auto; }
    MiScreen #referrals, MiScreen #queue { height: auto; padding: 0 1; }
    """

    def __init__(
        self,
        report: Callable[[Period], Report],
        clock: Clock,
        time_zone: str,
        period_name: str = "this month",
        *,
        labels: Labels = WORDS,
    ) -> None:
        """`report` works out the figures for a period (it reads the database: it runs in
        a thread worker); `clock` and `time_zone` say which day today is; `labels` name
        the report's codes in words."""
        super().__init__()
        self.report = report
        self.labels = labels
        self.clock = clock
        self.time_zone = time_zone
        self.period_name = period_name

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Text("Working out the figures..."), id="headline")
            yield Static("", id="queue")
            with Grid():
                yield Static("", id="fcr")
                yield Static("", id="hours")
                yield Static("", id="failure")
                yield Static("", id="needs")
            yield Static("", id="referrals")
        yield Footer()

    def on_mount(self) -> None:
        self._load()

    def action_period(self, name: str) -> None:
        self.period_name = name
        self.query_one("#headline", Static).update(Text(f"Working out {name}..."))
        self._load()

    @work(thread=True, exclusive=True, group="mi", exit_on_error=False)
    def _load(self) -> None:
        today = self.clock().astimezone(ZoneInfo(self.time_zone)).date()
        report = self.report(period_for(self.period_name, today, self.time_zone))
        if not get_current_worker().is_cancelled:  # the screen has not closed meanwhile
            self.app.call_from_thread(self._show, report)

    def _show(self, report: Report) -> None:
        self.border_title = self.period_name
        title = Text(f"MI: {self.period_name}\n", style="bold")
        labels = self.labels
        self.query_one("#headline", Static).update(title + headline(report, labels))
        self.query_one("#queue", Static).update(queue_view(report.queue))
        self.query_one("#fcr", Static).update(fcr_text(report, labels))
        self.query_one("#hours", Static).update(hours_text(report))
        self.query_one("#failure", Static).update(failure_text(report, labels))
        self.query_one("#needs", Static).update(needs_text(report, labels))
        self.query_one("#referrals", Static).update(referrals_view(report))
