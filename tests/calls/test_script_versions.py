"""Every workstation runs the version published in the shared database: a new one reaches
another workstation's next call without a restart, a call in progress keeps the version
it started with to its end, and a contact resumed later replays the versions it recorded.
A published library that fails a workstation's check is not used there."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest

from frontdoor.console.settings import load_settings
from frontdoor.console.wiring import FrontDoor, open_front_door
from frontdoor.interactions.model import NewContact
from frontdoor.triage_scripts import governance
from frontdoor.triage_scripts.governance import Submission
from frontdoor.triage_scripts.live_library import PublishedLibraryError
from frontdoor.triage_scripts.model import Question
from tests.conftest import FakeClock
from tests.triage_scripts.changing import LEAD, SECOND, reworded

PATIENCE = 30.0  # seconds: only a watcher that never looks waits this long


@pytest.fixture
def desks(db_url: str, clock: FakeClock) -> Iterator[tuple[FrontDoor, FrontDoor]]:
    """Two workstations on one database (SQLite and PostgreSQL): the lead's, a handler's."""
    first = open_front_door(load_settings(db=db_url), clock=clock, migrate=False)
    second = open_front_door(load_settings(db=db_url), clock=clock, migrate=False)
    yield first, second
    for front in (first, second):
        front.library.stop()
        front.engine.dispose()


def publish(front: FrontDoor, text: str, script: str, context=None) -> int:
    """A lead submits `text`, a second lead approves it: its version number."""
    context = context or front.lint_context(with_directory=False)
    done = governance.submit(
        front.scripts, [Submission(f"{script}.yaml", text)], LEAD, front.clock(), context
    )
    governance.approve(front.scripts, script, None, SECOND, front.clock(), context)
    return done.records[0].version


def asked(call) -> str:
    question = call.triage.question
    assert isinstance(question, Question)
    return question.ask


def test_a_version_published_on_one_desk_reaches_the_others_next_call(desks):
    lead, handler = desks
    change = reworded("reason-for-call")
    start = handler.library.scripts["reason-for-call"]
    assert change.node == start.start  # the first question of every call
    calls = handler.call_service()
    before = calls.start(NewContact(handler="h"))  # in progress while the lead publishes
    paused = calls.start(NewContact(handler="h"))
    paused.answer("No")  # then left open, to be resumed later
    version = publish(lead, change.text, "reason-for-call")
    assert handler.library.check()  # what the handler's watcher does every few seconds
    after = calls.start(NewContact(handler="h"))  # the same service: no restart
    assert (after.triage.script.version, asked(after)) == (version, change.after)
    assert (before.triage.script.version, asked(before)) == (start.version, change.before)
    for call in (before, after):
        call.answer("Yes")  # to the end: 999
        assert call.triage.finished
    recorded = [handler.record.contact(c.contact_id) for c in (before, after)]
    assert [{(a.version) for a in c.answers} | {e.version for e in c.ends} for c in recorded] == [
        {start.version},
        {version},
    ]
    # resumed on another desk after the change, the paused contact is asked as it was
    resumed = lead.call_service().resume(paused.contact_id)
    assert resumed.triage.path == [(change.before, "No")]
    assert resumed.scripts["reason-for-call"].version == start.version
    assert resumed.triage.script.version == start.version
    assert lead.call_service().resume(after.contact_id).triage.path[0][0] == change.after


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # threads, not SQL
def test_the_watcher_picks_a_new_version_up_by_itself(desks):
    lead, handler = desks
    library = handler.library
    library.start(check_every=0.01)
    version = publish(lead, reworded("falls").text, "falls")
    # two more checks: the second began after the publish, whatever the first saw
    assert library.wait_for_checks(library.checks + 2, PATIENCE)
    assert library.scripts["falls"].version == version
    assert library.changes == 1


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # lint, not SQL
def test_a_published_library_that_fails_this_desks_check_is_not_used(desks, db_url, clock):
    lead, handler = desks
    # a lead whose config has a category this site's consoles do not
    wider = lead.lint_context(with_directory=False)
    wider = dataclasses.replace(wider, categories=wider.categories | {"equipment"})
    text = reworded("falls").text.replace("category: physical_health", "category: equipment")
    in_use = handler.library.scripts
    refused_before = handler.library.refused
    version = publish(lead, text, "falls", wider)
    assert refused_before is None and not handler.library.check()
    assert handler.library.scripts is in_use  # the last good library goes on
    refused = handler.library.refused
    assert refused is not None and ("falls", version) in refused.refs
    assert [(p.file, p.code) for p in refused.problems] == [(f"falls@{version}", "R6")]
    # a console starting now has no last good library: it says why, and does not start
    with pytest.raises(PublishedLibraryError) as failed:
        open_front_door(load_settings(db=db_url), clock=clock, migrate=False)
    assert failed.value.problems == list(refused.problems)
