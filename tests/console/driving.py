"""Driving the console in Pilot tests the way a handler does."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable

from textual import events
from textual.keys import _character_to_key
from textual.worker import WorkerCancelled

from frontdoor.console.screens.call import CallScreen
from frontdoor.console.screens.resume import ResumeScreen


async def workers_done(app) -> None:
    """Until every worker the app has has finished. One that a newer worker of its group
    replaced (an exclusive one: a refresh, a lookup) ends cancelled, as it is meant to:
    Textual's wait_for_complete raises WorkerCancelled for it, which failed a test now
    and then by the timing of a refresh. Here the newer one is waited for instead. A
    worker that failed still raises."""
    for _ in range(50):
        # one that finished may have started another (a state noted refreshes the
        # wallboard): read the list again until nothing is left running
        running = [worker for worker in app.workers if not worker.is_finished]
        if not running:
            return
        for worker in running:
            # one cancelled was replaced: its successor is in the list read next time round
            with contextlib.suppress(WorkerCancelled):
                await worker.wait()
    raise AssertionError("workers kept replacing one another")


async def type_text(pilot, text: str) -> None:
    """`text` typed as a quick typist's keys arrive, one after another with no pause
    between them ("\\t" is a Tab, "\\r" Enter), and the screen waited for once at the end. Each key
    goes the way a terminal's does (the app's bindings first, then the focused field) and
    in order, as the app's queue keeps it; Pilot's press instead waits for the app to look
    idle after every key, at least 40 ms a key, which was most of a form's test."""
    app = pilot.app
    for char in text:
        key = "enter" if char == "\r" else _character_to_key(char)
        app.post_message(events.Key(key, char))
    # the first wait is queued behind the keys at the app, the second behind the keys
    # the app has handed to the focused field
    await pilot.pause()
    await pilot.pause()


async def type_into(pilot, selector: str, text: str) -> None:
    await pilot.click(selector)
    await type_text(pilot, text)


async def start_a_call(app, pilot, **fields: str) -> None:
    """New contact, consent to record given, triage started: on the call screen. `fields`
    fill the form's boxes by id first, e.g. subject_postcode="DN32 7DL"."""
    await pilot.press("n")
    for name, value in fields.items():
        app.screen.query_one(f"#{name}").value = value
    app.screen.query_one("#consent_record").value = True
    await pilot.press("ctrl+s")
    await workers_done(app)
    await pilot.pause()
    assert isinstance(app.screen, CallScreen)


async def resume_the_offered_call(app, pilot, opens_on: type = CallScreen) -> None:
    """After start-up: the unfinished contact is offered, and `r` resumes it, on the call
    (or `opens_on`: a contact left in wrap-up resumes in it)."""
    await workers_done(app)
    await pilot.pause()
    assert isinstance(app.screen, ResumeScreen)
    await pilot.press("r")
    await workers_done(app)
    await pilot.pause()
    assert isinstance(app.screen, opens_on)


async def go_offline_mid_call(app, pilot, outage, first, offline) -> None:
    """A call started and `first` answered and saved; the database stops (`outage`) and
    `offline` is answered while the console finds it down."""
    await start_a_call(app, pilot)
    await pilot.press(*first)
    assert app.outbox.wait_until_idle(10)
    outage.begin()
    await pilot.press(*offline)


async def until_worker_gone(app, pilot, group: str, started) -> None:
    """Until a worker of `group` has run (`started()` says so) and finished; at most 2 s,
    in steps of 10 ms."""
    for _ in range(200):
        if started() and not [w for w in app.workers if w.group == group]:
            return
        await pilot.pause(0.01)
    raise AssertionError("the worker never finished")


async def until(pilot, condition: Callable[[], bool], what: str, seconds: float = 10) -> None:
    """Until `condition()` holds, looked at every 10 ms, at most `seconds`: for what the
    app does after a key through a callback or a worker it starts then (a dialog's answer,
    say), which Pilot's waits do not always cover on a loaded machine."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {seconds} s")
        await pilot.pause(0.01)
