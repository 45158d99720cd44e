"""Service leads keep the directory current in the console; handlers' searches filter
by who the call is about."""

from __future__ import annotations

import datetime as dt
import threading

from frontdoor.console.app import FrontDoorApp
from frontdoor.console.screens.browse import BrowseDirectoryScreen
from frontdoor.console.screens.directory_admin import DirectoryAdminScreen
from frontdoor.console.screens.service_detail import ServiceScreen
from frontdoor.console.screens.service_edit import EditServiceScreen
from frontdoor.console.widgets.directory_panel import DirectoryPanel
from frontdoor.console.wiring import open_front_door
from frontdoor.directory.eligibility import Filters
from frontdoor.directory.live_index import LiveIndex
from frontdoor.directory.search import SearchIndex

SIZE = (120, 40)


PATIENCE = 30.0  # seconds: only a broken build waits this long


def status(panel: DirectoryPanel) -> str:
    return str(panel.query_one("#directory-status").render())


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_a_lead_finds_a_stale_entry_corrects_it_and_marks_it_checked(front, clock):
    app = FrontDoorApp(front, handler="s.lead", role="lead")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DirectoryAdminScreen)
        await pilot.press("s")  # not checked for 12 months
        await settle(pilot)
        assert [s.id for s in app.screen.services] == ["hearing-loops"]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ServiceScreen)
        await pilot.press("e")
        assert isinstance(app.screen, EditServiceScreen)
        app.screen.query_one("#edit-phones").value = "0113 496 0188, 0123"
        app.screen.query_one("#edit-min_age").value = "sixty"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, EditServiceScreen)  # refused, with the reason
        assert "whole number" in str(app.screen.query_one("#edit-error").render())
        app.screen.query_one("#edit-min_age").value = "60"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ServiceScreen)
        clock.advance(60)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("h")
        history = str(app.screen.query_one("#history").render())
        assert "assure" in history and "min_age" in history and "s.lead" in history
    service = front.directory.get("hearing-loops")
    assert service is not None
    assert [(p.number, p.valid) for p in service.phones] == [
        ("0113 496 0188", True),
        ("0123", False),
    ]
    assert (service.min_age, service.assured_by) == (60, "s.lead")
    assert service.assured_date == clock().date()
    assert front.directory.not_checked_since(dt.date(2025, 11, 23)) == []


async def test_the_call_searches_for_the_person_it_is_about(front):
    app = FrontDoorApp(front, handler="h.jones")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        app.screen.query_one("#subject_dob").value = "04/07/1941"
        app.screen.query_one("#subject_postcode").value = "NM4 7QT"
        app.screen.query_one("#consent_record").value = True
        await pilot.press("ctrl+s")
        await settle(pilot)
        panel = app.screen.query_one(DirectoryPanel)
        assert panel.filters == Filters(age=85, area="NM4 7QT", caller_type="public")
        await pilot.press("slash", *"carers")
        ids = [r.service.id for r in panel.results]
        assert "young-carers" not in ids and "carers-support-service" in ids
        panel.query_one("#directory-query").value = "adult social care"
        await pilot.pause()
        ids = [r.service.id for r in panel.results]
        assert {"adult-social-care-duty", "adult-social-care-assessment"} <= set(ids)
        await pilot.press("ctrl+o")  # open now: Monday 8.55; assessments open at 9
        ids = [r.service.id for r in panel.results]
        assert "adult-social-care-duty" in ids and "adult-social-care-assessment" not in ids


async def test_the_directory_at_first_paint_answers_keys_and_fills_in_when_ready(front):
    built = threading.Event()

    def build_when_the_test_says() -> SearchIndex:
        built.wait(PATIENCE)  # a large directory, still being read
        return front._build_index()

    front.directory_index = LiveIndex(build_when_the_test_says, front.directory.stamp)
    app = FrontDoorApp(front, handler="h.jones")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("d")  # before the index could possibly be ready
        assert isinstance(app.screen, BrowseDirectoryScreen)
        panel = app.screen.query_one(DirectoryPanel)
        assert "Loading the directory" in status(panel)
        await pilot.press(*"carers")  # the screen answers every key meanwhile
        assert panel.query_one("#directory-query").value == "carers"
        assert front.directory_index.current() is None and panel.results == []
        built.set()
        await settle(pilot)
        assert "carers-support-service" in [r.service.id for r in panel.results]
        assert "result(s)" in status(panel)
    assert front.directory_index.builds == 1  # the ready screen's poll waited for the same one


async def test_a_search_on_screen_uses_a_correction_made_on_another_workstation(
    front, settings, clock
):
    elsewhere = open_front_door(settings, clock=clock)
    app = FrontDoorApp(front, handler="h.jones")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d", *"allotment")
        panel = app.screen.query_one(DirectoryPanel)
        assert "community-meals" not in [r.service.id for r in panel.results]
        meals = elsewhere.directory.get("community-meals")
        assert meals is not None
        elsewhere.directory.update(
            meals.model_copy(update={"tags": ["allotment"]}), clock(), by="s.lead"
        )
        assert front.directory_index.check()  # what the watcher does every few seconds
        assert front.directory_index.wait_for_builds(2, PATIENCE)
        await pilot.press("s")  # the next keystroke searches the new index
        assert panel.results[0].service.id == "community-meals"
    elsewhere.engine.dispose()


async def test_the_leads_list_of_stale_entries_works_on_a_leap_day(front, clock):
    clock.now = dt.datetime(2028, 2, 29, 10, 0, tzinfo=dt.UTC)
    app = FrontDoorApp(front, handler="s.lead", role="lead")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")  # raised ValueError on 29 February
        await settle(pilot)
        listed = {s.id for s in app.screen.services}
    today = dt.date(2028, 2, 29)
    assert listed and listed == {s.id for s in front.directory.all() if s.stale(today)}
