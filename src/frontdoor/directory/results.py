"""What a directory search gives back: each service with why it matched and how it
stands against the filters, those that fit first and those set aside after."""

from __future__ import annotations

from dataclasses import dataclass, field

from frontdoor.directory.eligibility import FilterName, Verdict
from frontdoor.directory.model import Service


@dataclass(frozen=True)
class Match:
    """Why a service matched one part of the query."""

    query: str
    word: str
    field: str
    how: str  # exact | prefix | typo | synonym

    def __str__(self) -> str:
        if self.how == "exact":
            return f'{self.field}: "{self.word}"'
        if self.how == "synonym":
            return f'{self.field}: "{self.word}" (means "{self.query}")'
        if self.how == "prefix":
            return f'{self.field}: "{self.word}" (starts "{self.query}")'
        return f'{self.field}: "{self.word}" (for "{self.query}")'


@dataclass(frozen=True)
class Result:
    service: Service
    score: float  # 0..100
    matches: tuple[Match, ...]
    verdict: Verdict = field(default_factory=Verdict)  # how it stands against the filters
    stale: bool = False  # not checked for 12 months

    @property
    def why(self) -> str:
        return "; ".join(str(m) for m in self.matches)


@dataclass(frozen=True)
class Found:
    """What a search found with filters applied. Nothing is left out: a service that
    fails a filter is set aside, listed after the others with why."""

    results: tuple[Result, ...] = ()  # failed no filter: known to fit first, then by score
    set_aside: tuple[Result, ...] = ()  # failed a filter: fewest failed first, then by score
    set_aside_total: int = 0  # of every service the words matched, however many are listed
    # how many each filter set aside, of all matched (a service may fail two)
    set_aside_by: dict[FilterName, int] = field(default_factory=dict)

    @property
    def ranked(self) -> tuple[Result, ...]:
        return self.results + self.set_aside
