"""Wrap-up: outcome pre-filled from the script's end, demand type suggested, notes (which
a safeguarding contact cannot be saved without), and a call-back the handler may promise
(one box, ticked only when one is promised, so a normal wrap-up is no slower)."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Checkbox, Footer, Input, Label, Select, Static, TextArea

from frontdoor.calls.call import Call
from frontdoor.calls.chases import CallBack, ChaseRefused
from frontdoor.calls.wrapping import (
    WrapUpRefused,
    check_wrap_up,
    needs_notes,
    no_referral_made,
    referred_names,
)
from frontdoor.calls.writer import CallNotSaved
from frontdoor.console.forms import CALL_BACK_FORMS, FormError, parse_call_back
from frontdoor.console.vocabulary import Vocabulary
from frontdoor.console.widgets.state_box import StateBox
from frontdoor.interactions.model import WrapUp

CALL_BACK = {False: "no call-back promised", True: "call-back promised:"}


@dataclass(frozen=True)
class WrapUpChosen:
    """What the handler saved: the wrap-up, and the call-back promised, if one was."""

    wrap: WrapUp
    call_back: CallBack | None = None


class WrapUpScreen(ModalScreen[WrapUpChosen | None]):
    AUTO_FOCUS = "#outcome"  # focused as it is shown, so no key goes astray meanwhile
    BINDINGS = [
        Binding("ctrl+s", "save", "Save and finish", priority=True),
        Binding("f6", "call_back", "Promise a call-back", priority=True),
        Binding("escape", "cancel", "Back to the call"),
    ]
    DEFAULT_CSS = """
    WrapUpScreen { align: center middle; }
    WrapUpScreen > Vertical { width: 90; height: auto; max-height: 95%; border: thick $accent;
                              padding: 0 2; background: $surface; }
    WrapUpScreen Label { margin-top: 1; }
    WrapUpScreen TextArea { height: 5; }
    WrapUpScreen #suggestion { color: $warning; }
    WrapUpScreen #call-back-row { height: auto; margin-top: 1; }
    WrapUpScreen #call-back-row Input { display: none; }
    WrapUpScreen #call-back-row.promised Input { display: block; }
    WrapUpScreen #call_back_at { width: 22; }
    WrapUpScreen #call_back_why { width: 1fr; }
    """

    def __init__(
        self,
        call: Call,
        *,
        vocabulary: Vocabulary,
        repeat_window_days: int,
        notes_pause_seconds: float = 0.5,
    ) -> None:
        super().__init__()
        self.call = call
        self.vocabulary = vocabulary
        self.repeat_window_days = repeat_window_days
        # notes are kept when the handler pauses typing (and on save or leaving), so a
        # crash in wrap-up loses at most the last half second of typing
        self.notes_pause_seconds = notes_pause_seconds
        self._notes_kept = call.notes
        self._notes_timer: Timer | None = None
        self._reminded: str | None = None  # said once; Ctrl+S again saves as it is

    def compose(self) -> ComposeResult:
        vocab = self.vocabulary
        demand = self.call.suggested_demand()
        with Vertical():
            yield Static(Text("Wrap up the contact", style="bold"))
            referred = referred_names(self.call.chosen)
            if referred:
                # the caller may still be on the line: keep them for the reference
                yield Static(
                    Text(
                        f"Saving makes the referral to {' and '.join(referred)}; its "
                        "reference is said as soon as it is saved, for the caller to quote.",
                        style="italic",
                    ),
                    id="referrals-made",
                )
            yield Label("Outcome (from the script's end; change it if the call went otherwise)")
            yield Select(
                [(label, code) for code, label in vocab.outcomes.items()],
                value=self.call.suggested_outcome(),
                allow_blank=False,
                id="outcome",
            )
            yield Label("Demand")
            options = [(f"value: {label}", code) for code, label in vocab.value_demand.items()]
            options += [(f"failure: {label}", code) for code, label in vocab.failure_demand.items()]
            yield Select(
                options, value=demand if demand in vocab.demand else Select.NULL, id="demand"
            )
            hint = ""
            if demand == "repeat_contact":
                hint = "Suggested: repeat contact (same caller or person, same category, within "
                hint += f"{self.repeat_window_days} days). Confirm or change."
            elif demand == "progress_chasing" and self.call.chased:
                about = ", ".join(sorted(self.call.chased))
                hint = f"Suggested: progress chasing (this call is about {about})."
            elif demand == "progress_chasing":
                hint = "Suggested: progress chasing (the caller asked about something arranged)."
            yield Static(Text(hint), id="suggestion")
            yield Label("Category")
            yield Select(
                [(label, code) for code, label in vocab.categories.items()],
                value=self.call.category,
                allow_blank=False,
                id="category",
            )
            yield Label(
                "Notes (what the caller said, what was agreed)"
                + (
                    ": needed for a safeguarding or red-flag contact, in the caller's words"
                    if needs_notes(
                        self.call.suggested_outcome(), self.call.category, self.call.red_flags
                    )
                    else ""
                ),
                id="notes-label",
            )
            yield TextArea(self._notes_kept, id="notes")
            with Horizontal(id="call-back-row"):
                yield StateBox(CALL_BACK[False], id="call_back")
                yield Input(placeholder=CALL_BACK_FORMS, id="call_back_at")
                yield Input(
                    placeholder="why: what the caller is waiting to hear", id="call_back_why"
                )
        yield Footer()

    # --- a call-back promised -----------------------------------------------------------
    def action_call_back(self) -> None:
        self.query_one("#call_back", Checkbox).toggle()

    @on(Checkbox.Changed, "#call_back")
    def _call_back_changed(self, event: Checkbox.Changed) -> None:
        event.checkbox.label = CALL_BACK[event.value]
        self.query_one("#call-back-row").set_class(event.value, "promised")
        if event.value:
            self.query_one("#call_back_at", Input).focus()

    def _call_back(self) -> CallBack | None:
        """The call-back promised, checked; None when the box is not ticked. FormError
        (with the field to put right) when it cannot be promised as typed."""
        if not self.query_one("#call_back", Checkbox).value:
            return None
        when = parse_call_back(
            self.query_one("#call_back_at", Input).value, self.call.service.local_now()
        )
        call_back = CallBack(when, self.query_one("#call_back_why", Input).value.strip())
        try:
            self.call.check_call_back(call_back)
        except ChaseRefused as exc:
            field = "call_back_why" if not call_back.why else "call_back_at"
            raise FormError(str(exc), field) from None
        return call_back

    @on(TextArea.Changed, "#notes")
    def _notes_changed(self) -> None:
        if self._notes_timer is not None:
            self._notes_timer.stop()
        self._notes_timer = self.set_timer(self.notes_pause_seconds, self._keep_notes)

    def _keep_notes(self) -> None:
        notes = self.query_one("#notes", TextArea).text
        if notes == self._notes_kept:
            return
        try:
            self.call.keep_notes(notes)
        except CallNotSaved as exc:
            self.notify(str(exc), title="Notes not kept", severity="error", markup=False)
            return
        self._notes_kept = notes

    def action_save(self) -> None:
        demand = self.query_one("#demand", Select).value
        outcome = self.query_one("#outcome", Select).value
        if outcome != "incomplete" and not isinstance(demand, str):
            self.notify("Choose the demand type before saving.", severity="warning")
            self.query_one("#demand", Select).focus()
            return
        wrap = WrapUp(
            outcome=str(outcome),
            demand=demand if isinstance(demand, str) else None,
            notes=self.query_one("#notes", TextArea).text.strip(),
            category=str(self.query_one("#category", Select).value),
        )
        try:
            check_wrap_up(wrap, self.call.red_flags)
        except WrapUpRefused as exc:
            # the screen stays as it is, every field kept: only the notes are wanted
            self.notify(str(exc), title="Notes needed", severity="error", markup=False)
            self.query_one("#notes", TextArea).focus()
            return
        try:
            call_back = self._call_back()
        except FormError as exc:
            self.notify(str(exc), title="Call-back", severity="error", markup=False)
            if exc.field:
                self.query_one(f"#{exc.field}", Input).focus()
            return
        missing = no_referral_made(
            wrap.outcome,
            referred_names(self.call.chosen),
            referred_names(self.call.suggested_services()),
        )
        if missing is not None and missing != self._reminded:
            self._reminded = missing
            self.notify(missing, title="No referral made", severity="warning", markup=False)
            return
        self.dismiss(WrapUpChosen(wrap, call_back))

    def action_cancel(self) -> None:
        self._keep_notes()
        self.dismiss(None)
