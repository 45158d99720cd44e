"""The management information report: every figure of the MI definitions for a period,
as a typed `Report` whose `to_json()` has the keys and shapes of the contacts interchange
spec."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping

from sqlalchemy.orm import Session, sessionmaker

from frontdoor.directory.model import Service
from frontdoor.mi.day_cache import period_days
from frontdoor.mi.figures import Figures
from frontdoor.mi.model import Destination, Report, ScriptPaths, Sent
from frontdoor.mi.pbx_days import period_queue
from frontdoor.mi.pbx_queue import pbx_queue
from frontdoor.mi.period import MiSettings, Period
from frontdoor.mi.referrals import referral_figures
from frontdoor.mi.unmet import MatchesNow, unmet_need
from frontdoor.telephony.stats import QueueSettings
from frontdoor.words import in_words

# NE Lincolnshire's SPA, 2017: resolved at first contact (social care, out-of-hours
# mental health, health). Shown beside our figures, as the commissioners compare them.
NORTH_EAST_LINCOLNSHIRE_FCR = {"social_care": 0.73, "mental_health": 0.67, "physical_health": 0.26}


def build_report(
    sessions: sessionmaker[Session],
    period: Period,
    settings: MiSettings,
    now: dt.datetime,
    services: Mapping[str, Service],
    matches_now: MatchesNow,
    *,
    with_referrals: bool = True,
    queue: QueueSettings | None = None,
    keep_days: bool = True,
) -> Report:
    """The whole report. `services` gives destinations and referrals their current names
    and providers; `matches_now` says whether today's directory finds a service for a
    search text (the composition root passes the directory's search; see mi/unmet.py).
    `with_referrals=False` leaves the referral figures out: the benchmark times the
    report with and without them. `queue` gives the queues' wrap-up times and agents
    (config/queues.yaml), for the figures from the telephone system's queue_log; without
    it, every queue has the default wrap-up time. `keep_days=False` works every day (and
    every referral) out from the record, as reports were made before settled days and
    referral months were kept (the benchmark's baseline); the figures are the same
    either way."""
    with sessions() as session:
        # the settled days as kept, the others from the record (day_cache.py)
        figures = Figures(session, period, settings, now)
        if keep_days:
            figures = figures.given(period_days(session, period, settings, now))
        contacts, handled = figures.totals()
        by_hour, by_weekday, by_day_hour = figures.demand_by_time()
        destinations: dict[str, Destination] = {}
        for service_id, recorded_name, action, count in figures.destinations():
            entry = destinations.get(service_id)
            if entry is None:
                known = services.get(service_id)
                # imported contacts may have recorded only the id: it is put in words
                named = recorded_name if recorded_name != service_id else in_words(service_id)
                entry = Destination(
                    name=known.name if known else named,
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
            # the kept queue days too, unless every day is to be worked out
            queue=(period_queue if keep_days else pbx_queue)(
                session, period, now, settings, queue or QueueSettings()
            )
            or figures.queue(),
            by_hour=by_hour,
            by_weekday=by_weekday,
            by_weekday_hour=by_day_hour,
            destinations=dict(sorted(destinations.items(), key=lambda kv: -kv[1].sent.total)),
            providers=dict(sorted(providers.items(), key=lambda kv: -kv[1].total)),
            unmet_need=unmet_need(figures.searches_made(), matches_now),
            scripts=scripts,
            fcr_benchmark=NORTH_EAST_LINCOLNSHIRE_FCR,
            referrals=(
                referral_figures(session, period, now, services, keep=keep_days)
                if with_referrals
                else None
            ),
        )
