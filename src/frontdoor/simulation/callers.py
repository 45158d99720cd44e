"""Who rings, and why: new needs by category, repeat callers whose need was not met, and
people chasing something already arranged, at believable rates."""

from __future__ import annotations

import datetime as dt
import random
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from frontdoor.simulation.chase_weights import (
    CHASE_WEIGHTS,
    ChaseWeights,
    KeptStandings,
    Standing,
)

__all__ = ["CHASE_WEIGHTS", "Standing"]  # where the rest of the simulation finds them

# main need (the front door script's option) by share of calls
NEEDS = [
    ("Nursing care at home (wounds, insulin, catheter)", "physical_health", 0.26),
    ("A fall, or someone unsteady on their feet", "physical_health", 0.12),
    ("Care and support at home", "social_care", 0.27),
    ("Looking after someone (a carer)", "carers", 0.08),
    ("Mental health or emotional wellbeing", "mental_health", 0.17),
    ("Information or something else", "general_enquiry", 0.10),
]
REPEAT_RATE = 0.10  # of calls: the same need again, not resolved last time
CHASING_RATE = 0.09  # of calls: "where is my nurse / referral / equipment?"
SEARCHES = {
    "physical_health": [
        "podiatry",
        "chiropody",
        "continence pads",
        "wheelchair repair",
        "district nurse",
        "diabetes course",
        "physio",
    ],
    "social_care": [
        "meals on wheels",
        "lunch club",
        "befriending",
        "handyperson",
        "day centre",
        "key safe",
        "shopping help",
        "cleaner",
    ],
    "carers": ["carers support", "respite", "sitting service", "carers group"],
    "mental_health": ["talking therapy", "crisis cafe", "mind", "anxiety group", "bereavement"],
    "general_enquiry": ["blue badge", "food bank", "debt advice", "housing", "bus pass"],
}


@dataclass
class Caller:
    key: str
    caller_type: str
    subject: str


@dataclass
class PastCall:
    caller: Caller
    category: str
    need: str
    at: dt.datetime
    referred: bool
    referrals: tuple[str, ...] = ()  # the referrals it made


@dataclass(frozen=True)
class Pick:
    caller: Caller
    reason: Literal["new", "repeat", "chasing"]
    need: str  # the front door script's option
    category: str
    chased: str | None = None  # the referral a chasing caller rings about


WEEK = dt.timedelta(days=7)  # a repeat caller rang within the last week
KEPT = dt.timedelta(days=21)  # past calls are remembered this long


@dataclass
class Population:
    """The callers, and the calls of the last three weeks. The simulation remembers
    calls as its clock moves on, so those calls are in time order, and the last week's
    (or three weeks') are a tail of them, found by bisection rather than by reading
    every call at every pick. A call remembered out of order (an all-day service's hour
    the clocks skip) falls back to reading them all: the picks are the same either way."""

    rng: random.Random
    numbers: int = 0
    # in the order remembered, with their times, and those that were referred
    _calls: list[PastCall] = field(default_factory=list)
    _times: list[dt.datetime] = field(default_factory=list)
    _referred: list[PastCall] = field(default_factory=list)
    _referred_times: list[dt.datetime] = field(default_factory=list)
    _in_order: bool = True
    # the referred calls' choices for a chasing caller, weighed as they stand (in order)
    _chases: ChaseWeights = field(default_factory=ChaseWeights)

    def new_caller(self) -> Caller:
        self.numbers += 1
        caller_type = self.rng.choices(["public", "carer", "professional"], [55, 20, 25])[0]
        return Caller(f"+441134{self.numbers:06d}", caller_type, f"subject-{self.numbers}")

    def pick(
        self,
        now: dt.datetime,
        standing: Callable[[str, dt.datetime], Standing] | KeptStandings | None = None,
    ) -> Pick:
        """Who rings now, and why. A chasing caller rings about one of their referrals,
        the late ones far more often (`standing` says where each stands now; given how
        long that holds, as the teams say, each is worked out only when it may have
        changed: chase_weights.py)."""
        window, referred = self._recent(now)
        roll = self.rng.random()
        if roll < CHASING_RATE and referred:
            past, chased = self._chased(referred, now, standing)
            return Pick(past.caller, "chasing", past.need, past.category, chased)
        if roll < CHASING_RATE + REPEAT_RATE and window:
            past = self.rng.choice(window)
            return Pick(past.caller, "repeat", past.need, past.category)
        need, category, _ = self.rng.choices(NEEDS, [n[2] for n in NEEDS])[0]
        return Pick(self.new_caller(), "new", need, category)

    def _recent(self, now: dt.datetime) -> tuple[list[PastCall], list[PastCall]]:
        """The calls of the week to `now`, and the referred ones of the three weeks to it
        (those older are forgotten), each in the order remembered."""
        if not self._in_order:
            window = [c for c in self._calls if now - c.at <= WEEK]
            self._calls = [c for c in self._calls if now - c.at <= KEPT]
            return window, [c for c in self._calls if c.referred]
        window = self._calls[bisect_left(self._times, now - WEEK) :]
        for calls, times in ((self._calls, self._times), (self._referred, self._referred_times)):
            forgotten = bisect_left(times, now - KEPT)
            del calls[:forgotten], times[:forgotten]
        self._chases.forget_before(now - KEPT)
        return window, self._referred

    def remember(self, call: PastCall) -> None:
        if self._times and call.at < self._times[-1]:
            self._in_order = False
        self._calls.append(call)
        if not self._in_order:
            return
        self._times.append(call.at)
        if call.referred:
            self._referred.append(call)
            self._referred_times.append(call.at)
            self._chases.add(call)

    def _chased(
        self,
        referred: list[PastCall],
        now: dt.datetime,
        standing: Callable[[str, dt.datetime], Standing] | KeptStandings | None,
    ) -> tuple[PastCall, str | None]:
        """Which past call is chased, and which of its referrals (None: something it
        arranged that made no referral, such as a transfer)."""
        if isinstance(standing, KeptStandings):
            if self._in_order:  # the choices kept are `referred`'s, in its order
                kept = self._chases.weights_at(now, standing)
                return self.rng.choices(self._chases.choices, kept)[0]
            standing = standing.standing
        choices: list[tuple[PastCall, str | None]] = []
        weights: list[float] = []
        for past in referred:
            for referral in past.referrals or (None,):
                choices.append((past, referral))
                weight = 1.0
                if referral is not None and standing is not None:
                    weight = CHASE_WEIGHTS[standing(referral, now)]
                weights.append(weight)
        return self.rng.choices(choices, weights)[0]

    def search_words(self, category: str) -> str:
        words = self.rng.choice(SEARCHES.get(category, SEARCHES["general_enquiry"]))
        if self.rng.random() < 0.25 and len(words) > 5:
            i = self.rng.randrange(1, len(words) - 1)
            words = words[:i] + words[i + 1 :]  # a letter left out, as people type
        return words
