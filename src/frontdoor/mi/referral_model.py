"""The referral figures of the MI report as typed data: one object in the JSON report,
`"referrals"`, with the keys and shapes of the referrals spec ("Figures"), and the same
figures by provider for the text formats and the screen.

Every figure sees the record as it stood at one moment, `as_of`: the end of the period,
or the report's own time while the period is still running (docs/mi.md says why)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypedDict

from frontdoor.mi.model import Rate, RateJson


def per_referral(count: int, made: int) -> float | None:
    """Chases per referral made; None (not 0) when none was made."""
    return round(count / made, 2) if made else None


class ReferralCountsJson(TypedDict):
    made: int
    accepted: int
    rejected: int
    completed: int
    overdue_now: int
    chases: int


@dataclass(frozen=True)
class ReferralCounts:
    """What happened to the referrals a service (or a provider) was sent: made in the
    period, and of those how many reached accepted, rejected, completed by `as_of`, and
    their caller chases by then; overdue now counts every referral overdue at `as_of`,
    whenever it was made."""

    made: int = 0
    accepted: int = 0
    rejected: int = 0
    completed: int = 0
    overdue_now: int = 0
    chases: int = 0

    def __add__(self, other: ReferralCounts) -> ReferralCounts:
        return ReferralCounts(
            self.made + other.made,
            self.accepted + other.accepted,
            self.rejected + other.rejected,
            self.completed + other.completed,
            self.overdue_now + other.overdue_now,
            self.chases + other.chases,
        )

    def share(self, count: int) -> Rate:
        """`count` as a share of the referrals made (accepted, rejected, completed)."""
        return Rate.of(count, self.made)

    @property
    def chases_per_referral(self) -> float | None:
        return per_referral(self.chases, self.made)

    def to_json(self) -> ReferralCountsJson:
        return {
            "made": self.made,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "completed": self.completed,
            "overdue_now": self.overdue_now,
            "chases": self.chases,
        }


class ServiceReferralsJson(TypedDict):
    name: str
    made: int
    accepted: int
    rejected: int
    completed: int
    overdue_now: int
    median_hours_to_accept: float | None
    chases: int


@dataclass(frozen=True)
class ServiceReferrals:
    name: str  # the directory's current name, else the one recorded on the referral
    provider: str | None  # the directory service's organisation
    counts: ReferralCounts
    median_hours_to_accept: float | None  # None: none of its referrals accepted yet

    def to_json(self) -> ServiceReferralsJson:
        c = self.counts
        return {
            "name": self.name,
            "made": c.made,
            "accepted": c.accepted,
            "rejected": c.rejected,
            "completed": c.completed,
            "overdue_now": c.overdue_now,
            "median_hours_to_accept": self.median_hours_to_accept,
            "chases": c.chases,
        }


class FollowUpsMadeJson(TypedDict):
    before_chase: int
    after_chase: int


@dataclass(frozen=True)
class FollowUpsMade:
    """Follow-ups about a referral done in the period: the caller was rung before they
    chased it (or they never did), or only after."""

    before_chase: int = 0
    after_chase: int = 0

    def __add__(self, other: FollowUpsMade) -> FollowUpsMade:
        return FollowUpsMade(
            self.before_chase + other.before_chase, self.after_chase + other.after_chase
        )

    def to_json(self) -> FollowUpsMadeJson:
        return {"before_chase": self.before_chase, "after_chase": self.after_chase}


class ReferralFiguresJson(TypedDict):
    made: int
    overdue_now: int
    made_overdue: int
    chased_at_least_once: RateJson
    chases_per_referral: float | None
    follow_ups: FollowUpsMadeJson
    by_service: dict[str, ServiceReferralsJson]
    by_provider: dict[str, ReferralCountsJson]


@dataclass(frozen=True)
class ReferralFigures:
    as_of: dt.datetime  # the moment the states, chases and overdue are taken at (UTC)
    made: int
    overdue_now: int
    made_overdue: int  # made in the period and overdue at some moment by `as_of`
    chased_at_least_once: Rate  # of the referrals made
    chases: int  # caller chases of the referrals made, by `as_of`
    follow_ups: FollowUpsMade
    by_service: Mapping[str, ServiceReferrals]  # by directory id, most made first
    by_provider: Mapping[str, ReferralCounts]  # by provider, most made first

    @property
    def chases_per_referral(self) -> float | None:
        return per_referral(self.chases, self.made)

    def to_json(self) -> ReferralFiguresJson:
        return {
            "made": self.made,
            "overdue_now": self.overdue_now,
            "made_overdue": self.made_overdue,
            "chased_at_least_once": self.chased_at_least_once.to_json(),
            "chases_per_referral": self.chases_per_referral,
            "follow_ups": self.follow_ups.to_json(),
            "by_service": {k: v.to_json() for k, v in self.by_service.items()},
            "by_provider": {k: v.to_json() for k, v in self.by_provider.items()},
        }
