"""Simulated contacts through the real scripts, runner, directory and record.

Every contact is made the way the console makes one: the record starts it, each answer
is given to a `Triage` runner and written as it is given, searches go through the search
index, services are chosen, and the wrap-up is written. Only the clock is simulated.
Seeded: the same seed gives the same contacts.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from frontdoor.directory.search import SearchIndex
from frontdoor.interactions.demand import suggest_demand
from frontdoor.interactions.model import NewContact, ScriptEnd, StepTaken, WrapUp
from frontdoor.interactions.record import Record
from frontdoor.simulation.arrivals import arrivals
from frontdoor.simulation.callers import PastCall, Population
from frontdoor.simulation.handlers import answer_for
from frontdoor.telephony.writer import QueueLogWriter
from frontdoor.triage_scripts.model import Script
from frontdoor.triage_scripts.runner import Triage

HANDLERS = ["a.patel", "b.okoro", "c.nowak", "d.smith", "e.jones", "f.khan", "g.evans", "h.murphy"]
ABANDON_RATE = 0.06
ANSWER_RATE = 1 / 22  # mean wait in seconds, as an exponential


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
    time_zone: str = "Europe/London",
    all_day: bool = False,
    progress: Callable[[int], None] | None = None,
    queue_log: QueueLogWriter | None = None,
) -> SimulationResult:
    """Contacts for `days` from `start`. With `queue_log`, each phone call's queue events
    are written too, as the telephone system would write them (agents PJSIP/2xx)."""
    rng = random.Random(seed)
    zone = ZoneInfo(time_zone)
    clock = SimulatedClock(dt.datetime.combine(start, dt.time(), dt.UTC))
    record = record_for(clock)
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
        contact_id = record.start_contact(new)
        result.contacts += 1
        history = record.history(
            caller.key, None, arrival - dt.timedelta(days=30), exclude=contact_id
        )
        triage = Triage(library["reason-for-call"], library=library)
        front_door = {
            "danger_now": "No",
            "harm_from_others": "Yes" if rng.random() < 0.02 else "No",
            "already_arranged": "Yes" if reason == "chasing" else "No",
            "main_need": need,
        }
        while not triage.finished:
            question = triage.question
            assert question is not None
            name = triage.node_name
            if triage.script.script == "reason-for-call" and name in front_door:
                answer: object = front_door[name]
            else:
                answer = answer_for(name, question, rng)
            before = len(triage.ends)
            step = triage.answer(answer)
            clock.advance(rng.uniform(8, 45))
            record.record_step(
                contact_id,
                StepTaken(step.script, step.version, step.node, step.kind, step.answer),
                [
                    ScriptEnd(e.script, e.version, e.node, e.end.outcome, e.end.red_flag)
                    for e in triage.ends[before:]
                ],
            )
        final = triage.script.category
        chosen = _use_directory(record, index, people, rng, contact_id, final, clock, triage)
        result.searches += chosen[1]
        clock.advance(rng.lognormvariate(5.6, 0.45))
        record.mark_ended(contact_id)
        if queue_log:
            talked = (clock.now - arrival).total_seconds() - wait
            queue_log.completed(clock.now, callid, queue, agent, wait, talked)
        clock.advance(rng.uniform(40, 200))
        outcome = triage.outcome or "incomplete"
        if outcome == "advice" and chosen[0]:
            outcome = "signposted"
        demand = suggest_demand(history, final, clock.now, 7, chasing=reason == "chasing")
        if demand is None:
            demand = "information_request" if final == "general_enquiry" else "new_need"
        record.wrap_up(contact_id, WrapUp(outcome=outcome, demand=demand, category=final))
        people.remember(
            PastCall(caller, final, need, arrival, referred=outcome in ("referred", "transferred"))
        )
        if progress and result.contacts % 250 == 0:
            progress(result.contacts)
    return result


def _use_directory(
    record: Record,
    index: SearchIndex,
    people: Population,
    rng: random.Random,
    contact_id: str,
    category: str,
    clock: SimulatedClock,
    triage: Triage,
) -> tuple[bool, int]:
    """The services the script's end names, and sometimes a search: (signposted?, searches)."""
    signposted = False
    end = triage.last_end
    if end is not None:
        by_id = index.by_id
        if end.end.refer_to and end.end.refer_to in by_id:
            service = by_id[end.end.refer_to]
            record.choose_service(contact_id, service.id, service.name, "referred")
        for service_id in end.end.signpost:
            if service_id in by_id:
                record.choose_service(contact_id, service_id, by_id[service_id].name, "signposted")
                signposted = True
    searches = 0
    if rng.random() < 0.45:
        query = people.search_words(category)
        results = index.search(query, limit=8)
        clock.advance(rng.uniform(10, 40))
        search_id = record.record_search(contact_id, query, [r.service.id for r in results])
        searches += 1
        if results and rng.random() < 0.75:
            top = results[min(int(rng.expovariate(1.5)), len(results) - 1)]
            record.choose_service(
                contact_id, top.service.id, top.service.name, "signposted", search_id
            )
            signposted = True
    return signposted, searches
