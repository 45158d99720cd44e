"""The simulated teams and callers, without running a simulation: teams answer most
referrals in time, in office hours, in order; callers chase late referrals far more."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections import Counter
from dataclasses import replace
from zoneinfo import ZoneInfo

from frontdoor.local_time import BankHolidays
from frontdoor.referrals.model import Change, Referral
from frontdoor.referrals.states import MOVES, NEED_REASON, WAITING
from frontdoor.response_times import read_response_time, working_day
from frontdoor.simulation.callers import Caller, PastCall, Population, Standing
from frontdoor.simulation.teams import CLOSES, OPENS, OfficeHours, Teams

LONDON = ZoneInfo("Europe/London")
MONDAY = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


def referral(number: int, service: str, within: str, rules) -> Referral:
    made = MONDAY + dt.timedelta(minutes=37 * number)  # round the clock, every weekday
    return Referral(
        id=f"R-2026-{number:06d}",
        contact_id=f"c-{number}",
        service_id=service,
        service_name=service,
        made_at=made,
        due_at=rules.due(made, read_response_time(within)),
        respond_within=within,
        history=(Change("requested", made, "h.jones"),),
    )


def test_teams_answer_most_referrals_in_time_in_office_hours_and_in_order(front):
    holidays = BankHolidays()
    teams = Teams(front.referrals, random.Random(7), OfficeHours(LONDON, holidays))
    rules = front.referral_rules
    nursing = [
        teams.referred(referral(n, "district-nursing", "2 working days", rules)) for n in range(800)
    ]
    rapid = [
        teams.referred(referral(n, "rapid-response-team", "2h", rules)) for n in range(800, 1200)
    ]
    for answer in nursing + rapid:
        made = answer.referral.made_at
        times = [m.at for m in answer.moves]
        assert times == sorted(times) and times[0] >= made  # never back in time
        states = ["requested"] + [m.state for m in answer.moves]
        assert all(b in MOVES[a] for a, b in itertools.pairwise(states))  # only allowed moves
        assert all(m.note for m in answer.moves if m.state in NEED_REASON)  # with a reason
    # a working-days team decides in office hours on working days
    for answer in nursing:
        decided = next(m.at for m in answer.moves if m.state not in WAITING).astimezone(LONDON)
        assert working_day(decided.date(), holidays) and OPENS <= decided.time() <= CLOSES
    for answers, late_share in ((nursing, 0.12), (rapid, 0.15)):
        late = sum(1 for a in answers if a.decided_at and a.decided_at > a.referral.due_at)
        assert abs(late / len(answers) - late_share) < 0.05
        ended = Counter(a.moves[-1].state for a in answers)
        assert 0.02 < (ended["rejected"] + ended["cancelled"]) / len(answers) < 0.15
        # the accepted ones start and are completed later
        assert ended["completed"] > 0.7 * len(answers)
        started = [a for a in answers if any(m.state == "in-progress" for m in a.moves)]
        assert len(started) > 0.6 * len(answers)


def test_a_caller_chases_a_late_referral_far_more_often_than_one_in_time():
    people = Population(random.Random(3))
    made = MONDAY - dt.timedelta(days=3)
    for key, referral_id in (("+441134000001", "R-LATE"), ("+441134000002", "R-IN-TIME")):
        caller = Caller(key, "public", key)
        people.remember(PastCall(caller, "physical_health", "nursing", made, True, (referral_id,)))

    def standing(referral_id: str, at: dt.datetime) -> Standing:
        return "overdue" if referral_id == "R-LATE" else "waiting"

    chased = Counter(people.pick(MONDAY, standing).chased for _ in range(20_000))
    assert chased["R-LATE"] > 5 * chased["R-IN-TIME"] > 0


def test_a_referrals_standing_kept_between_moves_is_the_one_worked_out_afresh(front):
    # every chasing caller weighs every recent referral by its standing, so each answer
    # keeps it until its next move, its due time, or the caller being told: asked at
    # every half hour of three weeks, forwards and back, it is what a new answer says
    teams = Teams(front.referrals, random.Random(11), OfficeHours(LONDON, BankHolidays()))
    rules = front.referral_rules
    answers = [
        teams.referred(referral(n, service, within, rules))
        for n, (service, within) in enumerate(
            [("district-nursing", "2 working days"), ("rapid-response-team", "2h")] * 40
        )
    ]
    times = [MONDAY + dt.timedelta(minutes=30 * i) for i in range(3 * 7 * 48)]
    seen: Counter[Standing] = Counter()
    for at in [*times, *reversed(times[::7])]:
        for answer in answers:
            if at > answer.referral.due_at and answer.referral.id.endswith("7"):
                answer.told = True  # the desk rang them
            fresh = replace(answer, _kept=None)
            assert answer.standing(at) == fresh.standing(at), (answer.referral.id, at)
            seen[answer.standing(at)] += 1
    assert set(seen) == {"waiting", "overdue", "told", "under_way", "ended"}
