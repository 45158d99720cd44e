"""A call and the referrals it is about: the open referrals the handler sees before
triage, a chase linked to the referral it is about (counted against it, once per
contact), a chase to the team for an overdue one, and a call-back promised at wrap-up.

Telling the caller where their referral is, from the record, is the point: the chase is
counted so that the MI sees which hand-offs fail ("repeat calls per service request").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import Dialect

from frontdoor.db.raw_reads import RawRead
from frontdoor.interactions.model import Contact
from frontdoor.referrals.making import MADE_BY_SPA
from frontdoor.referrals.model import ChaseKind, FollowUp, Referral

if TYPE_CHECKING:  # the call's service names these protocols: typing only, no cycle
    from frontdoor.calls.call import CallService

# how far ahead a call-back may be promised: further is a typing slip (a year, a month)
LONGEST_CALL_BACK = dt.timedelta(days=31)


class ChaseRefused(ValueError):
    """A chase or a call-back the call cannot record; the message says why and what to
    do instead. Nothing was written."""


class CallReferrals(Protocol):
    """Where a call reads the open referrals about its person or from its caller, and
    records chases (referrals/store.py's ReferralStore)."""

    def open_about(
        self,
        *,
        caller_key: str | None = None,
        subject_key: str | None = None,
        person_id: str | None = None,
        at: dt.datetime | None = None,
    ) -> list[Referral]: ...

    def open_about_read(
        self,
        dialect: Dialect,
        caller_key: str | None,
        subject_key: str | None,
        person_id: str | None,
    ) -> RawRead | None: ...

    def open_about_from(self, rows: list[Any]) -> list[Referral]: ...

    def chase(
        self,
        referral_id: str,
        kind: ChaseKind,
        *,
        contact_id: str | None,
        by: str | None,
        note: str | None = None,
        at: dt.datetime | None = None,
    ) -> Referral: ...


class CallBacks(Protocol):
    """Where a promised call-back is kept (referrals/follow_ups.py's FollowUps)."""

    def promise(
        self,
        *,
        due_at: dt.datetime,
        why: str,
        who: str,
        contact_id: str | None,
        caller_key: str | None = None,
        caller_name: str | None = None,
        referral_id: str | None = None,
    ) -> FollowUp: ...


@dataclass(frozen=True)
class CallBack:
    """A call-back the handler promises the caller at wrap-up: when, and why."""

    due_at: dt.datetime
    why: str


def find_open(referrals: Iterable[Referral], referral_id: str) -> Referral:
    """The open referral with this id (as typed: any case, spaces around); ChaseRefused
    when it is not one of those shown for this call."""
    wanted = referral_id.strip().upper()
    for referral in referrals:
        if referral.id == wanted:
            return referral
    raise ChaseRefused(
        f"{wanted} is not one of the open referrals about this caller or person: "
        "choose one of those listed, or look it up on the referral screen"
    )


def chased_in(contact_id: str, referrals: Iterable[Referral]) -> set[str]:
    """The referrals a contact already linked a caller's chase to (a resumed call)."""
    return {
        r.id
        for r in referrals
        if any(c.kind == "caller" and c.contact_id == contact_id for c in r.chases)
    }


def last_team_chase(referral: Referral) -> dt.datetime | None:
    """When the team was last chased about the referral, if ever."""
    return max((c.at for c in referral.chases if c.kind == "team"), default=None)


def replaced(referrals: list[Referral], updated: Referral) -> list[Referral]:
    """The list with `updated` in place of the referral of the same id."""
    return [updated if r.id == updated.id else r for r in referrals]


def check_call_back(call_back: CallBack, now: dt.datetime) -> None:
    """ChaseRefused, in words, when a call-back cannot be promised as given."""
    if not call_back.why.strip():
        raise ChaseRefused("call-back: say why the caller is to be called back")
    if call_back.due_at <= now:
        raise ChaseRefused("call-back: that time has passed; give a time still to come")
    if call_back.due_at - now > LONGEST_CALL_BACK:
        raise ChaseRefused(
            "call-back: that is more than a month away; check the date with the caller"
        )


class Chasing:
    """What a call (calls/call.py's Call) does about the referrals it is about. These
    write to the database, so the console calls them from a worker."""

    service: CallService
    contact: Contact
    open_referrals: list[Referral]
    chased: set[str]

    def _referrals(self) -> CallReferrals:
        if self.service.referrals is None:
            raise ChaseRefused("referrals are not kept here, so no chase can be recorded")
        return self.service.referrals

    def link_chase(self, referral_id: str) -> Referral:
        """This call is about one of the open referrals: the caller's chase is recorded
        against it (once for this contact, however often it is linked), and the wrap-up
        suggests progress chasing. ChaseRefused when it is not one of them."""
        referral = find_open(self.open_referrals, referral_id)
        updated = self._referrals().chase(
            referral.id, "caller", contact_id=self.contact.id, by=self.contact.handler
        )
        self.open_referrals = replaced(self.open_referrals, updated)
        self.chased.add(updated.id)
        return updated

    def chase_team(self, referral_id: str) -> Referral:
        """The handler phoned the team about an overdue referral (the one key): a chase
        to the team is recorded, by the handler, now. ChaseRefused when the referral is
        not overdue: its due time has not passed, or the team has answered it."""
        referral = find_open(self.open_referrals, referral_id)
        now = self.service.clock()
        if not referral.overdue_at(now):
            due = referral.due_at.astimezone(ZoneInfo(self.service.settings.time_zone))
            raise ChaseRefused(
                f"{referral.id} is not overdue ({referral.state}, due {due:%a %d %b %H:%M}): "
                "tell the caller where it is from the record"
            )
        updated = self._referrals().chase(
            referral.id, "team", contact_id=self.contact.id, by=self.contact.handler, at=now
        )
        self.open_referrals = replaced(self.open_referrals, updated)
        return updated

    def check_call_back(self, call_back: CallBack) -> None:
        """ChaseRefused, in words, when the call-back cannot be promised as given (the
        wrap-up screen asks before the contact is saved)."""
        if self.service.follow_ups is None:
            raise ChaseRefused("call-backs are not kept here: note it in the wrap-up notes")
        check_call_back(call_back, self.service.clock())

    def promise_call_back(self, call_back: CallBack) -> FollowUp:
        """A call-back the handler promised: kept on the follow-up list, with the referral
        this call is about when it is about one. Called once the wrap-up is kept."""
        self.check_call_back(call_back)
        assert self.service.follow_ups is not None  # checked just above
        about = sorted(self.chased)
        return self.service.follow_ups.promise(
            due_at=call_back.due_at,
            why=call_back.why.strip(),
            who=self.contact.handler or MADE_BY_SPA,
            contact_id=self.contact.id,
            caller_key=self.contact.caller_key,
            caller_name=self.contact.caller_name,
            referral_id=about[0] if len(about) == 1 else None,
        )
