"""Signing in to the console, the idle lock, and what each role may open (Pilot, on the
fixed clock; the lock's timer checks every 10 ms, so advancing the clock is all it takes)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from frontdoor.access.audit import Actor, AuditQuery
from frontdoor.access.demo import DEMO_PASSWORD, add_demo_users
from frontdoor.console.app import FrontDoorApp
from frontdoor.console.screens.admin import AdminScreen
from frontdoor.console.screens.ready import ReadyScreen
from frontdoor.console.screens.resume import ResumeScreen
from frontdoor.console.screens.sign_in import SignInScreen
from frontdoor.console.screens.wallboard import WallboardScreen
from frontdoor.console.widgets.no_users_banner import NO_USERS, NoUsersBanner
from frontdoor.console.wiring import NO_USERS_ROLE, workstation
from frontdoor.interactions.model import NewContact
from frontdoor.interactions.tables import AnswerRow, ContactRow
from tests.console.driving import start_a_call, workers_done
from tests.console.test_desk import footer_keys

pytestmark = pytest.mark.usefixtures("quick_hashing")

SIZE = (120, 40)
ANNS = "ann's own password"
BOBS = "bob's own password"


def said(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


# the sign-in's own events; a call's contact events are test_events.py's
SIGNING = frozenset({"sign_in", "sign_in_refused", "sign_out", "lock"})


def events(front, user: str | None = None) -> list[str]:
    return [e.event for e in front.trail.entries(AuditQuery(user=user, events=SIGNING))]


async def sign_in(app, pilot, name: str, password: str) -> None:
    screen = app.screen
    assert isinstance(screen, SignInScreen)
    screen.query_one("#name").value = name
    screen.query_one("#password").value = password
    screen.query_one("#password").focus()
    await pilot.press("enter")
    await workers_done(app)
    # a refusal is shown, or the signed-in message has reached the app and moved it on
    await until(pilot, lambda: app.screen is not screen or refusal(app) != "")
    await pilot.pause()


def shown(app) -> str:
    """The words on screen now, as the terminal draws them."""
    return app.export_screenshot().replace("&#160;", " ")


def refusal(app) -> str:
    return str(app.screen.query_one("#refusal").render()).strip()


async def until(pilot, condition) -> None:
    """At most 2 s, in steps of 10 ms: for the lock's timer on a loaded machine."""
    for _ in range(200):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError("it never happened")


async def test_with_no_users_every_screen_says_so_and_every_role_is_open(front, clock):
    app = FrontDoorApp(front, handler="h.jones")
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, ReadyScreen)  # no sign-in
        assert str(app.screen.query_one(NoUsersBanner).render()) == NO_USERS
        assert front.trail.actor == Actor("h.jones", NO_USERS_ROLE, workstation())
        keys = footer_keys(app)
        assert {"t", "n", "w", "m", "k", "s"} <= keys.keys() and "o" not in keys
        await pilot.press("w")
        assert isinstance(app.screen, WallboardScreen) and app.screen.query(NoUsersBanner)
        await pilot.press("q")
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.query(NoUsersBanner) and NO_USERS in shown(app)

        # the first user is added elsewhere: once this console has been left idle with no
        # caller in hand, it asks for a sign-in (never over a caller being taken)
        front.users.add("ann", "handler", ANNS)
        clock.advance(15 * 60)
        app.lock_if_idle()
        await workers_done(app)
        await pilot.pause()
        assert not isinstance(app.screen, SignInScreen)
        await pilot.press("escape")  # the form closed: no caller in hand
        clock.advance(15 * 60)
        app.lock_if_idle()
        await workers_done(app)
        await pilot.pause()
        assert isinstance(app.screen, SignInScreen)
        assert "Users have been added" in str(app.screen.query_one("#heading").render())
        assert not any(s.query(NoUsersBanner) for s in app.screen_stack)


