"""What the search index reads of a service while it is built, and no more: its words,
whether it is active, when it was last checked, and what each filter reads of it (two
services alike in that fare the same against the filter).

The database gives these straight from its columns (`DirectoryStore.listed`), without
making a whole `Service` of each: at 100,000 services, reading and checking every
service's phones, hours and capacity would take longer than building the index. A service
is made only for the first met of each filter's kinds (a few hundred in all, whatever the
size), for the filter to check.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from frontdoor.directory.eligibility import FILTER_NAMES, FilterName
from frontdoor.directory.model import Service

# what each filter reads of a service (see the checks in eligibility.py): services alike
# in it share that filter's state
FILTER_READS: dict[FilterName, Callable[[Service], Hashable]] = {
    "area": lambda s: tuple(s.areas),
    "age": lambda s: (s.min_age, s.max_age),
    "caller_type": lambda s: tuple(s.caller_types),
    "open_now": lambda s: (
        tuple((tuple(h.days), h.opens, h.closes, h.valid_from, h.valid_to) for h in s.hours),
        tuple((e.date, e.closed, e.opens, e.closes, e.note) for e in s.hours_exceptions),
        s.open_on_bank_holidays,
    ),
}


@dataclass(frozen=True, slots=True)
class Listed:
    id: str
    name: str
    organisation: str | None
    description: str
    tags: str  # the tags' words, in any text that keeps them apart (JSON will do)
    active: bool
    assured_date: dt.date | None
    # per filter (in FILTER_NAMES' order), what it reads: equal for services alike in it
    parts: tuple[Hashable, ...]
    example: Callable[[], Service]  # this service as the filters read it

    @classmethod
    def of(cls, service: Service) -> Listed:
        return cls(
            service.id,
            service.name,
            service.organisation,
            service.description,
            " ".join(service.tags),
            service.active,
            service.assured_date,
            tuple(FILTER_READS[name](service) for name in FILTER_NAMES),
            lambda: service,
        )


@dataclass(frozen=True, slots=True)
class EligibilityColumns:
    """What the filters read of a service, as its columns keep it (JSON as text): the
    kind of a service read from the database, and the way to make one of its kind."""

    areas: str | None
    min_age: int | None
    max_age: int | None
    caller_types: str | None
    hours: str | None
    hours_exceptions: str | None
    open_on_bank_holidays: bool | None

    @property
    def parts(self) -> tuple[Hashable, ...]:
        """Per filter, in FILTER_NAMES' order, what it reads as stored."""
        return (
            self.areas,
            (self.min_age, self.max_age),
            self.caller_types,
            (self.hours, self.hours_exceptions, self.open_on_bank_holidays),
        )

    def service(self, service_id: str, name: str) -> Service:
        """A service with these, as stored (its other details left out)."""
        values: dict[str, Any] = {
            "id": service_id,
            "name": name,
            "areas": _json(self.areas),
            "min_age": self.min_age,
            "max_age": self.max_age,
            "caller_types": _json(self.caller_types),
            "hours": _json(self.hours),
            "hours_exceptions": _json(self.hours_exceptions),
            "open_on_bank_holidays": self.open_on_bank_holidays,
        }
        return Service.model_validate(values, context={"stored": True})


def _json(text: str | None) -> Any:
    return [] if text is None else json.loads(text)


def tag_words(text: str | None) -> str:
    """The tags column's JSON as text whose words are the tags' words: as it is, unless
    an escape (a non-ASCII letter written as \\u00e9) would split a word."""
    if text is None:
        return ""
    if "\\" not in text:
        return text
    return " ".join(json.loads(text))
