"""A call belongs to the console that has it: a second console signed in as the same
handler is not offered the first one's live call, and a console whose contact is taken
from it says so and keeps what it recorded."""

from __future__ import annotations

from frontdoor.console.app import FrontDoorApp
from frontdoor.console.screens.call import CallScreen
from frontdoor.console.screens.ready import ReadyScreen
from frontdoor.console.screens.resume import ResumeScreen
from frontdoor.interactions.model import NewContact
from tests.console.driving import resume_the_offered_call, start_a_call, workers_done

SIZE = (120, 40)


async def test_a_second_console_is_not_offered_the_first_consoles_live_call(front, tmp_path, clock):
    first = FrontDoorApp(front, handler="h.jones", journal_folder=tmp_path / "a")
    async with first.run_test(size=SIZE) as pilot:
        await start_a_call(first, pilot)
        await pilot.press("2")
        assert first.outbox.wait_until_idle(5)
        second = FrontDoorApp(front, handler="h.jones", journal_folder=tmp_path / "b")
        async with second.run_test(size=SIZE) as pilot_b:
            await workers_done(second)
            await pilot_b.pause()
            assert isinstance(second.screen, ReadyScreen)  # no resume offered
        # the first console goes on recording, F8 included
        await pilot.press("f8")
        assert first.outbox.wait_until_idle(5)
        assert first.outbox_state.taken == frozenset()
    contact = front.record.contact(first_contact_id(front))
    assert [a.kind for a in contact.answers] == ["answer", "escalate"]
    assert contact.ends[-1].red_flag


async def test_a_console_whose_contact_is_taken_says_so_and_keeps_its_answers(
    front, tmp_path, clock
):
    app = FrontDoorApp(
        front, handler="h.jones", journal_folder=tmp_path / "a", lease_renew_seconds=3600
    )
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await start_a_call(app, pilot)
        await pilot.press("2")
        assert app.outbox.wait_until_idle(5)
        contact_id = app.call.contact_id
        # this console's lease lapses (it froze) and another console takes the contact
        clock.advance(app.calls.settings.lease_seconds + 1)
        assert front.record.hold(contact_id, "another-console", app.calls.lease_until())
        await pilot.press("2")
        assert app.outbox.wait_for(lambda state: contact_id in state.taken, 5)
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, CallScreen)  # still there, answers kept
        assert any("taken over" in str(n.message) for n in app._notifications)
        assert "taken over by another console" in str(app.screen.query_one("#save-status").render())
    assert [a.node for a in front.record.contact(contact_id).answers] == ["danger_now"]
    kept = (tmp_path / "a").glob("*.journal")
    assert any("harm_from_others" in path.read_text() for path in kept)


async def test_a_contact_left_by_a_console_that_has_gone_is_offered_after_its_lease(
    front, tmp_path, clock
):
    contact_id = front.record.start_contact(
        NewContact(handler="h.jones"), holder="gone-console", held_until=clock() + _s(30)
    )
    app = FrontDoorApp(front, handler="h.jones", journal_folder=tmp_path / "a")
    async with app.run_test(size=SIZE) as pilot:
        await workers_done(app)
        assert not isinstance(app.screen, ResumeScreen)  # still held: not offered
    clock.advance(31)
    app = FrontDoorApp(front, handler="h.jones", journal_folder=tmp_path / "a")
    async with app.run_test(size=SIZE) as pilot:
        await resume_the_offered_call(app, pilot)
        assert app.call.contact_id == contact_id


def _s(seconds: int):
    import datetime as dt

    return dt.timedelta(seconds=seconds)


def first_contact_id(front) -> str:
    from sqlalchemy import select

    from frontdoor.interactions.tables import ContactRow

    with front.sessions() as session:
        return session.scalars(select(ContactRow.id)).one()
