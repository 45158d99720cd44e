"""A check-all-that-apply question on the call screen: ticked from the keyboard, answered
with Enter, kept in the record as the list of labels."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from textual.widgets import Input, Static

from frontdoor.calls.library import FixedLibrary
from frontdoor.console.app import FrontDoorApp
from frontdoor.console.widgets.many_choice import ManyChoice
from frontdoor.triage_scripts.loader import load_file
from tests.console.driving import start_a_call

SIZE = (120, 40)
V2 = Path(__file__).parents[1] / "triage_scripts" / "fixtures" / "v2"


async def test_a_many_question_is_ticked_from_the_keyboard_and_kept_as_a_list(front):
    v2 = {p.stem: load_file(p).loaded.script for p in V2.glob("*.yaml")}
    # a library whose front door is the lead's breathing script: its first question is one
    # to tick every answer that applies
    scripts = {**front.library.scripts, **v2, "reason-for-call": v2["breathing"]}
    app = FrontDoorApp(front, handler="h.jones")
    app.calls = dataclasses.replace(app.calls, library=FixedLibrary(scripts))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await start_a_call(app, pilot)
        screen = app.screen
        many = screen.query_one(ManyChoice)
        assert app.focused is many and not screen.query_one("#answer-input", Input).display
        question = str(screen.query_one("#question", Static).content)
        assert question == "Which of these does the person have now?"
        await pilot.press("enter")  # nothing ticked: refused in words, still asked
        assert any("at least one" in str(n.message) for n in app._notifications)
        await pilot.press("1", "down", "space")  # Fever by its number, Cough by the cursor
        assert many.ticked == {0, 1}
        await pilot.press("5")  # None of these: it stands alone
        assert many.ticked == {4}
        await pilot.press("5", "2", "1", "enter")
        triage = screen.call.triage
        # two symptoms, age not known, a Monday morning: the date of birth is asked
        assert triage.recorded["symptoms"] == ("Fever", "Cough")
        assert triage.node_name == "born_on" and not many.display
        assert app.focused is screen.query_one("#answer-input", Input)
        assert app.outbox.wait_until_idle(10)
    contact = front.record.contact(screen.call.contact_id)
    assert [(a.kind, a.answer) for a in contact.answers] == [
        ("answer", ("Fever", "Cough")),
        ("decide", "born_on"),
    ]
