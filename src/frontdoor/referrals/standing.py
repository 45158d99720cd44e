"""A referral as it stood at one moment: its state then and since when, whether it was
overdue then, and how many times the caller had chased it by then. What `frontdoor
referrals list --at TIME` shows, so that a list made today of last Tuesday says what was
true last Tuesday, whatever the teams said since."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from frontdoor.referrals.model import Referral
from frontdoor.referrals.states import State
from frontdoor.referrals.store import utc_text


@dataclass(frozen=True)
class Standing:
    referral: Referral
    at: dt.datetime
    state: State
    since: dt.datetime  # when it came into that state
    overdue: bool
    chases: int  # the caller's chases by `at` (failure demand), not the handler's to the team

    @classmethod
    def of(cls, referral: Referral, at: dt.datetime) -> Standing | None:
        """How `referral` stood at `at`; None when it had not been made by then."""
        then = [change for change in referral.history if change.at <= at]
        if not then:
            return None
        state = then[-1].state
        return cls(
            referral=referral,
            at=at,
            state=state,
            since=then[-1].at,
            overdue=referral.overdue_at(at),
            chases=sum(1 for c in referral.chases if c.kind == "caller" and c.at <= at),
        )

    def to_json(self) -> dict[str, object]:
        referral = self.referral
        return {
            "id": referral.id,
            "contact": referral.contact_id,
            "service": referral.service_id,
            "service_name": referral.service_name,
            "state": self.state,
            "since": utc_text(self.since),
            "made_at": utc_text(referral.made_at),
            "due_at": utc_text(referral.due_at),
            "respond_within": referral.respond_within,
            "due_from": referral.due_from,
            "overdue": self.overdue,
            "chases": self.chases,
        }
