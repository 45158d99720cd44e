"""A referral as the rest of the program sees it: plain, frozen, typed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from frontdoor.referrals.states import ENDED, WAITING, State

# a chase: the caller rang about the referral (failure demand), or the handler rang the
# team about it (the one key on an overdue referral)
ChaseKind = Literal["caller", "team"]
FollowUpKind = Literal["call_back", "overdue"]


@dataclass(frozen=True)
class Change:
    """One entry of a referral's history: its state from `at`, who said so, and why."""

    state: State
    at: dt.datetime
    by: str
    note: str | None = None


@dataclass(frozen=True)
class Chase:
    contact_id: str | None  # the contact it was taken or made in
    at: dt.datetime
    kind: ChaseKind
    by: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Referral:
    id: str  # R-2026-000123: read out on the phone
    contact_id: str
    service_id: str
    service_name: str  # as the directory named it when the referral was made
    made_at: dt.datetime
    due_at: dt.datetime
    respond_within: str  # "2 working days", "4h"
    history: tuple[Change, ...]
    person_id: str | None = None
    subject_key: str | None = None
    caller_key: str | None = None
    category: str | None = None
    reason: str | None = None  # the script end's title, or the handler's note
    said: str | None = None  # what the end told the handler to say or do
    code: str | None = None  # the script end's disposition code
    red_flags: tuple[str, ...] = ()
    consent_share: bool | None = None
    # where the due time came from: the script end, the service, or the category default
    due_from: str | None = None
    chases: tuple[Chase, ...] = field(default_factory=tuple)
    # the contact's service row it was made for (files name the service by its place)
    service_seq: int | None = None

    @property
    def state(self) -> State:
        return self.history[-1].state

    def state_at(self, at: dt.datetime) -> State | None:
        """The state as of `at`; None when the referral had not been made then."""
        state: State | None = None
        for change in self.history:
            if change.at > at:
                break
            state = change.state
        return state

    def overdue_at(self, at: dt.datetime) -> bool:
        """Past its due time and still waiting for the team to say it will act."""
        state = self.state_at(at)
        return state in WAITING and at > self.due_at

    @property
    def ended(self) -> bool:
        return self.state in ENDED

    def open_at(self, at: dt.datetime) -> bool:
        state = self.state_at(at)
        return state is not None and state not in ENDED

    @property
    def caller_chases(self) -> int:
        return sum(1 for c in self.chases if c.kind == "caller")

    def first_caller_chase(self) -> dt.datetime | None:
        return min((c.at for c in self.chases if c.kind == "caller"), default=None)


@dataclass(frozen=True)
class FollowUp:
    """Something a handler owes a caller: a call-back they promised, or news of an overdue
    referral the caller has not yet been told about. Done when the handler calls back."""

    id: int | None  # None: an overdue referral nobody has called about yet (not stored)
    kind: FollowUpKind
    due_at: dt.datetime
    why: str
    contact_id: str | None = None  # the contact it was promised in
    referral_id: str | None = None
    who: str | None = None  # the handler who promised it
    caller_key: str | None = None  # the caller's phone number (normalised), or organisation
    caller_name: str | None = None
    service_name: str | None = None  # an overdue referral's service
    created_at: dt.datetime | None = None
    done_at: dt.datetime | None = None
    done_by: str | None = None
    outbound_contact_id: str | None = None  # the outbound contact that did it
