"""Filters by who the caller is, where, and when, as a verdict per service: never a reason
to hide one.

Each filter passes, fails or cannot be checked ("unknown": the council feeds leave most
ages, areas and hours out). A service that fails a filter is set aside, not dropped: it
is listed after those that fit, with why ("not in DN32: covers Cleethorpes"), because a
filter built on a postcode typed in a hurry must never hide the right service. A filter
that was not asked for passes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Container, Mapping
from dataclasses import dataclass, field
from typing import Literal

from frontdoor.directory.hours import open_status, opens_again
from frontdoor.directory.model import Service
from frontdoor.identifiers import OUTWARD_CODE, POSTCODE, compact_postcode

_DISTRICT = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?)")

FilterState = Literal["pass", "fail", "unknown"]
FilterName = Literal["area", "age", "caller_type", "open_now"]
FILTER_NAMES: tuple[FilterName, ...] = ("area", "age", "caller_type", "open_now")
FILTER_WORDS: dict[FilterName, str] = {
    "area": "area",
    "age": "age",
    "caller_type": "caller type",
    "open_now": "open now",
}


def postcode_district(text: str) -> str | None:
    """DN15 from 'dn15 6xx' or 'DN15'; None when it is not a postcode."""
    compact = compact_postcode(text)
    if OUTWARD_CODE.fullmatch(compact) or POSTCODE.fullmatch(compact):
        district = compact[:-3] if len(compact) > 4 and compact[-3].isdigit() else compact
        match = _DISTRICT.match(district)
        return match.group(1) if match else None
    return None


@dataclass(frozen=True)
class Filters:
    age: int | None = None
    area: str | None = None  # a postcode, a postcode district, or a named area
    caller_type: str | None = None
    open_at: dt.datetime | None = None  # local time
    include_inactive: bool = False

    @property
    def any(self) -> bool:
        return any(v is not None for v in (self.age, self.area, self.caller_type, self.open_at))


@dataclass(frozen=True)
class Verdict:
    """How one service stands against each filter, and why in words."""

    area: FilterState = "pass"
    age: FilterState = "pass"
    caller_type: FilterState = "pass"
    open_now: FilterState = "pass"
    failed: tuple[str, ...] = ()  # why it is set aside, one per failed filter
    not_known: tuple[str, ...] = ()  # what could not be checked

    @property
    def fits(self) -> bool:
        """Known to pass every filter."""
        return all(self.state(name) == "pass" for name in FILTER_NAMES)

    @property
    def set_aside(self) -> bool:
        """Fails at least one filter: listed after every service that does not."""
        return bool(self.failures)

    @property
    def failures(self) -> tuple[FilterName, ...]:
        return tuple(name for name in FILTER_NAMES if self.state(name) == "fail")

    @property
    def unknowns(self) -> tuple[FilterName, ...]:
        return tuple(name for name in FILTER_NAMES if self.state(name) == "unknown")

    @property
    def reason(self) -> str:
        """Why it is set aside, then what is not known; empty when it fits."""
        return "; ".join((*self.failed, *self.not_known))

    @classmethod
    def of(cls, outcomes: Mapping[FilterName, tuple[FilterState, str]]) -> Verdict:
        """From each filter's state and why (a filter left out passes), the reasons in
        the filters' order."""
        passed: tuple[FilterState, str] = ("pass", "")
        area, age, caller_type, open_now = ordered = [
            outcomes.get(name, passed) for name in FILTER_NAMES
        ]
        return cls(
            area=area[0],
            age=age[0],
            caller_type=caller_type[0],
            open_now=open_now[0],
            failed=tuple(why for state, why in ordered if state == "fail"),
            not_known=tuple(why for state, why in ordered if state == "unknown"),
        )

    def state(self, name: FilterName) -> FilterState:
        state: FilterState = getattr(self, name)
        return state

    def states(self) -> dict[FilterName, FilterState]:
        return {name: self.state(name) for name in FILTER_NAMES}


def _ages(service: Service) -> str:
    low, high = service.min_age, service.max_age
    if low is not None and high is not None:
        return f"ages {low}-{high}"
    return f"age {low}+" if low is not None else f"up to age {high}"


@dataclass(frozen=True)
class Eligibility:
    """Checks a service against filters; `named_areas` maps a place name (lower case) to
    its postcode districts."""

    named_areas: Mapping[str, frozenset[str]] = field(default_factory=dict)
    bank_holidays: Container[dt.date] | None = None

    def districts(self, area: str) -> frozenset[str]:
        district = postcode_district(area)
        if district:
            return frozenset({district})
        return self.named_areas.get(area.strip().lower(), frozenset())

    def _area(self, service: Service, wanted: str) -> tuple[FilterState, str]:
        if not service.areas:
            return "unknown", "area not known"
        districts = self.districts(wanted)
        if not districts:
            return "unknown", f"'{wanted}' is not a known area"
        covered = [(area, self.districts(area)) for area in service.areas]
        if any(districts & served for _, served in covered):
            return "pass", ""
        unplaced = [area for area, served in covered if not served]
        if unplaced:  # it may well cover the person: we cannot say where that is
            return "unknown", f"covers {', '.join(unplaced)}: not a known area"
        where = postcode_district(wanted) or wanted.strip()
        return "fail", f"not in {where}: covers {', '.join(service.areas)}"

    @staticmethod
    def _age(service: Service, age: int) -> tuple[FilterState, str]:
        if service.min_age is None and service.max_age is None:
            return "unknown", "ages not known"
        if (service.min_age is not None and age < service.min_age) or (
            service.max_age is not None and age > service.max_age
        ):
            return "fail", f"{_ages(service)}, person is {age}"
        return "pass", ""

    @staticmethod
    def _caller_type(service: Service, caller_type: str) -> tuple[FilterState, str]:
        if not service.caller_types:
            return "unknown", "who may use it not known"
        if caller_type in service.caller_types:
            return "pass", ""
        return "fail", f"{' or '.join(service.caller_types)} callers only, caller is {caller_type}"

    def _open_now(self, service: Service, when: dt.datetime) -> tuple[FilterState, str]:
        status = open_status(service, when, self.bank_holidays)
        if status.state == "open":
            return "pass", ""
        if status.state == "not known":
            return "unknown", status.reason
        return "fail", f"{status.reason}: {opens_again(service, when, self.bank_holidays)}"

    def check(self, service: Service, filters: Filters) -> Verdict:
        passed: tuple[FilterState, str] = ("pass", "")
        outcomes: dict[FilterName, tuple[FilterState, str]] = {
            "area": passed if filters.area is None else self._area(service, filters.area),
            "age": passed if filters.age is None else self._age(service, filters.age),
            "caller_type": passed
            if filters.caller_type is None
            else self._caller_type(service, filters.caller_type),
            "open_now": passed
            if filters.open_at is None
            else self._open_now(service, filters.open_at),
        }
        return Verdict.of(outcomes)
