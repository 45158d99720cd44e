"""The new-contact form offers a person on file for the handler to confirm or reject,
one key each, and the record keeps what was decided."""

from __future__ import annotations

import datetime as dt

from frontdoor.console.app import FrontDoorApp
from frontdoor.console.screens.call import CallScreen
from frontdoor.console.widgets.person_match import PersonMatchPanel
from frontdoor.interactions.model import NewContact, WrapUp
from frontdoor.people.model import Decision, LinkedBy
from tests.console.driving import type_into, workers_done
from tests.console.test_app import SIZE


def _shown(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


async def test_a_second_call_about_her_shows_her_earlier_contact_once_confirmed(front, clock):
    # a neighbour rang about Doreen Price; no date of birth was given
    earlier = front.record.start_contact(
        NewContact(
            handler="a.patel",
            caller="07700 900111",
            caller_name="Sue Neighbour",
            subject_name="Doreen Price",
            subject_postcode="DN31 2AB",
        )
    )
    front.record.wrap_up(
        earlier,
        WrapUp(
            "safeguarding",
            "new_need",
            "Shouting heard; Doreen frightened\nPolice told",
            "safeguarding",
        ),
    )
    clock.advance(20 * 60)
    app = FrontDoorApp(front, handler="h.jones")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await type_into(pilot, "#caller", "07700 900222")
        await type_into(pilot, "#subject_name", "Doreen Price")
        await type_into(pilot, "#subject_postcode", "DN31 2AB")
        await workers_done(app)
        await pilot.pause()
        assert "Possible match: Doreen Price, DN31, 1 contact" in _shown(app, PersonMatchPanel)
        assert "No contacts" in _shown(app, "#history")  # not hers until confirmed
        keys = app.screen.active_bindings
        assert keys["f3"].binding.description == "Same person" and keys["f4"].enabled

        await pilot.press("f4")
        assert "a new person will be kept" in _shown(app, PersonMatchPanel)
        clock.advance(5)
        await pilot.press("f3")  # the caller says she is 82 and lives at number 4: it is her
        await workers_done(app)
        await pilot.pause()
        history = _shown(app, "#history")
        assert "1 contact in the last 30 days" in history
        assert "Safeguarding · Safeguarding concern raised · New need" in history
        # a safeguarding concern: there, and marked, but not who reported it nor what they
        # said (the caller may be the person it is about: calls/discretion.py)
        assert "Caller: not shown · Handler: a.patel" in history
        assert "Sue Neighbour" not in history and "Shouting heard" not in history
        assert "SAFEGUARDING: not to be discussed with the caller" in history

        app.screen.query_one("#consent_record").value = True
        await pilot.press("ctrl+s")
        await workers_done(app)
        await pilot.pause()
        assert isinstance(app.screen, CallScreen)
        contact = front.record.contact(app.screen.call.contact_id)
    assert contact.person_id == front.record.contact(earlier).person_id
    assert contact.person_link == LinkedBy.CONFIRMED
    (decision,) = contact.person_decisions
    assert (decision.decision, decision.by, decision.at) == (
        Decision.CONFIRMED,
        "h.jones",
        clock.now,
    )
    assert decision.at - contact.received_at < dt.timedelta(minutes=1)
