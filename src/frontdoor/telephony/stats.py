"""Live queue figures as of a moment, for the local day so far (MI definitions, "Live
queue statistics"). Each call's state is worked out in SQL from its events up to that
moment; the day's events are found through the index on their time."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from frontdoor.telephony.queue_log import AGENT_EVENTS
from frontdoor.telephony.states import HandlerState
from frontdoor.telephony.tables import CallClaimRow
from frontdoor.telephony.tables import QueueEventRow as E

ENDED = ("COMPLETECALLER", "COMPLETEAGENT", "TRANSFER")
LEFT = ("EXITWITHTIMEOUT", "EXITEMPTY", "EXITWITHKEY")


@dataclass(frozen=True)
class QueueSettings:
    short_abandon_seconds: int = 5
    service_level_seconds: int = 20
    wrapup_seconds: Mapping[str, int] = field(default_factory=dict)  # by queue
    default_wrapup_seconds: int = 60
    agents: Mapping[str, str] = field(default_factory=dict)  # PBX agent -> handler


def _fraction(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def _figures(
    calls: list[dict[str, Any]], at: dt.datetime, settings: QueueSettings
) -> dict[str, Any]:
    offered = len(calls)
    answered = [c for c in calls if c["connect"] is not None]
    abandoned = [c for c in calls if c["abandon"] is not None]
    short = [
        c
        for c in abandoned
        if (c["abandon"] - c["enter"]).total_seconds() < settings.short_abandon_seconds
    ]
    waiting = [
        c for c in calls if c["connect"] is None and c["abandon"] is None and c["left"] is None
    ]
    waits = [(c["connect"] - c["enter"]).total_seconds() for c in answered]
    within = sum(w <= settings.service_level_seconds for w in waits)
    base = len(answered) + len(abandoned) - len(short)
    return {
        "offered": offered,
        "answered": len(answered),
        "abandoned": len(abandoned),
        "short_abandoned": len(short),
        "waiting": len(waiting),
        "longest_wait_seconds": round(
            max(((at - c["enter"]).total_seconds() for c in waiting), default=0)
        ),
        "abandon_rate": _fraction(len(abandoned) - len(short), offered - len(short)),
        "service_level": _fraction(within, base),
        "asa_seconds": round(sum(waits) / len(waits), 1) if waits else None,
    }


def calls_today(session: Session, at: dt.datetime, day_start: dt.datetime) -> list[dict[str, Any]]:
    """Each call of the day so far: its queue, and when it entered, was answered, was
    abandoned, left by the system's rule, and ended (None where it has not)."""
    today = and_(E.at >= day_start, E.at <= at)

    def first(event: str | tuple[str, ...]) -> Any:
        names = (event,) if isinstance(event, str) else event
        return func.min(case((E.event.in_(names), E.at)))

    rows = session.execute(
        select(
            E.callid,
            func.min(E.queue),
            first("ENTERQUEUE"),
            first("CONNECT"),
            first("ABANDON"),
            first(LEFT),
            first(ENDED),
        )
        .where(today, E.event.in_(("ENTERQUEUE", "CONNECT", "ABANDON", *LEFT, *ENDED)))
        .group_by(E.callid)
    ).all()
    # Where the consoles run the queue (no CONNECT from a telephone system), a call is
    # answered when a handler takes it.
    claims = session.execute(
        select(CallClaimRow.callid, CallClaimRow.at).where(
            CallClaimRow.at >= day_start, CallClaimRow.at <= at
        )
    ).all()
    taken = {callid: when for callid, when in claims}
    calls = [(r[0], r[1], r[2], r[3] or taken.get(r[0]), *r[4:]) for r in rows]
    return [
        {
            "callid": r[0],
            "queue": r[1],
            "enter": r[2],
            "connect": r[3],
            "abandon": r[4],
            "left": r[5],
            "ended": r[6],
        }
        for r in calls
        if r[2] is not None
    ]


def waiting_through_the_day(
    calls: list[dict[str, Any]], day_start: dt.datetime, at: dt.datetime, step_minutes: int = 15
) -> list[tuple[dt.datetime, int]]:
    """How many were waiting at each step of the day so far (the wallboard's chart)."""
    points = []
    moment = day_start + dt.timedelta(minutes=step_minutes)
    while moment <= at:
        waiting = sum(
            1
            for c in calls
            if c["enter"] <= moment
            and all(c[k] is None or c[k] > moment for k in ("connect", "abandon", "left"))
        )
        points.append((moment, waiting))
        moment += dt.timedelta(minutes=step_minutes)
    return points


def queue_stats(
    session: Session, at: dt.datetime, day_start: dt.datetime, settings: QueueSettings
) -> dict[str, Any]:
    """The wallboard's figures as of `at` (UTC), counting from `day_start` (UTC)."""
    calls = calls_today(session, at, day_start)
    by_queue: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for call in calls:
        by_queue[call["queue"]].append(call)
    return {
        "at": at.isoformat(),
        "total": _figures(calls, at, settings),
        "queues": {q: _figures(c, at, settings) for q, c in sorted(by_queue.items())},
        "handlers": handler_states(session, at, day_start, settings),
    }


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
    state: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"in": False, "paused": False, "call": None, "wrap_until": None}
    )
    for agent, event, when, queue, callid in events:
        name = settings.agents.get(agent, agent)
        s = state[name]
        if event in ("ADDMEMBER", "AGENTLOGIN"):
            s["in"] = True
        elif event in ("REMOVEMEMBER", "AGENTLOGOFF"):
            s.update({"in": False, "paused": False, "call": None})
        elif event in ("PAUSE", "PAUSEALL"):
            s["paused"] = True
        elif event in ("UNPAUSE", "UNPAUSEALL"):
            s["paused"] = False
        elif event == "CONNECT":
            s["in"], s["call"] = True, callid
        elif event in ENDED and s["call"] == callid:
            wrap = settings.wrapup_seconds.get(queue, settings.default_wrapup_seconds)
            s["call"], s["wrap_until"] = None, when + dt.timedelta(seconds=wrap)
    states: dict[str, HandlerState] = {}
    for name, s in sorted(state.items()):
        if not s["in"]:
            states[name] = HandlerState.SIGNED_OUT
        elif s["call"] is not None:
            states[name] = HandlerState.ON_A_CALL
        elif s["wrap_until"] is not None and s["wrap_until"] > at:
            states[name] = HandlerState.WRAP_UP
        elif s["paused"]:
            states[name] = HandlerState.AWAY
        else:
            states[name] = HandlerState.AVAILABLE
    return states


def handler_states(
    session: Session, at: dt.datetime, day_start: dt.datetime, settings: QueueSettings
) -> dict[str, int]:
    """Logged in, and of those: on a call, in wrap-up, paused (away), or available."""
    states = list(agent_states(session, at, day_start, settings).values())
    return {
        "logged_in": sum(s != HandlerState.SIGNED_OUT for s in states),
        "available": states.count(HandlerState.AVAILABLE),
        "on_call": states.count(HandlerState.ON_A_CALL),
        "wrap_up": states.count(HandlerState.WRAP_UP),
        "paused": states.count(HandlerState.AWAY),
    }
