"""The search as the directory panel calls it, one search per keystroke, and the index's
build at 100,000 services: ours beside the plain baseline in the same run.

Per keystroke: each query is typed a letter at a time and every prefix searched with the
panel's filters (age, area, caller type, and open now at the moment of the keystroke,
half a second apart, so the minute turns as it would in a call), against the baseline,
rapidfuzz's WRatio scan over the services' names. Build: a new process makes the
directory, then the index, and says how long the index took and how large the process
grew (its peak resident size), against the baseline's own preparation (one string per
service). Figures are printed, never asserted.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import random
import resource
import statistics
import time
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

from frontdoor.directory.eligibility import Eligibility, Filters
from frontdoor.directory.live_index import collector_paused
from frontdoor.directory.model import HoursException, OpeningHours, Service
from frontdoor.directory.search import SearchIndex, Synonyms
from frontdoor.directory.synthetic import build, queries

START = dt.datetime(2026, 11, 24, 10, 29, 30)  # a Tuesday morning
KEYSTROKE_GAP = dt.timedelta(seconds=0.5)
PERSON = Filters(age=80, area="DN15", caller_type="carer")
_DISTRICTS = [f"DN{n}" for n in range(1, 41)] + [f"HU{n}" for n in range(1, 20)]
_WEEK = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def give_eligibility(services: list[Service], seed: int) -> None:
    """Gives the synthetic services what the filters read, in the shares a council feed
    has: most give hours, many areas (from a few hundred area lists, as organisations
    reuse theirs), some ages and caller types, a few exceptions and bank-holiday flags.
    In place, one service at a time, so the directory is never held twice."""
    rng = random.Random(seed)
    hours = [
        [OpeningHours(days=days, opens=dt.time(opens), closes=dt.time(closes))]
        for opens, closes in ((9, 17), (8, 20), (10, 14), (18, 22), (0, 0), (9, 12), (22, 6))
        for days in (_WEEK[:5], _WEEK, ["tue"], _WEEK[5:])
    ]
    area_lists = [rng.sample(_DISTRICTS, rng.randint(1, 4)) for _ in range(300)]
    for number, service in enumerate(services):
        change: dict[str, object] = {}
        if rng.random() < 0.7:
            change["hours"] = rng.choice(hours)
        if rng.random() < 0.6:
            change["areas"] = rng.choice(area_lists)
        if rng.random() < 0.5:
            change["min_age"] = rng.choice([None, 16, 18, 50, 65])
            change["max_age"] = rng.choice([None, 18, 25, 99])
        if rng.random() < 0.5:
            change["caller_types"] = rng.sample(["public", "carer", "professional"], 2)
        if rng.random() < 0.1:
            change["open_on_bank_holidays"] = rng.random() < 0.5
        if rng.random() < 0.05:
            day = dt.date(2026, 12, rng.randint(20, 31))
            change["hours_exceptions"] = [HoursException(date=day, closed=True)]
        services[number] = service.model_copy(update=change)


@dataclass(frozen=True)
class Spread:
    p50_ms: float
    p95_ms: float
    max_ms: float

    @classmethod
    def of(cls, timings: list[float]) -> Spread:
        cuts = statistics.quantiles(timings, n=100, method="inclusive")
        return cls(round(cuts[49], 3), round(cuts[94], 3), round(max(timings), 3))

    @classmethod
    def median(cls, runs: list[Spread]) -> Spread:
        return cls(
            statistics.median(r.p50_ms for r in runs),
            statistics.median(r.p95_ms for r in runs),
            statistics.median(r.max_ms for r in runs),
        )


@dataclass(frozen=True)
class KeystrokeFigures:
    size: int
    keystrokes: int
    runs: int
    ours: Spread  # the panel's filters, without open now
    ours_open_now: Spread  # and open now, at the keystroke's moment
    baseline: Spread  # WRatio over the names


def typed(query_list: list[str]) -> list[str]:
    """Every prefix of every query, as a handler types them."""
    return [q[:end] for q in query_list for end in range(1, len(q) + 1)]


def _timed_run(index: SearchIndex, prefixes: list[str], open_now: bool) -> list[float]:
    timings = []
    for number, prefix in enumerate(prefixes):
        when = START + number * KEYSTROKE_GAP
        filters = Filters(
            age=PERSON.age,
            area=PERSON.area,
            caller_type=PERSON.caller_type,
            open_at=when if open_now else None,
        )
        start = time.perf_counter()
        index.find(prefix, limit=8, filters=filters, today=when.date())
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def _baseline_run(names: list[str], prefixes: list[str]) -> list[float]:
    timings = []
    for prefix in prefixes:
        start = time.perf_counter()
        process.extract(prefix, names, scorer=fuzz.WRatio, processor=utils.default_process, limit=8)
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def time_keystrokes(
    size: int, query_count: int, seed: int, synonyms: Synonyms, runs: int
) -> KeystrokeFigures:
    """Each run builds a fresh index (cold caches, as after a rebuild) and types the
    queries through it; the figures are the medians over the runs."""
    directory = build(size, seed)
    services = list(directory.services)
    give_eligibility(services, seed)
    prefixes = typed(queries(directory, query_count, seed + 1))
    names = [s.name for s in services]
    ours, ours_open, baseline = [], [], []
    for _ in range(runs):
        index = SearchIndex(services, synonyms, Eligibility())
        ours.append(Spread.of(_timed_run(index, prefixes, open_now=False)))
        index = SearchIndex(services, synonyms, Eligibility())
        ours_open.append(Spread.of(_timed_run(index, prefixes, open_now=True)))
        baseline.append(Spread.of(_baseline_run(names, prefixes)))
    return KeystrokeFigures(
        size,
        len(prefixes),
        runs,
        Spread.median(ours),
        Spread.median(ours_open),
        Spread.median(baseline),
    )


@dataclass(frozen=True)
class BuildFigures:
    size: int
    runs: int
    ours_build_s: float  # the search index
    baseline_build_s: float  # the baseline's one string per service
    directory_mb: float  # the process with the directory read, before either
    ours_peak_mb: float  # the process's peak with the index built
    baseline_peak_mb: float  # the process's peak with the baseline's strings made


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _build_once(size: int, seed: int, ours: bool) -> tuple[float, float, float]:
    """In a new process: (seconds to build, MB before, peak MB after). With cyclic
    garbage collection paused, as the console builds (see live_index.collector_paused):
    otherwise collections walking the 100,000 services decide the figure."""
    services = build(size, seed).services
    give_eligibility(services, seed)
    before = _peak_mb()
    start = time.perf_counter()
    with collector_paused():
        if ours:
            SearchIndex(services, Synonyms(), Eligibility())
        else:
            from frontdoor.directory.bench import baseline_choices

            baseline_choices(services)
    return time.perf_counter() - start, before, _peak_mb()


def time_build(size: int, seed: int, runs: int) -> BuildFigures:
    """Each build in a process of its own, so that its peak is its own."""
    context = multiprocessing.get_context("spawn")
    ours, baseline = [], []
    with context.Pool(1, maxtasksperchild=1) as pool:
        for _ in range(runs):
            ours.append(pool.apply(_build_once, (size, seed, True)))
            baseline.append(pool.apply(_build_once, (size, seed, False)))
    return BuildFigures(
        size,
        runs,
        round(statistics.median(r[0] for r in ours), 2),
        round(statistics.median(r[0] for r in baseline), 2),
        round(statistics.median(r[1] for r in ours), 1),
        round(statistics.median(r[2] for r in ours), 1),
        round(statistics.median(r[2] for r in baseline), 1),
    )
