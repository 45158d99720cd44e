"""Simulated contacts through the real scripts, runner, directory and record.

Every contact is made the way the console makes one, through the call service: it starts
the contact, each answer goes through the runner and is written as it is given, searches
go through the search index, services are chosen, and the wrap-up takes the same
suggestions a handler is shown. Only the clock, the callers and the handlers' choices are
simulated.
Seeded: the same seed gives the same contacts.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from frontdoor.calls.call import Call, CallService, FixedIndex
from frontdoor.calls.library import FixedLibrary
from frontdoor.calls.settings import CallSettings
from frontdoor.calls.wrapping import needs_notes
from frontdoor.calls.writer import DirectWriter
from frontdoor.directory.search import SearchIndex
from frontdoor.interactions.model import NewContact, WrapUp
from frontdoor.interactions.record import Record
from frontdoor.simulation.arrivals import arrivals
from frontdoor.simulation.callers import PastCall, Population
from frontdoor.simulation.handlers import answer_for
from frontdoor.telephony.writer import QueueLogWriter
from frontdoor.triage_scripts.model import Script

HANDLERS = ["a.patel", "b.okoro", "c.nowak", "d.smith", "e.jones", "f.khan", "g.evans", "h.murphy"]
ABANDON_RATE = 0.06
ANSWER_RATE = 1 / 22  # mean wait in seconds, as an exponential
NOTES = "The caller's account, in their words, and what was done (simulated)."


class SimulatedClock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


@dataclass
class SimulationResult:
    contacts: int = 0
    abandoned: int = 0
    searches: int = 0


def simulate(
    record_for: Callable[[SimulatedClock], Record],
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
) -> SimulationResult:
    """Contacts for `days` from `start`, each taken through the call service exactly as
    the console takes one (the same suggestions, windows and rules), with the given
    settings. With `queue_log`, each phone call's queue events are written too, as the
    telephone system would write them (agents PJSIP/2xx)."""
    settings = settings or CallSettings()
    rng = random.Random(seed)
    zone = ZoneInfo(settings.time_zone)
    clock = SimulatedClock(dt.datetime.combine(start, dt.time(), dt.UTC))
    record = record_for(clock)
    calls = CallService(
        record, FixedLibrary(library), FixedIndex(index), settings, clock, DirectWriter(record)
    )
    people = Population(random.Random(seed + 1))
    result = SimulationResult()
    for arrival in arrivals(start, days, per_month, seed, zone, all_day):
        clock.now = arrival
        caller, reason, need, _ = people.pick(arrival)  # the script decides the category
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
        triage = call.triage
        while not triage.finished:
            question = triage.question
            assert question is not None
            name = triage.node_name
            if triage.script.script == "reason-for-call" and name in front_door:
                answer: object = front_door[name]
            else:
                answer = answer_for(name, question, rng)
            call.answer(answer)
            clock.advance(rng.uniform(8, 45))
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
        people.remember(
            PastCall(
                caller,
                call.category,
                need,
                arrival,
                referred=outcome in ("referred", "transferred"),
            )
        )
        if progress and result.contacts % 250 == 0:
            progress(result.contacts)
    return result


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
