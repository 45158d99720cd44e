"""The supervisor's wallboard reads the shared queue events and refreshes itself."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from frontdoor.console.app import FrontDoorApp
from frontdoor.console.screens.wallboard import WallboardScreen
from frontdoor.telephony.ingest import ingest_file

LOG = Path(__file__).parents[1] / "telephony" / "queue_log"
SIZE = (120, 40)


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_the_wallboard_shows_the_queue_and_refreshes(front, clock):
    clock.now = dt.datetime(2026, 5, 12, 9, 10, tzinfo=dt.UTC)
    ingest_file(front.sessions, LOG)
    app = FrontDoorApp(front, handler="sup", role="supervisor")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, WallboardScreen)
        alerts = str(app.screen.query_one("#alerts").render())
        assert "Longest wait 360 s is over 120 s" in alerts
        assert "Service level 33% is below 80%" in alerts
        handlers = str(app.screen.query_one("#handlers").render())
        assert "3 signed in: 1 available, 1 on a call, 0 in wrap-up, 1 away" in handlers
        assert "a.patel" in handlers and "PJSIP" not in handlers  # agents mapped to handlers
        clock.now = dt.datetime(2026, 5, 12, 9, 5, 30, tzinfo=dt.UTC)
        await pilot.press("r")
        await settle(pilot)
        assert "1 in wrap-up" in str(app.screen.query_one("#handlers").render())


def test_wallboard_snapshot(snap_compare, front, clock):
    clock.now = dt.datetime(2026, 5, 12, 9, 10, tzinfo=dt.UTC)
    ingest_file(front.sessions, LOG)
    app = FrontDoorApp(front, handler="sup", role="supervisor")
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)
