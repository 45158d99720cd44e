"""A set of calls' queue figures as sums that add up: two days' sums added are the sums
of both days' calls, so a period's figures can be made of its kept days' and worked out
only where they are not kept (mi/pbx_days.py). The rates and means are made from the sums
at the end, as the wallboard's QueueFigures makes them from the calls.

Waits and talk times are summed in whole microseconds, the finest a time in the record
has: a sum of integers is the same in whatever order and grouping it is added, where a
sum of floats need not be.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Self

from frontdoor.mi.model import QueueNumbers, Rate
from frontdoor.telephony.stats import QueueCall, QueueSettings

MICROSECONDS = 1_000_000
ONE_US = dt.timedelta(microseconds=1)
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _since_1970(at: dt.datetime) -> int:
    return (at - EPOCH) // ONE_US


def _us(seconds: float) -> int:
    return round(seconds * MICROSECONDS)


@dataclass(frozen=True)
class QueueSums:
    offered: int = 0
    answered: int = 0
    abandoned: int = 0
    short_abandoned: int = 0
    waits: int = 0  # answered calls with a wait that can be (the speed of answer's n)
    wait_us: int = 0
    within: int = 0  # of those, answered within the service level
    gone: int = 0  # abandoned calls with a wait that can be
    handled: int = 0  # answered calls that had ended (the handle time's n)
    talk_us: int = 0  # their time from the answer to the end
    # answered calls still talking: a kept day's, ended by the first QUEUESTART after the
    # day (if its period holds one), their answers as microseconds since 1970, summed
    talking: int = 0
    talking_since_us: int = 0
    wrapup_us: int = 0  # the handled calls' wrap-up time: added when read, from the settings

    @classmethod
    def of(cls, calls: Iterable[QueueCall], settings: QueueSettings) -> Self:
        """The sums of `calls`, counted as QueueFigures.of and handle_time count them (a
        call's state is as it was read: these are for calls read at the period's end)."""
        offered = answered = abandoned = short = waits = within = gone = handled = talking = 0
        wait_us = talk_us = since_us = 0
        for c in calls:
            offered += 1
            if c.connect is not None:
                answered += 1
                if (w := c.wait_seconds) is not None:
                    waits += 1
                    wait_us += _us(w)
                    within += w <= settings.service_level_seconds
                if c.ended is None:
                    talking += 1
                    since_us += _since_1970(c.connect)
                elif c.ended >= c.connect:
                    handled += 1
                    talk_us += (c.ended - c.connect) // ONE_US
            if c.abandon is not None:
                abandoned += 1
                if (w := c.abandoned_after) is not None:
                    gone += 1
                    short += w < settings.short_abandon_seconds
        return cls(
            offered,
            answered,
            abandoned,
            short,
            waits,
            wait_us,
            within,
            gone,
            handled,
            talk_us,
            talking,
            since_us,
        )

    def __add__(self, other: QueueSums) -> Self:
        # field by field, without dataclasses.replace's look at the fields each time (a
        # year's report adds two queues' sums for each of 365 days)
        mine, theirs = vars(self), vars(other)
        return type(self)(*[mine[name] + theirs[name] for name in NAMES])

    def ended_at(self, restart: dt.datetime) -> QueueSums:
        """With the calls still talking ended by a QUEUESTART at `restart` (after each of
        their answers), as the from-scratch builder ends them there."""
        return dataclasses.replace(
            self,
            handled=self.handled + self.talking,
            talk_us=self.talk_us + self.talking * _since_1970(restart) - self.talking_since_us,
            talking=0,
            talking_since_us=0,
        )

    def with_wrapup(self, wrapup: dt.timedelta) -> QueueSums:
        """With the queue's wrap-up time after each handled call."""
        return dataclasses.replace(self, wrapup_us=self.handled * (wrapup // ONE_US))

    def numbers(self, settings: QueueSettings) -> QueueNumbers:
        base = self.waits + self.gone - self.short_abandoned
        handle_us = self.talk_us + self.wrapup_us
        return QueueNumbers(
            offered=self.offered,
            answered=self.answered,
            abandoned=self.abandoned,
            short_abandoned=self.short_abandoned,
            abandon_rate=Rate.of(
                self.abandoned - self.short_abandoned, self.offered - self.short_abandoned
            ),
            service_level=Rate.of(self.within, base),
            service_level_seconds=settings.service_level_seconds,
            short_abandon_seconds=settings.short_abandon_seconds,
            asa_seconds=(
                round(self.wait_us / MICROSECONDS / self.waits, 1) if self.waits else None
            ),
            aht_seconds=(
                round(handle_us / MICROSECONDS / self.handled, 1) if self.handled else None
            ),
        )

    def to_json(self) -> list[int]:
        """The kept form: the counts in field order, without the wrap-up (a setting)."""
        return [getattr(self, f.name) for f in KEPT]

    @classmethod
    def from_json(cls, kept: list[int]) -> Self:
        if len(kept) != len(KEPT):
            raise ValueError(f"kept queue sums have {len(kept)} counts, not {len(KEPT)}")
        return cls(*kept)


FIELDS = dataclasses.fields(QueueSums)
NAMES = [f.name for f in FIELDS]
KEPT = FIELDS[:-1]  # all but wrapup_us


def by_queue_numbers(
    sums: Mapping[str, QueueSums], settings: QueueSettings
) -> tuple[QueueNumbers, dict[str, QueueNumbers]]:
    """All queues' figures and each queue's (in name order), each queue's wrap-up added."""
    total = QueueSums()
    each: dict[str, QueueNumbers] = {}
    for name in sorted(sums):
        its = sums[name].with_wrapup(settings.wrapup(name))
        total += its
        each[name] = its.numbers(settings)
    return total.numbers(settings), each
