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


def queue_stats(
    session: Session, at: dt.datetime, day_start: dt.datetime, settings: QueueSettings
) -> dict[str, Any]:
    """The wallboard's figures as of `at` (UTC), counting from `day_start` (UTC)."""
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
    calls = [
        {
            "queue": r[1],
            "enter": r[2],
            "connect": r[3],
            "abandon": r[4],
            "left": r[5],
            "ended": r[6],
        }
        for r in rows
        if r[2] is not None
    ]
    by_queue: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for call in calls:
        by_queue[call["queue"]].append(call)
    return {
        "at": at.isoformat(),
        "total": _figures(calls, at, settings),
        "queues": {q: _figures(c, at, settings) for q, c in sorted(by_queue.items())},
        "handlers": handler_states(session, at, day_start, settings),
    }


def handler_states(
    session: Session, at: dt.datetime, day_start: dt.datetime, settings: QueueSettings
) -> dict[str, int]:
    """Logged in, and of those: on a call, in wrap-up, paused (away), or available."""
    events = session.execute(
        select(E.agent, E.event, E.at, E.queue, E.callid)
        .where(
            E.at >= day_start - dt.timedelta(days=1),
            E.at <= at,
            E.event.in_(
                (
                    "ADDMEMBER",
                    "AGENTLOGIN",
                    "REMOVEMEMBER",
                    "AGENTLOGOFF",
                    "PAUSE",
                    "PAUSEALL",
                    "UNPAUSE",
                    "UNPAUSEALL",
                    "CONNECT",
                    *ENDED,
                )
            ),
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
    counts = {"logged_in": 0, "available": 0, "on_call": 0, "wrap_up": 0, "paused": 0}
    for s in state.values():
        if not s["in"]:
            continue
        counts["logged_in"] += 1
        if s["call"] is not None:
            counts["on_call"] += 1
        elif s["wrap_until"] is not None and s["wrap_until"] > at:
            counts["wrap_up"] += 1
        elif s["paused"]:
            counts["paused"] += 1
        else:
            counts["available"] += 1
    return counts
