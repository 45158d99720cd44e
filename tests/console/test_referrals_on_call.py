"""A chasing call in the console: the open referrals show on the form and the call screen
before triage (the overdue one marked in words), the script routes on them, the chase is
linked to its referral, one key records the chase to the team, a service chosen in error
is taken back, and a call-back promised at wrap-up goes on the follow-up list."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from frontdoor.console.app import FrontDoorApp
from frontdoor.console.forms import FormError, parse_call_back
from frontdoor.console.screens.call import CallScreen
from frontdoor.console.screens.pick_one import PickOne
from frontdoor.console.screens.ready import ReadyScreen
from frontdoor.console.screens.wrap_up import WrapUpScreen
from frontdoor.console.widgets.open_referrals import OpenReferralsPanel
from frontdoor.interactions.tables import ContactServiceRow
from tests.console.driving import start_a_call, workers_done
from tests.console.test_app import SIZE
from tests.referrals.test_making import referred_falls_call

DAY = 24 * 3600


def shown(app, selector) -> str:
    widget = app.screen.query_one(selector)
    return f"{widget.border_title or ''}\n{widget.render()}"


def said(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def settled(app, pilot) -> None:
    await workers_done(app)
    await pilot.pause()


async def test_a_chase_about_an_overdue_referral_is_answered_and_counted_in_the_console(
    front, clock
):
    late = referred_falls_call(front, clock)  # Monday: due the end of Wednesday
    clock.advance(2 * DAY)
    referred_falls_call(front, clock)  # Wednesday: due the end of Friday
    clock.advance(DAY)  # Thursday 09:00
    [overdue] = front.referrals.made_in(late.contact_id)
    app = FrontDoorApp(front, handler="h.smith")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("n")
        await settled(app, pilot)
        assert not app.screen.query_one(OpenReferralsPanel).display  # calm: none known yet
        # typed at a handler's speed elsewhere: here, filled in at once (Pilot types slowly)
        app.screen.query_one("#caller").value = "01472 000111"
        await settled(app, pilot)
        form = shown(app, OpenReferralsPanel)
        assert "Open referrals: 2, 1 OVERDUE" in form
        assert f"{overdue.id}  Falls Prevention Service  requested" in form
        assert "due Wed 25 Nov 23:59  OVERDUE" in form
        assert form.endswith("due Fri 27 Nov 23:59")  # within its time: not marked

        app.screen.query_one("#consent_record").value = True
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        assert isinstance(app.screen, CallScreen)
        call = app.screen.call
        assert "Open referrals: 2, 1 OVERDUE" in shown(app, OpenReferralsPanel)
        keys = app.screen.active_bindings
        assert keys["r"].enabled and keys["c"].enabled and "t" not in keys  # nothing chosen
        # no danger, no harm, already arranged; a referral, to the falls team, not worse:
        # the record says it is overdue, so the script says to chase the team now
        await pilot.press("2", "2", "1", "3", "3", "2")
        assert call.triage.node_name == "chase_overdue"

        await pilot.press("r")  # two open: which one is this call about?
        assert isinstance(app.screen, PickOne)
        await pilot.press("1")
        await settled(app, pilot)
        assert call.chased == {overdue.id}
        assert "this call is about it · chased by callers 1 time" in shown(app, OpenReferralsPanel)

        clock.advance(90)
        await pilot.press("c")  # one overdue: recorded at once
        await settled(app, pilot)
        local = clock.now.astimezone(app.zone)
        assert f"Chase to Falls Prevention Service recorded at {local:%H:%M}" in said(app)[-1]
        assert f"team chased {local:%a %d %b %H:%M}" in shown(app, OpenReferralsPanel)

        # the falls team is chosen in error, then taken back
        await pilot.press("slash")
        app.screen.query_one("#directory-query").value = "falls"
        await pilot.press("enter", "enter", "r")
        assert [s.id for s, _ in call.chosen] == ["falls-prevention-service"]
        await pilot.press("t")
        assert call.chosen == [] and "Taken back: Falls Prevention Service" in said(app)[-1]

        await pilot.press("f10")
        assert isinstance(app.screen, WrapUpScreen)
        assert app.screen.query_one("#demand").value == "progress_chasing"
        assert f"this call is about {overdue.id}" in str(
            app.screen.query_one("#suggestion").render()
        )
        await pilot.press("f6")
        assert app.screen.focused.id == "call_back_at"
        app.screen.focused.value = "25:00"
        app.screen.query_one("#call_back_why").value = "Tell her the date the team gives"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, WrapUpScreen)  # refused in words, nothing lost
        assert "is not a day and a time" in said(app)[-1]
        app.screen.query_one("#call_back_at").value = "15:30"
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        assert isinstance(app.screen, ReadyScreen)
        assert "Call-back for Thu 26 Nov 15:30 is on the follow-up list." in said(app)
        assert app.outbox.wait_until_idle(5)

    chased = front.referrals.get(overdue.id)
    assert [(c.kind, c.contact_id, c.by) for c in chased.chases] == [
        ("caller", call.contact_id, "h.smith"),
        ("team", call.contact_id, "h.smith"),
    ]
    assert front.referrals.made_in(call.contact_id) == []  # taken back: no referral
    with front.sessions() as session:
        [taken] = session.scalars(
            select(ContactServiceRow).where(ContactServiceRow.contact_id == call.contact_id)
        )
        assert taken.withdrawn_at is not None
    [promised] = [f for f in front.follow_ups.owed(clock.now) if f.kind == "call_back"]
    assert promised.due_at == dt.datetime(2026, 11, 26, 15, 30, tzinfo=dt.UTC)  # GMT
    assert (promised.referral_id, promised.who) == (overdue.id, "h.smith")


NOW = dt.datetime(2026, 11, 26, 9, 0, tzinfo=ZoneInfo("Europe/London"))  # a Thursday


@pytest.mark.parametrize(
    ("typed", "when"),
    [
        ("15:30", dt.datetime(2026, 11, 26, 15, 30)),
        ("tomorrow 10.00", dt.datetime(2026, 11, 27, 10, 0)),
        ("Mon 09:15", dt.datetime(2026, 11, 30, 9, 15)),
        ("thursday 16:00", dt.datetime(2026, 11, 26, 16, 0)),  # today is a Thursday
        ("2/12 14:00", dt.datetime(2026, 12, 2, 14, 0)),
        ("05/01 11:00", dt.datetime(2027, 1, 5, 11, 0)),  # January comes next year
        # the time first, and words joined as people write them (the hint's commas)
        ("10:00, 02/12", dt.datetime(2026, 12, 2, 10, 0)),
        ("10:00 tomorrow", dt.datetime(2026, 11, 27, 10, 0)),
        ("tomorrow at 10:00", dt.datetime(2026, 11, 27, 10, 0)),
    ],
)
def test_a_call_back_time_is_read_as_handlers_type_it(typed, when):
    assert parse_call_back(typed, NOW) == when.replace(tzinfo=NOW.tzinfo)


@pytest.mark.parametrize("typed", ["", "soon", "next week 10:00", "31/02 10:00", "24:10"])
def test_a_call_back_time_that_is_not_one_says_how_to_write_it(typed):
    with pytest.raises(FormError, match="14:30, tomorrow 10:00") as refused:
        parse_call_back(typed, NOW)
    assert refused.value.field == "call_back_at"


async def test_a_referral_made_at_wrap_up_says_its_reference_for_the_caller(front, clock):
    """The reference is what the caller quotes when they ring to chase: it was made at
    wrap-up and shown nowhere until the next call about the person."""
    app = FrontDoorApp(front, handler="h.smith")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("n")
        await settled(app, pilot)
        app.screen.query_one("#caller").value = "01472 000222"
        app.screen.query_one("#consent_record").value = True
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        call = app.screen.call
        await pilot.press("slash")
        app.screen.query_one("#directory-query").value = "falls"
        await pilot.press("enter", "enter", "r")
        await pilot.press("f10")
        assert isinstance(app.screen, WrapUpScreen)
        # said before saving, so the handler keeps the caller on the line for it
        assert "Saving makes the referral to Falls Prevention Service" in shown(
            app, "#referrals-made"
        )
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        assert isinstance(app.screen, ReadyScreen)
        await settled(app, pilot)
        [made] = front.referrals.made_in(call.contact_id)
        due = made.due_at.astimezone(app.zone)
        reference = f"Referral {made.id} to Falls Prevention Service, due by {due:%a %d %b %H:%M}"
        assert f"{reference}: give the caller this reference." in said(app)
        # kept on the ready screen, for a handler who looked away as it was said...
        assert reference in str(app.screen.query_one("#headline").render())
        # ...until the next contact begins: then neither said nor shown (a safeguarding
        # referral's reference stayed over the next caller's form and into their triage)
        await pilot.press("n")
        await settled(app, pilot)
        assert not any(reference in message for message in said(app))
        await pilot.press("escape")
        await settled(app, pilot)
        assert isinstance(app.screen, ReadyScreen)
        assert reference not in str(app.screen.query_one("#headline").render())


async def test_a_caller_quoting_a_reference_is_taken_as_a_call_about_it(front, clock):
    """A GP surgery rings to chase R-2026-000001 and knows nothing else: from the
    referral's screen, `c` opens a new contact about its person (the form filled in from
    the referral's contact, looked at audited), and once it starts the call is about the
    referral and the caller's chase is counted, as `r` on a call counts it."""
    referred_falls_call(front, clock)
    clock.advance(DAY)
    app = FrontDoorApp(front, handler="h.smith")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settled(app, pilot)
        await pilot.press("r")
        await settled(app, pilot)
        app.screen.query_one("#referral-id").value = "r-2026-1"
        await pilot.press("enter")
        await settled(app, pilot)
        await pilot.press("c")
        await settled(app, pilot)
        form = app.screen
        assert form.query_one("#subject_name").value == "Ada Lovelace"
        assert form.query_one("#subject_dob").value == "01/05/1940"
        assert form.query_one("#caller").value == ""  # whoever rang: asked as on any call
        form.query_one("#caller").value = "01472 555000"
        form.query_one("#consent_record").value = True
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        await settled(app, pilot)
        assert isinstance(app.screen, CallScreen)
        assert app.screen.call.chased == {"R-2026-000001"}
        assert "this call is about it" in shown(app, OpenReferralsPanel)
    assert front.referrals.get("R-2026-000001").caller_chases == 1


