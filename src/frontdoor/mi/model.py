"""The MI report as typed data. Each part's `to_json()` gives the keys and shapes of the
contacts interchange spec, in the order the report has always printed them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, NotRequired, TypedDict

from frontdoor.mi.period import MiSettings, Period

if TYPE_CHECKING:  # referral_model builds on Rate, below: imported for the types only
    from frontdoor.mi.referral_model import ReferralFigures, ReferralFiguresJson

# What a handler did with a service in a call (the record's contact_services.action).
ServiceAction = Literal["signposted", "referred"]
SERVICE_ACTIONS: tuple[ServiceAction, ...] = ("signposted", "referred")


class RateJson(TypedDict):
    rate: float | None
    n: int


@dataclass(frozen=True)
class Rate:
    """A share with the count it rests on; None (not 0) when that count is 0."""

    rate: float | None
    n: int

    @classmethod
    def of(cls, numerator: int, n: int) -> Rate:
        return cls(round(numerator / n, 4) if n else None, int(n))

    def to_json(self) -> RateJson:
        return {"rate": self.rate, "n": self.n}

    def words(self) -> str:
        """ "75.0% (n=8)", or "not available (n=0)": never 0% for nothing counted."""
        return "not available (n=0)" if self.rate is None else f"{self.rate:.1%} (n={self.n})"


def _rates(rates: Mapping[str, Rate]) -> dict[str, RateJson]:
    return {k: v.to_json() for k, v in rates.items()}


class FcrDeclaredJson(TypedDict):
    overall: RateJson
    by_category: dict[str, RateJson]
    by_caller_type: dict[str, RateJson]
    by_channel: dict[str, RateJson]
    by_handler: dict[str, RateJson]
    by_script: dict[str, RateJson]


@dataclass(frozen=True)
class FcrDeclared:
    """Handled contacts whose outcome says resolved, overall and by each breakdown."""

    overall: Rate
    by_category: Mapping[str, Rate]
    by_caller_type: Mapping[str, Rate]
    by_channel: Mapping[str, Rate]
    by_handler: Mapping[str, Rate]
    by_script: Mapping[str, Rate]  # "script@version" of the last end reached

    def breakdowns(self) -> dict[str, Mapping[str, Rate]]:
        return {
            "by_category": self.by_category,
            "by_caller_type": self.by_caller_type,
            "by_channel": self.by_channel,
            "by_handler": self.by_handler,
            "by_script": self.by_script,
        }

    def to_json(self) -> FcrDeclaredJson:
        return {
            "overall": self.overall.to_json(),
            "by_category": _rates(self.by_category),
            "by_caller_type": _rates(self.by_caller_type),
            "by_channel": _rates(self.by_channel),
            "by_handler": _rates(self.by_handler),
            "by_script": _rates(self.by_script),
        }


class FcrVerifiedJson(TypedDict):
    overall: RateJson
    by_category: dict[str, RateJson]
    window_days: int


@dataclass(frozen=True)
class FcrVerified:
    overall: Rate
    by_category: Mapping[str, Rate]
    window_days: int

    def breakdowns(self) -> dict[str, Mapping[str, Rate]]:
        return {"by_category": self.by_category}

    def to_json(self) -> FcrVerifiedJson:
        return {
            "overall": self.overall.to_json(),
            "by_category": _rates(self.by_category),
            "window_days": self.window_days,
        }


class FailureDemandJson(TypedDict):
    share: RateJson
    by_code: dict[str, int]
    by_category: dict[str, RateJson]
    by_week: dict[str, RateJson]


@dataclass(frozen=True)
class FailureDemand:
    share: Rate
    by_code: Mapping[str, int]  # busiest first
    by_category: Mapping[str, Rate]
    by_week: Mapping[str, Rate]  # ISO week, "2026-W10"

    def to_json(self) -> FailureDemandJson:
        return {
            "share": self.share.to_json(),
            "by_code": dict(self.by_code),
            "by_category": _rates(self.by_category),
            "by_week": _rates(self.by_week),
        }


# Where a report's queue figures come from: the telephone system's queue_log, where it
# fed the period's calls, else the phone contacts of the record (mi-definitions.md).
QueueSource = Literal["pbx", "contacts"]


class QueueNumbersJson(TypedDict):
    offered: int
    answered: int
    abandoned: int
    short_abandoned: int
    abandon_rate: RateJson
    service_level: RateJson
    service_level_seconds: int
    short_abandon_seconds: int
    asa_seconds: float | None
    aht_seconds: float | None


class QueueReportJson(QueueNumbersJson):
    source: QueueSource
    by_queue: dict[str, QueueNumbersJson]


@dataclass(frozen=True)
class QueueNumbers:
    """The queue figures of a set of calls: every queue's, or one queue's."""

    offered: int
    answered: int
    abandoned: int
    short_abandoned: int
    abandon_rate: Rate
    service_level: Rate
    service_level_seconds: int
    short_abandon_seconds: int
    asa_seconds: float | None
    aht_seconds: float | None

    def to_json(self) -> QueueNumbersJson:
        return {
            "offered": self.offered,
            "answered": self.answered,
            "abandoned": self.abandoned,
            "short_abandoned": self.short_abandoned,
            "abandon_rate": self.abandon_rate.to_json(),
            "service_level": self.service_level.to_json(),
            "service_level_seconds": self.service_level_seconds,
            "short_abandon_seconds": self.short_abandon_seconds,
            "asa_seconds": self.asa_seconds,
            "aht_seconds": self.aht_seconds,
        }


@dataclass(frozen=True)
class QueueReport(QueueNumbers):
    """The period's queue figures in total, where they came from, and each queue's (by
    name; calls recorded with no queue are in the total only)."""

    source: QueueSource = "contacts"
    by_queue: Mapping[str, QueueNumbers] = field(default_factory=dict)

    @classmethod
    def of(
        cls, total: QueueNumbers, source: QueueSource, by_queue: Mapping[str, QueueNumbers]
    ) -> QueueReport:
        return cls(**vars(total), source=source, by_queue=by_queue)

    def to_json(self) -> QueueReportJson:
        return QueueReportJson(
            **super().to_json(),
            source=self.source,
            by_queue={name: q.to_json() for name, q in self.by_queue.items()},
        )


class SentJson(TypedDict):
    signposted: int
    referred: int


@dataclass(frozen=True)
class Sent:
    """How many callers were signposted and referred (to a service or a provider)."""

    signposted: int = 0
    referred: int = 0

    @property
    def total(self) -> int:
        return self.signposted + self.referred

    def add(self, action: ServiceAction, count: int) -> Sent:
        if action == "signposted":
            return Sent(self.signposted + count, self.referred)
        return Sent(self.signposted, self.referred + count)

    def __add__(self, other: Sent) -> Sent:
        return Sent(self.signposted + other.signposted, self.referred + other.referred)

    def to_json(self) -> SentJson:
        return {"signposted": self.signposted, "referred": self.referred}


class DestinationJson(TypedDict):
    name: str
    provider: str | None
    signposted: int
    referred: int


@dataclass(frozen=True)
class Destination:
    name: str  # the directory's current name, else the one recorded in the call
    provider: str | None
    sent: Sent

    def to_json(self) -> DestinationJson:
        return {"name": self.name, "provider": self.provider, **self.sent.to_json()}


# Why a need searched for in a contact went unmet (mi-definitions.md, "Unmet need"):
# no service matched (a gap in provision), or services matched and none was used (a sign
# the directory or its filters do not fit).
UnmetKind = Literal["nothing_found", "not_chosen"]
UNMET_KINDS: tuple[UnmetKind, ...] = ("nothing_found", "not_chosen")
UNMET_KIND_WORDS: dict[UnmetKind, str] = {
    "nothing_found": "nothing found",
    "not_chosen": "found, not chosen",
}


class UnmetNeedJson(TypedDict):
    query: str
    category: str | None
    count: int
    variants: list[str]
    kind: UnmetKind
    matches_now: bool


@dataclass(frozen=True)
class UnmetNeed:
    """One need that contacts searched for and chose no service for, grouped by what the
    searches mean, shown by the commonest text. `count` is contacts: a contact that
    searched for it three times counts once."""

    query: str
    category: str | None
    count: int
    variants: tuple[str, ...]
    kind: UnmetKind
    matches_now: bool  # today's directory finds a service for it

    def to_json(self) -> UnmetNeedJson:
        return {
            "query": self.query,
            "category": self.category,
            "count": self.count,
            "variants": list(self.variants),
            "kind": self.kind,
            "matches_now": self.matches_now,
        }


class ScriptPathsJson(TypedDict):
    ends: dict[str, int]
    stopped_at: dict[str, int]
    red_flags: int


@dataclass(frozen=True)
class ScriptPaths:
    ends: Mapping[str, int]  # end node -> times reached
    stopped_at: Mapping[str, int]  # question -> calls that stopped there, no end reached
    red_flags: int

    def to_json(self) -> ScriptPathsJson:
        return {
            "ends": dict(self.ends),
            "stopped_at": dict(self.stopped_at),
            "red_flags": self.red_flags,
        }


PeriodJson = TypedDict("PeriodJson", {"from": str, "to": str, "time_zone": str})


class SettingsJson(TypedDict):
    repeat_window_days: int
    short_abandon_seconds: int
    service_level_seconds: int
    resolved_outcomes: list[str]


class BenchmarksJson(TypedDict):
    fcr_north_east_lincolnshire_2017: dict[str, float]


class ReportJson(TypedDict):
    period: PeriodJson
    made_at: str
    settings: SettingsJson
    contacts: int
    handled: int
    fcr_declared: FcrDeclaredJson
    fcr_verified: FcrVerifiedJson
    failure_demand: FailureDemandJson
    queue: QueueReportJson
    by_hour: dict[str, int]
    by_weekday: dict[str, int]
    by_weekday_hour: dict[str, dict[str, int]]
    destinations: dict[str, DestinationJson]
    providers: dict[str, SentJson]
    unmet_need: list[UnmetNeedJson]
    scripts: dict[str, ScriptPathsJson]
    benchmarks: BenchmarksJson
    referrals: NotRequired[ReferralFiguresJson]


@dataclass(frozen=True)
class Report:
    """Every figure of the MI definitions for one period."""

    period: Period
    made_at: dt.datetime
    settings: MiSettings
    contacts: int
    handled: int
    fcr_declared: FcrDeclared
    fcr_verified: FcrVerified
    failure_demand: FailureDemand
    queue: QueueReport
    by_hour: Mapping[str, int]  # local hour "0".."23"
    by_weekday: Mapping[str, int]  # "mon".."sun"
    by_weekday_hour: Mapping[str, Mapping[str, int]]
    destinations: Mapping[str, Destination]  # by service id, busiest first
    providers: Mapping[str, Sent]  # busiest first
    unmet_need: tuple[UnmetNeed, ...]  # busiest first
    scripts: Mapping[str, ScriptPaths]  # by "script@version"
    fcr_benchmark: Mapping[str, float]  # North East Lincolnshire 2017, by category
    # None only where the report was made without them (the benchmark's "without")
    referrals: ReferralFigures | None = None

    @property
    def made_at_text(self) -> str:
        """When the report was made, in UTC to the second."""
        return self.made_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def to_json(self) -> ReportJson:
        shown: ReportJson = {
            "period": {
                "from": self.period.start.isoformat(),
                "to": self.period.end.isoformat(),
                "time_zone": self.period.time_zone,
            },
            "made_at": self.made_at_text,
            "settings": {
                "repeat_window_days": self.settings.repeat_window_days,
                "short_abandon_seconds": self.settings.short_abandon_seconds,
                "service_level_seconds": self.settings.service_level_seconds,
                "resolved_outcomes": sorted(self.settings.resolved_outcomes),
            },
            "contacts": self.contacts,
            "handled": self.handled,
            "fcr_declared": self.fcr_declared.to_json(),
            "fcr_verified": self.fcr_verified.to_json(),
            "failure_demand": self.failure_demand.to_json(),
            "queue": self.queue.to_json(),
            "by_hour": dict(self.by_hour),
            "by_weekday": dict(self.by_weekday),
            "by_weekday_hour": {d: dict(h) for d, h in self.by_weekday_hour.items()},
            "destinations": {k: v.to_json() for k, v in self.destinations.items()},
            "providers": {k: v.to_json() for k, v in self.providers.items()},
            "unmet_need": [u.to_json() for u in self.unmet_need],
            "scripts": {k: v.to_json() for k, v in self.scripts.items()},
            "benchmarks": {"fcr_north_east_lincolnshire_2017": dict(self.fcr_benchmark)},
        }
        if self.referrals is not None:
            shown["referrals"] = self.referrals.to_json()
        return shown
