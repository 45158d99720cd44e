"""Who rings, and why: new needs by category, repeat callers whose need was not met, and
people chasing something already arranged, at believable rates."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

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


@dataclass
class Population:
    rng: random.Random
    recent: list[PastCall] = field(default_factory=list)
    numbers: int = 0

    def new_caller(self) -> Caller:
        self.numbers += 1
        caller_type = self.rng.choices(["public", "carer", "professional"], [55, 20, 25])[0]
        return Caller(f"+441134{self.numbers:06d}", caller_type, f"subject-{self.numbers}")

    def pick(self, now: dt.datetime) -> tuple[Caller, str, str, str]:
        """(caller, reason: new | repeat | chasing, need option, category)."""
        window = [c for c in self.recent if now - c.at <= dt.timedelta(days=7)]
        self.recent = [c for c in self.recent if now - c.at <= dt.timedelta(days=21)]
        roll = self.rng.random()
        referred = [c for c in self.recent if c.referred]
        if roll < CHASING_RATE and referred:
            past = self.rng.choice(referred)
            return past.caller, "chasing", past.need, past.category
        if roll < CHASING_RATE + REPEAT_RATE and window:
            past = self.rng.choice(window)
            return past.caller, "repeat", past.need, past.category
        need, category, _ = self.rng.choices(NEEDS, [n[2] for n in NEEDS])[0]
        return self.new_caller(), "new", need, category

    def remember(self, call: PastCall) -> None:
        self.recent.append(call)

    def search_words(self, category: str) -> str:
        words = self.rng.choice(SEARCHES.get(category, SEARCHES["general_enquiry"]))
        if self.rng.random() < 0.25 and len(words) > 5:
            i = self.rng.randrange(1, len(words) - 1)
            words = words[:i] + words[i + 1 :]  # a letter left out, as people type
        return words
