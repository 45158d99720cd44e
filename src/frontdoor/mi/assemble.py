"""Each contacts-based figure of the MI definitions made from a period's day parts
(day_parts.py): the rates worked out once, from the counts added up over the days."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import astuple, dataclass

from frontdoor.mi.day_parts import DayParts
from frontdoor.mi.model import (
    FailureDemand,
    FcrDeclared,
    FcrVerified,
    QueueNumbers,
    QueueReport,
    Rate,
)
from frontdoor.mi.period import MiSettings

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class QueueSums:
    """What the queue figures of a group of phone contacts are worked out from."""

    offered: int = 0
    answered: int = 0
    abandoned: int = 0
    short: int = 0
    within: int = 0  # answered within the service-level threshold
    waited: float = 0.0  # seconds, over the answered
    wrapped: int = 0  # answered, with an end of wrap-up
    handled: float = 0.0  # seconds, over those

    def __add__(self, other: QueueSums) -> QueueSums:
        return QueueSums(*(a + b for a, b in zip(astuple(self), astuple(other), strict=True)))


def _rates(counts: Mapping[str | None, list[int]]) -> dict[str, Rate]:
    """[n, numerator] by key as rates, keys in order; a missing key is no group."""
    ordered = sorted(counts.items(), key=_key)
    return {str(k): Rate.of(v[1], v[0]) for k, v in ordered if k is not None}


def _key(item: tuple[object, object]) -> str:
    return str(item[0])


def fcr_declared(total: DayParts) -> FcrDeclared:
    """Overall and by category, caller type, channel, handler, and by the script each
    contact ended in."""
    by: dict[str, dict[str | None, list[int]]] = defaultdict(dict)
    for (dim, key), counts in total.declared.items():
        by[dim][key] = counts
    n_all, r_all = by["all"].get(None, [0, 0])
    return FcrDeclared(
        overall=Rate.of(r_all, n_all),
        by_category=_rates(by["category"]),
        by_caller_type=_rates(by["caller_type"]),
        by_channel=_rates(by["channel"]),
        by_handler=_rates(by["handler"]),
        by_script={f"{s}@{v}": Rate.of(r, n) for (s, v), (n, r) in sorted(total.by_script.items())},
    )


def fcr_verified(total: DayParts, settings: MiSettings) -> FcrVerified:
    n = sum(v[0] for v in total.verified.values())
    kept = sum(v[1] for v in total.verified.values())
    return FcrVerified(
        overall=Rate.of(kept, n),
        by_category=_rates(total.verified),
        window_days=settings.repeat_window_days,
    )


def failure_demand(total: DayParts, settings: MiSettings) -> FailureDemand:
    """Share, the failure codes busiest first, by category, and by ISO week of the local
    day the contacts came in."""
    codes: Counter[str] = Counter()
    by_category: defaultdict[str | None, list[int]] = defaultdict(lambda: [0, 0])
    n = f = 0
    for (category, code), count in total.tagged.items():
        failed = count if code in settings.failure_codes else 0
        n, f = n + count, f + failed
        by_category[category][0] += count
        by_category[category][1] += failed
        if failed:
            codes[code] += count
    return FailureDemand(
        share=Rate.of(f, n),
        by_code=dict(sorted(codes.items(), key=lambda kv: (-kv[1], kv[0]))),
        by_category=_rates(by_category),
        by_week={k: Rate.of(v[1], v[0]) for k, v in sorted(total.weeks.items()) if v[0]},
    )


def queue(total: DayParts, numbers: Callable[[QueueSums], QueueNumbers]) -> QueueReport:
    """Each queue's sums and the total's (a call recorded with no queue counts in the
    total only), made into figures by `numbers`."""
    sums = {
        q: QueueSums(
            offered=int(row[0]),
            answered=int(row[1]),
            abandoned=int(row[2]),
            short=int(row[3]),
            within=int(row[4]),
            waited=row[5],
            wrapped=int(row[6]),
            handled=row[7],
        )
        for q, row in total.queue.items()
    }
    everything = sum(sums.values(), QueueSums())
    by_queue = {str(q): numbers(s) for q, s in sorted(sums.items(), key=_key) if q is not None}
    return QueueReport.of(numbers(everything), "contacts", by_queue)


def demand_by_time(
    total: DayParts,
) -> tuple[dict[str, int], dict[str, int], dict[str, dict[str, int]]]:
    """Contacts that came in by local hour, by weekday, and by both."""
    by_hour: Counter[str] = Counter()
    by_weekday: Counter[str] = Counter()
    grid: dict[str, Counter[str]] = defaultdict(Counter)
    for (day, hour), count in total.hours.items():
        weekday = WEEKDAYS[day]
        by_hour[str(hour)] += count
        by_weekday[weekday] += count
        grid[weekday][str(hour)] += count
    return (
        {str(h): by_hour.get(str(h), 0) for h in range(24)},
        {d: by_weekday.get(d, 0) for d in WEEKDAYS},
        {d: {str(h): grid[d].get(str(h), 0) for h in range(24)} for d in WEEKDAYS},
    )
