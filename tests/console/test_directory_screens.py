"""Service leads keep the directory current in the console; handlers' searches filter
by who the call is about."""

from __future__ import annotations

import datetime as dt

from frontdoor.console.app import FrontDoorApp
from frontdoor.console.screens.directory_admin import DirectoryAdminScreen
from frontdoor.console.screens.service_detail import ServiceScreen
from frontdoor.console.screens.service_edit import EditServiceScreen
from frontdoor.console.widgets.directory_panel import DirectoryPanel
from frontdoor.directory.eligibility import Filters

SIZE = (120, 40)


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
