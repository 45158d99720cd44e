"""Plain objects for the record, as the rest of the program sees it."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any, Literal

from frontdoor.access.audit import Actor
from frontdoor.people.model import MatchDecision

StepKind = Literal["answer", "back", "escalate", "decide"]
# which wording of a question or an end's `say` was shown: to the person, or about them
Wording = Literal["self", "other"]
# an answer as kept: its label (a decide step's: the node it went to), or a
# check-all-that-apply question's labels
Answered = str | tuple[str, ...]
Action = Literal["signposted", "referred"]
ACTIONS: tuple[Action, ...] = ("signposted", "referred")
# the channel of a call the SPA made to a caller (a follow-up): not demand on the service,
# so the MI leaves it out of first-contact resolution, demand and the queue's figures
OUTBOUND = "outbound"


def answer_text(answer: Answered | None) -> tuple[str | None, bool]:
    """An answer as the record's text column keeps it, and whether it is a list (a
    check-all-that-apply answer, kept as JSON text)."""
    if isinstance(answer, tuple):
        return json.dumps(list(answer), ensure_ascii=False), True
    return answer, False


def answer_from_text(text: str | None, many: bool) -> Answered | None:
    """An answer as `answer_text` kept it."""
    if many and text is not None:
        return tuple(str(label) for label in json.loads(text))
    return text


@dataclass(frozen=True)
class NewContact:
    handler: str
    channel: str = "phone"
    caller_type: str = "public"
    caller: str | None = None  # phone number, or a professional's organisation
    caller_name: str | None = None
    subject_name: str | None = None
    subject_dob: dt.date | None = None
    subject_postcode: str | None = None
    subject_nhs_number: str | None = None
    language: str | None = None
    interpreter_needed: bool = False
    caller_is_person: bool = False  # the form's box; scripts word questions for them
    consent_record: bool | None = None
    consent_share: bool | None = None
    queue: str | None = None
    offered_at: dt.datetime | None = None  # when the call joined the queue, if it did
    # the handler's answer to "is this the same person?" for a possible match shown
    person_decision: MatchDecision | None = None
    # when the handler answered: the console's new-contact form opened (identity and
    # consent are handle time). None: the contact starts now (loaders, the simulation)
    answered_at: dt.datetime | None = None


@dataclass(frozen=True)
class Answer:
    script: str
    version: int
    node: str
    kind: StepKind
    answer: Answered | None
    at: dt.datetime
    wording: Wording | None = None

    @property
    def step(self) -> StepTaken:
        """The step as the runner replays it."""
        return StepTaken(self.script, self.version, self.node, self.kind, self.answer, self.wording)


@dataclass(frozen=True)
class StepTaken:
    """One action in triage, as the record keeps it: an answer, a step back, an
    escalation, or a decision the script took without asking (`decide`: the answer is
    the node it went to)."""

    script: str
    version: int
    node: str
    kind: StepKind
    answer: Answered | None = None
    wording: Wording | None = None  # which wording of the question was shown


@dataclass(frozen=True)
class ScriptEnd:
    script: str
    version: int
    node: str
    outcome: str | None
    red_flag: str | None
    at: dt.datetime | None = None  # None until recorded: the record sets the time
    code: str | None = None  # the end's disposition code, where the script gives one
    wording: Wording | None = None  # which wording of its `say` was shown


@dataclass(frozen=True)
class Search:
    id: int
    query: str
    results: list[str]
    chosen: str | None
    at: dt.datetime
    step_id: str | None = None  # the id the search's write was given


@dataclass(frozen=True)
class ServiceUsed:
    service_id: str
    service_name: str
    action: Action
    at: dt.datetime | None = None  # when it was recorded (None: loaded without a time)
    seq: int | None = None  # its place among the contact's services (a referral's link)


@dataclass(frozen=True)
class Contact:
    id: str
    status: str
    channel: str
    caller_type: str
    caller_key: str | None
    caller_name: str | None
    subject_key: str | None
    subject_name: str | None
    subject_dob: dt.date | None
    subject_postcode: str | None
    subject_nhs_number: str | None
    language: str | None
    interpreter_needed: bool
    consent_record: bool | None
    consent_share: bool | None
    category: str | None
    queue: str | None
    handler: str | None
    received_at: dt.datetime
    offered_at: dt.datetime | None
    answered_at: dt.datetime | None
    abandoned_at: dt.datetime | None
    ended_at: dt.datetime | None
    wrap_ended_at: dt.datetime | None
    outcome: str | None
    demand: str | None
    notes: str | None
    caller_is_person: bool = False
    answers: list[Answer] = field(default_factory=list)
    ends: list[ScriptEnd] = field(default_factory=list)
    searches: list[Search] = field(default_factory=list)
    services: list[ServiceUsed] = field(default_factory=list)
    scripts_followed: list[tuple[str, int]] | None = None  # as loaded, when it was given
    person_id: str | None = None  # the person it is about, in the person index
    person_link: str | None = None  # how it was linked to them (people.model.LinkedBy)
    person_decisions: list[MatchDecision] = field(default_factory=list)

    @classmethod
    def without_personal_details(cls, **fields: Any) -> Contact:
        """A closed contact known only by its keys (loaded from a file, or made up for a
        benchmark): no names, dates of birth, postcodes or language."""
        personal = {
            "caller_name": None,
            "subject_name": None,
            "subject_dob": None,
            "subject_postcode": None,
            "subject_nhs_number": None,
            "language": None,
            "interpreter_needed": False,
            "status": "closed",
        }
        return cls(**{**personal, **fields})

    @property
    def scripts(self) -> list[tuple[str, int]]:
        """The scripts followed, in the order first used."""
        if self.scripts_followed is not None:
            return list(self.scripts_followed)
        seen: dict[tuple[str, int], None] = {}
        for item in self.answers:
            seen.setdefault((item.script, item.version), None)
        for end in self.ends:
            seen.setdefault((end.script, end.version), None)
        return list(seen)


@dataclass(frozen=True)
class WrapUp:
    outcome: str
    demand: str | None
    notes: str = ""
    category: str | None = None


# --- writes: what a call hands the record, each with an id of its own -----------------
# A console journals each write on its own disk before the screen moves on and applies it
# to the record when the database answers; the id makes a replay apply it exactly once.
# `holder` is the console that had the contact open (None: not a console, e.g. a loader);
# `by` who made it, as the audit names them, kept with a write that waits in a journal (so
# a write saved after a sign-out, or by another console taking over, is still theirs;
# None: whoever is signed in where it is applied).


@dataclass(frozen=True)
class StepWrite:
    step_id: str
    contact_id: str
    at: dt.datetime
    holder: str | None
    step: StepTaken
    ends: tuple[ScriptEnd, ...] = ()
    withdraw_ends: int = 0
    # the decisions the script took after the step, without asking (kind `decide`)
    decided: tuple[StepTaken, ...] = ()
    by: Actor | None = None


@dataclass(frozen=True)
class SearchWrite:
    step_id: str
    contact_id: str
    at: dt.datetime
    holder: str | None
    query: str
    results: tuple[str, ...]
    by: Actor | None = None


@dataclass(frozen=True)
class ServiceWrite:
    step_id: str
    contact_id: str
    at: dt.datetime
    holder: str | None
    service_id: str
    service_name: str
    action: Action
    search_step_id: str | None = None  # the search it was chosen from, if any
    by: Actor | None = None


@dataclass(frozen=True)
class ServiceTakenBackWrite:
    """A service chosen in this call taken back before wrap-up (recorded in error, or the
    caller changed their mind): the latest of the contact's services with this id and
    action not yet taken back. Kept for the audit; it makes no referral and is not
    counted."""

    step_id: str
    contact_id: str
    at: dt.datetime
    holder: str | None
    service_id: str
    action: Action
    by: Actor | None = None


@dataclass(frozen=True)
class CallEndedWrite:
    """The conversation is over; wrap-up starts (the first one counts)."""

    step_id: str
    contact_id: str
    at: dt.datetime
    holder: str | None
    by: Actor | None = None


@dataclass(frozen=True)
class NotesWrite:
    """Wrap-up notes as they are typed, kept before the wrap-up is saved."""

    step_id: str
    contact_id: str
    at: dt.datetime
    holder: str | None
    notes: str
    by: Actor | None = None


@dataclass(frozen=True)
class WrapUpWrite:
    step_id: str
    contact_id: str
    at: dt.datetime
    holder: str | None
    wrap: WrapUp
    by: Actor | None = None


ContactWrite = (
    StepWrite
    | SearchWrite
    | ServiceWrite
    | ServiceTakenBackWrite
    | CallEndedWrite
    | NotesWrite
    | WrapUpWrite
)
