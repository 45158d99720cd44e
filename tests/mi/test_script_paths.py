"""Nodes no call reached in the last N days, from calls taken through the call service
(the same path as the console's), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from frontdoor.calls.call import CallService
from frontdoor.calls.library import FixedLibrary
from frontdoor.calls.settings import CallSettings
from frontdoor.calls.writer import DirectWriter
from frontdoor.db.engine import make_engine, make_session_factory
from frontdoor.interactions.model import NewContact
from frontdoor.interactions.record import Record
from frontdoor.mi.script_paths import nodes_never_reached
from frontdoor.triage_scripts.library import read_library
from frontdoor.triage_scripts.model import ESCALATE_EMERGENCY
from tests.conftest import START, FakeClock

FALLS = read_library().scripts["falls"]


class NoDirectory:
    """These calls do not search the directory."""

    def current(self):
        raise AssertionError("no search in this test")

    wait = current


@pytest.fixture
def sessions(db_url):
    engine = make_engine(db_url)
    yield make_session_factory(engine)
    engine.dispose()


def take(sessions, clock, days_ago: float, answers, *, version: int = FALLS.version):
    """One call through the falls script (at `version`), `days_ago` days before START:
    each of `answers` is an answer, "back" or an escalation end's name."""
    clock.now = START - dt.timedelta(days=days_ago)
    record = Record(sessions, clock)
    script = FALLS if version == FALLS.version else FALLS.model_copy(update={"version": version})
    calls = CallService(
        record,
        FixedLibrary({"falls": script}),
        index=NoDirectory(),
        settings=CallSettings(),
        clock=clock,
        writer=DirectWriter(record),
    )
    call = calls.start(NewContact(handler="h.test"), script_id="falls")
    for answer in answers:
        if answer == "back":
            call.back()
        elif answer == ESCALATE_EMERGENCY:
            call.escalate(answer)
        else:
            call.answer(answer)


def test_the_nodes_no_call_reached_in_the_window_in_the_scripts_order(sessions):
    clock = FakeClock()
    # before the window: the only call that got the rapid response team
    take(sessions, clock, 100, ["No", "Yes"])
    take(sessions, clock, 10, ["Yes"])  # on_floor, call_999
    # blackout answered, its end reached and withdrawn by back (the call was there), then
    # F8 at blackout: an escalation end, not a node of the script
    take(sessions, clock, 1, ["No", "No", "Yes", "back", ESCALATE_EMERGENCY])
    # another version of the script: its calls say nothing of this one's nodes
    take(sessions, clock, 1, ["No", "Yes"], version=FALLS.version + 1)
    reached = {"on_floor", "call_999", "cannot_get_up", "blackout", "see_doctor_today"}
    never = nodes_never_reached(sessions, "falls", FALLS.version, list(FALLS.nodes), START)
    assert never == [name for name in FALLS.nodes if name not in reached]
    assert "rapid_response" in never
    longer = nodes_never_reached(
        sessions, "falls", FALLS.version, list(FALLS.nodes), START, days=101
    )
    assert longer == [name for name in never if name != "rapid_response"]
    assert nodes_never_reached(sessions, "falls", 99, ["on_floor"], START) == ["on_floor"]
    with pytest.raises(ValueError, match="days must be 1 or more"):
        nodes_never_reached(sessions, "falls", FALLS.version, ["on_floor"], START, days=0)