async def test_sign_in_refused_then_let_in_and_a_handler_keeps_to_calls(front, clock):
    add_demo_users(front.users)  # first: a database with users of its own gets none
    front.users.add("ann", "handler", ANNS, display_name="Ann Hale")
    front.users.add("root", "admin", "the admin's password")
    # asked for the wallboard, as `--role supervisor` asks: a handler is told no
    app = FrontDoorApp(front, handler="h.jones", role="supervisor", sign_in_as="ann")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await workers_done(app)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SignInScreen) and not screen.query(NoUsersBanner)
        assert screen.query_one("#name").value == "ann"  # --user fills it in
        demo = str(screen.query_one("#demo").render())
        assert "demo (handler), demo-supervisor (supervisor) or demo-lead (lead)" in demo
        assert DEMO_PASSWORD in demo
        await sign_in(app, pilot, "ann", "not the password")
        assert refusal(app) == "That name and password do not match a user here."
        assert isinstance(app.screen, SignInScreen)
        await sign_in(app, pilot, "ann", ANNS)
        assert isinstance(app.screen, ReadyScreen)
        assert "Signed in as Ann Hale (handler)" in str(app.screen.query_one("#headline").render())
        assert app.handler == "ann"
        assert front.trail.actor == Actor("ann", "handler", workstation())
        assert "A handler may not open the wallboard: that is for supervisors and leads." in said(
            app
        )
        keys = footer_keys(app)
        assert {"t", "n", "f", "r", "d", "o"} <= keys.keys()
        assert not {"w", "m", "k", "s"} & keys.keys()  # not offered ...
        for key in ("w", "m", "k"):
            await pilot.press(key)  # ... and said why when pressed
        assert isinstance(app.screen, ReadyScreen)
        assert said(app)[-3:] == [
            "A handler may not see the wallboard and the MI here: that is for supervisors "
            "and leads.",
            "A handler may not see the wallboard and the MI here: that is for supervisors "
            "and leads.",
            "A handler may not correct the directory here: that is for leads.",
        ]
        await pilot.press("o")
        await workers_done(app)
        await pilot.pause()
        assert isinstance(app.screen, SignInScreen)
        assert "ann signed out." in str(app.screen.query_one("#heading").render())
        assert events(front, "ann") == ["sign_in_refused", "sign_in", "sign_out"]

        # five wrong in a row lock the account, whatever is typed then
        for _ in range(5):
            await sign_in(app, pilot, "ann", "a wrong guess!")
        assert refusal(app) == (
            "That name and password do not match; ann is now locked for 15 minutes after "
            "5 failed sign-ins."
        )
        await sign_in(app, pilot, "ann", ANNS)
        assert refusal(app).startswith("ann is locked after 5 failed sign-ins until")

        # an admin: no calls, and the console says where the admin work is
        await sign_in(app, pilot, "root", "the admin's password")
        assert isinstance(app.screen, AdminScreen)
        assert "The admin work is the frontdoor command" in str(
            app.screen.query_one("#admin Static").render()
        )
        assert set(footer_keys(app)) == {"o", "q"}
        await pilot.press("n")
        await pilot.press("t")
        assert said(app)[-1] == (
            "An admin may not take calls and see people's records here: that is for "
            "handlers, supervisors and leads."
        )
        assert isinstance(app.screen, AdminScreen)


