"""One call in progress: the triage runner, the directory and the record kept in step.

The runner moves at once (it is plain objects); each step is handed to a writer that keeps
it durably before the screen moves on (the console's journals it on disk and applies it to
the record off the event loop). If a step can be kept nowhere, the runner is rebuilt from
the steps that were kept, so the screen never shows a question the record cannot reach.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import Dialect

from frontdoor.access.audit import AuditTrail
from frontdoor.access.views import PersonViews, record_contact_viewed
from frontdoor.calls.chases import (
    CallBack,
    CallBacks,
    CallReferrals,
    ChaseRefused,
    Chasing,
    chased_in,
)
from frontdoor.calls.consent import CallConsent, standing_at_start, withdraw_share
from frontdoor.calls.escalation import EscalationAdvice, first_mentions, suggested
from frontdoor.calls.facts import age_of, facts_for, moment_at
from frontdoor.calls.library import ScriptSource
from frontdoor.calls.settings import CallSettings
from frontdoor.calls.suggest import suggested_demand, suggested_outcome
from frontdoor.calls.wrapping import WrapUpRefused, check_wrap_up
from frontdoor.calls.writer import CallNotSaved, Writer
from frontdoor.db.raw_reads import RawRead
from frontdoor.directory.details import DetailsUnavailable
from frontdoor.directory.eligibility import Filters
from frontdoor.directory.model import Service
from frontdoor.directory.results import Result
from frontdoor.interactions.model import (
    Action,
    CallEndedWrite,
    Contact,
    NewContact,
    NotesWrite,
    ScriptEnd,
    SearchWrite,
    ServiceTakenBackWrite,
    ServiceWrite,
    StepTaken,
    StepWrite,
    WrapUp,
    WrapUpWrite,
)
from frontdoor.interactions.record import ContactKeys, ContactTaken, Record, new_step_id
from frontdoor.local_time import Clock
from frontdoor.people.consent import Withdrawal
from frontdoor.referrals.model import Referral
from frontdoor.triage_scripts.facts import Facts, Moment
from frontdoor.triage_scripts.model import (
    Escalation,
    Script,
)
from frontdoor.triage_scripts.runner import Decided, EndReached, Step, Triage

if TYPE_CHECKING:  # numpy, rapidfuzz and the stemmer come with it: built off the start
    from frontdoor.directory.search import SearchIndex

FRONT_DOOR_SCRIPT = "reason-for-call"
UNREADABLE_SUGGESTIONS = (
    "The services suggested here cannot be shown: the directory's database is not answering."
)


class IndexSource(Protocol):
    """The directory's search index: `current()` never waits (None while it is first
    built: the console's event loop asks this way); `wait()` does (workers, the CLI)."""

    def current(self) -> SearchIndex | None: ...

    def wait(self) -> SearchIndex: ...


@dataclass(frozen=True)
class FixedIndex:
    """An index that is always there (the simulation, tests)."""

    index: SearchIndex

    def current(self) -> SearchIndex:
        return self.index

    def wait(self) -> SearchIndex:
        return self.index


