"""The management information report: every figure of the MI definitions for a period,
as a typed `Report` whose `to_json()` has the keys and shapes of the contacts interchange
spec."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping

from rapidfuzz.distance import Levenshtein
from sqlalchemy.orm import Session, sessionmaker

from frontdoor.directory.model import Service
from frontdoor.directory.search import words
from frontdoor.mi.figures import Figures
from frontdoor.mi.model import Destination, Report, ScriptPaths, Sent, UnmetNeed
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


def cluster_unmet(rows: list[tuple[str, str | None, int]]) -> tuple[UnmetNeed, ...]:
    """Searches that found nothing, grouped by what they mean within each category, busiest
    search first; each group is shown by its commonest text (the shortest on a tie)."""
    by_category: dict[str | None, dict[str, int]] = defaultdict(dict)
    for text, category, count in rows:
        by_category[category][text] = by_category[category].get(text, 0) + count
    clusters: list[UnmetNeed] = []
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
                UnmetNeed(shown, category, sum(members.values()), tuple(sorted(members)))
            )
    clusters.sort(key=lambda c: (-c.count, c.query))
    return tuple(clusters)


def build_report(
    sessions: sessionmaker[Session],
    period: Period,
    settings: MiSettings,
    now: dt.datetime,
    services: Mapping[str, Service],
) -> Report:
    """The whole report. `services` gives destinations their current names and providers."""
    with sessions() as session:
        figures = Figures(session, period, settings, now)
        contacts, handled = figures.totals()
        by_hour, by_weekday, by_day_hour = figures.demand_by_time()
        destinations: dict[str, Destination] = {}
        for service_id, recorded_name, action, count in figures.destinations():
            entry = destinations.get(service_id)
            if entry is None:
                known = services.get(service_id)
                entry = Destination(
                    name=known.name if known else recorded_name,
                    provider=known.organisation if known else None,
                    sent=Sent(),
                )
            destinations[service_id] = Destination(
                entry.name, entry.provider, entry.sent.add(action, count)
            )
        providers: dict[str, Sent] = defaultdict(Sent)
        for destination in destinations.values():
            provider = destination.provider or "provider not known"
            providers[provider] += destination.sent
        ends: dict[str, dict[str, int]] = defaultdict(dict)
        stopped: dict[str, dict[str, int]] = defaultdict(dict)
        red_flags: dict[str, int] = defaultdict(int)
        for script, version, node, count, flagged in figures.script_ends():
            key = f"{script}@{version}"
            ends[key][node] = count
            red_flags[key] += flagged
        for script, version, node, count in figures.stopped_at():
            stopped[f"{script}@{version}"][node] = count
        scripts = {
            key: ScriptPaths(ends.get(key, {}), stopped.get(key, {}), red_flags.get(key, 0))
            for key in sorted({*ends, *stopped})
        }
        return Report(
            period=period,
            made_at=now,
            settings=settings,
            contacts=contacts,
            handled=handled,
            fcr_declared=figures.fcr_declared(),
            fcr_verified=figures.fcr_verified(),
            failure_demand=figures.failure_demand(),
            queue=figures.queue(),
            by_hour=by_hour,
            by_weekday=by_weekday,
            by_weekday_hour=by_day_hour,
            destinations=dict(sorted(destinations.items(), key=lambda kv: -kv[1].sent.total)),
            providers=dict(sorted(providers.items(), key=lambda kv: -kv[1].total)),
            unmet_need=cluster_unmet(figures.unmet_searches()),
            scripts=scripts,
            fcr_benchmark=NORTH_EAST_LINCOLNSHIRE_FCR,
        )
