"""`frontdoor console` paints its first screen before it opens anything (issue: start-up):
the screen says the console is getting ready, the database is opened by a worker after
that paint (console/opening.py, as the command opens it), then the sign-in or ready
screen is shown, and behind it the library is brought in and checked and the calls made
ready (`finish_opening`). Every key typed until then reaches the screen that follows, and
no call starts before the library is checked. The opener (and the finish) are held at a
gate until the test has typed, so that the keys are typed first, whatever the load."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from frontdoor.access.actor import Actor
from frontdoor.console.app import FrontDoorApp
from frontdoor.console.opening import Opened, open_console
from frontdoor.console.screens.new_contact import NewContactScreen
from frontdoor.console.screens.opening import OpeningScreen
from frontdoor.console.screens.ready import ReadyScreen
from frontdoor.console.screens.sign_in import SignInScreen
from frontdoor.console.settings import load_settings
from frontdoor.console.wiring import NO_USERS_ROLE, workstation
from tests.console.driving import type_text, until, workers_done

pytestmark = pytest.mark.usefixtures("quick_hashing")

SIZE = (120, 40)


def gated_opener(settings, gate: threading.Event, user: str | None = "h.jones"):
    """`open_console` as the command calls it (`user`: --user), once the gate is open."""

    def opener() -> Opened:
        assert gate.wait(30), "the test never let the console open"
        return open_console(settings, user)

    return opener


def finish_gated(settings, gate: threading.Event, user: str | None = "h.jones"):
    """`open_console` at once; its finish (the library, the calls) once the gate is open."""

    def opener() -> Opened:
        opened = open_console(settings, user)

        def finish() -> None:
            assert gate.wait(30), "the test never let the console finish opening"
            opened.finish()

        return replace(opened, finish=finish)

    return opener


async def opened(app, pilot) -> None:
    """Until the console has finished opening (the library checked, calls ready) and
    handed on the keys it kept."""
    await until(pilot, lambda: app.is_warm, "the console finished opening")
    await workers_done(app)
    await until(pilot, lambda: not app.keeps_keys, "the kept keys handed on")
    await workers_done(app)
    await pilot.pause()


async def test_keys_typed_while_getting_ready_reach_the_ready_screen(front):
    """And a database file others could read, made owner-only on the way, is said on the
    screen: stderr, where a command says it, is the console's screen by then."""
    database = Path(make_url(front.settings.db).database or "")
    database.chmod(0o644)
    gate = threading.Event()
    app = FrontDoorApp.opening(gated_opener(front.settings, gate))
    try:
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            assert isinstance(app.screen, OpeningScreen)
            assert "Getting ready" in str(app.screen.query_one("#getting-ready").render())
            await type_text(pilot, "a")  # away, before the desk is there
            assert isinstance(app.screen, OpeningScreen) and not app.away
            gate.set()
            await opened(app, pilot)
            assert isinstance(app.screen, ReadyScreen)
            assert app.handler == "h.jones" and app.database_url == front.settings.db
            # named as the desk opened, before the trail was built behind it
            assert app.front.trail.actor == Actor("h.jones", NO_USERS_ROLE, workstation())
            assert app.away  # the key was not lost
            assert "Away: no calls will come to you." in str(
                app.screen.query_one("#headline").render()
            )
            notices = [str(n.message) for n in app._notifications]
            assert f"{database} could be read by other users of this machine: made " in notices[0]
            assert database.stat().st_mode & 0o077 == 0
    finally:
        app.close_database()


async def test_a_name_and_password_typed_while_getting_ready_are_in_the_sign_in(front):
    front.users.add("ann", "handler", "ann's own password")
    gate = threading.Event()
    app = FrontDoorApp.opening(gated_opener(front.settings, gate, user=None))
    try:
        async with app.run_test(size=SIZE) as pilot:
            await type_text(pilot, "ann\tpw")
            gate.set()
            await opened(app, pilot)
            screen = app.screen
            assert isinstance(screen, SignInScreen)
            assert screen.query_one("#name").value == "ann"
            assert screen.query_one("#password").value == "pw"
    finally:
        app.close_database()


async def test_a_sign_in_and_a_call_typed_while_getting_ready_sign_in_then_start_it(front):
    """Typed ahead whole: the name, the password and Enter, then `n` and the caller's
    number. The password checked is the password (the number typed after its Enter is
    not part of it), and the number goes into the new contact's form once signed in."""
    front.users.add("ann", "handler", "ann's own password")
    gate = threading.Event()
    app = FrontDoorApp.opening(gated_opener(front.settings, gate, user=None))
    try:
        async with app.run_test(size=SIZE) as pilot:
            await type_text(pilot, "ann\tann's own password\rn01472 555123")
            gate.set()
            await opened(app, pilot)
            await until(pilot, lambda: isinstance(app.screen, NewContactScreen), "the form")
            await pilot.pause()
            assert app.handler == "ann"
            assert app.screen.query_one("#caller").value == "01472 555123"
    finally:
        app.close_database()


