"""How the teams a referral goes to answer it: most say they have it and accept it within
their response time, some are late (the referral is overdue until they do), a few reject
it with a reason or see it cancelled; accepted ones start and are completed later.

A referral's answer is planned when it is made and written through the referrals' own
store as the simulated clock passes each move, in order, so the record only ever holds
what a team had said by then, and a later call sees the referral as it stood. Teams that
answer in working days work office hours on working days; teams that answer in hours
(crisis, rapid response, duty, safeguarding) work round the clock.
"""

from __future__ import annotations

import datetime as dt
import heapq
import random
from collections.abc import Container
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from frontdoor.referrals.model import Referral
from frontdoor.referrals.states import ENDED, WAITING, State
from frontdoor.referrals.store import ReferralStore, StateChange
from frontdoor.response_times import nth_working_day_after, read_response_time, working_day
from frontdoor.simulation.callers import Standing

OPENS, CLOSES = dt.time(9, 0), dt.time(17, 0)
HOUR = dt.timedelta(hours=1)
REJECTED = (
    "Does not meet the team's criteria",
    "Already open to another team",
    "The person declined when the team rang",
)
CANCELLED = (
    "The person no longer needs it",
    "Admitted to hospital",
    "Withdrawn by the GP",
)
ON_HOLD = "The person is in hospital"


@dataclass(frozen=True)
class Habits:
    """How a team answers: shares of its referrals, and how long its work takes."""

    late: float = 0.15  # accepted only after the due time
    reject: float = 0.05
    cancel: float = 0.03
    receipt: float = 0.6  # says it has the referral before deciding
    start_days: tuple[int, int] = (1, 5)  # accepted -> in-progress, working days
    finish_days: tuple[int, int] = (3, 15)  # in-progress -> completed


HABITS: dict[str, Habits] = {
    "district-nursing": Habits(late=0.12, start_days=(0, 2), finish_days=(3, 12)),
    "adult-social-care-assessment": Habits(late=0.25, start_days=(3, 10), finish_days=(5, 20)),
    "home-care-brokerage": Habits(late=0.3, start_days=(2, 8), finish_days=(2, 10)),
    "falls-prevention-service": Habits(late=0.15, start_days=(2, 8), finish_days=(10, 30)),
    "community-mental-health-team": Habits(late=0.2, reject=0.1),
    "older-adults-mental-health": Habits(late=0.18, reject=0.08),
    "memory-assessment-service": Habits(late=0.2, start_days=(5, 15)),
    "continence-service": Habits(late=0.12, finish_days=(5, 20)),
}


class OfficeHours:
    """Working days' office hours in local time: when a working-days team acts."""

    def __init__(self, zone: ZoneInfo, holidays: Container[dt.date]) -> None:
        self.zone = zone
        self.holidays = holidays

    def spans(self, start: dt.datetime, end: dt.datetime) -> list[tuple[dt.datetime, dt.datetime]]:
        """Office hours between two moments, clipped to them."""
        found: list[tuple[dt.datetime, dt.datetime]] = []
        day = start.astimezone(self.zone).date()
        while (opens := dt.datetime.combine(day, OPENS, self.zone)) < end:
            closes = dt.datetime.combine(day, CLOSES, self.zone)
            if working_day(day, self.holidays) and closes > start:
                found.append((max(opens, start), min(closes, end)))
            day += dt.timedelta(days=1)
        return found

    def moment(self, start: dt.datetime, end: dt.datetime, fraction: float) -> dt.datetime:
        """The office moment `fraction` of the way through the office hours between
        `start` and `end` (the next opening when there are none)."""
        spans = self.spans(start, end) or self.spans(start, self.days_after(start, 1))
        total = sum((b - a for a, b in spans), dt.timedelta())
        left = total * min(max(fraction, 0.0), 1.0)
        for a, b in spans:
            if left <= b - a:
                return (a + left).astimezone(dt.UTC)
            left -= b - a
        return spans[-1][1].astimezone(dt.UTC)

    def days_after(self, start: dt.datetime, days: int) -> dt.datetime:
        """The end of the `days`th working day after `start`'s day (0: that day's end)."""
        day = start.astimezone(self.zone).date()
        last = nth_working_day_after(day, days, self.holidays) if days else day
        return dt.datetime.combine(last, CLOSES, self.zone).astimezone(dt.UTC)


