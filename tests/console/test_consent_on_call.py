"""On the call screen, `w` records that the person withdraws consent to share: asked over
the call (Escape leaves it), a note if wanted, Enter records it; the caller line says so
and the key is gone, since there is nothing more to record."""

from __future__ import annotations

from frontdoor.console.app import FrontDoorApp
from frontdoor.console.screens.call import CallScreen
from frontdoor.console.screens.consent_withdrawal import WithdrawShareScreen
from tests.console.driving import start_a_call, workers_done
from tests.console.test_app import SIZE


async def test_w_records_the_person_withdrawing_consent_to_share(front):
    app = FrontDoorApp(front, handler="h.jones")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await start_a_call(app, pilot, subject_name="Ada Lovelace", consent_share=True)
        screen = app.screen
        person = screen.call.contact.person_id
        await pilot.press("w")
        assert isinstance(app.screen, WithdrawShareScreen)
        assert "Ada Lovelace" in str(app.screen.query_one("Static").render())
        await pilot.press("escape")  # not now: nothing recorded
        assert app.screen is screen and front.consent.standing(person) is None

        await pilot.press("w")
        app.screen.query_one("#withdraw-note").value = "does not want the GP told"
        await pilot.press("enter")
        await workers_done(app)
        await pilot.pause()
        assert isinstance(app.screen, CallScreen)
        withdrawal = front.consent.standing(person)
        assert withdrawal is not None and withdrawal.note == "does not want the GP told"
        assert withdrawal.recorded_by == "h.jones"
        assert "consent to share: WITHDRAWN" in str(screen.query_one("#caller").render())
        assert any("Consent to share withdrawn" in str(n.message) for n in app._notifications)
        await pilot.press("w")  # withdrawn already: the key does nothing more
        assert app.screen is screen
