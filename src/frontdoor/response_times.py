"""How soon a team should answer a referral, and when that is.

`Nh` is that many clock hours after the referral was made (real hours: across a change of
the clocks, 4h is still four hours). `N working days` is the end (23:59:59 local) of the
Nth working day after the day it was made, a working day being Monday to Friday less
England's bank holidays: made on Thursday 2 April 2026, "2 working days" skips Good
Friday, the weekend and Easter Monday, and is due at the end of Wednesday 8 April.

A leaf module with no imports of ours: a script end, a directory service and the
service's defaults all give a response time, and the rooms that keep them cannot import
one another.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Container
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

# as people type them: "2 Working Days" and "4H" are read as 2 working days and 4h
_HOURS = re.compile(r"^\s*(\d+)\s*h\s*$", re.IGNORECASE)
_WORKING_DAYS = re.compile(r"^\s*(\d+)\s+working\s+days?\s*$", re.IGNORECASE)
END_OF_DAY = dt.time(23, 59, 59)
# No team is given longer than a year or so; the bound keeps a typing slip ("4000000h")
# from a due time past the calendar's end, or a count of working days that never ends.
MOST = {"hours": 366 * 24, "working_days": 366}


@dataclass(frozen=True)
class ResponseTime:
    """`amount` clock hours, or the end of the `amount`th working day."""

    amount: int
    unit: Literal["hours", "working_days"]

    def __str__(self) -> str:
        if self.unit == "hours":
            return f"{self.amount}h"
        return f"{self.amount} working day{'' if self.amount == 1 else 's'}"


class ResponseTimeError(ValueError):
    """Not a response time; the message says what one looks like."""


def read_response_time(value: object) -> ResponseTime:
    """`value` as a response time; ResponseTimeError when it is not one."""
    if isinstance(value, ResponseTime):
        return value
    text = value if isinstance(value, str) else ""
    for pattern, unit in ((_HOURS, "hours"), (_WORKING_DAYS, "working_days")):
        match = pattern.match(text)
        if match and 0 < len(match.group(1)) <= 6 and 0 < int(match.group(1)) <= MOST[unit]:
            return ResponseTime(int(match.group(1)), unit)  # type: ignore[arg-type]
        if match and match.group(1).strip("0"):  # not int(): it may have thousands of digits
            raise ResponseTimeError(
                f"respond_within is at most {MOST['hours']}h or {MOST['working_days']} "
                f"working days (a year or so), not {value!r}"
            )
    raise ResponseTimeError(
        f"respond_within is Nh (hours) or N working day(s), such as 4h or 2 working days, "
        f"not {value!r}"
    )


def working_day(day: dt.date, holidays: Container[dt.date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def nth_working_day_after(day: dt.date, n: int, holidays: Container[dt.date]) -> dt.date:
    counted = 0
    while counted < n:
        day += dt.timedelta(days=1)
        if working_day(day, holidays):
            counted += 1
    return day


def due_at(
    made_at: dt.datetime,
    within: ResponseTime,
    zone: str | ZoneInfo,
    holidays: Container[dt.date],
) -> dt.datetime:
    """The due time in UTC of a referral made at `made_at` (aware)."""
    if within.unit == "hours":
        return (made_at + dt.timedelta(hours=within.amount)).astimezone(dt.UTC)
    tz = zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)
    last = nth_working_day_after(made_at.astimezone(tz).date(), within.amount, holidays)
    return dt.datetime.combine(last, END_OF_DAY, tz).astimezone(dt.UTC)
