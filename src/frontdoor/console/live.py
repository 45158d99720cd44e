"""The live queue figures, as the wallboard and `frontdoor queue stats` show them: the
telephone system's events for the day so far, and today's FCR and failure demand from the
record."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from frontdoor.console.wiring import FrontDoor
from frontdoor.local_time import local_day_start
from frontdoor.mi.figures import Figures
from frontdoor.mi.period import Period
from frontdoor.telephony.stats import (
    QueueSettings,
    agent_states,
    calls_today,
    queue_stats,
    waiting_through_the_day,
)
from frontdoor.telephony.taking import states


@dataclass(frozen=True)
class Alerts:
    longest_wait_seconds: int = 120
    service_level_below: float = 0.8


def _queues_config(front: FrontDoor) -> dict[str, Any]:
    return _read_queues(str(front.settings.config / "queues.yaml"))


@lru_cache(maxsize=8)
def _read_queues(path: str) -> dict[str, Any]:
    """Read once a process, like the rest of config/: the ready screen and the wallboard
    ask every 2 seconds, and the file does not change under a running console."""
    file = Path(path)
    return dict(yaml.safe_load(file.read_text(encoding="utf-8")) or {}) if file.exists() else {}


def queue_settings(front: FrontDoor) -> QueueSettings:
    data = _queues_config(front)
    queues = data.get("queues") or {}
    return QueueSettings(
        short_abandon_seconds=front.settings.short_abandon_seconds,
        service_level_seconds=front.settings.service_level_seconds,
        wrapup_seconds={str(q): int(v.get("wrapup_seconds", 60)) for q, v in queues.items()},
        default_wrapup_seconds=int(data.get("default_wrapup_seconds", 60)),
        agents={str(k): str(v) for k, v in (data.get("agents") or {}).items()},
    )


def queue_priorities(front: FrontDoor) -> dict[str, int]:
    """Lower answers first (config/queues.yaml: e.g. the professionals' line before the
    public one)."""
    queues = _queues_config(front).get("queues") or {}
    return {str(q): int(v.get("priority", 99)) for q, v in queues.items()}


def alerts(front: FrontDoor) -> Alerts:
    data = _queues_config(front).get("alerts") or {}
    return Alerts(
        int(data.get("longest_wait_seconds", 120)), float(data.get("service_level_below", 0.8))
    )


def live_figures(front: FrontDoor, at: dt.datetime, details: bool = False) -> dict[str, Any]:
    """The figures of the MI definitions' live statistics as of `at`, in the spec's shape;
    with `details`, also each handler's state and calls waiting through the day."""
    zone = Period(at.date(), at.date(), front.settings.time_zone).zone
    local = at.astimezone(zone)
    day_start = local_day_start(at, zone)
    moment = at.astimezone(dt.UTC)
    settings = queue_settings(front)
    with front.sessions() as session:
        stats = queue_stats(session, moment, day_start, settings)
        today = Figures(
            session,
            Period(local.date(), local.date(), front.settings.time_zone),
            front.mi_settings(),
            at,
        )
        stats["total"]["fcr_declared"] = today.fcr_declared()["overall"]["rate"]
        stats["total"]["failure_demand_share"] = today.failure_demand()["share"]["rate"]
        per_queue = today.by_queue()
        # the telephone system's view of its agents, and each console's own word on what
        # its handler is doing, which knows more (a call taken, a reason for being away)
        pbx = agent_states(session, moment, day_start, settings)
        consoles = {h: s for h, (s, _, _) in states(front.sessions).items()}
        merged = {**pbx, **consoles}
        listed = list(merged.values())
        stats["handlers"] = {
            "logged_in": sum(s != "signed out" for s in listed),
            "available": listed.count("available"),
            "on_call": listed.count("on a call"),
            "wrap_up": listed.count("wrap-up"),
            "paused": listed.count("away"),
        }
        if details:
            stats["handler_states"] = merged
            stats["waiting_through_the_day"] = [
                (t.astimezone(zone).strftime("%H:%M"), n)
                for t, n in waiting_through_the_day(
                    calls_today(session, moment, day_start), day_start, moment
                )
            ]
    stats["at"] = local.isoformat()
    for name, figures in stats["queues"].items():
        # contacts taken from a queue carry its name; none yet today: not available
        figures.update(per_queue.get(name, {"fcr_declared": None, "failure_demand_share": None}))
    return stats
