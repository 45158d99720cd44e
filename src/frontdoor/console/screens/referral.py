"""One referral: what was asked of which team, for whom, by when; every change of its
state (when, who said so, why) and every chase; and `s` to record what the team said.
Opened by its id (read out on the phone: R-2026-000123) or from the follow-up list.

The handover summary shows here when the app is given a way to produce it (`handover`:
the referral's id to its text); without one the screen has no `h` key."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from zoneinfo import ZoneInfo

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from frontdoor.console.referral_sources import ReferralView
from frontdoor.console.screens.referral_state import RecordStateScreen
from frontdoor.referrals.model import Chase, Referral
from frontdoor.referrals.store import StateChange

_ID = re.compile(r"R?-?\s*(\d{4})\s*-\s*(\d{1,6})", re.IGNORECASE)
ID_HELP = "a referral id looks like R-2026-000123 (R, the year, the number)"
WHERE_FROM = {
    "script": "the script's end",
    "service": "the service's entry in the directory",
    "category": "the default for the category",
}


def read_referral_id(text: str) -> str:
    """R-2026-000123 as typed or said: any case, with or without the R and the zeros.
    ValueError with what one looks like when it is not an id."""
    match = _ID.fullmatch(text.strip())
    if not match:
        raise ValueError(f"'{text.strip()}' is not a referral id: {ID_HELP}")
    year, number = match.groups()
    return f"R-{year}-{int(number):06d}"


def when(at: dt.datetime, zone: ZoneInfo) -> str:
    return at.astimezone(zone).strftime("%a %d %b %Y %H:%M")


def details_text(view: ReferralView, now: dt.datetime, zone: ZoneInfo) -> Text:
    r = view.referral
    text = Text()
    text.append(f"{r.id}  ", style="bold")
    text.append(r.service_name, style="bold cyan")
    text.append("\nState: ")
    text.append(r.state, style="bold")
    if r.overdue_at(now):
        text.append("  OVERDUE", style="bold red")
        text.append(": past its due time and the team has not said it will act")
    elif r.ended:
        text.append("  (ended: nothing more happens to it)", style="dim")
    due_from = WHERE_FROM.get(r.due_from or "", "")
    text.append(f"\nDue: {when(r.due_at, zone)} ({r.respond_within}")
    text.append(f", from {due_from})" if due_from else ")")
    text.append(f"\nMade: {when(r.made_at, zone)} in contact {r.contact_id}")
    text.append(f"\nAbout: {view.person or 'the person is not named on the contact'}")
    text.append(f"\nCaller: {view.caller or 'not recorded'}")
    consent = {True: "given", False: "REFUSED", None: "not asked"}[r.consent_share]
    text.append("\nConsent to share: ")
    text.append(consent, style="bold red" if r.consent_share is False else "")
    if r.reason:
        text.append(f"\nWhy: {r.reason}")
    if r.said:
        # the script end's words to the handler (what to say or do), not a record of speech
        text.append(f"\nThe script said: {r.said}")
    for flag in r.red_flags:
        text.append(f"\nRed flag: {flag}", style="bold red")
    return text


def chase_line(chase: Chase, zone: ZoneInfo) -> str:
    # whoever rang: the referral's own caller, the person, or a professional for them
    # (the referral's caller was named in the header, and a GP's chase read as theirs)
    who = "A caller rang about it" if chase.kind == "caller" else "The SPA chased the team"
    parts = [f"{when(chase.at, zone)}  {who}"]
    if chase.contact_id:
        parts.append(f"in contact {chase.contact_id}")
    if chase.by:
        parts.append(f"(taken by {chase.by})" if chase.kind == "caller" else f"({chase.by})")
    if chase.note:
        parts.append(f": {chase.note}")
    return " ".join(parts)


def chases_text(referral: Referral, zone: ZoneInfo) -> Text:
    if not referral.chases:
        return Text("Not chased.", style="dim")
    text = Text(
        f"Chased: by callers {referral.caller_chases} time(s), "
        f"the SPA {len(referral.chases) - referral.caller_chases} time(s)",
        style="bold",
    )
    for chase in referral.chases:
        text.append(f"\n{chase_line(chase, zone)}")
    return text


class ReferralScreen(Screen[None]):
    BINDINGS = [
        Binding("c", "app.call_about_referral", "A call about it"),
        Binding("s", "record_state", "Record what the team said"),
        Binding("h", "handover", "Handover summary"),
        Binding("slash", "find", "Another referral"),
        Binding("escape", "app.pop_screen", "Back", show=False),
        Binding("q", "app.pop_screen", "Back"),
    ]
    DEFAULT_CSS = """
    ReferralScreen #title { text-style: bold; padding: 0 1; }
    ReferralScreen #referral-error { color: $error; padding: 0 1; height: auto; }
    ReferralScreen #details, ReferralScreen #chases, ReferralScreen #handover {
        padding: 0 1; height: auto; }
    ReferralScreen .heading { text-style: bold; padding: 1 1 0 1; }
    ReferralScreen DataTable { height: auto; max-height: 12; }
    """

    def __init__(
        self,
        referral_id: str | None,
        *,
        view: Callable[[str], ReferralView | None],
        record: Callable[[StateChange], Referral],
        by: str,
        clock: Callable[[], dt.datetime],
        zone: ZoneInfo,
        handover: Callable[[str], str] | None = None,
    ) -> None:
        super().__init__()
        self.referral_id = referral_id
        self.view = view
        self.record = record
        self.by = by  # the person at the console: the history says who recorded it
        self.clock = clock
        self.zone = zone
        self.handover = handover
        self.shown: Referral | None = None

    def compose(self) -> ComposeResult:
        yield Static("Referral", id="title")
        yield Input(
            self.referral_id or "",
            placeholder="Type the referral id, such as R-2026-000123, and press Enter",
            id="referral-id",
        )
        yield Static("", id="referral-error")
        with VerticalScroll(id="referral"):
            yield Static("", id="details")
            yield Static("History", classes="heading")
            history: DataTable[Text | str] = DataTable(id="history", cursor_type="row")
            history.add_columns("State", "When", "Who", "Note")
            yield history
            yield Static("Chases", classes="heading")
            yield Static("", id="chases")
            yield Static("", id="handover")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#referral").display = False
        if self.referral_id:
            self._load(self.referral_id)
        else:
            self.query_one("#referral-id", Input).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "record_state":
            return self.shown is not None and not self.shown.ended
        if action == "handover":
            return self.shown is not None and self.handover is not None
        return True

    @on(Input.Submitted, "#referral-id")
    def _asked(self, event: Input.Submitted) -> None:
        try:
            referral_id = read_referral_id(event.value)
        except ValueError as exc:
            self.query_one("#referral-error", Static).update(Text(str(exc)))
            return
        self._load(referral_id)

    @work(
        thread=True,
        exclusive=True,
        group="referral",
        description="read the referral",
        exit_on_error=False,
    )
    def _load(self, referral_id: str) -> None:
        view = self.view(referral_id)
        self.app.call_from_thread(self._show, referral_id, view)

    def _show(self, referral_id: str, view: ReferralView | None) -> None:
        error = self.query_one("#referral-error", Static)
        if view is None:
            error.update(
                Text(f"There is no referral {referral_id}: check the number with the caller.")
            )
            self.query_one("#referral-id", Input).focus()
            return
        error.update("")
        referral = view.referral
        self.shown = referral
        self.query_one("#referral-id", Input).value = referral.id
        self.query_one("#details", Static).update(details_text(view, self.clock(), self.zone))
        history = self.query_one("#history", DataTable)
        history.clear()
        for change in referral.history:
            # by and note come from teams' files: Text, as a table reads a string as markup
            history.add_row(
                change.state, when(change.at, self.zone), Text(change.by), Text(change.note or "")
            )
        self.query_one("#chases", Static).update(chases_text(referral, self.zone))
        self.query_one("#handover", Static).update("")
        self.query_one("#referral").display = True
        history.focus()  # letters are keys again, not typing
        self.refresh_bindings()

    def action_find(self) -> None:
        box = self.query_one("#referral-id", Input)
        box.value = ""
        box.focus()

    def action_record_state(self) -> None:
        if self.shown is None or self.shown.ended:
            return

        def recorded(changed: Referral | None) -> None:
            if changed is None:
                return
            self.notify(
                f"{changed.id} is now {changed.state} "
                f"(from {when(changed.history[-1].at, self.zone)}).",
                markup=False,
            )
            self._load(changed.id)  # its chases too may have moved on

        self.app.push_screen(
            RecordStateScreen(
                self.shown, record=self.record, by=self.by, clock=self.clock, zone=self.zone
            ),
            recorded,
        )

    def action_handover(self) -> None:
        if self.shown is not None and self.handover is not None:
            self._show_handover(self.shown.id)

    @work(
        thread=True,
        exclusive=True,
        group="handover",
        description="make the handover summary",
        exit_on_error=False,
    )
    def _show_handover(self, referral_id: str) -> None:
        if self.handover is None:
            return
        summary = self.handover(referral_id)
        self.app.call_from_thread(
            self.query_one("#handover", Static).update, Text(f"Handover summary\n\n{summary}")
        )
