"""What a span of days adds to the referral figures as of one moment: the referrals made
in it, as plain counts by service and the time each accepted one took to be accepted,
and the follow-ups done in it, so that a period's figures are its spans' added up, the
median taken from the times of all. A whole month's are kept as JSON
(mi/referral_months.py)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any

from frontdoor.mi.referral_model import FollowUpsMade, ReferralCounts


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
    them kept as short integers; the median is given to a tenth of an hour).

    A span kept is read with its medians and without its times (`times_read` False)
    when it is the whole period: a year's report then reads no list of 20,000 times.
    Such a span cannot be added to another."""

    services: dict[str, ServiceRow] = field(default_factory=dict)
    seconds_to_accept: dict[str, list[int]] = field(default_factory=dict)
    follow_ups: FollowUpsMade = field(default_factory=FollowUpsMade)  # done in the span
    medians: dict[str, float] | None = None  # as kept, when the times were not read

    @property
    def times_read(self) -> bool:
        return self.medians is None

    def add(self, other: MadeReferrals) -> None:
        if not (self.times_read and other.times_read):
            raise ValueError("a span read without its times to accept cannot be added up")
        self.follow_ups += other.follow_ups
        for service, row in other.services.items():
            earlier = self.services.get(service)
            self.services[service] = row if earlier is None else earlier + row
        for service, seconds in other.seconds_to_accept.items():
            self.seconds_to_accept.setdefault(service, []).extend(seconds)

    def median_hours_to_accept(self) -> dict[str, float]:
        """By service: the middle one of the times, or the mean of the two middle ones,
        in hours."""
        if self.medians is not None:
            return dict(self.medians)
        return {
            service: round(statistics.median(seconds) / 3600, 1)
            for service, seconds in self.seconds_to_accept.items()
            if seconds
        }

    def to_json(self) -> dict[str, Any]:
        """The counts and the medians; the times are kept apart (`times_json`)."""
        return {
            "services": [
                [service, row.recorded_name, row.made_overdue, row.chased, *_counts(row.counts)]
                for service, row in self.services.items()
            ],
            "follow_ups": [self.follow_ups.before_chase, self.follow_ups.after_chase],
            "medians": self.median_hours_to_accept(),
        }

    def times_json(self) -> dict[str, list[int]]:
        return self.seconds_to_accept

    @classmethod
    def from_json(cls, data: dict[str, Any], times: dict[str, list[int]] | None) -> MadeReferrals:
        """From `to_json` and `times_json`; without the times, with the medians kept."""
        services = {
            str(service): ServiceRow(str(name), ReferralCounts(*counts), overdue, chased)
            for service, name, overdue, chased, *counts in data["services"]
        }
        follow_ups = FollowUpsMade(*data["follow_ups"])
        if times is None:
            medians = {str(k): float(v) for k, v in data["medians"].items()}
            return cls(services, {}, follow_ups, medians)
        return cls(services, dict(times), follow_ups)


def _counts(counts: ReferralCounts) -> list[int]:
    return [
        counts.made,
        counts.accepted,
        counts.rejected,
        counts.completed,
        counts.overdue_now,
        counts.chases,
    ]
