"""The call: triage on the left, the directory on the right, escalation one key away; above
them, the open referrals about this caller or person, which a chase is linked to (r), the
team chased about when overdue (c); a service chosen in error is taken back (t); the
person withdrawing consent to share is recorded there and then (w)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Literal
from zoneinfo import ZoneInfo

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from frontdoor.calls.call import Call
from frontdoor.calls.chases import ChaseRefused
from frontdoor.calls.writer import CallNotSaved
from frontdoor.console.logs import get_logger
from frontdoor.console.messages import CallBackPromised, ContactSaved, Escalation, WrapUpStarted
from frontdoor.console.screens.choose_action import ChooseAction
from frontdoor.console.screens.consent_withdrawal import WithdrawShareScreen
from frontdoor.console.screens.pick_one import PickOne
from frontdoor.console.screens.wrap_up import WrapUpChosen, WrapUpScreen
from frontdoor.console.vocabulary import Vocabulary
from frontdoor.console.widgets.directory_panel import DirectoryPanel, service_text
from frontdoor.console.widgets.history import HistoryPanel
from frontdoor.console.widgets.many_choice import ManyChoice
from frontdoor.console.widgets.open_referrals import OpenReferralsPanel, referral_line
from frontdoor.console.widgets.save_status import SaveStatus
from frontdoor.console.widgets.triage_panel import TriagePanel, option_labels
from frontdoor.directory.live_index import LiveIndex
from frontdoor.interactions.model import Action
from frontdoor.people.consent import ConsentError
from frontdoor.referrals.model import Referral
from frontdoor.triage_scripts.answers import AnswerError
from frontdoor.triage_scripts.model import ESCALATE_EMERGENCY, ESCALATE_SAFEGUARDING
from frontdoor.triage_scripts.runner import Step, TriageError
from frontdoor.words import in_words


def caller_line(call: Call, vocabulary: Vocabulary) -> Text:
    contact = call.contact
    text = Text()
    text.append(f" {in_words(contact.channel)} ", style="reverse")
    caller_type = contact.caller_type
    text.append(f" {vocabulary.labels.caller_type(caller_type)}")
    if contact.caller_name:
        text.append(f" {contact.caller_name}")
    if contact.caller_is_person:
        text.append("  (the person)")
    if contact.subject_name:
        text.append("  about ")
        text.append(contact.subject_name, style="bold")
    if contact.interpreter_needed:
        text.append(f"  interpreter: {contact.language or 'yes'}", style="bold yellow")
    if contact.consent_record is False:
        # said on screen all call: only what the service must keep, and nothing more
        text.append("  consent to record: NO", style="bold red")
    if call.share_withdrawn_at is not None:
        # withdrawn since (or on this call): it stands over what was said on the call
        text.append("  consent to share: WITHDRAWN", style="bold red")
        return text
    consent = (
        "consent to share: " + {True: "yes", False: "NO", None: "not asked"}[contact.consent_share]
    )
    text.append(f"  {consent}", style="green" if contact.consent_share else "bold red")
    return text


# what a call opens with, besides its question: its wrap-up (resumed where its console
# stopped), or an escalation (F8 or F9 pressed on the new-contact form)
OpenWith = Literal["wrap_up"] | Escalation


class CallScreen(Screen[None]):
    BINDINGS = [
        *[Binding(str(n), f"option({n})", f"Answer {n}", show=False) for n in range(1, 10)],
        Binding("b", "back", "Back"),
        # in a typed answer `b` is a letter, so the footer shows the key that works there
        Binding("ctrl+b", "back_from_field", "Back", priority=True),
        Binding("s", "suggested", "Suggested"),
        Binding("f8", "escalate('emergency')", "Emergency", priority=True),
        Binding("f9", "escalate('safeguarding')", "Safeguarding", priority=True),
        Binding("slash", "search", "Directory"),
        Binding("f3", "search", "Directory", show=False, priority=True),
        Binding("f10", "wrap_up", "Wrap up", priority=True),
        # after F10, so that a full footer cuts these rather than the wrap-up
        Binding("r", "link_chase", "About a referral"),
        Binding("c", "chase_team", "Chase the team"),
        Binding("t", "take_back", "Take back"),
        Binding("w", "withdraw_share", "Share withdrawn"),
    ]
    DEFAULT_CSS = """
    CallScreen #caller { height: 1; background: $boost; }
    CallScreen #panes { height: 1fr; }
    CallScreen TriagePanel { width: 3fr; }
    CallScreen DirectoryPanel { width: 2fr; }
    CallScreen #chosen { height: auto; max-height: 4; color: $success; }
    """

    def __init__(
        self,
        call: Call,
        *,
        vocabulary: Vocabulary,
        directory: LiveIndex,
        zone: ZoneInfo,
        history_days: int,
        local_now: Callable[[], dt.datetime],
        at_once: OpenWith | None = None,
    ) -> None:
        super().__init__()
        self.call = call
        self.at_once = at_once  # what the call opens with (OpenWith)
        self.vocabulary = vocabulary
        self.directory = directory
        self.zone = zone
        self.history_days = history_days
        self.local_now = local_now
        self.log_ = get_logger().bind(contact_id=call.contact_id, handler=call.contact.handler)
        # the suggestions the directory panel shows (None: show them again)
        self._suggested: list[str] | None = []

    def compose(self) -> ComposeResult:
        yield Static(caller_line(self.call, self.vocabulary), id="caller")
        yield OpenReferralsPanel(id="open-referrals")
        history = HistoryPanel(self.vocabulary, id="history")
        history.display = bool(self.call.history)
        yield history
        with Horizontal(id="panes"):
            yield TriagePanel(id="triage")
            yield DirectoryPanel(
                self.directory,
                local_now=self.local_now,
                filters=self.call.directory_filters(),
                id="directory",
            )
        yield Static("", id="chosen")
        yield SaveStatus(id="save-status")
        # compact: at an end, with the directory's keys too, F10 must still be on screen
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(HistoryPanel).show(self.call.history, self.history_days, self.zone)
        self._show_referrals()
        self._refresh()
        if self.at_once == "wrap_up":
            self.call_after_refresh(self.action_wrap_up)
        elif self.at_once is not None:
            self.action_escalate(self.at_once)

    # --- showing ------------------------------------------------------------------
    def _refresh(self) -> None:
        triage = self.call.triage
        self.query_one(TriagePanel).show(triage, self.call.escalation_advice())
        question = triage.question
        # an escalation suggests services at once (F9's go on while its questions are
        # asked); shown again only when they change, so a search in between stays
        panel = self.query_one(DirectoryPanel)
        suggestions = self.call.suggested_services()
        ids = [s.id for s, _ in suggestions]
        if ids != self._suggested and (ids or self._suggested):
            panel.show_suggestions(suggestions)
        self._suggested = ids
        # set_focus now rather than focus(), which waits its turn: a key typed straight
        # after an answer goes to the field of the question it was typed for
        if question is not None and question.input == "many":
            self.set_focus(self.query_one(ManyChoice))
        elif question is not None and not option_labels(question):
            self.set_focus(self.query_one("#answer-input", Input))
        elif triage.finished and suggestions:
            panel.focus_results()  # Enter takes the first; the arrows move between them
        else:
            self.set_focus(self.query_one(TriagePanel))
        chosen = Text()
        for service, action in self.call.chosen:
            chosen.append(service_text(service, action=action))
            chosen.append("\n")
        self.query_one("#chosen", Static).update(chosen)
        self.refresh_bindings()  # the footer's keys follow the question or the end

    def _do(self, what: str, action: Callable[[], Step]) -> None:
        """Take one triage action. The runner moves at once and the step is kept on this
        workstation before the screen moves on; the database gets it off the event loop."""
        try:
            step = action()
        except (AnswerError, TriageError) as exc:
            self.notify(str(exc), severity="warning", markup=False)
            return
        except CallNotSaved as exc:
            self.notify(str(exc), title="Not saved", severity="error", markup=False, timeout=10)
            # the error's type only: its text may carry the answer
            self.log_.error("step_not_saved", what=what, error=type(exc.__cause__).__name__)
            self._refresh()
            return
        self.log_.info(
            "triage_step",
            kind=step.kind,
            script=step.script,
            node=step.node,
            end=step.end.node if step.end else None,
        )
        for red_flag in step.red_flags:
            self.notify(red_flag, title="Red flag", severity="error", markup=False)
        self._refresh()

    # --- answering ----------------------------------------------------------------
    def action_option(self, number: int) -> None:
        question = self.call.triage.question
        if question is None:
            return
        labels = option_labels(question)
        if 1 <= number <= len(labels):
            self._do("answer", lambda: self.call.answer(labels[number - 1]))

    @on(Input.Submitted, "#answer-input")
    def _typed_answer(self, event: Input.Submitted) -> None:
        self._do("answer", lambda: self.call.answer(event.value))

    @on(ManyChoice.Chosen)
    def _ticked_answer(self, event: ManyChoice.Chosen) -> None:
        self._do("answer", lambda: self.call.answer(list(event.labels)))

    def action_back(self) -> None:
        self._do("back", self.call.back)

    def action_back_from_field(self) -> None:
        self.action_back()

    def action_suggested(self) -> None:
        """The script's suggestions again (after a search, say), with the keys on them."""
        panel = self.query_one(DirectoryPanel)
        suggestions = self.call.suggested_services()
        panel.show_suggestions(suggestions)
        self._suggested = [s.id for s, _ in suggestions]
        panel.focus_results()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Show in the footer only the keys that work where the focus is."""
        typing = isinstance(self.focused, Input)
        if action == "back":
            return not typing
        if action == "back_from_field":  # in the answer's field, not the directory's
            return typing and self.focused is not None and self.focused.id == "answer-input"
        if action == "suggested":
            # as _refresh last found them (an escalation's stand while F9's questions are
            # asked): the footer asks at every refresh, too often to work them out again
            return bool(self._suggested)
        if action == "link_chase":
            return not typing and bool(self.call.open_referrals)
        if action == "chase_team":
            return not typing and bool(self._overdue())
        if action == "take_back":
            return not typing and bool(self.call.chosen)
        if action == "withdraw_share":
            # for a person the call names, whose withdrawal does not stand already
            named = self.call.contact.person_id is not None
            return not typing and named and self.call.share_withdrawn_at is None
        return True

    def action_escalate(self, kind: str) -> None:
        target = ESCALATE_EMERGENCY if kind == "emergency" else ESCALATE_SAFEGUARDING
        self._do("escalate", lambda: self.call.escalate(target))

    # --- directory ----------------------------------------------------------------
    def action_search(self) -> None:
        self.query_one(DirectoryPanel).focus_search()

    def _keep_search(self, keep: Callable[[], None]) -> None:
        try:
            keep()
        except CallNotSaved as exc:
            self.notify(str(exc), title="Not saved", severity="error", markup=False)

    @on(DirectoryPanel.Left)
    def _left_directory(self) -> None:
        self._suggested = None  # back from a search: the suggestions again
        self._keep_search(self.call.settle_search)  # the search left in the box counts
        self._refresh()

    @on(DirectoryPanel.ResultsShown)
    def _results_shown(self, event: DirectoryPanel.ResultsShown) -> None:
        self._keep_search(lambda: self.call.searching(event.query, event.results))

    @on(DirectoryPanel.Searched)
    def _searched(self, event: DirectoryPanel.Searched) -> None:
        self._keep_search(lambda: self.call.record_search(event.query, event.results))

    @on(DirectoryPanel.ServiceChosen)
    def _service_chosen(self, event: DirectoryPanel.ServiceChosen) -> None:
        service = event.service
        suggested = dict((s.id, a) for s, a in self.call.suggested_services())

        def record(action: Action | None) -> None:
            if action is None:
                return
            try:
                self.call.choose(service, action, from_search=service.id not in suggested)
            except CallNotSaved as exc:
                self.notify(str(exc), title="Not saved", severity="error", markup=False)
                return
            self.log_.info("service_chosen", service_id=service.id, action=action)
            self.notify(f"{action.capitalize()}: {service.name}", markup=False)
            self._refresh()

        self.app.push_screen(ChooseAction(service, suggested.get(service.id)), record)

    # --- referrals: the chase and the team's -----------------------------------------
    def _show_referrals(self) -> None:
        self.query_one(OpenReferralsPanel).show(
            self.call.open_referrals, self.local_now(), self.zone, self.call.chased
        )
        self.refresh_bindings()

    def _overdue(self) -> list[Referral]:
        now = self.local_now()
        return [r for r in self.call.open_referrals if r.overdue_at(now)]

    def _pick_referral(
        self, question: str, referrals: list[Referral], record: Callable[[str], object]
    ) -> None:
        """One referral: at once; several: the handler picks one by its number. `record`
        is the worker that records the chase."""
        if len(referrals) == 1:
            record(referrals[0].id)
            return
        now = self.local_now()
        lines = [referral_line(r, now, self.zone, r.id in self.call.chased) for r in referrals]

        def picked(number: int | None) -> None:
            if number is not None:
                record(referrals[number - 1].id)

        self.app.push_screen(PickOne(question, lines), picked)

    def action_link_chase(self) -> None:
        self._pick_referral(
            "Which referral is this call about?", self.call.open_referrals, self._link_chase
        )

    def about_referral(self, referral_id: str) -> None:
        """This call is about the referral (opened from its screen by its reference)."""
        self._link_chase(referral_id)

    def action_chase_team(self) -> None:
        self._pick_referral("Which team did you chase?", self._overdue(), self._chase_team)

    @work(thread=True, group="chase", description="record the chase", exit_on_error=False)
    def _link_chase(self, referral_id: str) -> None:
        try:
            referral = self.call.link_chase(referral_id)
        except ChaseRefused as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="warning", markup=False)
            return
        self.log_.info("chase_linked", referral_id=referral.id)
        said = (
            f"This call is about {referral.id} ({referral.service_name}, {referral.state}): "
            "the chase is counted, and wrap-up suggests progress chasing."
        )
        self.app.call_from_thread(self._chased, said)

    @work(thread=True, group="chase", description="record the chase", exit_on_error=False)
    def _chase_team(self, referral_id: str) -> None:
        try:
            referral = self.call.chase_team(referral_id)
        except ChaseRefused as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="warning", markup=False)
            return
        self.log_.info("team_chased", referral_id=referral.id)
        at = max(c.at for c in referral.chases if c.kind == "team").astimezone(self.zone)
        said = f"Chase to {referral.service_name} recorded at {at:%H:%M} ({referral.id})."
        self.app.call_from_thread(self._chased, said)

    def _chased(self, said: str) -> None:
        self.notify(said, markup=False)
        self._show_referrals()

    # --- a service taken back --------------------------------------------------------
    def action_take_back(self) -> None:
        chosen = self.call.chosen
        if len(chosen) == 1:
            self._take_back(1)
            return
        lines = [service_text(service, action=action) for service, action in chosen]
        self.app.push_screen(
            PickOne("Which service do you take back?", lines),
            lambda number: self._take_back(number) if number else None,
        )

    def _take_back(self, number: int) -> None:
        try:
            service, action = self.call.take_back(number)
        except CallNotSaved as exc:
            self.notify(str(exc), title="Not saved", severity="error", markup=False)
            return
        self.log_.info("service_taken_back", service_id=service.id, action=action)
        self.notify(
            f"Taken back: {service.name} ({action}). It is kept in the record as taken back "
            "and makes no referral.",
            markup=False,
        )
        self._refresh()

    # --- consent to share withdrawn ---------------------------------------------------
    def action_withdraw_share(self) -> None:
        def answered(note: str | None) -> None:
            if note is not None:
                self._withdraw_share(note)

        self.app.push_screen(WithdrawShareScreen(self.call.contact.subject_name), answered)

    @work(thread=True, group="consent", description="record the withdrawal", exit_on_error=False)
    def _withdraw_share(self, note: str) -> None:
        try:
            self.call.withdraw_share(note or None)
        except ConsentError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="warning", markup=False)
            return
        self.log_.info("consent_share_withdrawn")
        self.app.call_from_thread(self._share_withdrawn)

    def _share_withdrawn(self) -> None:
        self.query_one("#caller", Static).update(caller_line(self.call, self.vocabulary))
        self.refresh_bindings()
        self.notify(
            "Consent to share withdrawn: from now on no handover or export naming them "
            "goes out unless an override is recorded.",
            markup=False,
        )

    # --- wrap-up ------------------------------------------------------------------
    def action_wrap_up(self) -> None:
        try:
            self.call.end_call()
        except CallNotSaved as exc:
            self.notify(str(exc), title="Not saved", severity="error", markup=False)
            return
        self.app.post_message(WrapUpStarted())

        def saved(chosen: WrapUpChosen | None) -> None:
            if chosen is None:
                return
            wrap = chosen.wrap
            try:
                self.call.wrap_up(wrap)
            except CallNotSaved as exc:
                self.notify(str(exc), title="Not saved", severity="error", markup=False)
                return
            self.log_.info("contact_closed", outcome=wrap.outcome, demand=wrap.demand)
            self.app.post_message(ContactSaved(self.call.contact_id))
            if chosen.call_back is not None:  # written once the wrap-up is kept
                self.app.post_message(CallBackPromised(self.call, chosen.call_back))
            self.dismiss(None)

        self.app.push_screen(
            WrapUpScreen(
                self.call,
                vocabulary=self.vocabulary,
                repeat_window_days=self.call.service.settings.repeat_window_days,
            ),
            saved,
        )
