"""Live queue figures as of a moment, for the local day so far (MI definitions, "Live
queue statistics"). Each call's state is worked out in SQL from its events up to that
moment; the day's events are found through the index on their time, and the day's
claims through their call ids, so a refresh reads the day and never the whole history."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypedDict

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from frontdoor.telephony.queue_log import AGENT_EVENTS
from frontdoor.telephony.states import HandlerState
from frontdoor.telephony.tables import CallClaimRow
from frontdoor.telephony.tables import QueueEventRow as E

ENDED = ("COMPLETECALLER", "COMPLETEAGENT", "TRANSFER")
LEFT = ("EXITWITHTIMEOUT", "EXITEMPTY", "EXITWITHKEY")
NO_PRIORITY = 99  # a queue config/queues.yaml does not rank is answered last


@dataclass(frozen=True)
class Alerts:
    """When the wallboard turns red."""

    longest_wait_seconds: int = 120
    service_level_below: float = 0.8


@dataclass(frozen=True)
class QueueSettings:
    short_abandon_seconds: int = 5
    service_level_seconds: int = 20
    wrapup_seconds: Mapping[str, int] = field(default_factory=dict)  # by queue
    default_wrapup_seconds: int = 60
    agents: Mapping[str, str] = field(default_factory=dict)  # PBX agent -> handler
    priorities: Mapping[str, int] = field(default_factory=dict)  # lower answers first
    alerts: Alerts = Alerts()

    def priority(self, queue: str) -> int:
        return self.priorities.get(queue, NO_PRIORITY)

    def wrapup(self, queue: str) -> dt.timedelta:
        return dt.timedelta(seconds=self.wrapup_seconds.get(queue, self.default_wrapup_seconds))


@dataclass(frozen=True)
class QueueCall:
    """One call of the day: its queue, and when it entered, was answered (by the telephone
    system or taken by a handler), was abandoned, left by the system's rule, and ended
    (None where it has not, as of the moment it was read)."""

    callid: str
    queue: str
    enter: dt.datetime
    connect: dt.datetime | None
    abandon: dt.datetime | None
    left: dt.datetime | None
    ended: dt.datetime | None

    def waiting_at(self, moment: dt.datetime) -> bool:
        """The one definition of "a call is waiting": it has entered the queue and has not
        been answered, abandoned or sent away by the system by then."""
        return self.enter <= moment and all(
            t is None or t > moment for t in (self.connect, self.abandon, self.left)
        )

    @property
    def wait_seconds(self) -> float | None:
        """How long the caller waited to be answered (None: not answered)."""
        return None if self.connect is None else (self.connect - self.enter).total_seconds()


def _fraction(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


class QueueFiguresJson(TypedDict):
    offered: int
    answered: int
    abandoned: int
    short_abandoned: int
    waiting: int
    longest_wait_seconds: int
    abandon_rate: float | None
    service_level: float | None
    asa_seconds: float | None


@dataclass(frozen=True)
class QueueFigures:
    """The queue's figures for a set of calls as of a moment."""

    offered: int
    answered: int
    abandoned: int
    short_abandoned: int
    waiting: int
    longest_wait_seconds: int
    abandon_rate: float | None
    service_level: float | None
    asa_seconds: float | None

    @classmethod
    def of(
        cls, calls: Iterable[QueueCall], at: dt.datetime, settings: QueueSettings
    ) -> QueueFigures:
        calls = list(calls)
        waits = [w for c in calls if (w := c.wait_seconds) is not None]
        abandoned = [c.abandon - c.enter for c in calls if c.abandon is not None]
        short = sum(gone.total_seconds() < settings.short_abandon_seconds for gone in abandoned)
        waiting = [c for c in calls if c.waiting_at(at)]
        within = sum(w <= settings.service_level_seconds for w in waits)
        return cls(
            offered=len(calls),
            answered=len(waits),
            abandoned=len(abandoned),
            short_abandoned=short,
            waiting=len(waiting),
            longest_wait_seconds=round(
                max(((at - c.enter).total_seconds() for c in waiting), default=0)
            ),
            abandon_rate=_fraction(len(abandoned) - short, len(calls) - short),
            service_level=_fraction(within, len(waits) + len(abandoned) - short),
            asa_seconds=round(sum(waits) / len(waits), 1) if waits else None,
        )

    def to_json(self) -> QueueFiguresJson:
        return {
            "offered": self.offered,
            "answered": self.answered,
            "abandoned": self.abandoned,
            "short_abandoned": self.short_abandoned,
            "waiting": self.waiting,
            "longest_wait_seconds": self.longest_wait_seconds,
            "abandon_rate": self.abandon_rate,
            "service_level": self.service_level,
            "asa_seconds": self.asa_seconds,
        }


def by_queue(calls: Iterable[QueueCall]) -> dict[str, list[QueueCall]]:
    """The calls of each queue, queues in name order."""
    grouped: dict[str, list[QueueCall]] = defaultdict(list)
    for call in calls:
        grouped[call.queue].append(call)
    return dict(sorted(grouped.items()))


