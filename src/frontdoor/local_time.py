"""Time as every room sees it: an injected clock, the start of the service's local day,
and a time as people type it or a team's file gives it.

Not a room of its own: a leaf module with no imports of ours, so that the console, the
queue, the MI and the calls all agree on when "today" began (in Europe/London, midnight
is 00:00 or 23:00 UTC depending on summer time).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Container
from functools import lru_cache
from zoneinfo import ZoneInfo

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
    """Bank holidays in England from the maintained `holidays` package (imported at the
    first look: it takes longer to import than the console takes to paint)."""
    import holidays

    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


class BankHolidays(Container[dt.date]):
    """England's bank holidays, any year: the service's calendar (opening hours, the
    `now.bank_holiday` fact of triage scripts)."""

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and day in england_bank_holidays(day.year)


class TimeError(ValueError):
    """Not a time that can be placed: the message says what to give instead."""


def read_time(text: str, zone: str | ZoneInfo) -> dt.datetime:
    """An ISO 8601 time as typed or sent in a file (`2026-04-07T10:30`, `2026-04-07 10:30`,
    with `Z` or an offset), as a UTC moment. Without a zone it is local time in `zone`;
    a local time the clocks skipped or went through twice is refused, since it names no
    moment or two (TimeError, saying to give the offset)."""
    cleaned = text.strip()
    if cleaned[-1:] in ("z", "Z"):
        cleaned = cleaned[:-1] + "+00:00"
    try:
        value = dt.datetime.fromisoformat(cleaned)
    except ValueError:
        raise TimeError(
            f"{text.strip()!r} is not a time: give it as ISO 8601, such as 2026-04-07T10:30 "
            "(local time), 2026-04-07T09:30Z or 2026-04-07T10:30+01:00"
        ) from None
    if len(cleaned) <= len("2026-04-07"):
        raise TimeError(f"{text.strip()!r} is a day: give the time too, such as {cleaned}T10:30")
    if value.tzinfo is not None:
        return value.astimezone(dt.UTC)
    return local_moment(value, zone)


def local_moment(value: dt.datetime, zone: str | ZoneInfo) -> dt.datetime:
    """A wall-clock time in `zone` (naive) as a UTC moment; a time the clocks skipped or
    went through twice is refused (TimeError, saying to give the offset)."""
    tz = zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)
    first, second = value.replace(tzinfo=tz), value.replace(tzinfo=tz, fold=1)
    if first.utcoffset() != second.utcoffset():
        # a wall-clock time in the hour the clocks skip, or go through twice: one that
        # does not come back the same through UTC was skipped
        shown = value.isoformat(timespec="minutes")
        if first.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None) != value:
            why = f"{shown} did not happen in {tz.key}: the clocks went forward"
        else:
            why = f"{shown} happened twice in {tz.key}: the clocks went back"
        raise TimeError(
            f"{why}; give the time with its offset, such as {shown}{_offset(first)} or "
            f"{shown}{_offset(second)}"
        )
    return first.astimezone(dt.UTC)


def _offset(moment: dt.datetime) -> str:
    return moment.isoformat()[-6:]
