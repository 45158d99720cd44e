"""A person's history is shown only once the look is on record: audited once per person
per contact in progress however many keys are typed, and withheld, in words, while the
audit cannot be written."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, insert

from frontdoor.access.audit import AuditQuery
from frontdoor.access.tables import AuditHeadRow
from frontdoor.console.app import FrontDoorApp
from frontdoor.console.screens.call import CallScreen
from frontdoor.interactions.model import NewContact, WrapUp
from tests.console.driving import workers_done

SIZE = (120, 40)


def _shown(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


async def typed(app, pilot, selector: str, text: str) -> None:
    """The box filled as a handler types it, a letter at a time (each one looks up the
    history again), without Pilot's pause between keys."""
    box = app.screen.query_one(selector)
    for end in range(1, len(text) + 1):
        box.value = text[:end]
    await pilot.pause()  # each change handled: its lookup started
    await workers_done(app)
    await pilot.pause()  # and what the last one found put on the screen


async def test_a_history_shows_once_its_look_is_on_record_and_is_recorded_once(front, clock):
    earlier = front.record.start_contact(
        NewContact(
            handler="a.patel",
            caller="07700 900111",
            caller_name="Sue Neighbour",
            subject_name="Doreen Price",
            subject_dob=dt.date(1944, 2, 1),
            subject_postcode="DN31 2AB",
        )
    )
    front.record.wrap_up(earlier, WrapUp("advice", "new_need", "Shouting heard"))
    doreen = front.record.contact(earlier).person_id
    clock.advance(20 * 60)
    app = FrontDoorApp(front, handler="h.jones")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        with front.sessions() as session, session.begin():  # the audit cannot be written
            head = session.get(AuditHeadRow, 1)
            kept = {"id": 1, "count": head.count, "last_hash": head.last_hash}
            session.execute(delete(AuditHeadRow))
        await typed(app, pilot, "#caller", "07700 900111")  # Sue rings again
        history = _shown(app, "#history")
        assert "not shown: Front Door could not record that you looked" in history
        assert "Shouting" not in history and "Sue" not in history

        with front.sessions() as session, session.begin():
            session.execute(insert(AuditHeadRow).values(**kept))
        await typed(app, pilot, "#subject_name", "Doreen Price")
        await typed(app, pilot, "#subject_dob", "01/02/1944")
        assert "1 contact in the last 30 days" in _shown(app, "#history")
        app.screen.query_one("#consent_record").value = True
        await pilot.press("ctrl+s")
        await workers_done(app)
        await pilot.pause()
        assert isinstance(app.screen, CallScreen)
        assert "Shouting heard" in _shown(app, "#history")
        started = app.screen.call.contact_id
    # her history looked up at each of 30 keys, on the form and the call screen: one row
    viewed = front.trail.entries(AuditQuery(events=frozenset({"person_viewed"})))
    assert [(e.concerns.person_id, e.concerns.contact_id) for e in viewed] == [(doreen, None)]
    created = front.trail.entries(AuditQuery(events=frozenset({"contact_created"})))
    assert created[-1].concerns.contact_id == started and created[-1].seq > viewed[0].seq
    assert front.trail.verify().ok
