"""The follow-up list, a referral's screen and calling a caller back, driven as a handler
does: the list earliest due first with what is late marked, a team's answer recorded
with only the moves allowed, and a call-back that is an outbound contact."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from textual.widgets import DataTable, OptionList, Static

from frontdoor.console.app import FrontDoorApp
from frontdoor.console.screens.call import CallScreen
from frontdoor.console.screens.follow_ups import FollowUpsScreen
from frontdoor.console.screens.new_contact import NewContactScreen
from frontdoor.console.screens.ready import ReadyScreen
from frontdoor.console.screens.referral import ReferralScreen, read_referral_id
from frontdoor.console.screens.referral_state import RecordStateScreen, WhenError, read_when
from frontdoor.interactions.model import OUTBOUND
from tests.console.driving import workers_done
from tests.console.test_desk import footer_keys
from tests.referrals.test_making import referred_falls_call

SIZE = (120, 40)
LONDON = ZoneInfo("Europe/London")
WEDNESDAY_NOON = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
THURSDAY_8 = dt.datetime(2026, 11, 26, 8, 0, tzinfo=dt.UTC)
THURSDAY_9 = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)


async def settle(pilot) -> None:
    await workers_done(pilot.app)
    await pilot.pause()


def rows(app) -> list[list[str]]:
    table = app.screen.query_one(DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_the_list_a_referral_a_teams_answer_and_a_call_back(front, clock):
    # Monday: a falls referral for Ada Lovelace, her daughter calling, due the end of
    # Wednesday; two call-backs promised in the call
    call = referred_falls_call(front, clock, caller_name="Doreen Price")
    [referral] = front.referrals.made_in(call.contact_id)
    promises = {
        due: front.follow_ups.promise(
            due_at=due,
            why=why,
            who="h.jones",
            contact_id=call.contact_id,
            caller_key="+441472000111",
        )
        for due, why in ((WEDNESDAY_NOON, "the key safe number"), (THURSDAY_8, "visit times"))
    }
    clock.now = THURSDAY_9
    app = FrontDoorApp(front, handler="h.smith")
    app.follow_ups_poll_seconds = 3600  # read as the screen shows, not by the clock
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert footer_keys(app)["f"] == "Follow-ups" and footer_keys(app)["r"] == "Referral"
        assert "k" in footer_keys(app)  # no users yet: every role's keys (test_sign_in.py)
        # a referral by the id the caller reads out
        await pilot.press("r")
        assert isinstance(app.screen, ReferralScreen)
        app.screen.query_one("#referral-id").value = "R-2026-7"
        await pilot.press("enter")
        await settle(pilot)
        assert "There is no referral R-2026-000007" in text_of(app, "#referral-error")
        app.screen.query_one("#referral-id").value = "r-2026-1"  # as read out on the phone
        await pilot.press("enter")
        await settle(pilot)
        assert text_of(app, "#referral-error") == ""
        assert f"{referral.id}  Falls Prevention Service" in text_of(app, "#details")
        assert footer_keys(app)["s"] == "Record what the team said"
        await pilot.press("h")  # what the receiving team reads, recorded nowhere
        await settle(pilot)
        assert "Handover summary" in text_of(app, "#handover")
        assert "Ada Lovelace" in text_of(app, "#handover")
        await pilot.press("q")
        assert isinstance(app.screen, ReadyScreen)

        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, FollowUpsScreen)
        listed = rows(app)
        # earliest due first, each late one marked in words (and red)
        assert [r[0] for r in listed] == [
            "Wed 25 Nov 12:00",
            "Wed 25 Nov 23:59",
            "Thu 26 Nov 08:00",
        ]
        assert [r[1] for r in listed] == ["OVERDUE"] * 3
        assert [r[2] for r in listed] == ["Call-back", "Overdue referral", "Call-back"]
        assert listed[1][3] == "Doreen Price  01472 000111"
        assert listed[1][5].startswith(f"{referral.id}  Falls Prevention Service")
        assert "3 owed: 2 call-backs, 1 overdue referral" in text_of(app, "#count")
        assert "r" not in footer_keys(app)  # the first call-back is about no referral

        # the referral, from the list: the team rang to say they cannot take it
        await pilot.press("down", "r")
        await settle(pilot)
        assert isinstance(app.screen, ReferralScreen)
        details = text_of(app, "#details")
        assert "State: requested  OVERDUE" in details
        assert "Caller: Doreen Price, 01472 000111" in details
        assert "About: Ada Lovelace, born 01/05/1940" in details
        await pilot.press("s")
        assert isinstance(app.screen, RecordStateScreen)
        states = app.screen.query_one(OptionList)
        offered = [states.get_option_at_index(i).id for i in range(states.option_count)]
        assert offered == ["received", "accepted", "rejected", "cancelled"]  # only these
        await pilot.press("down", "down", "ctrl+s")
        assert "rejected needs a reason" in text_of(app, "#state-error")
        # (boxes filled as a paste would: every key typed costs the suite time)
        app.screen.query_one("#note").value = "no capacity"
        app.screen.query_one("#at").value = "23/11/2026 08:00"
        await pilot.press("enter")  # in the note: on to the time
        await pilot.press("enter")  # in the time: record it
        await settle(pilot)
        # the record's own words: before the referral was made
        assert "may not go back in time" in text_of(app, "#state-error")
        app.screen.query_one("#at").value = "08:30"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReferralScreen)
        assert "State: rejected" in text_of(app, "#details")
        assert rows(app)[-1] == ["rejected", "Thu 26 Nov 2026 08:30", "h.smith", "no capacity"]
        assert "s" not in footer_keys(app)  # ended: nothing more to record

        # back on the list, read again: the referral is answered, two call-backs remain;
        # meanwhile another handler made the first
        await pilot.press("q")
        await settle(pilot)
        assert [r[5] for r in rows(app)] == ["the key safe number", "visit times"]
        front.follow_ups.done(promises[WEDNESDAY_NOON], by="h.other", outbound_contact_id=None)
        app.screen.query_one(DataTable).move_cursor(row=0)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FollowUpsScreen)
        assert any("no longer owed" in str(n.message) for n in app._notifications)
        assert [r[5] for r in rows(app)] == ["visit times"]

        # calling back: the form opens as an outbound call, filled in; consent asked
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, NewContactScreen)
        assert form.query_one("#channel").value == OUTBOUND
        # what was said before goes as the form opens, the call-back's own word stays
        said = [str(n.message) for n in app._notifications]
        assert any(m.startswith("Calling back Doreen Price on 01472 000111") for m in said)
        assert not any("no longer owed" in m for m in said)
        filled = {
            box: form.query_one(f"#{box}").value
            for box in ("caller", "caller_name", "subject_name", "subject_dob", "subject_postcode")
        }
        assert filled == {
            "caller": "01472 000111",
            "caller_name": "Doreen Price",
            "subject_name": "Ada Lovelace",
            "subject_dob": "01/05/1940",
            "subject_postcode": "DN32 7DL",
        }
        form.query_one("#consent_record").value = True
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CallScreen)
        outbound = app.call.contact
        assert outbound.channel == OUTBOUND and outbound.caller_key == "+441472000111"
        assert outbound.offered_at is None and outbound.person_id == call.contact.person_id

    assert front.follow_ups.owed() == []
    made = front.follow_ups.made(THURSDAY_9, THURSDAY_9 + dt.timedelta(hours=1))
    assert sorted((f.why, f.done_by, f.outbound_contact_id) for f in made) == [
        ("the key safe number", "h.other", None),
        ("visit times", "h.smith", outbound.id),
    ]


def test_ids_and_times_are_read_as_people_say_them():
    assert read_referral_id(" r2026-123 ") == "R-2026-000123"
    with pytest.raises(ValueError, match="looks like R-2026-000123"):
        read_referral_id("123")
    now = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)
    assert read_when("", now, LONDON) == now
    assert read_when("8.30", now, LONDON) == dt.datetime(2026, 11, 26, 8, 30, tzinfo=dt.UTC)
    # summer time: 10:00 in London on 1 July is 09:00 UTC
    assert read_when("1/7/2026 10:00", now, LONDON) == dt.datetime(2026, 7, 1, 9, tzinfo=dt.UTC)
    assert read_when("2026-11-25T10:00Z", now, LONDON) == dt.datetime(
        2026, 11, 25, 10, tzinfo=dt.UTC
    )
    with pytest.raises(WhenError, match="later than now"):
        read_when("10:00", now, LONDON)
    with pytest.raises(WhenError, match="is not a time"):
        read_when("25:99", now, LONDON)
    # the clocks went back at 02:00 on 25 October 2026: 01:30 happened twice, and went
    # forward at 01:00 on 29 March: 01:30 never happened; the screen asks, as the CLI does
    with pytest.raises(WhenError, match=r"happened twice.*give the time with its offset"):
        read_when("25/10/2026 01:30", now, LONDON)
    with pytest.raises(WhenError, match="did not happen"):
        read_when("29/3/2026 01:30", now, LONDON)
