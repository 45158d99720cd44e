"""The simulation and the console take calls through one service, so for the same steps
they suggest the same outcome and demand: each simulated contact, rebuilt from what the
record holds the way the console would rebuild it, suggests what the simulation saved."""

from __future__ import annotations

import datetime as dt
import functools

import pytest

from frontdoor.calls.call import Call
from frontdoor.console.commands.simulate import records_on
from frontdoor.simulation.run import simulate

START = dt.date(2026, 11, 2)


@pytest.mark.long
def test_the_simulation_and_the_console_suggest_the_same(front, clock):
    service = front.call_service()  # as the console's wiring builds it
    simulate(
        functools.partial(records_on, front),
        front.library.scripts,
        front.index,
        START,
        days=2,
        per_month=900,
        seed=3,
        settings=service.settings,  # the same escalation guidance, windows and rules
    )
    settings = service.settings
    # the calls taken (not abandoned; not the desk's call-backs, which run no script)
    contacts = [
        c for c in front.record.all_contacts() if c.handler is not None and c.channel == "phone"
    ]
    assert len(contacts) > 40
    demands, outcomes = set(), set()
    for contact in contacts:
        steps = [a.step for a in contact.answers]
        clock.now = contact.wrap_ended_at
        history = [
            c
            for c in front.record.history(
                contact.caller_key,
                contact.subject_key,
                contact.received_at - dt.timedelta(days=settings.history_days),
                exclude=contact.id,
            )
            if c.received_at < contact.received_at
        ]
        call = Call(service, contact, service.replay(steps), history=history, steps=steps)
        by_id = front.index.by_id
        call.chosen = [(by_id[s.service_id], s.action) for s in contact.services]
        assert (call.suggested_outcome(), call.suggested_demand(), call.category) == (
            contact.outcome,
            contact.demand,
            contact.category,
        ), contact.id
        demands.add(contact.demand)
        outcomes.add(contact.outcome)
    # the comparison covered the rules, not one case of them
    assert {"new_need", "progress_chasing"} <= demands
    assert {"signposted", "referred"} <= outcomes
