"""The management information report: every figure of the MI definitions for a period,
in the keys and shapes of the contacts interchange spec."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from rapidfuzz.distance import Levenshtein
from sqlalchemy.orm import Session, sessionmaker

from frontdoor.directory.model import Service
from frontdoor.directory.search import words
from frontdoor.mi.figures import Figures
from frontdoor.mi.period import MiSettings, Period

# NE Lincolnshire's SPA, 2017: resolved at first contact (social care, out-of-hours
# mental health, health). Shown beside our figures, as the commissioners compare them.
NORTH_EAST_LINCOLNSHIRE_FCR = {"social_care": 0.73, "mental_health": 0.67, "physical_health": 0.26}


def _close(a: str, b: str) -> bool:
    if a == b:
        return True
    if min(len(a), len(b)) < 5:
        return False
    return a.startswith(b) or b.startswith(a) or Levenshtein.distance(a, b) <= 1


def same_need(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Every word of the shorter search is in the longer one, give or take an ending or a
    typing error: "chiropodist" and "chiropody for mum" are one need."""
    shorter, longer = sorted((a, b), key=len)
    return bool(shorter) and all(any(_close(s, t) for t in longer) for s in shorter)


def cluster_unmet(rows: list[tuple[str, str | None, int]]) -> list[dict[str, Any]]:
    """Searches that found nothing, grouped by what they mean within each category, busiest
    search first; each group is shown by its commonest text (the shortest on a tie)."""
    by_category: dict[str | None, dict[str, int]] = defaultdict(dict)
    for text, category, count in rows:
        by_category[category][text] = by_category[category].get(text, 0) + count
    clusters: list[dict[str, Any]] = []
    for category, texts in by_category.items():
        groups: list[tuple[tuple[str, ...], dict[str, int]]] = []
        for text, count in sorted(texts.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0])):
            stems = tuple(words(text)) or (text,)
            for head, members in groups:
                if same_need(head, stems):
                    members[text] = count
                    break
            else:
                groups.append((stems, {text: count}))
        for _, members in groups:
            shown = max(members.items(), key=lambda kv: (kv[1], -len(kv[0])))[0]
            clusters.append(
                {
                    "query": shown,
                    "category": category,
                    "count": sum(members.values()),
                    "variants": sorted(members),
                }
            )
    clusters.sort(key=lambda c: (-c["count"], c["query"]))
    return clusters


def build_report(
    sessions: sessionmaker[Session],
    period: Period,
    settings: MiSettings,
    now: dt.datetime,
    services: Mapping[str, Service],
) -> dict[str, Any]:
    """The whole report. `services` gives destinations their current names and providers."""
    with sessions() as session:
        figures = Figures(session, period, settings, now)
        contacts, handled = figures.totals()
        by_hour, by_weekday, by_day_hour = figures.demand_by_time()
        destinations: dict[str, dict[str, Any]] = {}
        for service_id, recorded_name, action, count in figures.destinations():
            known = services.get(service_id)
            entry = destinations.setdefault(
                service_id,
                {
                    "name": known.name if known else recorded_name,
                    "provider": known.organisation if known else None,
                    "signposted": 0,
                    "referred": 0,
                },
            )
            entry[action] += count
        providers: dict[str, dict[str, int]] = defaultdict(lambda: {"signposted": 0, "referred": 0})
        for entry in destinations.values():
            provider = entry["provider"] or "provider not known"
            providers[provider]["signposted"] += entry["signposted"]
            providers[provider]["referred"] += entry["referred"]
        scripts: dict[str, dict[str, Any]] = {}
        for script, version, node, count, flagged in figures.script_ends():
            entry = scripts.setdefault(
                f"{script}@{version}", {"ends": {}, "stopped_at": {}, "red_flags": 0}
            )
            entry["ends"][node] = count
            entry["red_flags"] += flagged
        for script, version, node, count in figures.stopped_at():
            entry = scripts.setdefault(
                f"{script}@{version}", {"ends": {}, "stopped_at": {}, "red_flags": 0}
            )
            entry["stopped_at"][node] = count
        report = {
            "period": {
                "from": period.start.isoformat(),
                "to": period.end.isoformat(),
                "time_zone": period.time_zone,
            },
            "made_at": now.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "settings": {
                "repeat_window_days": settings.repeat_window_days,
                "short_abandon_seconds": settings.short_abandon_seconds,
                "service_level_seconds": settings.service_level_seconds,
                "resolved_outcomes": sorted(settings.resolved_outcomes),
            },
            "contacts": contacts,
            "handled": handled,
            "fcr_declared": figures.fcr_declared(),
            "fcr_verified": figures.fcr_verified(),
            "failure_demand": figures.failure_demand(),
            "queue": figures.queue(),
            "by_hour": by_hour,
            "by_weekday": by_weekday,
            "by_weekday_hour": by_day_hour,
            "destinations": dict(
                sorted(
                    destinations.items(), key=lambda kv: -(kv[1]["signposted"] + kv[1]["referred"])
                )
            ),
            "providers": dict(
                sorted(providers.items(), key=lambda kv: -(kv[1]["signposted"] + kv[1]["referred"]))
            ),
            "unmet_need": cluster_unmet(figures.unmet_searches()),
            "scripts": dict(sorted(scripts.items())),
            "benchmarks": {"fcr_north_east_lincolnshire_2017": NORTH_EAST_LINCOLNSHIRE_FCR},
        }
    return report
