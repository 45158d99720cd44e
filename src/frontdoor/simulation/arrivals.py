"""When contacts arrive: an SPA's week, busiest mid-morning, quieter at weekends."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from zoneinfo import ZoneInfo

# Relative demand by local hour (8am-8pm service); an SPA open 24/7 keeps a thin night.
DAY_SHAPE = {
    8: 3.0,
    9: 5.0,
    10: 5.2,
    11: 4.6,
    12: 3.8,
    13: 4.0,
    14: 4.2,
    15: 3.8,
    16: 3.4,
    17: 2.6,
    18: 1.8,
    19: 1.3,
}
NIGHT = 0.25
WEEKDAY_SHAPE = [1.25, 1.1, 1.05, 1.05, 1.0, 0.6, 0.55]  # Monday busiest


def arrivals(
    start: dt.date, days: int, per_month: int, seed: int, zone: ZoneInfo, all_day: bool = False
) -> Iterator[dt.datetime]:
    """Arrival times in UTC, in order, about `per_month` every 30 days."""
    rng = random.Random(seed)
    hours = {h: DAY_SHAPE.get(h, NIGHT if all_day else 0.0) for h in range(24)}
    week_total = sum(hours.values()) * sum(WEEKDAY_SHAPE)
    per_week = per_month * 7 / 30
    for offset in range(days):
        day = start + dt.timedelta(days=offset)
        for hour, weight in hours.items():
            expected = per_week * weight * WEEKDAY_SHAPE[day.weekday()] / week_total
            count = _poisson(rng, expected)
            moments = sorted(rng.randrange(3600) for _ in range(count))
            for second in moments:
                local = dt.datetime.combine(day, dt.time(hour), zone) + dt.timedelta(seconds=second)
                yield local.astimezone(dt.UTC)


def _poisson(rng: random.Random, mean: float) -> int:
    if mean <= 0:
        return 0
    if mean > 30:
        return max(0, round(rng.gauss(mean, mean**0.5)))
    threshold, count, product = pow(2.718281828459045, -mean), 0, rng.random()
    while product > threshold:
        count += 1
        product *= rng.random()
    return count
