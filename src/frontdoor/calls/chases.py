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
from typing import Protocol

from frontdoor.referrals.model import ChaseKind, FollowUp, Referral

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