async def save_as_referred_on(app, pilot) -> None:
    """F10, the outcome referred on (a new need), Ctrl+S."""
    await pilot.press("f10")
    assert isinstance(app.screen, WrapUpScreen)
    app.screen.query_one("#outcome").value = "referred"
    app.screen.query_one("#demand").value = "new_need"
    await pilot.press("ctrl+s")
    await settled(app, pilot)


async def test_saving_as_referred_on_with_no_service_referred_is_questioned_once(front, clock):
    """A handler who meant to refer and forgot to choose the service in the directory: as
    referred on, with no referral made, nothing would reach the team. Said once; a second
    Ctrl+S saves it as it is (a service outside the directory may have been rung)."""
    app = FrontDoorApp(front, handler="h.smith")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await start_a_call(app, pilot, caller="01472 000333")
        call = app.screen.call
        await save_as_referred_on(app, pilot)
        assert isinstance(app.screen, WrapUpScreen)  # kept open, every field as it was
        assert any("no service has been referred in this call" in m for m in said(app))
        assert front.record.contact(call.contact_id).status == "open"
        # the handler goes back and refers it after all: saved at once, the referral made
        await pilot.press("escape")
        await settled(app, pilot)
        await pilot.press("slash")
        app.screen.query_one("#directory-query").value = "falls"
        await pilot.press("enter", "enter", "r")
        await save_as_referred_on(app, pilot)
        assert isinstance(app.screen, ReadyScreen)
        assert [r.service_id for r in front.referrals.made_in(call.contact_id)] == [
            "falls-prevention-service"
        ]


async def test_a_second_save_keeps_referred_on_without_a_referral_when_the_handler_says_so(
    front, clock
):
    app = FrontDoorApp(front, handler="h.smith")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await start_a_call(app, pilot, caller="01472 000444")
        call = app.screen.call
        await save_as_referred_on(app, pilot)
        assert isinstance(app.screen, WrapUpScreen)
        await pilot.press("ctrl+s")
        await settled(app, pilot)
        assert isinstance(app.screen, ReadyScreen)
        kept = front.record.contact(call.contact_id)
        assert (kept.status, kept.outcome) == ("closed", "referred")
        assert front.referrals.made_in(call.contact_id) == []
