"""The queue's settings as config/queues.yaml gives them (only the console reads config
files), and the figures as the wallboard, the MI screen and `frontdoor queue stats` ask
for them: each screen is given a function, not the whole FrontDoor."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from frontdoor.telephony.stats import NO_PRIORITY, Alerts, QueueSettings

if TYPE_CHECKING:
    # the MI's modules (with the directory's search behind its unmet need) are imported
    # when the wallboard or the report first asks: the ready screen only reads the queues
    from frontdoor.console.wiring import FrontDoor
    from frontdoor.mi.live import LiveFigures
    from frontdoor.mi.model import Report
    from frontdoor.mi.period import Period


@lru_cache(maxsize=8)
def _read_queues(path: str) -> dict[str, Any]:
    """Read once a process, like the rest of config/: the ready screen and the wallboard
    ask every 2 seconds, and the file does not change under a running console."""
    file = Path(path)
    return dict(yaml.safe_load(file.read_text(encoding="utf-8")) or {}) if file.exists() else {}


def queue_settings(front: FrontDoor) -> QueueSettings:
    """Wrap-up times, priorities (lower answers first: e.g. the professionals' line before
    the public one), agents and alert thresholds from config/queues.yaml."""
    data = _read_queues(str(front.settings.config / "queues.yaml"))
    queues = data.get("queues") or {}
    limits = data.get("alerts") or {}
    return QueueSettings(
        short_abandon_seconds=front.settings.short_abandon_seconds,
        service_level_seconds=front.settings.service_level_seconds,
        wrapup_seconds={str(q): int(v.get("wrapup_seconds", 60)) for q, v in queues.items()},
        default_wrapup_seconds=int(data.get("default_wrapup_seconds", 60)),
        agents={str(k): str(v) for k, v in (data.get("agents") or {}).items()},
        priorities={str(q): int(v.get("priority", NO_PRIORITY)) for q, v in queues.items()},
        alerts=Alerts(
            int(limits.get("longest_wait_seconds", 120)),
            float(limits.get("service_level_below", 0.8)),
        ),
    )


def queue_priorities(front: FrontDoor) -> dict[str, int]:
    return dict(queue_settings(front).priorities)


def alerts(front: FrontDoor) -> Alerts:
    return queue_settings(front).alerts


def live_source(front: FrontDoor) -> Callable[[], LiveFigures]:
    """What the wallboard calls on each refresh: the live figures as of the clock's now."""
    from frontdoor.mi.live import live_figures

    settings, mi = queue_settings(front), front.mi_settings()

    def now() -> LiveFigures:
        return live_figures(front.sessions, settings, mi, front.clock())

    return now


def live_figures_at(front: FrontDoor, at: dt.datetime) -> LiveFigures:
    from frontdoor.mi.live import live_figures

    return live_figures(front.sessions, queue_settings(front), front.mi_settings(), at)


def report_source(front: FrontDoor) -> Callable[[Period], Report]:
    """What the MI screen calls for a period: the report as of the clock's now, with
    destinations under the directory's current names."""
    from frontdoor.mi.report import build_report

    def report(period: Period) -> Report:
        services = front.index.by_id
        return build_report(
            front.sessions,
            period,
            front.mi_settings(),
            front.clock(),
            services,
            front.matches_now,
            queue=queue_settings(front),
        )

    return report
