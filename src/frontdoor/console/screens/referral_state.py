"""Recording what a team said about a referral (on the phone, by email): its next state,
chosen among the moves allowed from the one it is in, why (needed for rejected,
cancelled and on hold), and when the team said it (now, unless typed). The record checks
the move again and its refusal is shown in its own words; nothing typed is lost."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from zoneinfo import ZoneInfo

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from frontdoor.local_time import TimeError, local_moment
from frontdoor.referrals.model import Referral
from frontdoor.referrals.states import MOVES, NEED_REASON, State
from frontdoor.referrals.store import ReferralError, StateChange

# what each state means to the person recording it (the states are FHIR Task codes)
MEANING: dict[State, str] = {
    "requested": "made and handed over",
    "received": "the team confirmed they have it",
    "accepted": "the team will act on it",
    "rejected": "the team declined it (say why)",
    "in-progress": "the team has started: a first visit, an assessment booked",
    "on-hold": "paused (say why)",
    "completed": "done",
    "cancelled": "withdrawn (say why)",
}
WHEN_HELP = "a time such as 14:30 (today) or 24/11/2026 14:30, or leave it empty for now"
_CLOCK = r"(\d{1,2})[:.](\d{2})"
_TODAY = re.compile(rf"{_CLOCK}")
_DAY = re.compile(rf"(\d{{1,2}})/(\d{{1,2}})(?:/(\d{{4}}))?\s+{_CLOCK}")


class WhenError(ValueError):
    """The time typed is not one; the message says what to type."""


def read_when(text: str, now: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """When the team said it: empty or "now" is now; 14:30 is today (local time);
    24/11 14:30 or 24/11/2026 14:30 a day; or ISO 8601. Never later than now."""
    text = text.strip().lower()
    if text in ("", "now"):
        return now
    local_now = now.astimezone(zone)
    try:
        if match := _TODAY.fullmatch(text):
            hour, minute = (int(g) for g in match.groups())
            day = local_now.date()
        elif match := _DAY.fullmatch(text):
            dd, mm, yyyy, hh, mi = match.groups()
            day = dt.date(int(yyyy) if yyyy else local_now.year, int(mm), int(dd))
            hour, minute = int(hh), int(mi)
        else:
            value = dt.datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
            day, hour, minute = value.date(), value.hour, value.minute
            if value.tzinfo is not None:
                return _not_later(value.astimezone(dt.UTC), text, now)
        wall = dt.datetime.combine(day, dt.time(hour, minute))
    except ValueError:
        raise WhenError(f"When: '{text}' is not a time; give {WHEN_HELP}") from None
    try:
        # the same reading of a local time as `referrals update`'s: an hour the clocks
        # skipped or went through twice is asked about, never guessed
        at = local_moment(wall, zone)
    except TimeError as exc:
        raise WhenError(f"When: {exc}") from None
    return _not_later(at, text, now)


def _not_later(at: dt.datetime, text: str, now: dt.datetime) -> dt.datetime:
    if at > now + dt.timedelta(minutes=1):
        raise WhenError(
            f"When: {text} is later than now; record what the team said once they have said it"
        )
    return at


class RecordStateScreen(ModalScreen[Referral | None]):
    AUTO_FOCUS = "#states"
    BINDINGS = [
        Binding("ctrl+s", "record", "Record", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]
    DEFAULT_CSS = """
    RecordStateScreen { align: center middle; }
    RecordStateScreen > Vertical { width: 90; height: auto; border: thick $accent;
                                   background: $surface; padding: 0 1; }
    RecordStateScreen OptionList { height: auto; max-height: 8; }
    RecordStateScreen Label { padding-top: 1; }
    RecordStateScreen #state-error { color: $error; height: auto; }
    """

    def __init__(
        self,
        referral: Referral,
        *,
        record: Callable[[StateChange], Referral],
        by: str,
        clock: Callable[[], dt.datetime],
        zone: ZoneInfo,
    ) -> None:
        super().__init__()
        self.referral = referral
        self.record = record
        self.by = by
        self.clock = clock
        self.zone = zone
        self.moves: tuple[State, ...] = MOVES[referral.state]

    def compose(self) -> ComposeResult:
        r = self.referral
        with Vertical():
            yield Static(
                Text.assemble(
                    (f"{r.id}  ", "bold"),
                    r.service_name,
                    f"\nNow {r.state}. What did the team say? (↑↓ to choose)",
                )
            )
            yield OptionList(
                *(Option(Text(f"{s}: {MEANING[s]}"), id=s) for s in self.moves), id="states"
            )
            yield Label("Note", id="note-label")
            yield Input(placeholder="what the team said, and who", id="note")
            yield Label("When")
            yield Input(placeholder=WHEN_HELP, id="at")
            yield Static("", id="state-error")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = 0
        self._label_note()

    def chosen(self) -> State | None:
        states = self.query_one(OptionList)
        if states.highlighted is None:
            return None
        return self.moves[states.highlighted]

    @on(OptionList.OptionHighlighted)
    def _label_note(self) -> None:
        needed = self.chosen() in NEED_REASON
        self.query_one("#note-label", Label).update(
            "Reason (needed)" if needed else "Note (if any)"
        )

    @on(OptionList.OptionSelected)
    def _state_chosen(self) -> None:
        self.query_one("#note", Input).focus()

    @on(Input.Submitted, "#note")
    def _note_done(self) -> None:
        self.query_one("#at", Input).focus()

    @on(Input.Submitted, "#at")
    def _at_done(self) -> None:
        self.action_record()

    def _say(self, words: str) -> None:
        self.query_one("#state-error", Static).update(Text(words))

    def action_record(self) -> None:
        state = self.chosen()
        if state is None:
            self._say("Choose what the team said (↑↓), then Ctrl+S.")
            return
        note = self.query_one("#note", Input).value.strip() or None
        if state in NEED_REASON and not note:
            self._say(f"{state} needs a reason: type what the team said in the box.")
            self.query_one("#note", Input).focus()
            return
        try:
            at = read_when(self.query_one("#at", Input).value, self.clock(), self.zone)
        except WhenError as exc:
            self._say(str(exc))
            self.query_one("#at", Input).focus()
            return
        self._say("Recording...")
        self._record(StateChange(self.referral.id, state, at, self.by, note))

    @work(
        thread=True,
        exclusive=True,
        group="record-state",
        description="record the referral's new state",
        exit_on_error=False,
    )
    def _record(self, change: StateChange) -> None:
        try:
            changed = self.record(change)
        except ReferralError as exc:
            # the store's own words: the move, the time or the reason it refuses
            self.app.call_from_thread(self._say, f"Not recorded: {exc}.")
            return
        except Exception:
            # the app says what failed; what was typed stays here to try again
            self.app.call_from_thread(self._say, "Not recorded: try again (Ctrl+S).")
            raise
        self.app.call_from_thread(self.dismiss, changed)

    def action_cancel(self) -> None:
        self.dismiss(None)
