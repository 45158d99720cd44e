"""The search as the directory panel calls it, one search per keystroke, and the index's
build at 100,000 services: ours beside the plain baseline in the same run.

Both read the directory as the console does, from a database (a scratch SQLite file the
bench writes first): the index is built from the services read a batch at a time, and the
services a search shows are read back by id.

Per keystroke: each query is typed a letter at a time and every prefix searched with the
panel's filters (age, area, caller type, and open now at the moment of the keystroke,
half a second apart, so the minute turns as it would in a call), against the baseline,
rapidfuzz's WRatio scan over the services' names; the machine's load averages are
printed with them. Build: a new process reads the directory and builds the index, and
says how long that took and how large the process grew (its peak resident size, the
kernel's high-water mark `ru_maxrss`), against the baseline's own preparation in another
new process (every service read, one string per service). Figures are printed, never
asserted.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import random
import resource
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process, utils

from frontdoor.db.collecting import collector_paused
from frontdoor.directory.bench_store import open_directory, write_directory
from frontdoor.directory.eligibility import Eligibility, Filters
from frontdoor.directory.indexing import index_of
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
    ours_open_now_cpu: Spread  # the same searches' CPU time
    baseline: Spread  # WRatio over the names
    load: tuple[float, float, float]  # the machine's load averages (1, 5, 15 min) at the end


def typed(query_list: list[str]) -> list[str]:
    """Every prefix of every query, as a handler types them."""
    return [q[:end] for q in query_list for end in range(1, len(q) + 1)]


def _timed_run(
    index: SearchIndex, prefixes: list[str], open_now: bool, cpu: list[float] | None = None
) -> list[float]:
    """Each keystroke's search in ms by the clock; with `cpu`, by this thread's CPU time
    there too (what the search itself cost, whatever else the machine ran meanwhile)."""
    timings = []
    for number, prefix in enumerate(prefixes):
        when = START + number * KEYSTROKE_GAP
        filters = Filters(
            age=PERSON.age,
            area=PERSON.area,
            caller_type=PERSON.caller_type,
            open_at=when if open_now else None,
        )
        start, used = time.perf_counter(), time.thread_time()
        index.find(prefix, limit=8, filters=filters, today=when.date())
        timings.append((time.perf_counter() - start) * 1000)
        if cpu is not None:
            cpu.append((time.thread_time() - used) * 1000)
    return timings


def _baseline_run(names: list[str], prefixes: list[str]) -> list[float]:
    timings = []
    for prefix in prefixes:
        start = time.perf_counter()
        process.extract(prefix, names, scorer=fuzz.WRatio, processor=utils.default_process, limit=8)
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def _scratch_directory(folder: str, size: int, seed: int) -> Path:
    """A synthetic directory of `size` services with what the filters read, written to a
    SQLite file in `folder`."""
    services = list(build(size, seed).services)
    give_eligibility(services, seed)
    path = Path(folder) / "directory.sqlite"
    write_directory(path, services)
    return path


def time_keystrokes(
    size: int, query_count: int, seed: int, synonyms: Synonyms, runs: int
) -> KeystrokeFigures:
    """Each run builds a fresh index from the database (cold caches, as after a rebuild)
    as the console does (held whole up to HELD_WHOLE_UP_TO services, else the services
    shown read from the database) and types the queries through it; the figures are the
    medians over the runs."""
    directory = build(size, seed)
    prefixes = typed(queries(directory, query_count, seed + 1))
    names = [s.name for s in directory.services]
    del directory
    ours, ours_open, ours_cpu, baseline = [], [], [], []
    with tempfile.TemporaryDirectory(prefix="frontdoor-directory-bench-") as folder:
        path = _scratch_directory(folder, size, seed)
        for _ in range(runs):
            with open_directory(path) as store:
                index = index_of(store, synonyms, Eligibility())
                ours.append(Spread.of(_timed_run(index, prefixes, open_now=False)))
                index = index_of(store, synonyms, Eligibility())
                cpu: list[float] = []
                ours_open.append(Spread.of(_timed_run(index, prefixes, True, cpu)))
                ours_cpu.append(Spread.of(cpu))
            baseline.append(Spread.of(_baseline_run(names, prefixes)))
    return KeystrokeFigures(
        size,
        len(prefixes),
        runs,
        Spread.median(ours),
        Spread.median(ours_open),
        Spread.median(ours_cpu),
        Spread.median(baseline),
        os.getloadavg(),
    )


@dataclass(frozen=True)
class BuildFigures:
    size: int
    runs: int
    ours_build_s: float  # the search index, the directory read from the database
    ours_build_cpu_s: float  # the same in CPU time
    baseline_build_s: float  # the baseline's one string per service, read the same way
    directory_mb: float  # the process before reading (its modules imported)
    ours_peak_mb: float  # the process's peak with the index built
    baseline_peak_mb: float  # the process's peak with the baseline's strings made


def _peak_mb() -> float:
    """This process's peak resident size, in MB: the kernel's high-water mark of its own
    memory since it started (VmHWM). Not `ru_maxrss` where VmHWM is there: on Linux a
    process started from another carries the starter's peak in its ru_maxrss."""
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii")
    except OSError:  # not Linux: the nearest figure there is
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024  # kB
    raise RuntimeError("/proc/self/status gives no VmHWM: the peak cannot be measured")


def _build_once(path: Path, ours: bool) -> tuple[float, float, float, float]:
    """In a new process: (seconds to build, CPU seconds, MB before, peak MB after), the
    directory read from the database at `path`. With cyclic garbage collection paused, as
    the console builds (see db.collecting.collector_paused)."""
    from frontdoor.directory.bench import baseline_choices

    before = _peak_mb()  # the modules imported, nothing read
    start, cpu = time.perf_counter(), time.process_time()
    with collector_paused(), open_directory(path) as store:
        if ours:
            index_of(store, Synonyms(), Eligibility())
        else:
            baseline_choices(store.all())
    return time.perf_counter() - start, time.process_time() - cpu, before, _peak_mb()


def time_build(size: int, seed: int, runs: int) -> BuildFigures:
    """The directory written once; then each build in a process of its own, so that its
    peak is its own."""
    context = multiprocessing.get_context("spawn")
    ours, baseline = [], []
    with (
        tempfile.TemporaryDirectory(prefix="frontdoor-directory-bench-") as folder,
        context.Pool(1, maxtasksperchild=1) as pool,
    ):
        path = pool.apply(_scratch_directory, (folder, size, seed))
        for _ in range(runs):
            ours.append(pool.apply(_build_once, (path, True)))
            baseline.append(pool.apply(_build_once, (path, False)))
    return BuildFigures(
        size,
        runs,
        round(statistics.median(r[0] for r in ours), 2),
        round(statistics.median(r[1] for r in ours), 2),
        round(statistics.median(r[0] for r in baseline), 2),
        round(statistics.median(r[2] for r in ours), 1),
        round(statistics.median(r[3] for r in ours), 1),
        round(statistics.median(r[3] for r in baseline), 1),
    )
