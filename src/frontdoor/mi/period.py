"""A reporting period: local dates in the service's time zone, as UTC bounds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Period:
    start: dt.date  # first local day, from its start
    end: dt.date  # last local day, to its end
    time_zone: str = "Europe/London"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def utc_start(self) -> dt.datetime:
        return dt.datetime.combine(self.start, dt.time(), self.zone).astimezone(dt.UTC)

    @property
    def utc_end(self) -> dt.datetime:
        """Exclusive: the start of the day after `end`."""
        after = self.end + dt.timedelta(days=1)
        return dt.datetime.combine(after, dt.time(), self.zone).astimezone(dt.UTC)


@dataclass(frozen=True)
class MiSettings:
    """What the figures are computed with; the report states each of them."""

    time_zone: str = "Europe/London"
    repeat_window_days: int = 7
    short_abandon_seconds: int = 5
    service_level_seconds: int = 20
    resolved_outcomes: frozenset[str] = frozenset({"advice", "signposted", "resolved"})
    failure_codes: frozenset[str] = frozenset(
        {
            "progress_chasing",
            "repeat_contact",
            "wrong_service",
            "missed_visit_or_call",
            "information_not_received",
            "error_correction",
        }
    )
