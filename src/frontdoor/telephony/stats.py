"""Live queue figures as of a moment, for the local day so far (MI definitions, "Live
queue statistics"). Each call's state is worked out in SQL from its events up to that
moment; the day's events are found through the index on their time, and the day's
claims through their call ids, so a refresh reads the day and never the whole history."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypedDict

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdoor.db.chunks import in_chunks
from frontdoor.telephony.calls import CallEvent, Claim, QueueCall, build_calls
from frontdoor.telephony.queue_log import (
    AGENT_EVENTS,
    ANSWERS,
    CALL_ENDS,
    CALL_EVENTS,
    PAUSES,
    RESTART,
    SIGN_INS,
    SIGN_OUTS,
    UNPAUSES,
)
from frontdoor.telephony.states import HandlerState
from frontdoor.telephony.tables import CallClaimRow
from frontdoor.telephony.tables import QueueEventRow as E

__all__ = ["QueueCall", "calls_between", "calls_today"]  # QueueCall: built in calls.py

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


def _fraction(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


class ImpossibleWaitJson(TypedDict):
    callid: str
    queue: str
    seconds: float


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
    impossible_waits: list[ImpossibleWaitJson]


@dataclass(frozen=True)
class QueueFigures:
    """The queue's figures for a set of calls as of a moment. A call whose logged wait
    cannot be (negative, or longer than it had been in the queue) is still offered and
    answered or abandoned, but its wait is in no figure made from waits (speed of answer,
    service level, short abandons): it is listed in `impossible_waits` instead."""

    offered: int
    answered: int
    abandoned: int
    short_abandoned: int
    waiting: int
    longest_wait_seconds: int
    abandon_rate: float | None
    service_level: float | None
    asa_seconds: float | None
    impossible_waits: tuple[QueueCall, ...] = ()
    service_level_base: int = 0  # the calls the service level counts: its n in a report

    @classmethod
    def of(
        cls, calls: Iterable[QueueCall], at: dt.datetime, settings: QueueSettings
    ) -> QueueFigures:
        calls = list(calls)
        answered = [c for c in calls if c.connect is not None]
        abandoned = [c for c in calls if c.abandon is not None]
        waits = [w for c in answered if (w := c.wait_seconds) is not None]
        gone = [w for c in abandoned if (w := c.abandoned_after) is not None]
        short = sum(w < settings.short_abandon_seconds for w in gone)
        waiting = [c for c in calls if c.waiting_at(at)]
        within = sum(w <= settings.service_level_seconds for w in waits)
        return cls(
            offered=len(calls),
            answered=len(answered),
            abandoned=len(abandoned),
            short_abandoned=short,
            waiting=len(waiting),
            longest_wait_seconds=round(
                max(((at - c.enter).total_seconds() for c in waiting), default=0)
            ),
            abandon_rate=_fraction(len(abandoned) - short, len(calls) - short),
            service_level=_fraction(within, len(waits) + len(gone) - short),
            asa_seconds=round(sum(waits) / len(waits), 1) if waits else None,
            impossible_waits=tuple(c for c in calls if c.impossible_wait),
            service_level_base=len(waits) + len(gone) - short,
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
            "impossible_waits": [
                {"callid": c.callid, "queue": c.queue, "seconds": c.waited or 0.0}
                for c in self.impossible_waits
            ],
        }


def by_queue(calls: Iterable[QueueCall]) -> dict[str, list[QueueCall]]:
    """The calls of each queue, queues in name order."""
    grouped: dict[str, list[QueueCall]] = defaultdict(list)
    for call in calls:
        grouped[call.queue].append(call)
    return dict(sorted(grouped.items()))


def calls_between(
    session: Session, start: dt.datetime, end: dt.datetime, settings: QueueSettings | None = None
) -> list[QueueCall]:
    """The one place calls are built: each (call id, queue) offered between `start` and
    `end` (UTC), as it stood at `end`. The events are found through the index on their
    time and replayed in the order they were written (calls.build_calls); a handler's
    claim at a console answers a call where no telephone system connected it. Each
    answered call names its handler, through the agents `settings` maps (an unmapped
    agent under its own name)."""
    # through the connection: plain rows, without the ORM's work on each of a month's
    rows = (
        session.connection()
        .execute(
            select(E.at, E.callid, E.queue, E.agent, E.event, E.data)
            .where(E.at >= start, E.at <= end, E.event.in_(sorted(CALL_EVENTS | {RESTART})))
            .order_by(E.at, E.id)
        )
        .all()
    )
    events = [CallEvent(*row) for row in rows]
    # Each call looks up its own claim by call id (the claims' key; no index serves their
    # time), so a refresh reads the period's claims and not every claim ever made.
    callids = sorted({e.callid for e in events if e.event != RESTART})
    claims = claims_of(session, callids, start, end)
    return build_calls(events, claims, settings.agents if settings else {})


def claims_of(
    session: Session, callids: Sequence[str], start: dt.datetime, end: dt.datetime
) -> list[Claim]:
    """The claims of these calls made from `start` to `end`, a part of the ids at a time."""
    claims: list[Claim] = []
    for some in in_chunks(callids):
        claims.extend(
            Claim(*row)
            for row in session.execute(
                select(CallClaimRow.callid, CallClaimRow.handler, CallClaimRow.at).where(
                    CallClaimRow.callid.in_(some),
                    CallClaimRow.at >= start,
                    CallClaimRow.at <= end,
                )
            )
        )
    return claims


def calls_today(
    session: Session,
    at: dt.datetime,
    day_start: dt.datetime,
    settings: QueueSettings | None = None,
) -> list[QueueCall]:
    """Each call that entered a queue between `day_start` and `at` (UTC), as it stood
    at `at`."""
    return calls_between(session, day_start, at, settings)


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
    # the queues the agent is a member of, "" standing for an agent login (AGENTLOGIN,
    # AGENTCALLBACKLOGIN: no queue of its own); signed in while any is left
    member_of: set[str] = field(default_factory=set)
    paused: bool = False
    call: str | None = None
    wrap_until: dt.datetime | None = None

    def state(self, at: dt.datetime) -> HandlerState:
        if not self.member_of:
            return HandlerState.SIGNED_OUT
        if self.call is not None:
            return HandlerState.ON_A_CALL
        if self.wrap_until is not None and self.wrap_until > at:
            return HandlerState.WRAP_UP
        return HandlerState.AWAY if self.paused else HandlerState.AVAILABLE


AGENT_LOGIN = ""  # an agent's own login, whatever queues it serves
_QUEUELESS = {"AGENTLOGIN", "AGENTCALLBACKLOGIN", "AGENTLOGOFF", "AGENTCALLBACKLOGOFF"}


def agent_states(
    session: Session, at: dt.datetime, day_start: dt.datetime, settings: QueueSettings
) -> dict[str, HandlerState]:
    """Each handler seen since yesterday (by the name its agent maps to): signed out, on a
    call, in wrap-up, away (paused) or available, as of `at`."""
    events = session.execute(
        select(E.agent, E.event, E.at, E.queue, E.callid, E.data)
        .where(
            E.at >= day_start - dt.timedelta(days=1),
            E.at <= at,
            E.event.in_(sorted(AGENT_EVENTS | ANSWERS | CALL_ENDS | {RESTART})),
        )
        .order_by(E.at, E.id)
    ).all()
    agents: dict[str, _Agent] = defaultdict(_Agent)
    for agent, event, when, queue, callid, data in events:
        if event == RESTART:  # every call gone with the restart; members stay
            for s in agents.values():
                s.call = None
            continue
        s = agents[settings.agents.get(agent, agent)]
        where = AGENT_LOGIN if event in _QUEUELESS else queue
        if event in SIGN_INS:
            # a member added paused (ADDMEMBER's data "PAUSED") is signed in and away
            if event == "ADDMEMBER" and data and data[0] == "PAUSED":
                s.paused = True
            elif not s.member_of:
                s.paused = False
            s.member_of.add(where)
        elif event in SIGN_OUTS:
            s.member_of.discard(where)
            if not s.member_of:
                s.paused, s.call = False, None
        elif event in PAUSES:
            s.paused = True
        elif event in UNPAUSES:
            s.paused = False
        elif event in ANSWERS:
            s.call = callid
            s.member_of.add(queue)  # answering shows it is there, whatever the log missed
        elif event in CALL_ENDS and s.call == callid:
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
            # a console not heard from is not counted as there: its handler may have gone
            logged_in=sum(
                s not in (HandlerState.SIGNED_OUT, HandlerState.NOT_HEARD_FROM) for s in listed
            ),
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
