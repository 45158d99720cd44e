"""Time as every room sees it: an injected clock, and the start of the service's local day.

Not a room of its own: a leaf module with no imports of ours, so that the console, the
queue, the MI and the calls all agree on when "today" began (in Europe/London, midnight
is 00:00 or 23:00 UTC depending on summer time).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
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
