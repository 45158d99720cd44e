"""Driving the console in Pilot tests the way a handler does."""

from __future__ import annotations

from frontdoor.console.screens.call import CallScreen


async def start_a_call(app, pilot) -> None:
    """New contact, consent to record given, triage started: on the call screen."""
    await pilot.press("n")
    app.screen.query_one("#consent_record").value = True
    await pilot.press("ctrl+s")
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(app.screen, CallScreen)