@dataclass
class CallService:
    """Everything a call needs, narrowly: the record (to start and resume), the script
    library, the directory's index as it is now, the settings, a clock, where writes go,
    and which console holds the contacts it opens (None: not a console)."""

    record: Record
    library: ScriptSource
    index: IndexSource
    settings: CallSettings
    clock: Clock
    writer: Writer
    holder: str | None = None
    # where the open referrals are read and chases recorded (None: not known, and the
    # facts say null)
    referrals: CallReferrals | None = None
    # where a call-back promised at wrap-up is kept (None: none can be promised)
    follow_ups: CallBacks | None = None
    # where what a call shows of people's records is audited before it is shown (None:
    # nobody is shown anything, as in the simulation)
    audit: AuditTrail | None = None
    # where a withdrawal of consent to share is read and recorded (None: neither)
    consent: CallConsent | None = None

    def lease_until(self) -> dt.datetime:
        return self.clock() + dt.timedelta(seconds=self.settings.lease_seconds)

    # --- these read or write the database: the console calls them from a worker -------
    def start(
        self,
        new: NewContact,
        script_id: str = FRONT_DOOR_SCRIPT,
        views: PersonViews | None = None,
    ) -> Call:
        """Start the contact and the call. The people whose earlier contacts and open
        referrals it shows are audited first, once per contact (`views`: those its form
        showed already); ViewNotRecorded when that cannot be written."""
        started = self.record.start_call(
            new,
            self._history_since(),
            holder=self.holder,
            held_until=self.lease_until() if self.holder else None,
            read_with=self._open_referrals_read,
        )
        contact, history = started.contact, started.history
        if started.read is not None and self.referrals is not None:
            open_referrals: list[Referral] | None = self.referrals.open_about_from(started.read)
        else:
            open_referrals = self.open_referrals(contact)
        self._before_showing(contact, history, open_referrals, views)
        facts = facts_for(contact, history, self.settings, self.clock(), open_referrals)
        scripts = self.library.current()  # this call's library, to its end
        call = Call(
            self,
            contact,
            self.new_triage(script_id, facts, scripts=scripts),
            history=history,
            facts=facts,
            scripts=scripts,
            open_referrals=open_referrals or [],
            share_withdrawn_at=standing_at_start(self.consent, contact.person_id),
        )
        call.keep_opening()
        return call

    def resume(self, contact_id: str) -> Call:
        """Take the contact over (only if no running console holds it) and rebuild the
        runner by replaying its recorded steps in order, against the versions of the
        scripts the contact recorded (see `recorded_scripts`)."""
        if self.holder is not None and not self.record.hold(
            contact_id, self.holder, self.lease_until()
        ):
            raise ContactTaken(contact_id)
        contact = self.record.contact(contact_id)
        if self.audit is not None:
            record_contact_viewed(self.audit, contact.id, contact.person_id, "resumed")
        steps = [a.step for a in contact.answers]
        history = self._history(contact)
        # the facts as they are now; the decisions already taken are followed as recorded
        open_referrals = self.open_referrals(contact)
        self._before_showing(contact, history, open_referrals)
        facts = facts_for(contact, history, self.settings, self.clock(), open_referrals)
        scripts = self.recorded_scripts(contact)
        call = Call(
            self,
            contact,
            self.replay(steps, facts, scripts),
            history=history,
            facts=facts,
            scripts=scripts,
            open_referrals=open_referrals or [],
            chased=chased_in(contact.id, open_referrals or []),
            share_withdrawn_at=standing_at_start(self.consent, contact.person_id),
        )
        call.steps = steps
        # a worker: it may wait for the first build
        by_id = self.index.wait().services(u.service_id for u in contact.services)
        call.chosen = [
            (by_id[u.service_id], u.action) for u in contact.services if u.service_id in by_id
        ]
        return call

    def _before_showing(
        self,
        contact: Contact,
        history: list[Contact],
        open_referrals: list[Referral] | None,
        views: PersonViews | None = None,
    ) -> None:
        """The people a call screen shows (its history and open referrals), audited."""
        if self.audit is None:
            return
        views = views or PersonViews(self.audit)
        views.contact_id = contact.id
        views.before_showing(
            [c.person_id for c in history] + [r.person_id for r in open_referrals or []]
        )

    def _history(self, contact: Contact) -> list[Contact]:
        """Earlier contacts from the same caller or about the same person: shown on the
        call screen, and where a repeat contact is looked for at wrap-up."""
        return self.record.history(
            contact.caller_key,
            contact.subject_key,
            self._history_since(),
            exclude=contact.id,
            person=contact.person_id,
        )

    def _history_since(self) -> dt.datetime:
        return self.clock() - dt.timedelta(days=self.settings.history_days)

    def _open_referrals_read(self, dialect: Dialect, keys: ContactKeys) -> RawRead | None:
        """The open referrals' look-up, to go with the start's INSERT (PostgreSQL)."""
        if self.referrals is None:
            return None
        return self.referrals.open_about_read(dialect, *keys)

    def open_referrals(self, contact: Contact) -> list[Referral] | None:
        """The referrals not ended about the contact's person or from its caller."""
        if self.referrals is None:
            return None
        return self.referrals.open_about(
            caller_key=contact.caller_key,
            subject_key=contact.subject_key,
            person_id=contact.person_id,
        )

    def recorded_scripts(self, contact: Contact) -> Mapping[str, Script]:
        """The library a contact followed: each script it used at the version it
        recorded, so its questions read as they were asked; the published library for
        the scripts it has not reached yet. A version the database does not hold (a
        record from before versions were kept there) is read as today's."""
        scripts = dict(self.library.current())
        for script_id, version in contact.scripts:
            found = self.library.version(script_id, version)
            if found is not None:
                scripts[script_id] = found
        return scripts

    # --- plain objects only -------------------------------------------------------------
    def new_triage(
        self,
        script_id: str,
        facts: Facts | None = None,
        planned: list[Decided] | None = None,
        scripts: Mapping[str, Script] | None = None,
    ) -> Triage:
        """A runner at the script's start, with what the record knows (`facts`) and the
        decisions a record already holds (`planned`, for a replay), handing on within
        `scripts` (by default the library as it is now)."""
        library = self.library.current() if scripts is None else scripts
        script = library.get(script_id)
        if script is None:
            raise KeyError(f"the library has no script '{script_id}'")
        return Triage(
            script,
            library=library,
            escalations=self.escalations(),
            facts=facts or Facts(),
            clock=self.moment,
            planned=list(planned or []),
        )

    def moment(self) -> Moment:
        """Now as scripts see it: local time, and whether today is a bank holiday."""
        return moment_at(self.clock(), self.settings)

    def escalations(self) -> dict[str, Escalation]:
        """The escalation ends as the runner needs them: what to say, and F9's hand-on."""
        return self.settings.escalation_ends()

    def local_now(self) -> dt.datetime:
        """Now in the service's time zone (opening hours are local)."""
        return self.clock().astimezone(ZoneInfo(self.settings.time_zone))

    def replay(
        self,
        steps: list[StepTaken],
        facts: Facts | None = None,
        scripts: Mapping[str, Script] | None = None,
    ) -> Triage:
        """A runner brought to where these steps left a contact, in `scripts` (by default
        the library as it is now). Each decide node goes where the record says it went,
        whatever the facts or the time are now."""
        planned = [
            Decided(s.script, s.version, s.node, s.answer)
            for s in steps
            if s.kind == "decide" and isinstance(s.answer, str)
        ]
        first = steps[0].script if steps else FRONT_DOOR_SCRIPT
        triage = self.new_triage(first, facts, planned, scripts)
        for step in steps:
            if step.kind == "answer":
                triage.answer(step.answer)
            elif step.kind == "back":
                triage.back()
            elif step.kind == "escalate" and isinstance(step.answer, str):
                triage.escalate(step.answer)
        return triage


