"""Who rings: the last weeks' calls found by bisection give the same picks as reading
every remembered call at every pick."""

from __future__ import annotations

import datetime as dt
import random

from frontdoor.simulation.callers import PastCall, Population, Standing

START = dt.datetime(2026, 11, 2, 8, tzinfo=dt.UTC)


def standing(referral_id: str, at: dt.datetime) -> Standing:
    return "overdue" if int(referral_id.removeprefix("R-")) % 3 == 0 else "waiting"


def picks(population: Population, times: list[dt.datetime]) -> list[tuple[str, str, str | None]]:
    """Each call picked and then remembered, a third of them referred, as the simulation
    does; what was picked, in order."""
    made = []
    for n, now in enumerate(times):
        pick = population.pick(now, standing)
        made.append((pick.caller.key, pick.reason, pick.chased))
        referrals = (f"R-{n}",) if n % 3 == 0 else ()
        population.remember(
            PastCall(pick.caller, pick.category, pick.need, now, n % 3 == 0, referrals)
        )
    return made


def test_the_recent_calls_found_by_time_give_the_picks_of_reading_them_all():
    draw = random.Random(7)
    # five weeks, so calls are forgotten; in whole minutes, so that many a call falls
    # exactly a week (or three) before a later one, and some at the same moment
    times = sorted(START + dt.timedelta(minutes=draw.randrange(35 * 1440)) for _ in range(1500))
    times[100:103] = [times[100]] * 3
    found = picks(Population(random.Random(1)), times)
    read_all = picks(Population(random.Random(1), _in_order=False), times)
    reasons = {reason for _, reason, _ in found}
    assert reasons == {"new", "repeat", "chasing"} and any(c for _, _, c in found)
    assert found == read_all


def test_a_call_remembered_out_of_order_falls_back_to_reading_them_all():
    # an all-day service's hour the clocks skip: a later arrival at an earlier instant
    times = [START + dt.timedelta(minutes=m) for m in range(0, 40_000, 20)]
    times[900], times[901] = times[901], times[900]
    population = Population(random.Random(1))
    found = picks(population, times)
    assert not population._in_order
    assert found == picks(Population(random.Random(1), _in_order=False), times)
