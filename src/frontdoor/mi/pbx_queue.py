"""The report's queue figures from the telephone system's queue_log, where it fed the
period's calls (mi-definitions.md: "Where a PBX feeds the queue_log, the MI report's queue
figures come from it; where none does, from the contacts").

The calls are built from their events by the wallboard's own function (in the database:
one row a call and queue), and each queue's figures worked out by the wallboard's own
`QueueFigures`, so the report for a day and the wallboard at that day's end give the
same figures, key by key. Python adds up one row a call: a month at 12,000 calls is
12,000 small rows, not the events behind them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable

from sqlalchemy.orm import Session

from frontdoor.mi.model import QueueNumbers, QueueReport, Rate
from frontdoor.mi.period import MiSettings, Period
from frontdoor.telephony.stats import (
    QueueCall,
    QueueFigures,
    QueueSettings,
    by_queue,
    calls_between,
)


def moment_of(period: Period, now: dt.datetime) -> dt.datetime:
    """The moment the period's calls are read as of (UTC): the last instant of the period
    (midnight is the next day's), or, while the period has not ended, the time the report
    is made, what happened at that very moment included (as on the wallboard then)."""
    last = period.utc_end - dt.timedelta(microseconds=1)
    return max(period.utc_start, min(last, now.astimezone(dt.UTC)))


def thresholds(queue: QueueSettings, mi: MiSettings) -> QueueSettings:
    """The report's own thresholds, which it states (the same settings.yaml values the
    wallboard reads); the queues' wrap-up times and agents are config/queues.yaml's."""
    return dataclasses.replace(
        queue,
        short_abandon_seconds=mi.short_abandon_seconds,
        service_level_seconds=mi.service_level_seconds,
    )


def pbx_queue(
    session: Session, period: Period, now: dt.datetime, mi: MiSettings, queue: QueueSettings
) -> QueueReport | None:
    """The period's queue figures from its queue events, in total and by queue; None when
    no call entered a queue in the period (the figures then come from the contacts).
    From scratch, every call of the period built from its events: the measure the report's
    own path (pbx_days.period_queue, kept days and the rest) is held to, key by key."""
    moment = moment_of(period, now)
    settings = thresholds(queue, mi)
    calls = calls_between(session, period.utc_start, moment, settings)
    if not calls:
        return None
    return QueueReport.of(
        numbers(calls, moment, settings),
        "pbx",
        {name: numbers(its, moment, settings) for name, its in by_queue(calls).items()},
    )


def numbers(calls: Iterable[QueueCall], at: dt.datetime, settings: QueueSettings) -> QueueNumbers:
    """One queue's figures (or all queues'), as the wallboard counts them at `at`, with
    the count each rate rests on."""
    calls = list(calls)
    f = QueueFigures.of(calls, at, settings)
    return QueueNumbers(
        offered=f.offered,
        answered=f.answered,
        abandoned=f.abandoned,
        short_abandoned=f.short_abandoned,
        # the wallboard's rates are plain fractions; the report gives each with its n
        abandon_rate=Rate(f.abandon_rate, f.offered - f.short_abandoned),
        service_level=Rate(f.service_level, f.service_level_base),
        service_level_seconds=settings.service_level_seconds,
        short_abandon_seconds=settings.short_abandon_seconds,
        asa_seconds=f.asa_seconds,
        aht_seconds=handle_time(calls, settings),
    )


def handle_time(calls: Iterable[QueueCall], settings: QueueSettings) -> float | None:
    """Mean (end of wrap-up − answered) over the answered calls that had ended: from the
    answer to the end of the call as the telephone system logged them, and the queue's
    wrap-up time after it (the time the
    handler is in wrap-up once the call ends, as the wallboard counts it); None when no
    answered call had ended."""
    handled = [
        (c.ended - c.connect + settings.wrapup(c.queue)).total_seconds()
        for c in calls
        if c.connect is not None and c.ended is not None and c.ended >= c.connect
    ]
    return round(sum(handled) / len(handled), 1) if handled else None
