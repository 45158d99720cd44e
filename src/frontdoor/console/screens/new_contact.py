"""A new contact: who is calling, who it is about, language, consent; and at once, the
referrals not ended about this caller or person (overdue ones marked), the contacts they
made in the last 30 days, and a person on file the contact may be about, for the handler
to confirm (F3) or reject (F4)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from rich.text import Text
from sqlalchemy.exc import SQLAlchemyError
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.screen import Screen
from textual.validation import Function
from textual.widgets import Checkbox, Footer, Input, Label, Select, Static

from frontdoor.access.views import ViewNotRecorded
from frontdoor.console.forms import (
    FormError,
    check_nhs_number,
    check_postcode,
    parse_dob,
    person_details,
)
from frontdoor.console.messages import ContactEntered
from frontdoor.console.vocabulary import Vocabulary
from frontdoor.console.widgets.history import HistoryPanel
from frontdoor.console.widgets.open_referrals import OpenReferralsPanel
from frontdoor.console.widgets.person_match import Lookup, PersonMatchPanel
from frontdoor.console.widgets.save_status import SaveStatus
from frontdoor.console.widgets.state_box import StateBox
from frontdoor.interactions.model import OUTBOUND, NewContact
from frontdoor.people.keys import caller_key, nhs_number_valid, subject_key
from frontdoor.people.model import Decision, Details

CHANNELS = [
    ("Phone", "phone"),
    ("Email", "email"),
    ("Web form", "web"),
    ("Face to face", "face_to_face"),
]
# offered only on a call-back, which the follow-up list starts: not demand, and the MI
# counts it apart, so a handler never picks it for a call that came in
CALL_BACK = ("Call-back (we rang them)", OUTBOUND)
YES_NO = [("Yes", True), ("No", False)]
# A box says its state in words as well as by its mark, for a handler who cannot tell
# the colours apart (or reads the screen in a hurry).
IS_PERSON = {False: "someone else", True: "the person it is about"}
INTERPRETER = {False: "not needed", True: "NEEDED"}
# the boxes an escalation from the form may start without, as their labels name them
T = TypeVar("T")
FIELD_NAMES = {
    "subject_dob": "the date of birth",
    "subject_postcode": "the postcode",
    "subject_nhs_number": "the NHS number",
}


def field(**options: Any) -> Input:
    """A box of the form. Tabbing into one that is filled puts the cursor at its end rather
    than selecting it all, so a stray key does not wipe what the handler typed."""
    return Input(select_on_focus=False, **options)


class NewContactScreen(Screen[NewContact | None]):
    # The first field has the focus the moment the form is shown: a focus() in on_mount
    # comes a moment later, and what the handler typed in between went elsewhere.
    AUTO_FOCUS = "#caller"
    BINDINGS = [
        Binding("ctrl+s", "start", "Start triage", priority=True),
        Binding("f2", "start", "Start triage", show=False, priority=True),
        Binding("escape", "cancel", "Cancel"),
        Binding("f5", "caller_is_person", "Caller is the person", priority=True),
        Binding("f3", "same_person", "Same person", priority=True),
        Binding("f4", "not_same_person", "Not the same", priority=True),
        # red flags first: an emergency waits for no form (consent is asked afterwards)
        Binding("f8", "start_escalated('emergency')", "Emergency", priority=True),
        Binding("f9", "start_escalated('safeguarding')", "Safeguarding", priority=True),
    ]
    DEFAULT_CSS = """
    NewContactScreen Grid { grid-size: 4; grid-columns: 18 1fr 18 1fr; grid-gutter: 0 1;
                            height: auto; padding: 0 1; }
    NewContactScreen Label { padding-top: 1; text-align: right; width: 100%; }
    NewContactScreen #title { text-style: bold; padding: 0 1; }
    NewContactScreen #form-error { color: $error; padding: 0 1; height: auto; }
    """

    def __init__(
        self,
        handler: str,
        known: NewContact | None = None,
        *,
        vocabulary: Vocabulary,
        look_up: Callable[[str | None, str | None, Details, str | None], Lookup],
        history_days: int,
        zone: ZoneInfo,
        today: Callable[[], dt.date],
        clock: Callable[[], dt.datetime],
    ) -> None:
        super().__init__()
        self.handler = handler
        self.known = known  # a call taken from the queue: its number, queue and wait
        self.vocabulary = vocabulary
        # earlier contacts by caller key and person, and a person on file it may be about
        self.look_up = look_up
        self.history_days = history_days
        self.zone = zone
        self.today = today
        self._error_shown = False
        self.clock = clock  # when the handler decided about a person on file

    @property
    def calling_back(self) -> bool:
        return self.known is not None and self.known.channel == OUTBOUND

    def compose(self) -> ComposeResult:
        vocab = self.vocabulary
        with Vertical():
            yield Static("Call-back" if self.calling_back else "New contact", id="title")
            with Grid():
                yield Label("Channel")
                yield Select(
                    [*CHANNELS, CALL_BACK] if self.calling_back else CHANNELS,
                    value=OUTBOUND if self.calling_back else "phone",
                    allow_blank=False,
                    id="channel",
                )
                yield Label("Caller type")
                yield Select(
                    [(label, code) for code, label in vocab.caller_types.items()],
                    value="public",
                    allow_blank=False,
                    id="caller_type",
                )
                yield Label("Number or org.")
                yield field(
                    placeholder="caller's phone, or a professional's organisation", id="caller"
                )
                yield Label("Caller's name")
                yield field(id="caller_name")
                yield Label("Caller is (F5)")
                # not a Tab stop: between the caller's name and the person's, a box that
                # swallows letters put "Frank Walsh" nowhere and the next fields astray;
                # F5 ticks it from any field (and a click)
                is_person = StateBox(IS_PERSON[False], id="caller_is_person")
                is_person.can_focus = False
                yield is_person
                yield Label("About (name)")
                yield field(placeholder="the person the call is about", id="subject_name")
                yield Label("Date of birth")
                yield field(placeholder="DD/MM/YYYY", id="subject_dob")
                yield Label("Postcode")
                yield field(id="subject_postcode")
                yield Label("NHS number")
                yield field(
                    placeholder="10 digits, if known",
                    id="subject_nhs_number",
                    validators=[
                        Function(
                            lambda v: not v.strip() or nhs_number_valid(v), "not a valid NHS number"
                        )
                    ],
                )
                yield Label("Language")
                yield field(value="English", id="language")
                yield Label("Interpreter")
                yield StateBox(INTERPRETER[False], id="interpreter")
                yield Label("Consent: record")
                yield Select(YES_NO, prompt="ask the caller", id="consent_record")
                yield Label("Consent: share")
                yield Select(YES_NO, prompt="ask the caller", id="consent_share")
            yield Static("", id="form-error")
            yield PersonMatchPanel(id="person-match")
            yield OpenReferralsPanel(id="open-referrals")
            yield HistoryPanel(self.vocabulary, id="history")
        yield SaveStatus(id="save-status")
        yield Footer()

    def on_mount(self) -> None:
        if self.known:
            self._fill(self.known)  # the caller's number first: history shows at once
        self.query_one(HistoryPanel).show([], self.history_days, self.zone)
        self._as_opened = self._typed()

    def _typed(self) -> tuple[str, ...]:
        return tuple(box.value for box in self.query(Input))

    def _fill(self, known: NewContact) -> None:
        """What is already known: a queued call's number; a call-back's caller and person
        (consent is asked again on every contact)."""
        boxes = {
            "caller": known.caller,
            "caller_name": known.caller_name,
            "subject_name": known.subject_name,
            "subject_dob": f"{known.subject_dob:%d/%m/%Y}" if known.subject_dob else None,
            "subject_postcode": known.subject_postcode,
            "subject_nhs_number": known.subject_nhs_number,
            "language": known.language,
        }
        for box, value in boxes.items():
            if value:
                self.query_one(f"#{box}", Input).value = value
        self.query_one("#interpreter", Checkbox).value = known.interpreter_needed
        self.query_one("#caller_is_person", Checkbox).value = known.caller_is_person
        if known.caller_type in self.vocabulary.caller_types:
            self.query_one("#caller_type", Select).value = known.caller_type

    def action_caller_is_person(self) -> None:
        box = self.query_one("#caller_is_person", Checkbox)
        box.toggle()
        # at once, not when the box's Changed message comes round: a Tab typed straight
        # after F5 must find About already passed by
        self._caller_is_person(box.value)

    @on(Checkbox.Changed, "#interpreter")
    def _interpreter_changed(self, event: Checkbox.Changed) -> None:
        event.checkbox.label = INTERPRETER[event.value]

    @on(Checkbox.Changed, "#caller_is_person")
    def _caller_is_person_changed(self, event: Checkbox.Changed) -> None:
        self._caller_is_person(event.value)  # a click, or F5's toggle coming round

    def _caller_is_person(self, is_person: bool) -> None:
        self.query_one("#caller_is_person", Checkbox).label = IS_PERSON[is_person]
        about = self.query_one("#subject_name", Input)
        # the caller is the person: About follows the caller's name and is no Tab stop,
        # so a date of birth typed after the name goes to the date of birth, not onto the
        # end of the name (a name pre-filled in the next Tab stop took "01/01/1950")
        if is_person and about.has_focus:
            self.query_one("#subject_dob", Input).focus()
        about.disabled = is_person
        self._about_follows_caller()

    @on(Input.Changed, "#caller_name")
    def _about_follows_caller(self) -> None:
        if not self.query_one("#caller_is_person", Checkbox).value:
            return
        about = self.query_one("#subject_name", Input)
        caller_name = self.query_one("#caller_name", Input).value.strip()
        if caller_name and about.value != caller_name:
            about.value = caller_name  # and the history lookup runs on the person's name

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _check_again(self) -> None:
        """An error said about the form is checked again at each change, so it goes once
        it is put right (and only then: a change still on its way when Ctrl+S was
        pressed finds the same error and leaves it)."""
        if not self._error_shown:
            return
        try:
            self._form()
        except FormError as exc:
            self._say_error(str(exc))
            return
        self._error_shown = False
        self.query_one("#form-error", Static).update("")

    def _say_error(self, error: str) -> None:
        self._error_shown = True
        self.query_one("#form-error", Static).update(Text(error))

    # --- previous contacts, as the keys become known ------------------------------------
    @on(Input.Changed)
    def _keys_changed(self, event: Input.Changed) -> None:
        if event.input.id in (
            "caller",
            "subject_name",
            "subject_dob",
            "subject_postcode",
            "subject_nhs_number",
        ):
            self._look_up_history(*self._keys())

    def _keys(self) -> tuple[str | None, str | None, Details, str | None]:
        def value(field: str) -> str:
            return self.query_one(f"#{field}", Input).value

        details = person_details(
            value("subject_name"),
            value("subject_dob"),
            value("subject_postcode"),
            value("subject_nhs_number"),
            value("caller"),
            self.today(),
        )
        subject = subject_key(details.nhs_number, details.name, details.dob, details.postcode)
        confirmed = self.query_one(PersonMatchPanel).confirmed
        return caller_key(value("caller")), subject, details, confirmed

    @work(thread=True, exclusive=True, group="history", exit_on_error=False)
    def _look_up_history(
        self, caller: str | None, subject: str | None, details: Details, confirmed: str | None
    ) -> None:
        try:
            found = self.look_up(caller, subject, details, confirmed)
        except SQLAlchemyError:
            return  # the database is not answering: the save status says so
        except ViewNotRecorded as exc:  # shown only once the look is on record
            self.app.call_from_thread(self._withhold_history, str(exc))
            return
        self.app.call_from_thread(self._show_history, found)

    def _withhold_history(self, words: str) -> None:
        self.query_one(HistoryPanel).withhold(words)
        self.query_one(OpenReferralsPanel).show([], self.clock(), self.zone)
        self.query_one(PersonMatchPanel).show(None)
        self.refresh_bindings()

    def _show_history(self, found: Lookup) -> None:
        self.query_one(HistoryPanel).show(found.history, self.history_days, self.zone)
        self.query_one(OpenReferralsPanel).show(found.referrals, self.clock(), self.zone)
        self.query_one(PersonMatchPanel).show(found.person)
        self.refresh_bindings()  # F3 and F4 only while there is someone to decide about

    # --- a person on file -----------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("same_person", "not_same_person"):
            panels = self.query(PersonMatchPanel)  # none yet while the screen is composed
            return bool(panels) and panels.first().can_decide
        return True

    def action_same_person(self) -> None:
        self.query_one(PersonMatchPanel).decide(Decision.CONFIRMED, self.handler, self.clock())

    def action_not_same_person(self) -> None:
        self.query_one(PersonMatchPanel).decide(Decision.REJECTED, self.handler, self.clock())

    @on(PersonMatchPanel.Decided)
    def _person_decided(self) -> None:
        self._look_up_history(*self._keys())  # a confirmed person's contacts join the list

    # --- starting -------------------------------------------------------------------
    def _form(self, as_it_stands: list[str] | None = None) -> NewContact:
        """The contact the form describes; FormError names the box to fix. With
        `as_it_stands` (F8, F9), consent to record may be unanswered and a box that does
        not read is left out, its id added to the list, instead of refusing."""

        def text(field: str) -> str:
            return self.query_one(f"#{field}", Input).value.strip()

        def read(field: str, parse: Callable[[str], T]) -> T | None:
            try:
                return parse(text(field))
            except FormError:
                if as_it_stands is None:
                    raise
                as_it_stands.append(field)
                return None

        consent_record = self.query_one("#consent_record", Select).value
        consent_share = self.query_one("#consent_share", Select).value
        is_person = self.query_one("#caller_is_person", Checkbox).value
        if not isinstance(consent_record, bool) and as_it_stands is None:
            raise FormError(
                "consent: ask the caller whether we may record the call, and choose Yes or No",
                "consent_record",
            )
        return NewContact(
            handler=self.handler,
            channel=str(self.query_one("#channel", Select).value),
            caller_type=str(self.query_one("#caller_type", Select).value),
            caller=text("caller") or None,
            caller_name=text("caller_name") or None,
            subject_name=text("subject_name") or (text("caller_name") if is_person else "") or None,
            subject_dob=read("subject_dob", lambda typed: parse_dob(typed, self.today())),
            subject_postcode=read("subject_postcode", check_postcode),
            subject_nhs_number=read("subject_nhs_number", check_nhs_number),
            language=text("language") or None,
            interpreter_needed=self.query_one("#interpreter", Checkbox).value,
            caller_is_person=is_person,
            consent_record=consent_record if isinstance(consent_record, bool) else None,
            consent_share=consent_share if isinstance(consent_share, bool) else None,
            queue=self.known.queue if self.known else None,
            offered_at=self.known.offered_at if self.known else None,
            person_decision=self.query_one(PersonMatchPanel).decision,
            answered_at=self.known.answered_at if self.known else None,
        )

    def action_start_escalated(self, kind: str) -> None:
        """F8 or F9 on the form: the contact starts at once with whatever is typed and goes
        straight to the escalation. Consent to record is left as not asked unless it was
        chosen, and a box that does not read yet (a date half typed) is left out of the
        contact rather than holding the caller up; the handler is told which."""
        left_out: list[str] = []
        new = self._form(as_it_stands=left_out)
        if left_out:
            names = ", ".join(FIELD_NAMES.get(field, field) for field in left_out)
            self.notify(
                f"Started without {names}: not readable yet. Add it to the notes.",
                title="Escalated from the form",
                severity="warning",
                markup=False,
            )
        self.query_one("#form-error", Static).update(
            Text("Starting the contact and escalating...", style="bold")
        )
        self.post_message(
            ContactEntered(new, escalate="emergency" if kind == "emergency" else "safeguarding")
        )

    def action_start(self) -> None:
        try:
            new = self._form()
        except FormError as exc:
            self._say_error(str(exc))
            if exc.field:  # the cursor goes where the fix is
                self.set_focus(self.query_one(f"#{exc.field}"))
            return
        # the app starts the contact and closes this form only once it has started, so
        # nothing typed here is lost if the database does not answer
        self.query_one("#form-error", Static).update(Text("Starting the contact...", style="dim"))
        self.post_message(ContactEntered(new))

    def action_cancel(self) -> None:
        if self._typed() == self._as_opened:
            self.dismiss(None)
            return
        from frontdoor.console.screens.discard_form import DiscardForm

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(DiscardForm(), answered)
