"""Snapshots of the main screens at a fixed size, on a fixed clock and fixed data.

Run `pytest tests/console/test_snapshots.py --snapshot-update` after a deliberate
change to a screen, and look at the report before committing the new SVGs.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input

from frontdoor.console.app import FrontDoorApp
from frontdoor.interactions.model import NewContact, ScriptEnd, WrapUp
from tests.console.driving import type_text, workers_done

SIZE = (120, 40)


@pytest.fixture
def app(front, clock):
    # an earlier call from the same number, so the history panel has something to show
    earlier = front.record.start_contact(
        NewContact(
            handler="a.patel",
            caller="01632 960123",
            caller_name="Jean Example",
            subject_name="Ann Example",
        )
    )
    front.record.record_end(earlier, ScriptEnd("falls", 1, "falls_service", "referred", None))
    front.record.choose_service(earlier, "falls-prevention", "Falls Prevention Service", "referred")
    notes = "Fell twice this month; daughter worried.\nAsked for a call back."
    front.record.wrap_up(
        earlier, WrapUp("referred", "new_need", notes=notes, category="physical_health")
    )
    clock.advance(2 * 24 * 3600)
    return FrontDoorApp(front, handler="h.jones")


async def settle(pilot) -> None:
    await workers_done(pilot.app)
    # a blinking cursor is drawn or not by the time a loaded machine takes to get here:
    # held steady, the picture does not depend on it
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


async def start_call(pilot) -> None:
    await pilot.press("n")
    await pilot.click("#caller")
    await type_text(pilot, "01632 960123")
    pilot.app.screen.query_one("#consent_record").value = True
    await pilot.press("ctrl+s")
    await settle(pilot)


def test_ready_screen(snap_compare, app):
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


def test_new_contact_shows_previous_contacts(snap_compare, app):
    async def run_before(pilot) -> None:
        await pilot.press("n")
        await pilot.click("#caller")
        await type_text(pilot, "01632 960123")
        await pilot.click("#subject_name")
        await type_text(pilot, "Anne Example")  # the same number, a name like hers: ask
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_call_screen_question(snap_compare, app):
    assert snap_compare(app, terminal_size=SIZE, run_before=start_call)


def test_call_screen_red_flag_end(snap_compare, app):
    async def run_before(pilot) -> None:
        await start_call(pilot)
        await pilot.press("2", "2", "2", "2", "1")  # falls: on the floor and hurt
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_directory_search_says_why(snap_compare, app):
    async def run_before(pilot) -> None:
        await start_call(pilot)
        await pilot.press("slash", *"meals on wheels")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_wrap_up(snap_compare, app):
    async def run_before(pilot) -> None:
        await start_call(pilot)
        # the front door to falls; not hurt, not on the floor, no blackout; one fall;
        # no treatment, steady, few medicines, not alone: home-safety advice
        await pilot.press("2", "2", "2", "2", "2", "2", "2")
        await pilot.press(*"1", "enter", "2", "2", "2", "2")
        await pilot.press("f10")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_directory_for_service_leads(snap_compare, front):
    app = FrontDoorApp(front, handler="s.lead", role="lead")

    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("h")

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
