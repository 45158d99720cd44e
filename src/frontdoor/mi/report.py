"""The management information report: every figure of the MI definitions for a period,
in the keys and shapes of the contacts interchange spec."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from frontdoor.directory.model import Service
from frontdoor.directory.search import words
from frontdoor.mi.figures import Figures
from frontdoor.mi.period import MiSettings, Period

# NE Lincolnshire's SPA, 2017: resolved at first contact (social care, out-of-hours
# mental health, health). Shown beside our figures, as the commissioners compare them.
NORTH_EAST_LINCOLNSHIRE_FCR = {"social_care": 0.73, "mental_health": 0.67,
                               "physical_health": 0.26}


def cluster_unmet(rows: list[tuple[str, str | None, int]]) -> list[dict[str, Any]]:
    """Searches that found nothing, grouped by what they mean ("chiropody" and
    "Chiropody for mum" and "chiropodist" are one need): the same stems, in any order."""
    groups: dict[tuple[tuple[str, ...], str | None], dict[str, int]] = defaultdict(dict)
    for text, category, count in rows:
        key = (tuple(sorted(set(words(text)))) or (text,), category)
        groups[key][text] = groups[key].get(text, 0) + count
    clusters = []
    for (_, category), texts in groups.items():
        shown = max(texts.items(), key=lambda kv: (kv[1], -len(kv[0])))[0]
        clusters.append({"query": shown, "category": category, "count": sum(texts.values()),
                         "variants": sorted(texts)})
    clusters.sort(key=lambda c: (-c["count"], c["query"]))
    return clusters


def build_report(sessions: sessionmaker[Session], period: Period, settings: MiSettings,
                 now: dt.datetime, services: Mapping[str, Service]) -> dict[str, Any]:
    """The whole report. `services` gives destinations their current names and providers."""
    with sessions() as session:
        figures = Figures(session, period, settings, now)
        contacts, handled = figures.totals()
        by_hour, by_weekday, by_day_hour = figures.demand_by_time()
        destinations: dict[str, dict[str, Any]] = {}
        for service_id, recorded_name, action, count in figures.destinations():
            known = services.get(service_id)
            entry = destinations.setdefault(service_id, {
                "name": known.name if known else recorded_name,
                "provider": known.organisation if known else None,
                "signposted": 0, "referred": 0})
            entry[action] += count
        providers: dict[str, dict[str, int]] = defaultdict(lambda: {"signposted": 0,
                                                                     "referred": 0})
        for entry in destinations.values():
            provider = entry["provider"] or "provider not known"
            providers[provider]["signposted"] += entry["signposted"]
            providers[provider]["referred"] += entry["referred"]
        scripts: dict[str, dict[str, Any]] = {}
        for script, version, node, count, flagged in figures.script_ends():
            entry = scripts.setdefault(f"{script}@{version}",
                                       {"ends": {}, "stopped_at": {}, "red_flags": 0})
            entry["ends"][node] = count
            entry["red_flags"] += flagged
        for script, version, node, count in figures.stopped_at():
            entry = scripts.setdefault(f"{script}@{version}",
                                       {"ends": {}, "stopped_at": {}, "red_flags": 0})
            entry["stopped_at"][node] = count
        report = {
            "period": {"from": period.start.isoformat(), "to": period.end.isoformat(),
                       "time_zone": period.time_zone},
            "made_at": now.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "settings": {"repeat_window_days": settings.repeat_window_days,
                         "short_abandon_seconds": settings.short_abandon_seconds,
                         "service_level_seconds": settings.service_level_seconds,
                         "resolved_outcomes": sorted(settings.resolved_outcomes)},
            "contacts": contacts,
            "handled": handled,
            "fcr_declared": figures.fcr_declared(),
            "fcr_verified": figures.fcr_verified(),
            "failure_demand": figures.failure_demand(),
            "queue": figures.queue(),
            "by_hour": by_hour,
            "by_weekday": by_weekday,
            "by_weekday_hour": by_day_hour,
            "destinations": dict(sorted(destinations.items(),
                                        key=lambda kv: -(kv[1]["signposted"] + kv[1]["referred"]))),
            "providers": dict(sorted(providers.items(),
                                     key=lambda kv: -(kv[1]["signposted"] + kv[1]["referred"]))),
            "unmet_need": cluster_unmet(figures.unmet_searches()),
            "scripts": dict(sorted(scripts.items())),
            "benchmarks": {"fcr_north_east_lincolnshire_2017": NORTH_EAST_LINCOLNSHIRE_FCR},
        }
    return report
