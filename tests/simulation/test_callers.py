"""Who rings: the last weeks' calls found by bisection give the same picks as reading
every remembered call at every pick."""

from __future__ import annotations

import datetime as dt
import random
from bisect import bisect_right
from collections import Counter

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


class Schedule:
    """Where each referral stands: waiting, then overdue (told, once its caller is told),
    under way and ended at times of its own; and how long each standing holds."""

    def __init__(self, seed: int) -> None:
        self.draw = random.Random(seed)
        self.changes: dict[str, list[dt.datetime]] = {}
        self.told: set[str] = set()
        self._told_since: list[str] = []
        self._asked: dict[str, dt.datetime] = {}

    def made(self, referral_id: str, at: dt.datetime) -> None:
        steps = sorted(self.draw.randrange(1, 14 * 1440) for _ in range(3))
        self.changes[referral_id] = [at + dt.timedelta(minutes=m) for m in steps]

    def tell(self, referral_id: str) -> None:
        self.told.add(referral_id)
        self._told_since.append(referral_id)

    def standing(self, referral_id: str, at: dt.datetime) -> Standing:
        self._asked[referral_id] = at
        passed = bisect_right(self.changes[referral_id], at)
        kind: Standing = ("waiting", "overdue", "under_way", "ended")[passed]
        return "told" if kind == "overdue" and referral_id in self.told else kind

    def standing_holds(self, referral_id: str) -> tuple[dt.datetime | None, dt.datetime | None]:
        changes = self.changes[referral_id]
        passed = bisect_right(changes, self._asked[referral_id])
        return (changes[passed] if passed < len(changes) else None), None

    def told_since(self) -> list[str]:
        told, self._told_since = self._told_since, []
        return told


def test_weights_kept_until_a_standing_may_change_give_the_picks_of_weighing_afresh():
    # a chasing caller weighs three weeks of referrals; kept, each is worked out again only
    # when new, when its time runs out, or when its caller is told
    draw = random.Random(5)
    times = sorted(START + dt.timedelta(minutes=draw.randrange(35 * 1440)) for _ in range(3000))
    made = []
    for kept in (True, False):
        schedule, population = Schedule(9), Population(random.Random(2))
        standing = schedule if kept else schedule.standing
        picked = []
        for n, now in enumerate(times):
            if n % 11 == 0 and f"R-{n - 200}" in schedule.changes:
                schedule.tell(f"R-{n - 200}")  # the desk rang them
            pick = population.pick(now, standing)
            picked.append((pick.caller.key, pick.reason, pick.chased))
            # a referred call makes one or two referrals, or none (a transfer)
            referred = n % 3 == 0 or n % 5 == 0
            referrals = [f"R-{n}", f"R-{n}b"][: (n % 5 == 0) + (n % 7 != 0)] if referred else []
            for referral in referrals:
                schedule.made(referral, now)
            population.remember(
                PastCall(pick.caller, pick.category, pick.need, now, referred, tuple(referrals))
            )
        made.append(picked)
    chased = Counter(c for _, _, c in made[0] if c)
    assert len(chased) > 100 and len(schedule.told) > 100
    assert None in {c for _, reason, c in made[0] if reason == "chasing"}
    assert made[0] == made[1]