async def test_keys_typed_while_a_password_is_checked_reach_the_desk(front):
    """Typed straight after the sign-in's Enter, before its check has answered: kept for
    the ready screen, not typed into the password field and cleared with it. After a
    refusal they are let go: they were meant for a desk that did not open."""
    front.users.add("ann", "handler", "ann's own password")
    checked = threading.Event()
    app = FrontDoorApp(front, handler="h.jones")
    async with app.run_test(size=SIZE) as pilot:
        await workers_done(app)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SignInScreen)
        attempt = screen.attempt

        def slow_attempt(name: str, password: str):
            assert checked.wait(30), "the test never let the check answer"
            return attempt(name, password)

        screen.attempt = slow_attempt
        await type_text(pilot, "ann\twrong\r")
        await type_text(pilot, "n0")  # while the check runs
        checked.set()
        await until(
            pilot, lambda: "do not match" in str(screen.query_one("#refusal").render()), "refused"
        )
        await pilot.pause()
        assert screen.query_one("#password").value == ""  # "n0" not typed into it
        checked.clear()
        await type_text(pilot, "ann's own password\r")
        await type_text(pilot, "n01472")  # while the check runs
        assert isinstance(app.screen, SignInScreen) and app.keeps_keys
        checked.set()
        await until(pilot, lambda: isinstance(app.screen, NewContactScreen), "the form")
        await pilot.pause()
        assert app.screen.query_one("#caller").value == "01472"


async def test_a_database_that_cannot_be_opened_closes_the_console_with_the_failure(tmp_path):
    """`frontdoor console` then words it as any command does (test_crash.py runs it)."""
    from frontdoor.console.settings import load_settings

    settings = load_settings(db=f"sqlite:///{tmp_path / 'missing' / 'none.db'}")
    app = FrontDoorApp.opening(lambda: open_console(settings, None))
    async with app.run_test(size=SIZE) as pilot:
        await workers_done(app)
        await pilot.pause()
    assert type(app.not_opened).__name__ == "DatabaseMissing"
    assert app.failure is None  # not a crash: the command says it, and exits as it would


async def test_ctrl_q_while_getting_ready_closes_the_console_at_once(front):
    gate = threading.Event()
    app = FrontDoorApp.opening(gated_opener(front.settings, gate))
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("ctrl+q")
            await pilot.pause()
            assert not app.is_running
    finally:
        gate.set()  # the opener, left behind in its thread, finds the console gone
        await workers_done(app)
        app.close_database()


def summed_up(app) -> str:
    """The ready screen's summary as shown, or "" before there is one."""
    if not isinstance(app.screen, ReadyScreen) or not app.screen.query("#summary"):
        return ""
    return str(app.screen.query_one("#summary").render())


async def test_the_ready_screen_is_shown_and_summed_up_before_the_library_is_checked(front):
    """The ready screen and its summary (the services counted in the database, not by
    the search index, which is not built yet) come before the library is brought in and
    checked; `n` typed then waits, and opens the new contact once it is: no call starts
    on a library not yet checked, and the key is not lost."""
    gate = threading.Event()
    app = FrontDoorApp.opening(finish_gated(front.settings, gate))
    try:
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: "Services" in summed_up(app), "the ready screen's summary")
            screen = app.screen
            services = front.directory.count()
            assert f"Services in the directory: {services}." in summed_up(app)
            assert not app.is_warm and app.front.directory_index.current() is None
            # greyed in the footer meanwhile, so that a click cannot start one either
            assert app.check_action("new_contact", ()) is None
            await type_text(pilot, "n")
            assert app.screen is screen  # kept, not lost: the library is not checked yet
            gate.set()
            await opened(app, pilot)
            assert isinstance(app.screen, NewContactScreen)
            assert app.check_action("new_contact", ()) is True
    finally:
        gate.set()
        app.close_database()


async def test_a_library_that_fails_behind_the_ready_screen_closes_the_console(front, tmp_path):
    """The check that used to come before any screen comes after the ready screen now:
    what it finds closes the console as before, and `frontdoor console` says it."""
    settings = load_settings(
        db=front.settings.db,
        log_file=tmp_path / "frontdoor.log",
        journal=tmp_path / "journal",
        safeguarding_script="no-such-script",
    )
    gate = threading.Event()
    app = FrontDoorApp.opening(finish_gated(settings, gate))
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ReadyScreen), "the ready screen")
        gate.set()
        await until(pilot, lambda: app.not_opened is not None, "the failure")
    assert "safeguarding_script 'no-such-script'" in str(app.not_opened)
    assert app.failure is None
    app.close_database()
