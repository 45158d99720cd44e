"""What the referrals made in a span of days add to the referral figures as of one moment:
plain counts by service, and the hours each accepted referral took to be accepted, so
that a period's figures are its spans' added up, the median taken from the hours of all.
A whole month's are kept as JSON (mi/referral_months.py)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any

from frontdoor.mi.referral_model import ReferralCounts


@dataclass(frozen=True)
class ServiceRow:
    """One service's referrals made in a span, as the database adds them up."""

    recorded_name: str
    counts: ReferralCounts
    made_overdue: int
    chased: int  # referrals chased at least once

    def __add__(self, other: ServiceRow) -> ServiceRow:
        return ServiceRow(
            max(self.recorded_name, other.recorded_name),
            self.counts + other.counts,
            self.made_overdue + other.made_overdue,
            self.chased + other.chased,
        )


@dataclass
class MadeReferrals:
    """By service: the referrals made in a span, as of one moment, and the time from made
    to first accepted of those accepted by then, in whole seconds (a year's thousands of
    them kept as short integers read fast; the median is given to a tenth of an hour)."""

    services: dict[str, ServiceRow] = field(default_factory=dict)
    seconds_to_accept: dict[str, list[int]] = field(default_factory=dict)

    def add(self, other: MadeReferrals) -> None:
        for service, row in other.services.items():
            earlier = self.services.get(service)
            self.services[service] = row if earlier is None else earlier + row
        for service, seconds in other.seconds_to_accept.items():
            self.seconds_to_accept.setdefault(service, []).extend(seconds)

    def median_hours_to_accept(self) -> dict[str, float]:
        """By service: the middle one of the times, or the mean of the two middle ones,
        in hours."""
        return {
            service: round(statistics.median(seconds) / 3600, 1)
            for service, seconds in self.seconds_to_accept.items()
            if seconds
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "services": [
                [service, row.recorded_name, row.made_overdue, row.chased, *_counts(row.counts)]
                for service, row in self.services.items()
            ],
            "seconds_to_accept": self.seconds_to_accept,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MadeReferrals:
        services = {
            str(service): ServiceRow(str(name), ReferralCounts(*counts), overdue, chased)
            for service, name, overdue, chased, *counts in data["services"]
        }
        return cls(services, dict(data["seconds_to_accept"]))


def _counts(counts: ReferralCounts) -> list[int]:
    return [
        counts.made,
        counts.accepted,
        counts.rejected,
        counts.completed,
        counts.overdue_now,
        counts.chases,
    ]
