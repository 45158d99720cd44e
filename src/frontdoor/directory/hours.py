"""Is a service open at a given local time? Exceptions first, then bank holidays in
England, then the weekly hours (the same order of precedence as NHS DoS)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Container
from dataclasses import dataclass
from typing import Literal

from frontdoor.directory.model import DAYS, OpeningHours, Service
from frontdoor.local_time import BankHolidays

OpenState = Literal["open", "closed", "not known"]


@dataclass(frozen=True)
class OpenStatus:
    state: OpenState
    reason: str


def _covers(hours: OpeningHours, day: dt.date) -> bool:
    return (hours.valid_from is None or hours.valid_from <= day) and (
        hours.valid_to is None or day <= hours.valid_to
    )


def _open_in(hours: list[OpeningHours], when: dt.datetime) -> bool:
    day, time = when.date(), when.time()
    name = DAYS[day.weekday()]
    yesterday = DAYS[(day.weekday() - 1) % 7]
    for entry in hours:
        overnight = entry.closes <= entry.opens
        if name in entry.days and _covers(entry, day):
            if not overnight and entry.opens <= time < entry.closes:
                return True
            if overnight and time >= entry.opens:
                return True
        previous = day - dt.timedelta(days=1)
        if (
            overnight
            and yesterday in entry.days
            and _covers(entry, previous)
            and time < entry.closes
        ):
            return True
    return False


def open_status(
    service: Service, when: dt.datetime, bank_holidays: Container[dt.date] | None = None
) -> OpenStatus:
    """`when` is local time (naive or aware in the service's zone)."""
    day = when.date()
    for exception in service.hours_exceptions:
        if exception.date == day:
            note = f" ({exception.note})" if exception.note else ""
            if exception.closed or exception.opens is None or exception.closes is None:
                return OpenStatus("closed", f"closed on {day:%d %b}{note}")
            special = OpeningHours(
                days=[DAYS[day.weekday()]], opens=exception.opens, closes=exception.closes
            )
            is_open = _open_in([special], when)
            return OpenStatus(
                "open" if is_open else "closed", f"special hours on {day:%d %b}{note}"
            )
    holidays_here = bank_holidays if bank_holidays is not None else BankHolidays()
    if day in holidays_here:
        if service.open_on_bank_holidays is False:
            return OpenStatus("closed", "closed on bank holidays")
        if service.open_on_bank_holidays is None:
            return OpenStatus("not known", "bank holiday: opening not known")
    if not service.hours:
        return OpenStatus("not known", "opening hours not known")
    if not any(_covers(h, day) or _covers(h, day - dt.timedelta(days=1)) for h in service.hours):
        return OpenStatus("not known", "opening hours out of date")
    if _open_in(service.hours, when):
        return OpenStatus("open", "open now")
    return OpenStatus("closed", "closed now")


def minute_of(when: dt.datetime) -> dt.datetime:
    """`when` at the start of its minute. Hours are whole minutes, so every answer above
    (and `opens_again`) is the same at any second of a minute as at its start: for a time
    t in whole minutes, `t <= when` and `when < t` (the only comparisons made) hold exactly
    when they do for the minute's start."""
    return when.replace(second=0, microsecond=0)


def whole_minutes(service: Service) -> bool:
    """Every time in the service's hours and exceptions is a whole minute."""
    times = [t for h in service.hours for t in (h.opens, h.closes)]
    times += [t for e in service.hours_exceptions for t in (e.opens, e.closes) if t is not None]
    return all(t.second == 0 and t.microsecond == 0 for t in times)


LOOK_AHEAD_DAYS = 7  # a service closed for longer than a week is "not open this week"


def _opening_times(
    service: Service, day: dt.date, bank_holidays: Container[dt.date]
) -> list[dt.time]:
    """When the service opens on `day`, by the same precedence as `open_status`."""
    for exception in service.hours_exceptions:
        if exception.date == day:
            if exception.closed or exception.opens is None or exception.closes is None:
                return []
            return [exception.opens]
    if day in bank_holidays and not service.open_on_bank_holidays:
        return []  # closed, or not known: either way not a time to promise the caller
    name = DAYS[day.weekday()]
    return [h.opens for h in service.hours if name in h.days and _covers(h, day)]


def next_opening(
    service: Service, when: dt.datetime, bank_holidays: Container[dt.date] | None = None
) -> dt.datetime | None:
    """The next time after `when` (local) that the service opens, within a week; None when
    it does not open in that week or its hours are not known."""
    holidays_here = bank_holidays if bank_holidays is not None else BankHolidays()
    for ahead in range(LOOK_AHEAD_DAYS + 1):
        day = when.date() + dt.timedelta(days=ahead)
        times = sorted(
            t for t in _opening_times(service, day, holidays_here) if ahead or t > when.time()
        )
        if times:
            return dt.datetime.combine(day, times[0], tzinfo=when.tzinfo)
    return None


def opens_again(
    service: Service, when: dt.datetime, bank_holidays: Container[dt.date] | None = None
) -> str:
    """'opens today 18:00', 'opens Mon 09:00', or 'not open in the next week'."""
    opening = next_opening(service, when, bank_holidays)
    if opening is None:
        return "not open in the next week"
    day = "today" if opening.date() == when.date() else f"{opening:%a}"
    return f"opens {day} {opening:%H:%M}"
