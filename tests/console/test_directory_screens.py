"""Service leads keep the directory current in the console; handlers' searches filter
by who the call is about."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from textual.widgets import Input, OptionList
from textual.widgets._footer import FooterKey

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
from tests.console.driving import start_a_call, workers_done
from tests.outage import DatabaseSwitch

SIZE = (120, 40)


PATIENCE = 30.0  # seconds: only a broken build waits this long


def status(panel: DirectoryPanel) -> str:
    return str(panel.query_one("#directory-status").render())


async def settle(pilot) -> None:
    await workers_done(pilot.app)
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
        app.screen.query_one("#edit-respond_within").value = "3 days"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, EditServiceScreen)  # the model's words, on its box
        assert str(app.screen.query_one("#edit-error").render()).startswith(
            "Respond within: respond_within is Nh (hours) or N working day(s), such as 4h or "
            "2 working days, not '3 days'"
        )
        app.screen.query_one("#edit-respond_within").value = "2 Working Days"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ServiceScreen)
        assert "Respond within  2 working days" in str(app.screen.query_one("#detail").render())
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
    assert service.respond_within == "2 working days"  # as the model writes it
    assert service.assured_date == clock().date()
    assert front.directory.not_checked_since(dt.date(2025, 11, 23)) == []


def listed(panel: DirectoryPanel) -> list[str]:
    """The ids of the services the panel lists, in order (not separators or headings)."""
    options = panel.query_one(OptionList)
    found = (options.get_option_at_index(i) for i in range(options.option_count))
    return [option.id for option in found if option.id]


def listed_text(panel: DirectoryPanel) -> str:
    options = panel.query_one(OptionList)
    return "\n".join(
        str(options.get_option_at_index(i).prompt) for i in range(options.option_count)
    )


def footer_keys(app) -> dict[str, str]:
    return {key.key: key.description for key in app.screen.query(FooterKey)}


async def test_a_call_with_a_real_postcode_finds_what_fits_and_sets_the_rest_aside(front):
    """As the issue found it: a call about someone at a real postcode, and the searches
    the search box itself suggests."""
    app = FrontDoorApp(front, handler="h.jones")
    async with app.run_test(size=SIZE) as pilot:
        await start_a_call(app, pilot, subject_dob="04/07/1941", subject_postcode="DN32 7DL")
        panel = app.screen.query_one(DirectoryPanel)
        assert panel.filters == Filters(age=85, area="DN32 7DL", caller_type="public")
        box = panel.query_one("#directory-query", Input)
        await pilot.press("slash")
        assert box.has_focus
        for query, wanted in [
            ("district nurse", "district-nursing"),
            ("falls prevention", "falls-prevention-service"),
            ("meals on wheels", "community-meals"),
        ]:
            box.value = query  # as typed (typing every letter costs a second a search)
            await pilot.pause()
            assert listed(panel)[0] == wanted and "unmet need" not in status(panel)
        await pilot.press("slash", *"lunch club")  # `/` in the box: a new search, no slash
        assert box.value == "lunch club" and listed(panel)[0] == "lunch-club-eastgate"
        # two lunch clubs in other towns: counted, not listed until asked for
        assert status(panel) == "3 result(s); 2 set aside by area: ctrl+t shows them"
        assert listed(panel) == [r.service.id for r in panel.found.results]
        await pilot.pause()
        keys = footer_keys(app)
        assert {"ctrl+t", "ctrl+f", "ctrl+o"} <= set(keys), keys
        await pilot.press("ctrl+t")
        assert listed(panel)[3:] == ["lunch-club-seaview", "lunch-club-immingham"]
        assert "set aside: not in DN32: covers Cleethorpes, DN36" in listed_text(panel)
        assert "listed after them" in status(panel)
        await pilot.press("ctrl+t")
        assert "lunch-club-seaview" not in listed(panel)
        await pilot.press("ctrl+f")  # the person's filters off: every lunch club ranks alike
        assert panel.found.set_aside_total == 0
        assert {"lunch-club-seaview", "lunch-club-immingham"} <= set(listed(panel))
        assert str(panel.query_one("#directory-filters").render()).startswith("filters off")
        await pilot.press("ctrl+f")
        assert panel.found.set_aside_by == {"area": 2}
        await pilot.press("enter")  # to the results; `/` comes back to the box
        assert not box.has_focus
        await pilot.press("slash")
        assert box.has_focus and box.value == "lunch club"
        panel.query_one("#directory-query", Input).value = "adult social care"
        await pilot.pause()
        assert {"adult-social-care-duty", "adult-social-care-assessment"} <= set(listed(panel))
        await pilot.press("ctrl+o")  # open now: Monday 8.55; assessments open at 9
        assert "adult-social-care-duty" in listed(panel)
        first_aside = panel.found.set_aside[0]
        assert first_aside.service.id == "adult-social-care-assessment"
        assert first_aside.verdict.failed == ("closed now: opens today 09:00",)


async def test_when_nothing_fits_what_was_set_aside_is_listed_not_called_unmet_need(front):
    app = FrontDoorApp(front, handler="h.jones")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d", "ctrl+o", *"lunch")  # Monday 8.55: no lunch club is open
        panel = app.screen.query_one(DirectoryPanel)
        assert panel.found.results == ()
        assert listed(panel) == [  # equal scores: by name
            "lunch-club-eastgate",
            "lunch-club-immingham",
            "lunch-club-seaview",
        ]
        assert status(panel) == "None fits: 3 set aside by open now, listed with why"
        assert "set aside: closed now: opens Tue 12:00" in listed_text(panel)


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


@pytest.mark.parametrize("held_whole", [True, False], ids=["held-whole", "read-by-id"])
async def test_a_search_while_the_database_does_not_answer(front, held_whole):
    """The demo's 114 services are held whole: with the database not answering, the
    handler still finds a service with its phones: the search asks nothing of it. A
    directory too large to hold whole (over 20,000) reads what it shows from the database:
    the panel says it cannot (the screen stays up), and the next keystroke once it answers
    searches."""
    if not held_whole:
        front.directory_held_whole_up_to = 0
    switch = DatabaseSwitch.install(front.engine)
    app = FrontDoorApp(front, handler="h.jones")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")
        panel = app.screen.query_one(DirectoryPanel)
        switch.fail()
        await pilot.press(*"carers")
        if held_whole:
            await settle(pilot)
            # found, with its phones, while every statement is refused (the ready screen's
            # poll and the library's watch, timed by the clock, may have been refused too)
            [found] = [r.service for r in panel.results if r.service.id == CARERS]
            assert found.phones and "result(s)" in status(panel)
            return
        assert status(panel) == DirectoryPanel.UNREADABLE and switch.refused
        switch.restore()
        await pilot.press("space")
        assert CARERS in [r.service.id for r in panel.results]
        assert "result(s)" in status(panel)


CARERS = "carers-support-service"


async def test_a_search_of_an_empty_directory_says_so_rather_than_nothing_found(front):
    """A new site's database has no directory yet: that is not a gap in provision."""
    front.directory_index = LiveIndex(lambda: SearchIndex([]), front.directory.stamp)
    app = FrontDoorApp(front, handler="h.jones")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d", *"meals")
        await settle(pilot)
        panel = app.screen.query_one(DirectoryPanel)
        assert status(panel).startswith("The directory is empty: a service lead imports one")
        assert "Nothing found" not in status(panel)


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


async def test_slash_in_the_directory_screens_list_goes_back_to_the_search_box(front):
    """On the directory screen (`d`), `/` from the results did nothing: only the call's
    screen bound it. It now selects the query, as in a call."""
    app = FrontDoorApp(front, handler="h.jones")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d", *"carers")
        await settle(pilot)
        panel = app.screen.query_one(DirectoryPanel)
        box = panel.query_one("#directory-query", Input)
        await pilot.press("enter", "down")
        assert panel.query_one(OptionList).has_focus
        await pilot.press("slash", *"meals")
        await settle(pilot)
        assert box.has_focus and box.value == "meals"
        assert "community-meals" in listed(panel)