def calls_today(session: Session, at: dt.datetime, day_start: dt.datetime) -> list[QueueCall]:
    """Each call that entered the queue between `day_start` and `at` (UTC), as it stood
    at `at`."""

    def first(*names: str) -> Any:
        return func.min(case((E.event.in_(names), E.at)))

    # Where the consoles run the queue (no CONNECT from a telephone system), a call is
    # answered when a handler takes it. Each of the day's calls looks up its own claim by
    # call id (the claims' key; no index serves their time), so a refresh reads the
    # day's claims and not every claim ever made, on SQLite and PostgreSQL alike.
    taken = (
        select(CallClaimRow.at)
        .where(CallClaimRow.callid == E.callid, CallClaimRow.at >= day_start, CallClaimRow.at <= at)
        .scalar_subquery()
    )
    rows = session.execute(
        select(
            E.callid,
            func.min(E.queue),
            first("ENTERQUEUE"),
            first("CONNECT"),
            taken,
            first("ABANDON"),
            first(*LEFT),
            first(*ENDED),
        )
        .where(
            E.at >= day_start,
            E.at <= at,
            E.event.in_(("ENTERQUEUE", "CONNECT", "ABANDON", *LEFT, *ENDED)),
        )
        .group_by(E.callid)
    ).all()
    return [
        QueueCall(callid, queue, enter, connect or taken, abandon, left, ended)
        for callid, queue, enter, connect, taken, abandon, left, ended in rows
        if enter is not None  # it entered the queue before the day began
    ]


def calls_between(
    session: Session, start: dt.datetime, end: dt.datetime, settings: QueueSettings
) -> list[QueueCall]:
    """Each call that entered a queue between `start` and `end` (UTC), as it stood at
    `end`: a report's period, read by the same rule as the wallboard's day (`calls_today`),
    so the two agree. `settings` are the queue's: how a call is built from its events may
    depend on them."""
    del settings  # the calls are built from their events alone, for now
    return calls_today(session, end, start)


def waiting_through_the_day(
    calls: Iterable[QueueCall], day_start: dt.datetime, at: dt.datetime, step_minutes: int = 15
) -> list[tuple[dt.datetime, int]]:
    """How many were waiting at each step of the day so far (the wallboard's chart)."""
    calls = list(calls)
    points = []
    moment = day_start + dt.timedelta(minutes=step_minutes)
    while moment <= at:
        points.append((moment, sum(c.waiting_at(moment) for c in calls)))
        moment += dt.timedelta(minutes=step_minutes)
    return points


@dataclass
class _Agent:
    signed_in: bool = False
    paused: bool = False
    call: str | None = None
    wrap_until: dt.datetime | None = None

    def state(self, at: dt.datetime) -> HandlerState:
        if not self.signed_in:
            return HandlerState.SIGNED_OUT
        if self.call is not None:
            return HandlerState.ON_A_CALL
        if self.wrap_until is not None and self.wrap_until > at:
            return HandlerState.WRAP_UP
        return HandlerState.AWAY if self.paused else HandlerState.AVAILABLE


def agent_states(
    session: Session, at: dt.datetime, day_start: dt.datetime, settings: QueueSettings
) -> dict[str, HandlerState]:
    """Each handler seen since yesterday (by the name its agent maps to): signed out, on a
    call, in wrap-up, away (paused) or available, as of `at`."""
    events = session.execute(
        select(E.agent, E.event, E.at, E.queue, E.callid)
        .where(
            E.at >= day_start - dt.timedelta(days=1),
            E.at <= at,
            E.event.in_((*sorted(AGENT_EVENTS), "CONNECT", *ENDED)),
        )
        .order_by(E.at, E.id)
    ).all()
    agents: dict[str, _Agent] = defaultdict(_Agent)
    for agent, event, when, queue, callid in events:
        s = agents[settings.agents.get(agent, agent)]
        if event in ("ADDMEMBER", "AGENTLOGIN"):
            s.signed_in = True
        elif event in ("REMOVEMEMBER", "AGENTLOGOFF"):
            s.signed_in, s.paused, s.call = False, False, None
        elif event in ("PAUSE", "PAUSEALL"):
            s.paused = True
        elif event in ("UNPAUSE", "UNPAUSEALL"):
            s.paused = False
        elif event == "CONNECT":
            s.signed_in, s.call = True, callid
        elif event in ENDED and s.call == callid:
            s.call, s.wrap_until = None, when + settings.wrapup(queue)
    return {name: s.state(at) for name, s in sorted(agents.items())}


class HandlerCountsJson(TypedDict):
    logged_in: int
    available: int
    on_call: int
    wrap_up: int
    paused: int


@dataclass(frozen=True)
class HandlerCounts:
    """Signed in, and of those: on a call, in wrap-up, paused (away), or available."""

    logged_in: int
    available: int
    on_call: int
    wrap_up: int
    paused: int

    @classmethod
    def of(cls, states: Iterable[HandlerState]) -> HandlerCounts:
        listed = list(states)
        return cls(
            logged_in=sum(s is not HandlerState.SIGNED_OUT for s in listed),
            available=listed.count(HandlerState.AVAILABLE),
            on_call=listed.count(HandlerState.ON_A_CALL),
            wrap_up=listed.count(HandlerState.WRAP_UP),
            paused=listed.count(HandlerState.AWAY),
        )

    def to_json(self) -> HandlerCountsJson:
        return {
            "logged_in": self.logged_in,
            "available": self.available,
            "on_call": self.on_call,
            "wrap_up": self.wrap_up,
            "paused": self.paused,
        }