async def test_idle_lock_keeps_the_call_and_only_its_user_unlocks(front, clock):
    front.users.add("ann", "handler", ANNS)
    front.users.add("bob", "handler", BOBS)
    app = FrontDoorApp(front, handler="h.jones", idle_check_seconds=0.01)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in(app, pilot, "ann", ANNS)
        await start_a_call(app, pilot, subject_name="Zed Yan", caller="01632 960123")
        call_screen = app.screen
        await pilot.press("2", "2")
        app.action_sign_out()  # (its key is on the ready screen) not with a call in hand
        await pilot.pause()
        assert said(app)[-1].startswith("A call is in hand: wrap it up before you sign out")
        clock.advance(14 * 60)
        await pilot.pause(0.05)
        assert app.screen is call_screen  # not yet
        clock.advance(60)
        await until(pilot, lambda: isinstance(app.screen, SignInScreen))
        await pilot.pause()
        assert app.locked is not None and app.locked.call_open
        drawn = shown(app)
        assert "Yan" not in drawn and "960123" not in drawn and "locked" in drawn
        # another unfinished contact of ann's, found by work running behind the lock:
        # never over the lock, and with a call in hand it waits for the desk
        other = front.record.start_contact(NewContact(handler="ann"))
        app._check_unfinished()
        await workers_done(app)
        await pilot.pause()
        assert isinstance(app.screen, SignInScreen)

        await sign_in(app, pilot, "bob", BOBS)
        assert refusal(app) == "A call is open here: only ann may unlock this console."
        await sign_in(app, pilot, "ann", "not it at all")
        assert isinstance(app.screen, SignInScreen)
        await sign_in(app, pilot, "ann", ANNS)
        assert app.screen is call_screen and app.call is call_screen.call
        assert "offered once this caller is done" in said(app)[-1]
        assert [answer for _, answer in app.call.triage.path] == ["No", "No"]
        assert app.call.triage.node_name == "already_arranged"
        await pilot.press("2")  # the call goes on where it stopped
        assert app.outbox.wait_until_idle(10)
        contact_id = app.call.contact_id

        # locked again with no call in hand: someone else may sign in, ann is signed out
        await pilot.press("f10")
        await pilot.press("ctrl+s")
        await workers_done(app)
        await pilot.pause()
        assert app.call is None
        assert isinstance(app.screen, ResumeScreen)  # what waited for the desk
        await pilot.press("escape")
        assert isinstance(app.screen, ReadyScreen)
        await pilot.press("ctrl+l")
        assert isinstance(app.screen, SignInScreen)
        await sign_in(app, pilot, "bob", BOBS)
        assert isinstance(app.screen, ReadyScreen) and app.handler == "bob"

    with front.sessions() as session:
        nodes = session.scalars(
            select(AnswerRow.node).where(AnswerRow.contact_id == contact_id).order_by(AnswerRow.seq)
        ).all()
        assert session.get(ContactRow, other).status != "closed"
    assert nodes == ["danger_now", "harm_from_others", "already_arranged"]
    assert events(front, "ann") == [
        "sign_in",
        "lock",
        "sign_in_refused",
        "sign_in",
        "lock",
        "sign_out",
    ]
    lock = front.trail.entries(AuditQuery(user="ann", events=frozenset({"lock"})))[0]
    assert lock.concerns.contact_id == contact_id
    assert lock.concerns.detail == "after 15 minutes with no key or mouse"
    assert events(front, "bob") == ["sign_in"]  # refused at the lock without a check


async def test_the_wallboard_shows_who_signed_out_or_closed_their_console(front, clock):
    """Signing out, and closing the console, say the handler is signed out: the wallboard
    showed a handler who had signed out as signed in and away, and one who had closed the
    console as available. A name of 14 letters or more ran into its state."""
    from frontdoor.telephony.taking import states

    add_demo_users(front.users)
    front.users.add("ann", "handler", ANNS)
    front.users.add("bob", "handler", BOBS)
    front.users.add("s.supervisor-long", "supervisor", ANNS)
    app = FrontDoorApp(front, handler="h.jones")
    async with app.run_test(size=SIZE) as pilot:
        await workers_done(app)
        await sign_in(app, pilot, "ann", ANNS)
        assert states(front.sessions)["ann"].state == "available"
        # every minute the console says ann is still there (the timer's work, called here
        # with the clock moved on), so a console killed shows as not heard from
        clock.advance(150)
        app.say_still_here()
        assert states(front.sessions)["ann"].seen_at == clock()
        app.notify("Referral R-2026-000001 to Falls Prevention Service: for ann's caller")
        await pilot.press("o")
        await workers_done(app)
        assert states(front.sessions)["ann"].state == "signed out"
        signed_out_at = states(front.sessions)["ann"].seen_at
        clock.advance(60)
        app.say_still_here()  # nobody at the desk: nothing said for anyone
        assert states(front.sessions)["ann"].seen_at == signed_out_at
        assert not list(app._notifications)  # what was said to ann is not for the next
        await sign_in(app, pilot, "bob", BOBS)
        assert states(front.sessions)["bob"].state == "available"
    assert states(front.sessions)["bob"].state == "signed out"  # closed, not signed out

    app = FrontDoorApp(front, handler="h.jones")
    async with app.run_test(size=SIZE) as pilot:
        await workers_done(app)
        await sign_in(app, pilot, "s.supervisor-long", ANNS)
        await workers_done(app)
        await pilot.pause()
        assert isinstance(app.screen, WallboardScreen)
        handlers = str(app.screen.query_one("#handlers").render())
        assert "1 signed in: 1 available" in handlers  # the supervisor, who takes calls too
        assert "ann                signed out\n" in handlers
        assert "s.supervisor-long  available\n" in handlers
    assert states(front.sessions)["s.supervisor-long"].state == "signed out"
