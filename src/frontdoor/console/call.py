"""One call in progress: the triage runner and the record kept in step.

No Textual here, so the whole flow of a call can be tested without a screen. Every
step is written to the record before the screen moves on: if the console is killed,
what was answered is already saved, and `resume` replays it into a new runner.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from frontdoor.console.wiring import FrontDoor
from frontdoor.directory.eligibility import Filters
from frontdoor.directory.model import Service
from frontdoor.directory.search import Result
from frontdoor.interactions.demand import suggest_demand
from frontdoor.interactions.model import Contact, NewContact, ScriptEnd, StepTaken, WrapUp
from frontdoor.interactions.record import RecordError
from frontdoor.triage_scripts.runner import Step, Triage

FRONT_DOOR_SCRIPT = "reason-for-call"


class CallNotSaved(Exception):
    """The record could not be written; the message tells the handler what to do."""


CHASING_SCRIPT = "progress-chasing"


@dataclass
class CallInProgress:
    front: FrontDoor
    contact_id: str
    triage: Triage
    history: list[Contact] = field(default_factory=list)
    last_search_id: int | None = None
    last_search_query: str | None = None
    chosen: list[tuple[Service, str]] = field(default_factory=list)

    # --- starting -----------------------------------------------------------------
    @classmethod
    def start(
        cls, front: FrontDoor, new: NewContact, script_id: str = FRONT_DOOR_SCRIPT
    ) -> CallInProgress:
        contact_id = front.record.start_contact(new)
        call = cls(front, contact_id, cls._new_triage(front, script_id))
        call._load_history()
        return call

    @classmethod
    def resume(cls, front: FrontDoor, contact_id: str) -> CallInProgress:
        """Rebuild the runner by replaying the recorded steps in order."""
        contact = front.record.contact(contact_id)
        call = cls(front, contact_id, cls._new_triage(front, FRONT_DOOR_SCRIPT))
        call.triage = call._replay(contact)
        call.chosen = [(s, action) for s, action in call._services_of(contact)]
        call._load_history()
        return call

    def _replay(self, contact: Contact) -> Triage:
        """A runner brought to where the recorded steps left the contact."""
        first = contact.answers[0].script if contact.answers else FRONT_DOOR_SCRIPT
        triage = self._new_triage(self.front, first)
        for step in contact.answers:
            if step.kind == "answer":
                triage.answer(step.answer)
            elif step.kind == "back":
                triage.back()
            elif step.kind == "escalate" and step.answer:
                triage.escalate(step.answer)
        return triage

    @staticmethod
    def _new_triage(front: FrontDoor, script_id: str) -> Triage:
        script = front.library.get(script_id)
        if script is None:
            raise KeyError(f"the library has no script '{script_id}'")
        return Triage(script, library=front.library.scripts)

    def _services_of(self, contact: Contact) -> list[tuple[Service, str]]:
        by_id = self.front.index.by_id
        return [(by_id[u.service_id], u.action) for u in contact.services if u.service_id in by_id]

    def _load_history(self) -> None:
        contact = self.contact
        since = self.front.clock() - dt.timedelta(days=self.front.settings.history_days)
        self.history = self.front.record.history(
            contact.caller_key, contact.subject_key, since, exclude=self.contact_id
        )

    @property
    def contact(self) -> Contact:
        return self.front.record.contact(self.contact_id)

    # --- triage -------------------------------------------------------------------
    def _keep(self, step: Step, ends_before: int) -> Step:
        """Write the step (and any end it reached or left) before the screen moves on.

        If the write fails, the runner is rebuilt from what the record does hold, so the
        screen never shows a question the record has not reached; the error goes up.
        """
        reached = [
            ScriptEnd(e.script, e.version, e.node, e.end.outcome, e.end.red_flag)
            for e in self.triage.ends[ends_before:]
        ]
        withdrawn = max(0, ends_before - len(self.triage.ends))
        try:
            self.front.record.record_step(
                self.contact_id,
                StepTaken(step.script, step.version, step.node, step.kind, step.answer),
                reached,
                withdrawn,
            )
        except (SQLAlchemyError, RecordError) as exc:
            with contextlib.suppress(SQLAlchemyError, RecordError):
                self.triage = self._replay(self.contact)
            raise CallNotSaved(
                "the answer could not be saved, so it was not taken: try it again; "
                f"if this goes on, tell your supervisor ({type(exc).__name__})"
            ) from exc
        return step

    def answer(self, raw: Any) -> Step:
        before = len(self.triage.ends)
        return self._keep(self.triage.answer(raw), before)

    def back(self) -> Step:
        before = len(self.triage.ends)
        return self._keep(self.triage.back(), before)

    def escalate(self, target: str) -> Step:
        before = len(self.triage.ends)
        return self._keep(self.triage.escalate(target), before)

    # --- directory ----------------------------------------------------------------
    def search(self, query: str, limit: int = 8) -> list[Result]:
        return self.front.index.search(query, limit=limit)

    def directory_filters(self) -> Filters:
        """Search for the person the call is about: their age, their area, this caller."""
        contact = self.contact
        age = None
        if contact.subject_dob is not None:
            today = self.front.local_now().date()
            dob = contact.subject_dob
            age = today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))
        return Filters(age=age, area=contact.subject_postcode, caller_type=contact.caller_type)

    def record_search(self, query: str, results: list[Result]) -> None:
        """Keep a search and what it showed (unmet need when nothing is chosen)."""
        if query.strip() and query != self.last_search_query:
            self.last_search_id = self.front.record.record_search(
                self.contact_id, query, [r.service.id for r in results]
            )
            self.last_search_query = query

    def choose(self, service: Service, action: str, from_search: bool = True) -> None:
        self.front.record.choose_service(
            self.contact_id,
            service.id,
            service.name,
            action,
            self.last_search_id if from_search else None,
        )
        self.chosen.append((service, action))

    def suggested_services(self) -> list[tuple[Service, str]]:
        """Services the script's last end names: (service, 'referred'|'signposted')."""
        end = self.triage.last_end
        if end is None or not self.triage.finished:
            return []
        by_id = self.front.index.by_id
        wanted = [(end.end.refer_to, "referred")] if end.end.refer_to else []
        wanted += [(sid, "signposted") for sid in end.end.signpost]
        return [(by_id[sid], action) for sid, action in wanted if sid in by_id]

    # --- wrap-up ------------------------------------------------------------------
    @property
    def category(self) -> str:
        """The category of the script the call ended in (after any hand-on)."""
        return self.triage.script.category

    def suggested_outcome(self) -> str:
        """The script's outcome, unless what the handler recorded says more.

        A script that ended in advice or a resolution, where the handler then referred
        or signposted the person, is pre-filled as referred or signposted: the wrap-up
        should match what happened, and the handler can still change it.
        """
        outcome = self.triage.outcome or "incomplete"
        actions = {action for _, action in self.chosen}
        if outcome in ("advice", "resolved", "signposted") and "referred" in actions:
            return "referred"
        if outcome in ("advice", "resolved") and "signposted" in actions:
            return "signposted"
        return outcome

    def end_call(self) -> None:
        """The conversation is over; wrap-up time starts (kept for handle time)."""
        self.front.record.mark_ended(self.contact_id)

    def suggested_demand(self) -> str | None:
        used_chasing = any(e.script == CHASING_SCRIPT for e in self.triage.ends)
        return (
            suggest_demand(
                self.history,
                self.category,
                self.front.clock(),
                self.front.settings.repeat_window_days,
                chasing=used_chasing,
            )
            or "new_need"
        )

    def wrap_up(self, wrap: WrapUp) -> None:
        self.front.record.wrap_up(self.contact_id, wrap)
