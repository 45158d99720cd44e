"""Filters applied before ranking: who the caller is, where, and when.

A service whose data does not say (no ages, no areas, no hours) is kept and marked
"not known" rather than hidden: the council feeds leave most of these out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Container, Mapping
from dataclasses import dataclass, field

from frontdoor.directory.hours import open_status
from frontdoor.directory.model import Service
from frontdoor.identifiers import OUTWARD_CODE, POSTCODE, compact_postcode

_DISTRICT = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?)")


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
    kept: bool
    notes: tuple[str, ...] = field(default_factory=tuple)  # what is not known, or why out


@dataclass(frozen=True)
class Eligibility:
    """Checks a service against filters; `named_areas` maps a place name to its districts."""

    named_areas: Mapping[str, frozenset[str]] = field(default_factory=dict)
    bank_holidays: Container[dt.date] | None = None

    def districts(self, area: str) -> frozenset[str]:
        district = postcode_district(area)
        if district:
            return frozenset({district})
        return self.named_areas.get(area.strip().lower(), frozenset())

    def check(self, service: Service, filters: Filters) -> Verdict:
        notes: list[str] = []
        if not filters.include_inactive and not service.active:
            return Verdict(False, (f"status {service.status}",))
        if filters.age is not None:
            if service.min_age is None and service.max_age is None:
                notes.append("ages not known")
            elif (service.min_age is not None and filters.age < service.min_age) or (
                service.max_age is not None and filters.age > service.max_age
            ):
                return Verdict(False, ("outside its ages",))
        if filters.caller_type is not None:
            if not service.caller_types:
                notes.append("who may use it not known")
            elif filters.caller_type not in service.caller_types:
                return Verdict(False, (f"not for {filters.caller_type} callers",))
        if filters.area is not None:
            if not service.areas:
                notes.append("area not known")
            else:
                wanted = self.districts(filters.area)
                served: set[str] = set()
                for area in service.areas:
                    served |= self.districts(area)
                if not wanted:
                    notes.append(f"area '{filters.area}' not recognised")
                elif not wanted & served:
                    return Verdict(False, ("outside its area",))
        if filters.open_at is not None:
            status = open_status(service, filters.open_at, self.bank_holidays)
            if status.state == "closed":
                return Verdict(False, (status.reason,))
            if status.state == "not known":
                notes.append(status.reason)
        return Verdict(True, tuple(notes))
