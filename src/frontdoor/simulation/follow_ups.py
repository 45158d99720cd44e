"""The SPA's follow-up rounds: twice a day a handler goes through the overdue referrals
whose caller has not been told, rings the team about some of them and then the caller (an
outbound contact), and marks the follow-up done. Telling the caller before they ring to
chase is the point: a caller who was told chases far less (callers.CHASE_WEIGHTS).

The rounds run through the real follow-up list and record, on the simulated clock, in
time order with the teams' answers (see `Desk.until`).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from frontdoor.access.audit import PendingAudit
from frontdoor.interactions.model import Contact, NewContact, WrapUp
from frontdoor.interactions.record import Record
from frontdoor.referrals.follow_ups import FollowUps
from frontdoor.referrals.making import ReferralMaker
from frontdoor.referrals.model import FollowUp, Referral
from frontdoor.referrals.store import ReferralStore
from frontdoor.simulation.teams import Teams

# local times of the rounds: late morning, once the teams' first answers are in, and
# mid-afternoon, before the teams close
ROUNDS = (dt.time(11, 0), dt.time(15, 30))
# of the follow-ups owed at a round, the share a handler has time for
TAKEN = 0.3
TEAM_CHASE = "Rang the team for a date and a name"
TOLD = "Rang the caller: the referral is late; gave them what the team said (simulated)."


def _nothing_to_commit() -> None:
    """Each unit of work committed itself."""


@dataclass(frozen=True)
class Records:
    """Where the simulation writes, on its clock: the contacts (a wrap-up makes their
    referrals), the referrals, and the follow-ups; and `commit`, which makes what they
    wrote so far last (when they share one held transaction: db/held.py)."""

    record: Record
    referrals: ReferralStore
    follow_ups: FollowUps
    commit: Callable[[], None] = _nothing_to_commit
    # the referrals each wrap-up made, kept by the record's maker as it made them (None:
    # read back from the referrals)
    made: MadeKept | None = None

    def made_in(self, contact_id: str) -> list[Referral]:
        """The referrals the contact's wrap-up made, in the order of its services."""
        if self.made is not None:
            return self.made.take(contact_id)
        return self.referrals.made_in(contact_id)


class MadeKept:
    """The record's referral maker for a simulation (its closing hook): each wrap-up's
    referrals kept as made, for the teams to plan, rather than read back."""

    def __init__(self, maker: ReferralMaker) -> None:
        self.maker = maker
        self.made: dict[str, list[Referral]] = {}

    def __call__(
        self, session: Session, contact: Contact, audit: PendingAudit | None = None
    ) -> list[str]:
        made = self.maker.make(session, contact, audit)
        self.made[contact.id] = made
        return [referral.id for referral in made]

    def take(self, contact_id: str) -> list[Referral]:
        return self.made.pop(contact_id, [])


@dataclass
class Desk:
    """The follow-up rounds, in time order with the teams' answers."""

    records: Records
    teams: Teams
    rng: random.Random
    handlers: Sequence[str]
    rounds: list[dt.datetime]  # when the rounds are, in order (UTC)
    set_clock: Callable[[dt.datetime], None]
    told: int = 0  # follow-ups done

    @classmethod
    def daily(
        cls,
        records: Records,
        teams: Teams,
        rng: random.Random,
        handlers: Sequence[str],
        start: dt.date,
        days: int,
        zone: ZoneInfo,
        set_clock: Callable[[dt.datetime], None],
    ) -> Desk:
        rounds = [
            dt.datetime.combine(start + dt.timedelta(days=d), at, zone).astimezone(dt.UTC)
            for d in range(days)
            for at in ROUNDS
        ]
        return cls(records, teams, rng, handlers, rounds, set_clock)

    def until(self, now: dt.datetime) -> None:
        """The teams' answers and the rounds up to `now`, each at its own time. The clock
        is set first, so that nothing is recorded before it happened."""
        while self.rounds and self.rounds[0] <= now:
            at = self.rounds.pop(0)
            self.set_clock(at)
            self.teams.until(at)
            self._round(at)
        self.set_clock(now)
        self.teams.until(now)

    def _round(self, at: dt.datetime) -> None:
        owed = [f for f in self.records.follow_ups.owed(at) if f.kind == "overdue"]
        handler = self.rng.choice(self.handlers)
        moment = at
        for follow_up in owed:
            if self.rng.random() >= TAKEN or follow_up.referral_id is None:
                continue
            moment += dt.timedelta(minutes=self.rng.uniform(2, 6))
            self.records.referrals.chase(
                follow_up.referral_id,
                "team",
                contact_id=None,
                by=handler,
                note=TEAM_CHASE,
                at=moment,
            )
            moment = self._ring_back(follow_up, handler, moment)

    def _ring_back(self, follow_up: FollowUp, handler: str, at: dt.datetime) -> dt.datetime:
        """An outbound contact to the caller, and the follow-up done with it."""
        answer = self.teams.answers.get(follow_up.referral_id or "")
        record = self.records.record
        self.set_clock(at)
        contact_id = record.start_contact(
            NewContact(
                handler=handler,
                channel="outbound",
                caller=follow_up.caller_key,
                caller_type=answer.caller_type if answer else "public",
                consent_record=True,
            )
        )
        at += dt.timedelta(seconds=self.rng.uniform(60, 240))
        self.set_clock(at)
        record.mark_ended(contact_id)
        at += dt.timedelta(seconds=self.rng.uniform(20, 90))
        self.set_clock(at)
        category = answer.referral.category if answer else None
        record.wrap_up(
            contact_id, WrapUp(outcome="advice", demand=None, notes=TOLD, category=category)
        )
        self.records.follow_ups.done(follow_up, by=handler, outbound_contact_id=contact_id, at=at)
        if follow_up.referral_id:
            self.teams.tell(follow_up.referral_id)
        self.told += 1
        return at
