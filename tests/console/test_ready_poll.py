"""The ready screen's summary, polled every couple of seconds, on a database slower than
the poll: each read finishes and is shown, rather than being replaced by the next poll
(an exclusive worker is cancelled by its successor, so no summary was ever shown and a
test waiting for the app's workers never saw them finish)."""

from __future__ import annotations

import threading

from textual.app import App
from textual.reactive import reactive

from frontdoor.calls.outbox import OutboxState
from frontdoor.console.screens.ready import ReadyScreen
from frontdoor.console.sources import ReadySummary
from tests.console.driving import until

PATIENCE = 30.0  # seconds: only a broken build waits this long


async def test_a_summary_slower_than_the_poll_is_finished_and_shown_not_replaced():
    release = threading.Event()
    reads: list[int] = []

    def slow_summary() -> ReadySummary:
        reads.append(len(reads))
        release.wait(PATIENCE)  # the database is slow to answer
        return ReadySummary(3, 42.0, 0, 10, 117, ())

    # the poll's own timer is kept out of the way: the test polls by hand
    screen = ReadyScreen(
        "Ann", "Front Door SPA", summary=slow_summary, connected=lambda: None, poll_seconds=3600
    )

    class Host(App[None]):
        outbox_state: reactive[OutboxState] = reactive(OutboxState)  # the screen's save line

        def on_mount(self) -> None:
            self.push_screen(screen)

    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: len(reads) == 1, "the first read")
        for _ in range(20):  # twenty polls come while the read waits
            screen._poll_summary()
            await pilot.pause()
        assert len(reads) == 1
        release.set()
        await until(
            pilot,
            lambda: "Calls waiting: 3" in str(screen.query_one("#summary").render()),
            "the summary shown",
        )
        screen._poll_summary()  # and the next poll, once it has finished, reads again
        await until(pilot, lambda: len(reads) == 2, "the next read")
