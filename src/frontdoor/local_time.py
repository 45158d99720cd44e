"""Time as every room sees it: an injected clock, and the start of the service's local day.

Not a room of its own: a leaf module with no imports of ours, so that the console, the
queue, the MI and the calls all agree on when "today" began (in Europe/London, midnight
is 00:00 or 23:00 UTC depending on summer time).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Container
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

Clock = Callable[[], dt.datetime]


def system_clock() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def local_day_start(at: dt.datetime, zone: str | ZoneInfo) -> dt.datetime:
    """Midnight of `at`'s local day in `zone`, as a UTC moment."""
    tz = zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)
    local = at.astimezone(tz)
    midnight = dt.datetime.combine(local.date(), dt.time(), tz)
    return midnight.astimezone(dt.UTC)


@lru_cache(maxsize=16)
def england_bank_holidays(year: int) -> frozenset[dt.date]:
    """Bank holidays in England from the maintained `holidays` package."""
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


class BankHolidays(Container[dt.date]):
    """England's bank holidays, any year: the service's calendar (opening hours, the
    `now.bank_holiday` fact of triage scripts)."""

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and day in england_bank_holidays(day.year)
