"""A console running while a lead publishes: the call on screen keeps its version, the
next call shows the new one, and a library that fails this console's check is not used
and the console says so."""

from __future__ import annotations

import dataclasses

from frontdoor.console.app import FrontDoorApp
from frontdoor.triage_scripts import governance
from frontdoor.triage_scripts.governance import Submission
from tests.console.driving import start_a_call
from tests.triage_scripts.changing import LEAD, SECOND, reworded

SIZE = (120, 40)


def publish(front, text: str, script: str, context) -> None:
    governance.submit(
        front.scripts, [Submission(f"{script}.yaml", text)], LEAD, front.clock(), context
    )
    governance.approve(front.scripts, script, None, SECOND, front.clock(), context)


async def test_a_console_runs_what_a_lead_publishes_from_its_next_call(front):
    change = reworded("reason-for-call")
    app = FrontDoorApp(front, handler="h.jones")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await start_a_call(app, pilot)
        on_screen = app.screen.query_one("#question")
        assert str(on_screen.render()) == change.before
        publish(front, change.text, "reason-for-call", front.lint_context(with_directory=False))
        front.library.check()  # what the console's watcher does every few seconds
        assert front.library.scripts["reason-for-call"].nodes[change.node].ask == change.after
        await pilot.pause()
        assert str(on_screen.render()) == change.before  # this call keeps its version
        app.pop_screen()  # the handler is back at the ready screen (as after wrap-up)
        await pilot.pause()
        await start_a_call(app, pilot)
        assert str(app.screen.query_one("#question").render()) == change.after
        assert list(app._notifications) == []  # a published change needs no notice

        # a lead whose config has a category this console's does not
        wider = front.lint_context(with_directory=False)
        wider = dataclasses.replace(wider, categories=wider.categories | {"equipment"})
        text = reworded("falls").text.replace("category: physical_health", "category: equipment")
        publish(front, text, "falls", wider)
        front.library.check()  # (unless the watcher was first)
        assert front.library.refused is not None
        await pilot.pause()
        (notice,) = list(app._notifications)
        assert notice.title == "Scripts not updated" and "falls@" in str(notice.message)
    assert front.library.scripts["falls"].category == "physical_health"
