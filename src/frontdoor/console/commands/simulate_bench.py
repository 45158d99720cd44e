"""`frontdoor simulate --bench`: what a simulated week costs with each call's writes
applied step by step (as the console applies a handler's, the baseline) beside the same
week with each call's writes applied together as it ends, in transactions held across a
hundred arrivals (simulation/run.py), in the same run, the same seed;
then a whole month by the batch writer alone (run, not extrapolated). Each run on a new
scratch database of its own (SQLite; PostgreSQL too with a server), seconds by the clock
and this process's CPU seconds. Figures are printed, never asserted: machines differ."""

from __future__ import annotations

import datetime as dt
import functools
import time
from collections.abc import Callable, Iterable
from typing import TypedDict

from frontdoor.console.commands.simulate import records_on
from frontdoor.console.settings import Settings
from frontdoor.console.wiring import call_settings, open_front_door
from frontdoor.interactions.audit_bench import scratch_database
from frontdoor.simulation.run import Writes, simulate

# a Monday, so the week is a working week and a weekend; the seed the command defaults to
START = dt.date(2026, 11, 2)
SEED = 1
PER_MONTH = 12_000
WEEK, MONTH = 7, 30
GOAL_SECONDS = 60  # a month at 12,000 calls a month (issue 14)


class Run(TypedDict):
    writes: str
    days: int
    contacts: int
    wall_s: float
    cpu_s: float
    ms_a_contact: float


class OnDatabase(TypedDict):
    database: str
    per_month: int
    # None: the weeks were not run (--month-only)
    week_each: Run | None
    week_batched: Run | None
    times_faster: float | None  # by the clock
    times_less_cpu: float | None
    month_batched: Run | None


def _timed(
    settings: Settings,
    url: str,
    writes: Writes,
    days: int,
    per_month: int,
    progress: Callable[[str], None] | None,
) -> Run:
    """One simulation on the new database at `url`, made ready (migrated, the demo
    directory loaded, its search index built) before the clock starts."""
    front = open_front_door(settings.model_copy(update={"db": url}))
    try:
        front.load_demo_directory()
        index = front.index
        wall, cpu = time.perf_counter(), time.process_time()
        result = simulate(
            functools.partial(records_on, front),
            front.library.scripts,
            index,
            START,
            days,
            per_month,
            SEED,
            call_settings(front.settings, front.escalations),
            writes=writes,
        )
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    finally:
        front.stop_index()
        front.engine.dispose()
    run = Run(
        writes=writes,
        days=days,
        contacts=result.contacts,
        wall_s=round(wall, 2),
        cpu_s=round(cpu, 2),
        ms_a_contact=round(1000 * wall / max(result.contacts, 1), 2),
    )
    if progress:
        progress(f"  {days} days, writes {writes}: {run['wall_s']} s")
    return run


def run_bench(
    settings: Settings,
    server: str | None,
    database: str,
    progress: Callable[[str], None] | None,
    *,
    per_month: int = PER_MONTH,
    week: int | None = WEEK,
    month: int | None = MONTH,
) -> OnDatabase:
    """The week each way, then the month, each on a scratch database of its own (SQLite,
    or a PostgreSQL database made at `server`); either left out when None."""
    if progress:
        progress(f"{database}:")
    plans: list[tuple[Writes, int]] = []
    if week is not None:
        plans += [("each", week), ("batched", week)]
    if month is not None:
        plans.append(("batched", month))
    runs: list[Run] = []
    for writes, days in plans:
        with scratch_database(server) as url:
            runs.append(_timed(settings, url, writes, days, per_month, progress))
    each, batched = (runs[0], runs[1]) if week is not None else (None, None)
    return OnDatabase(
        database=database,
        week_each=each,
        week_batched=batched,
        times_faster=round(each["wall_s"] / max(batched["wall_s"], 1e-9), 2)
        if each and batched
        else None,
        times_less_cpu=round(each["cpu_s"] / max(batched["cpu_s"], 1e-9), 2)
        if each and batched
        else None,
        per_month=per_month,
        month_batched=runs[-1] if month is not None else None,
    )


def describe(results: list[OnDatabase]) -> Iterable[str]:
    yield (
        f"Simulated days from {START} (seed {SEED}), each call's writes applied step by "
        "step (the baseline: as the console applies a handler's) and together as the call "
        "ends, in transactions held across a hundred arrivals; CPU is this process's, "
        "not a database server's."
    )
    for result in results:
        yield f"{result['database']}, {result['per_month']:,} calls a month:"
        each, batched = result["week_each"], result["week_batched"]
        if each is not None and batched is not None:
            for label, run in (
                (f"{each['days']} days, step by step", each),
                (f"{batched['days']} days, batched", batched),
            ):
                yield (
                    f"  {label:<22} {run['contacts']:>6} contacts  {run['wall_s']:>7.1f} s  "
                    f"{run['cpu_s']:>7.1f} s CPU  {run['ms_a_contact']:>6.2f} ms a contact"
                )
            yield (
                f"  batched: {result['times_faster']}x as fast by the clock, "
                f"{result['times_less_cpu']}x less CPU (the clock counts whatever else the "
                "machine runs)"
            )
        month = result["month_batched"]
        if month is not None:
            yield (
                f"  {month['days']} days, batched, run whole (not extrapolated): "
                f"{month['contacts']} contacts in {month['wall_s']:.1f} s, "
                f"{month['cpu_s']:.1f} s CPU (goal for a month at 12,000 calls a month: at "
                f"most {GOAL_SECONDS} s)"
            )
