"""Simulated contacts through the real scripts, runner, directory and record.

Every contact is made the way the console makes one, through the call service: it starts
the contact, each answer goes through the runner and is written as it is given, searches
go through the search index, services are chosen, and the wrap-up takes the same
suggestions a handler is shown (and makes the referrals). The teams answer the referrals
through the referrals' store as the clock passes (teams.py); callers chase late ones,
linked to the referral they ring about; twice a day the SPA rings some callers whose
referral is late before they chase (follow_ups.py). Only the clock, the callers, the
teams and the handlers' choices are simulated.
Seeded: the same seed gives the same contacts and referrals.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

from frontdoor.calls.call import Call, CallService, FixedIndex
from frontdoor.calls.library import FixedLibrary
from frontdoor.calls.settings import CallSettings
from frontdoor.calls.wrapping import needs_notes
from frontdoor.calls.writer import CallBatch, DirectWriter
from frontdoor.directory.search import SearchIndex
from frontdoor.interactions.model import NewContact, WrapUp
from frontdoor.local_time import BankHolidays
from frontdoor.simulation.arrivals import arrivals
from frontdoor.simulation.callers import PastCall, Pick, Population
from frontdoor.simulation.follow_ups import Desk, Records
from frontdoor.simulation.handlers import answer_for, chase_answers
from frontdoor.simulation.teams import OfficeHours, Teams
from frontdoor.telephony.writer import QueueLogWriter
from frontdoor.triage_scripts.model import Question, Script
from frontdoor.triage_scripts.runner import Triage

HANDLERS = ["a.patel", "b.okoro", "c.nowak", "d.smith", "e.jones", "f.khan", "g.evans", "h.murphy"]
ABANDON_RATE = 0.06
ANSWER_RATE = 1 / 22  # mean wait in seconds, as an exponential
NOTES = "The caller's account, in their words, and what was done (simulated)."
# How a call's writes reach the record: each call's together as it ends ("batched"), or
# each step in a transaction of its own as the console's are ("each": the baseline the
# bench and the tests compare with; the same rows either way)
Writes = Literal["batched", "each"]


class SimulatedClock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)

    def set(self, now: dt.datetime) -> None:
        self.now = now


@dataclass
class SimulationResult:
    contacts: int = 0
    abandoned: int = 0
    searches: int = 0
    referrals: int = 0  # made in the calls
    team_moves: int = 0  # states the teams recorded
    chases: int = 0  # calls linked to a referral they chased
    follow_ups: int = 0  # callers rung back about a late referral


# Where the simulation writes, on its clock, the way `writes` says: with "batched", every
# store's units of work in transactions held across calls (db/held.py), `commit`ted as
# the simulation goes; with "each", every unit committed as it ends, as the console's are
RecordsFor = Callable[[SimulatedClock, Writes], AbstractContextManager[Records]]
# how many arrivals a held transaction takes before it commits: few enough that a
# console writing to the same database waits a moment at most, many enough that a
# commit costs nothing beside them
ARRIVALS_A_TRANSACTION = 100


def simulate(
    records_for: RecordsFor,
    library: Mapping[str, Script],
    index: SearchIndex,
    start: dt.date,
    days: int,
    per_month: int,
    seed: int,
    settings: CallSettings | None = None,
    all_day: bool = False,
    progress: Callable[[int], None] | None = None,
    queue_log: QueueLogWriter | None = None,
    writes: Writes = "batched",
) -> SimulationResult:
    """Contacts for `days` from `start`, each taken through the call service exactly as
    the console takes one (the same suggestions, windows and rules), with the given
    settings. With `queue_log`, each phone call's queue events are written too, as the
    telephone system would write them (agents PJSIP/2xx). Nobody waits on a simulated
    call, so its writes are applied together as it ends, in transactions held across
    ARRIVALS_A_TRANSACTION arrivals (`writes`; `records_for` makes what they write on).
    If a write fails, the arrivals since the last commit are rolled back and the error
    goes up: the run stops, with what was committed before it kept."""
    clock = SimulatedClock(dt.datetime.combine(start, dt.time(), dt.UTC))
    with records_for(clock, writes) as records:
        return _simulate(
            records,
            clock,
            library,
            index,
            start,
            days,
            per_month,
            seed,
            settings or CallSettings(),
            all_day,
            progress,
            queue_log,
            writes,
        )


def _simulate(
    records: Records,
    clock: SimulatedClock,
    library: Mapping[str, Script],
    index: SearchIndex,
    start: dt.date,
    days: int,
    per_month: int,
    seed: int,
    settings: CallSettings,
    all_day: bool,
    progress: Callable[[int], None] | None,
    queue_log: QueueLogWriter | None,
    writes: Writes,
) -> SimulationResult:
    rng = random.Random(seed)
    zone = ZoneInfo(settings.time_zone)
    record = records.record
    batch = CallBatch(record) if writes == "batched" else None
    calls = CallService(
        record,
        FixedLibrary(library),
        FixedIndex(index),
        settings,
        clock,
        batch or DirectWriter(record),
        referrals=records.referrals,
    )
    people = Population(random.Random(seed + 1))
    # the teams and the follow-up desk draw from streams of their own: the calls' draws
    # stay where they were however many moves a team plans or rounds the desk makes
    teams = Teams(records.referrals, random.Random(seed + 2), OfficeHours(zone, BankHolidays()))
    desk = Desk.daily(
        records, teams, random.Random(seed + 3), HANDLERS, start, days, zone, clock.set
    )
    result = SimulationResult()
    for taken, arrival in enumerate(arrivals(start, days, per_month, seed, zone, all_day)):
        if taken and taken % ARRIVALS_A_TRANSACTION == 0:
            records.commit()
        desk.until(arrival)
        clock.now = arrival
        pick = people.pick(arrival, teams)  # the script decides the category
        caller, reason, need = pick.caller, pick.reason, pick.need
        new = NewContact(
            handler=rng.choice(HANDLERS),
            caller=caller.key,
            caller_type=caller.caller_type,
            consent_record=True,
            consent_share=rng.random() < 0.9,
            queue=caller.caller_type,
            offered_at=arrival,
        )
        wait = rng.expovariate(ANSWER_RATE)
        callid = f"{arrival.timestamp():.0f}.{result.contacts + result.abandoned}"
        queue = new.queue or "public"
        if queue_log:
            queue_log.entered(arrival, callid, queue, caller.key)
        if rng.random() < ABANDON_RATE:
            record.start_contact(new, abandoned_at=arrival + dt.timedelta(seconds=wait))
            if queue_log:
                queue_log.abandoned(arrival + dt.timedelta(seconds=wait), callid, queue, wait)
            result.abandoned += 1
            continue
        clock.advance(wait)
        agent = f"PJSIP/{201 + HANDLERS.index(new.handler)}"
        if queue_log:
            queue_log.connected(clock.now, callid, queue, agent, wait)
        call = calls.start(new)
        result.contacts += 1
        front_door = {
            "danger_now": "No",
            "harm_from_others": "Yes" if rng.random() < 0.02 else "No",
            "already_arranged": "Yes" if reason == "chasing" else "No",
            "main_need": need,
        }
        chasing = _chase_answers(pick, teams, arrival)
        triage = call.triage
        while not triage.finished:
            question = triage.question
            assert question is not None
            call.answer(_answer(triage, question, front_door, chasing, rng))
            clock.advance(rng.uniform(8, 45))
        if pick.chased is not None:
            if batch is not None:
                batch.flush()  # the call's steps before the chase, as the audit has them
            # the handler links the call to the referral it chases (its chase count goes
            # up), as Call.link_chase does, but at the simulated clock's time: the store's
            # own clock is the real one
            records.referrals.chase(
                pick.chased, "caller", contact_id=call.contact_id, by=new.handler, at=clock.now
            )
            result.chases += 1
        result.searches += _use_directory(call, people, rng, clock)
        clock.advance(rng.lognormvariate(5.6, 0.45))
        call.end_call()
        if queue_log:
            talked = (clock.now - arrival).total_seconds() - wait
            queue_log.completed(clock.now, callid, queue, agent, wait, talked)
        clock.advance(rng.uniform(40, 200))
        outcome = call.suggested_outcome()
        category = call.category
        call.wrap_up(
            WrapUp(
                outcome=outcome,
                demand=call.suggested_demand(),
                category=category,
                # a safeguarding or red-flag contact is not saved without the account
                notes=NOTES if needs_notes(outcome, category, call.red_flags) else "",
            )
        )
        made: tuple[str, ...] = ()
        if any(action == "referred" for _, action in call.chosen):
            made = tuple(
                teams.referred(r, caller.caller_type).referral.id
                for r in records.made_in(call.contact_id)
            )
            result.referrals += len(made)
        people.remember(
            PastCall(
                caller,
                call.category,
                need,
                arrival,
                referred=outcome in ("referred", "transferred"),
                referrals=made,
            )
        )
        if progress and result.contacts % 250 == 0:
            progress(result.contacts)
    # the teams' answers and the rounds up to the end of the last day, none beyond it
    desk.until(dt.datetime.combine(start + dt.timedelta(days=days), dt.time(), zone))
    result.team_moves, result.follow_ups = teams.moved, desk.told
    records.commit()
    return result


def _chase_answers(pick: Pick, teams: Teams, now: dt.datetime) -> dict[str, str]:
    if pick.chased is None or pick.chased not in teams.answers:
        return {}
    answer = teams.answers[pick.chased]
    waiting = answer.standing(now) in ("waiting", "overdue", "told")
    return chase_answers(answer.referral.service_id, waiting)


def _answer(
    triage: Triage,
    question: Question,
    front_door: dict[str, str],
    chasing: dict[str, str],
    rng: random.Random,
) -> object:
    """The caller's answer: the front door's from why they ring, a chase's from the
    referral they chase (when the script offers it), the rest as handlers.py weighs it."""
    name = triage.node_name
    given = None
    if triage.script.script == "reason-for-call":
        given = front_door.get(name)
    elif triage.script.script == "progress-chasing":
        given = chasing.get(name)
    offered = [o.answer for o in question.options or []]
    if given is not None and (not offered or given in offered):
        return given
    return answer_for(name, question, rng)


def _use_directory(
    call: Call, people: Population, rng: random.Random, clock: SimulatedClock
) -> int:
    """The services the script's end names, and sometimes a search; the searches made."""
    for service, action in call.suggested_services():
        call.choose(service, action, from_search=False)
    if rng.random() >= 0.45:
        return 0
    query = people.search_words(call.category)
    results = call.search(query)
    clock.advance(rng.uniform(10, 40))
    call.record_search(query, results)
    if results and rng.random() < 0.75:
        top = results[min(int(rng.expovariate(1.5)), len(results) - 1)]
        call.choose(top.service, "signposted")
    return 1