@dataclass
class Answer:
    """A referral's planned answer: the moves, and when it stops waiting for the team."""

    referral: Referral
    moves: list[StateChange]
    caller_type: str = "public"  # who made it: the SPA rings them back as that
    told: bool = False  # the SPA rang the caller about it once it was overdue
    _kept: _Kept | None = field(default=None, repr=False, compare=False)

    @property
    def decided_at(self) -> dt.datetime | None:
        """When the team accepted, rejected or cancelled it (None: not in the plan)."""
        return next((m.at for m in self.moves if m.state not in WAITING), None)

    def state_at(self, at: dt.datetime) -> State:
        state: State = "requested"
        for move in self.moves:
            if move.at > at:
                break
            state = move.state
        return state

    def overdue_at(self, at: dt.datetime) -> bool:
        return at > self.referral.due_at and self.state_at(at) in WAITING

    def standing(self, at: dt.datetime) -> Standing:
        """Where it stands for its caller, who chases it more the longer it is late.
        Every chasing caller weighs every referral of the last three weeks by this, so
        the answer is kept with how long it holds (`_kept`)."""
        kept = self._kept
        if kept is not None and kept.holds(at, self.told):
            return kept.standing
        state = self.state_at(at)
        due = self.referral.due_at
        if state in WAITING:
            standing: Standing = ("told" if self.told else "overdue") if at > due else "waiting"
        else:
            standing = "ended" if state in ENDED else "under_way"
        # the state holds until the move state_at would stop at next; "waiting" holds
        # only to the due time
        upto = next((move.at for move in self.moves if move.at > at), None)
        self._kept = _Kept(standing, at, upto, due if standing == "waiting" else None, self.told)
        return standing

    def standing_holds(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        """How long the standing `standing` last gave holds, unless the caller is told:
        before the next move, and to the due time while it waits (asked before any
        standing: at once)."""
        kept = self._kept
        return (kept.upto, kept.due) if kept else (_LONG_AGO, None)


_LONG_AGO = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class _Kept:
    """A referral's standing, and when it still holds: from `since`, before `upto` (the
    next move), to `due` if it is waiting, while the caller's being told is unchanged."""

    standing: Standing
    since: dt.datetime
    upto: dt.datetime | None
    due: dt.datetime | None
    told: bool

    def holds(self, at: dt.datetime, told: bool) -> bool:
        return (
            told == self.told
            and self.since <= at
            and (self.upto is None or at < self.upto)
            and (self.due is None or at <= self.due)
        )


@dataclass
class Teams:
    """Every team's answers on the simulated clock, written as the clock passes them."""

    store: ReferralStore
    rng: random.Random
    office: OfficeHours
    answers: dict[str, Answer] = field(default_factory=dict)
    moved: int = 0  # moves written so far
    _due: list[tuple[dt.datetime, int, StateChange]] = field(default_factory=list)
    _order: int = 0
    _told: list[str] = field(default_factory=list)  # see told_since

    def referred(self, referral: Referral, caller_type: str = "public") -> Answer:
        """A referral just made: its team's answer is planned."""
        answer = Answer(referral, self._plan(referral), caller_type)
        self.answers[referral.id] = answer
        for move in answer.moves:
            self._order += 1
            heapq.heappush(self._due, (move.at, self._order, move))
        return answer

    def standing(self, referral_id: str, at: dt.datetime) -> Standing:
        answer = self.answers.get(referral_id)
        return answer.standing(at) if answer else "waiting"

    def standing_holds(self, referral_id: str) -> tuple[dt.datetime | None, dt.datetime | None]:
        """How long the standing `standing` last gave holds, unless its caller is told
        (chase_weights.KeptStandings): before the next move, and to the due time while it
        waits. A referral with no answer yet is looked at again next time."""
        answer = self.answers.get(referral_id)
        return answer.standing_holds() if answer else (_LONG_AGO, None)

    def tell(self, referral_id: str) -> None:
        """The SPA rang the referral's caller to say it is late."""
        answer = self.answers.get(referral_id)
        if answer is not None:
            answer.told = True
            self._told.append(referral_id)

    def told_since(self) -> list[str]:
        """The referrals whose caller was told since this was last asked."""
        told, self._told = self._told, []
        return told

    def until(self, now: dt.datetime) -> int:
        """Write every move planned up to `now`, in order, in one transaction."""
        changes: list[StateChange] = []
        while self._due and self._due[0][0] <= now:
            changes.append(heapq.heappop(self._due)[2])
        if changes:
            self.moved += self.store.apply_all(changes, source="simulate")
        return len(changes)

    # --- a team's answer ------------------------------------------------------------
    def _plan(self, referral: Referral) -> list[StateChange]:
        habits = HABITS.get(referral.service_id, Habits())
        within = read_response_time(referral.respond_within)
        hours = within.unit == "hours"
        roll = self.rng.random()
        late = self.rng.random() < habits.late
        decided = self._decision_time(referral, late, hours)
        moves: list[tuple[State, dt.datetime, str | None]] = []
        if self.rng.random() < habits.receipt:
            share = self.rng.uniform(0.1, 0.6)
            if hours:
                received = referral.made_at + (decided - referral.made_at) * share
            else:
                received = min(decided, self.office.moment(referral.made_at, decided, share))
            moves.append(("received", received, None))
        if roll < habits.reject:
            moves.append(("rejected", decided, self.rng.choice(REJECTED)))
        elif roll < habits.reject + habits.cancel / 2:
            moves.append(("cancelled", decided, self.rng.choice(CANCELLED)))
        else:
            moves.append(("accepted", decided, None))
            moves += self._work(decided, habits, hours, roll)
        by = f"{referral.service_name} team"
        return [StateChange(referral.id, state, at, by, note) for state, at, note in moves]

    def _decision_time(self, referral: Referral, late: bool, hours: bool) -> dt.datetime:
        """On time: most of the way through the window, earlier more often. Late: a
        while after the due time."""
        made, due = referral.made_at, referral.due_at
        if hours:
            window = due - made
            if late:
                return due + window * self.rng.uniform(0.1, 1.5)
            return made + window * self.rng.betavariate(2, 3)
        if late:
            return self.office.moment(
                due, self.office.days_after(due, self.rng.randint(1, 5)), self.rng.random()
            )
        return self.office.moment(made, due, self.rng.betavariate(2, 3))

    def _work(
        self, accepted: dt.datetime, habits: Habits, hours: bool, roll: float
    ) -> list[tuple[State, dt.datetime, str | None]]:
        """After acceptance: started, now and then paused, and completed; a few are
        cancelled on the way, and some are done at once (equipment delivered)."""
        rng = self.rng
        if hours:
            started = accepted + HOUR * rng.uniform(0.2, 6)
            done = started + HOUR * rng.uniform(6, 72)
        else:
            started = self._office_after(accepted, habits.start_days)
            done = self._office_after(started, habits.finish_days)
        if roll > 1 - habits.cancel / 2:  # cancelled once accepted: the person moved, or died
            return [("cancelled", started, rng.choice(CANCELLED))]
        if rng.random() < 0.1:
            return [("completed", started, None)]
        work: list[tuple[State, dt.datetime, str | None]] = [("in-progress", started, None)]
        if rng.random() < 0.04:
            paused = started + (done - started) * 0.3
            back = paused + dt.timedelta(days=rng.uniform(2, 7))
            work += [("on-hold", paused, ON_HOLD), ("in-progress", back, None)]
            done = back + (done - started) * 0.7
        return [*work, ("completed", done, None)]

    def _office_after(self, start: dt.datetime, days: tuple[int, int]) -> dt.datetime:
        end = self.office.days_after(start, self.rng.randint(*days))
        return max(start, self.office.moment(start, end, self.rng.random()))