# how many letters two texts typed in the search box share when one is the other
# corrected ("distrcit" put right to "district"), not a new search typed over it
SAME_SEARCH_LETTERS = 3


def same_search(before: str, after: str) -> bool:
    """The search box's text was edited, not replaced by a new search: the two begin with
    the same few letters (or the shorter one whole)."""
    a, b = before.strip().lower(), after.strip().lower()
    shared = min(SAME_SEARCH_LETTERS, len(a), len(b))
    return shared > 0 and a[:shared] == b[:shared]


@dataclass
class Call(Chasing):
    service: CallService
    contact: Contact  # as the record held it when the call started: who, about whom
    triage: Triage
    history: list[Contact] = field(default_factory=list)
    facts: Facts = field(default_factory=Facts)  # what the record knew as the call began
    steps: list[StepTaken] = field(default_factory=list)  # every step kept, in order
    chosen: list[tuple[Service, Action]] = field(default_factory=list)
    last_search_id: str | None = None
    last_search_query: str | None = None
    pending_search: tuple[str, list[Result]] | None = None  # typed, not yet kept
    # the referrals not ended about the person or from the caller as the call began
    # (each replaced as this call chases it)
    open_referrals: list[Referral] = field(default_factory=list)
    # those the handler said this call is about: a caller's chase of each is recorded
    chased: set[str] = field(default_factory=set)
    # the library this call runs in, to its end (a version published meanwhile is for
    # the next call); empty: the library as it was when the call was made
    scripts: Mapping[str, Script] = field(default_factory=dict)
    # when the person withdrew consent to share, if that stands (as the call began, or
    # recorded on it)
    share_withdrawn_at: dt.datetime | None = None
    # the wrap-up's notes as last kept (`keep_notes`): a wrap-up left for the questions
    # and opened again shows them (it showed the contact's as the call began: none)
    notes: str = ""

    def __post_init__(self) -> None:
        if not self.scripts:
            self.scripts = self.service.library.current()
        if not self.notes:
            self.notes = self.contact.notes or ""

    @property
    def contact_id(self) -> str:
        return self.contact.id

    def withdraw_share(self, note: str | None = None) -> Withdrawal:
        """The person on the call withdraws consent to share (reads and writes the
        database: from a worker)."""
        return withdraw_share(self, note)

    def _write_args(self) -> tuple[str, str, dt.datetime, str | None]:
        return new_step_id(), self.contact_id, self.service.clock(), self.service.holder

    # --- triage -------------------------------------------------------------------
    def _keep(self, step: Step) -> Step:
        """Hand the step (with the decisions it led to, and the ends it reached or left)
        to the writer before the screen moves on; if it can be kept nowhere, put the
        runner back where it was."""
        taken = StepTaken(
            step.script, step.version, step.node, step.kind, step.answer, step.wording
        )
        decided = _decided(step.decisions)
        try:
            self.service.writer.submit(
                StepWrite(
                    *self._write_args(),
                    taken,
                    _ends(step.ends_reached),
                    step.ends_withdrawn,
                    decided,
                )
            )
        except Exception:
            self.triage = self.service.replay(self.steps, self.facts, self.scripts)
            raise
        self.steps += [taken, *decided]
        return step

    def keep_opening(self) -> None:
        """The decisions a script took at its start, before any question (and the ends
        they led to), kept as one write like any other step."""
        decided = _decided(self.triage.opening)
        if not decided:
            return
        first, *rest = decided
        self.service.writer.submit(
            StepWrite(*self._write_args(), first, _ends(self.triage.ends), decided=tuple(rest))
        )
        self.steps += decided

    def answer(self, raw: Any) -> Step:
        return self._keep(self.triage.answer(raw))

    def back(self) -> Step:
        return self._keep(self.triage.back())

    def escalate(self, target: str) -> Step:
        return self._keep(self.triage.escalate(target))

    # --- directory ----------------------------------------------------------------
    def search(self, query: str, limit: int = 8) -> list[Result]:
        index = self.service.index.current()
        return [] if index is None else index.search(query, limit=limit)

    def directory_filters(self) -> Filters:
        """Search for the person the call is about: their age, their area, this caller."""
        contact = self.contact
        today = self.service.local_now().date()
        return Filters(
            age=age_of(contact, today),
            area=contact.subject_postcode,
            caller_type=contact.caller_type,
        )

    def record_search(self, query: str, results: list[Result]) -> None:
        """Keep a search and what it showed (unmet need when nothing is chosen): the
        handler pressed Enter on it, or chose from it."""
        if query.strip() and query != self.last_search_query:
            write = SearchWrite(*self._write_args(), query, tuple(r.service.id for r in results))
            self.service.writer.submit(write)
            self.last_search_id = write.step_id
            self.last_search_query = query
        # still the box's text: deleting back from it is not a new search
        self.pending_search = (query, results) if query.strip() else None

    def searching(self, query: str, results: list[Result]) -> None:
        """The search box as it is typed, with what it shows. Each keystroke is not a
        search: the text is kept here until the handler settles on it, and a search that
        found nothing counts as unmet need whether or not Enter was pressed
        (mi-definitions.md). Deleting back keeps the longer text (what was looked at);
        emptying the box, or typing a new search over it, settles the one before."""
        pending = self.pending_search
        if pending is not None:
            if pending[0] != query and pending[0].startswith(query) and query.strip():
                return  # deleting back: the longer text is the search that was looked at
            if not query.strip() or not same_search(pending[0], query):
                self.settle_search()
        self.pending_search = (query, results) if query.strip() else None

    def settle_search(self) -> None:
        """Keep the search being typed, if it is not kept already: the handler has left
        the search box, or the call is ending."""
        if self.pending_search is not None:
            self.record_search(*self.pending_search)  # written once: it knows the last

    def choose(self, service: Service, action: Action, from_search: bool = True) -> None:
        self.service.writer.submit(
            ServiceWrite(
                *self._write_args(),
                service.id,
                service.name,
                action,
                self.last_search_id if from_search else None,
            )
        )
        self.chosen.append((service, action))

    def take_back(self, number: int) -> tuple[Service, Action]:
        """Take back the `number`th service chosen (from 1, as listed): recorded in error,
        or the caller changed their mind. The record keeps it for the audit; it makes no
        referral and the wrap-up no longer counts it."""
        if not 1 <= number <= len(self.chosen):
            raise IndexError(f"no service {number} is chosen in this call")
        service, action = self.chosen[number - 1]
        self.service.writer.submit(ServiceTakenBackWrite(*self._write_args(), service.id, action))
        del self.chosen[number - 1]
        return service, action

    def escalation_advice(self) -> EscalationAdvice | None:
        """What the escalation reached in this call says and suggests now (None when no
        escalation is reached, or back withdrew it)."""
        reached = self.triage.last_escalation
        guide = self.service.settings.escalations.get(reached.node) if reached else None
        if reached is None or guide is None:
            return None
        index = self.service.index.current()
        services: list[tuple[Service, Action]] = []
        notes: list[str] = []
        if index is not None:  # else still loading: the directory panel says so
            try:
                services, notes = suggested(
                    index, guide.suggest, self.contact.subject_postcode, self.service.local_now()
                )
            except DetailsUnavailable:  # the advice stands; the services show once it answers
                notes = [UNREADABLE_SUGGESTIONS]
        return EscalationAdvice(reached.node, guide.title, guide.say, tuple(services), tuple(notes))

    def suggested_services(self) -> list[tuple[Service, Action]]:
        """Services an escalation suggests for the person and the time of day, then those
        the script's last end names, with what to do with each."""
        advice = self.escalation_advice()
        wanted = list(advice.services) if advice else []
        end = self.triage.last_end
        index = self.service.index.current()
        if end is not None and self.triage.finished and index is not None:
            named: list[tuple[str, Action]] = (
                [(end.end.refer_to, "referred")] if end.end.refer_to else []
            )
            named += [(sid, "signposted") for sid in end.end.signpost]
            try:
                by_id = index.services(sid for sid, _ in named)
            except DetailsUnavailable:  # shown once the database answers again
                by_id = {}
            wanted += [(by_id[sid], action) for sid, action in named if sid in by_id]
        return first_mentions(wanted)

    # --- wrap-up ------------------------------------------------------------------
    @property
    def category(self) -> str:
        """What an escalation makes the contact (safeguarding for F9; for F8, the category
        of the script it was pressed in, as the guidance config says), else the category
        of the script the call ended in (after any hand-on)."""
        reached = self.triage.last_escalation
        if reached is not None:
            guide = self.service.settings.escalations.get(reached.node)
            if guide is not None and guide.category:
                return guide.category
            pressed_in = self.scripts.get(reached.script)
            if pressed_in is not None:
                return pressed_in.category
        return self.triage.script.category

    def suggested_outcome(self) -> str:
        return suggested_outcome(self.triage.outcome, (a for _, a in self.chosen))

    def suggested_demand(self) -> str:
        return suggested_demand(
            self.history,
            self.category,
            (e.script for e in self.triage.ends),
            self.service.clock(),
            self.service.settings.repeat_window_days,
            chased_referral=bool(self.chased),
        )

    def end_call(self) -> None:
        """The conversation is over; wrap-up time starts (kept for handle time). A search
        still in the box was the last one made."""
        self.settle_search()
        self.service.writer.submit(CallEndedWrite(*self._write_args()))

    def keep_notes(self, notes: str) -> None:
        """Wrap-up notes as they are typed, so a crash in wrap-up loses none of them."""
        self.service.writer.submit(NotesWrite(*self._write_args(), notes))
        self.notes = notes

    @property
    def red_flags(self) -> list[str]:
        """The red flags of the ends this call stands at (one gone back from is not)."""
        return [e.end.red_flag for e in self.triage.ends if e.end.red_flag]

    def wrap_up(self, wrap: WrapUp) -> None:
        """Close the contact; WrapUpRefused (nothing written) when it lacks what it must
        have, such as a safeguarding contact's notes."""
        check_wrap_up(wrap, self.red_flags)
        self.service.writer.submit(WrapUpWrite(*self._write_args(), wrap))


def _decided(decisions: tuple[Decided, ...]) -> tuple[StepTaken, ...]:
    """Decisions as steps of the record: a decide step's answer is the node it went to."""
    return tuple(StepTaken(d.script, d.version, d.node, "decide", d.target) for d in decisions)


def _ends(reached: Sequence[EndReached]) -> tuple[ScriptEnd, ...]:
    return tuple(
        ScriptEnd(
            e.script,
            e.version,
            e.node,
            e.end.outcome,
            e.end.red_flag,
            code=e.end.code,
            wording=e.wording,
        )
        for e in reached
    )


__all__ = [
    "FRONT_DOOR_SCRIPT",
    "Call",
    "CallBack",
    "CallNotSaved",
    "CallService",
    "ChaseRefused",
    "WrapUpRefused",
]
