"""The library in the shared database (spec/script-governance.md): a change is a new
version, tested before it is stored, approved by a second person, and a script is retired
only once nothing hands on to it; a release's changed script arrives as a draft."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from frontdoor.console.settings import load_settings
from frontdoor.console.wiring import FrontDoor, open_front_door, vocabulary_context
from frontdoor.triage_scripts import governance
from frontdoor.triage_scripts.catalogue import summaries
from frontdoor.triage_scripts.governance import Submission
from frontdoor.triage_scripts.library import bundled_library_path
from frontdoor.triage_scripts.lint import lint_paths
from frontdoor.triage_scripts.release import bring_in, read_release
from frontdoor.triage_scripts.version_records import (
    SYSTEM,
    ChangeRefused,
    UnknownScript,
    VersionState,
)
from tests.conftest import FakeClock
from tests.triage_scripts.changing import (
    LEAD,
    SECOND,
    bundled_text,
    bundled_version,
    reworded,
    unnumbered,
    with_a_failing_test,
)

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def door(db_url: str, clock: FakeClock) -> Iterator[FrontDoor]:
    """Front Door on a new database (SQLite and PostgreSQL): the bundled library is
    published into it as it opens, as `make run` does."""
    front = open_front_door(load_settings(db=db_url), clock=clock, migrate=False)
    yield front
    front.engine.dispose()


def submit(front: FrontDoor, path: str, text: str, by: str = LEAD) -> governance.ChangeDone:
    return governance.submit(
        front.scripts,
        [Submission(path, text)],
        by,
        front.clock(),
        front.lint_context(with_directory=False),
        note="clearer first question",
    )


def approve(front: FrontDoor, script: str, by: str = SECOND) -> governance.ChangeDone:
    return governance.approve(
        front.scripts, script, None, by, front.clock(), front.lint_context(with_directory=False)
    )


def test_a_change_is_a_draft_until_a_second_person_approves_it(door, clock):
    store = door.scripts
    (bundled,) = [r for r in store.records("falls")]
    assert (bundled.state, bundled.submitted_by, bundled.approved_by) == (
        "published",
        SYSTEM,
        SYSTEM,
    )
    change = reworded("falls")
    stamp = store.stamp()
    (draft,) = submit(door, "falls.yaml", change.text).records
    assert (draft.version, draft.state, draft.note) == (
        bundled.version + 1,
        "draft",
        "clearer first question",
    )
    assert store.stamp() != stamp  # consoles polling see that something changed
    assert store.published_scripts()["falls"].version == bundled.version  # not yet in use
    with pytest.raises(ChangeRefused, match="submitted by Ann Lead: a second person"):
        approve(door, "falls", by="ann lead")  # the same person, however written
    clock.advance(3600)
    (published,) = approve(door, "falls").records
    assert (published.state, published.approved_by, published.approved_at) == (
        "published",
        SECOND,
        clock.now,
    )
    now = store.published_scripts()["falls"]
    assert (now.version, now.status, now.approved_by) == (draft.version, "published", SECOND)
    assert now.nodes[change.node].ask == change.after
    old = store.record("falls", bundled.version)
    assert (old.state, old.ended_by) == (VersionState.SUPERSEDED, SECOND)
    # the superseded text is still what its calls followed
    assert store.version("falls", bundled.version).script.nodes[change.node].ask == change.before
    assert store.text("falls", draft.version) == change.text  # exactly as written
    with pytest.raises(ChangeRefused, match=f"falls@{draft.version} is published, not a draft"):
        governance.approve(store, "falls", draft.version, SECOND, clock.now, door.lint_context())
    (line,) = [s for s in summaries(store, clock.now.date()) if s.script == "falls"]
    assert (line.published_version, line.draft_versions, line.approved_by) == (
        draft.version,
        (),
        SECOND,
    )


def test_a_script_whose_tests_fail_cannot_be_submitted(door):
    text = bundled_text("falls")
    bundled = bundled_version("falls")
    with pytest.raises(ChangeRefused) as refused:
        submit(door, "falls.yaml", with_a_failing_test("falls"))
    errors = [p for p in refused.value.problems if p.severity == "error"]
    assert {(p.file, p.code) for p in errors} == {("falls.yaml", "R7")}
    assert any("fails: reached" in p.message for p in errors)
    assert [r.version for r in door.scripts.records("falls")] == [bundled]  # nothing stored
    # a version that is not the next is refused at its line; one left out is numbered
    with pytest.raises(ChangeRefused) as numbered:
        submit(door, "falls.yaml", f"version: {bundled + 5}\n" + reworded("falls").text)
    (problem,) = numbered.value.problems
    assert (problem.code, problem.line) == ("G", 1) and f"write {bundled + 1}" in problem.message
    # and the text already published is nothing to submit
    with pytest.raises(ChangeRefused) as same:
        submit(door, "falls.yaml", text)
    assert f"is falls@{bundled} (published) already" in same.value.problems[0].message
    # a draft withdrawn is never published
    submit(door, "falls.yaml", reworded("falls").text)
    withdrawn = governance.withdraw(door.scripts, "falls", None, SECOND, door.clock())
    assert (withdrawn.version, withdrawn.state, withdrawn.ended_by) == (
        bundled + 1,
        "withdrawn",
        SECOND,
    )
    with pytest.raises(ChangeRefused, match="no draft of falls is waiting"):
        approve(door, "falls")


def test_retiring_is_refused_while_a_published_script_hands_on_to_it(door):
    repair = (FIXTURES / "good" / "equipment-repair.yaml").read_text()
    ret = unnumbered((FIXTURES / "good" / "equipment-return.yaml").read_text())
    submit(door, "equipment-repair.yaml", repair)
    approve(door, "equipment-repair")
    submit(door, "equipment-return.yaml", ret)  # hands on to equipment-repair
    approve(door, "equipment-return")
    with pytest.raises(ChangeRefused, match=r"handed on to by equipment-return@1 \("):
        governance.retire(door.scripts, "equipment-repair", SECOND, door.clock())
    with pytest.raises(ChangeRefused, match="every call starts with it"):
        governance.retire(
            door.scripts, "reason-for-call", SECOND, door.clock(), door.needed_scripts()
        )
    with pytest.raises(UnknownScript):
        governance.retire(door.scripts, "no-such-script", SECOND, door.clock())
    governance.retire(door.scripts, "equipment-return", SECOND, door.clock())
    retired = governance.retire(door.scripts, "equipment-repair", SECOND, door.clock())
    assert (retired.state, retired.ended_by) == ("retired", SECOND)
    assert "equipment-repair" not in door.scripts.published_scripts()
    # a hand-on to a retired script is refused by lint (R1), at its line
    with pytest.raises(ChangeRefused) as refused:
        submit(door, "equipment-return.yaml", ret + "# the hand-on kept\n")
    hand_on = next(i for i, line in enumerate(ret.splitlines(), 1) if "goto_script" in line)
    assert [(p.code, p.line) for p in refused.value.problems if p.severity == "error"] == [
        ("R1", hand_on)
    ]


def test_a_release_brings_a_changed_script_as_a_system_draft(door, clock, tmp_path):
    store = door.scripts
    change = reworded("falls")
    # a site publishes its own change to carers first
    submit(door, "carers.yaml", reworded("carers").text)
    approve(door, "carers")
    folder = tmp_path / "release"
    shutil.copytree(bundled_library_path(), folder)
    bundled = bundled_version("falls")
    numbered = f"version: {bundled + 1}\n" + change.text  # as a release numbers it
    (folder / "falls.yaml").write_text(numbered)
    release = read_release(folder, vocabulary_context(door.vocabulary))
    clock.advance(86400)
    brought = bring_in(store, release, clock.now)
    assert (brought.published, brought.drafts) == ((), ("falls",))
    draft = store.records("falls")[-1]
    assert (draft.version, draft.state, draft.submitted_by) == (bundled + 1, "draft", SYSTEM)
    assert store.published_scripts()["falls"].version == bundled  # until a lead approves
    # the release's carers is stored (the site's own replaced it), as is every text
    assert not bring_in(store, release, clock.now)
    carers = store.records("carers")
    assert [(r.state, r.approved_by) for r in carers] == [
        ("superseded", SYSTEM),
        ("published", SECOND),
    ]
    with pytest.raises(ValueError, match="'system' is the name Front Door records"):
        approve(door, "falls", by=SYSTEM.upper())  # nobody approves as the release
    approve(door, "falls")
    assert store.published_scripts()["falls"].nodes[change.node].ask == change.after


def test_export_writes_the_published_library_as_files_that_lint_clean(door, tmp_path):
    submit(door, "falls.yaml", reworded("falls").text)
    approve(door, "falls")
    for name, text in governance.exported(door.scripts):
        (tmp_path / name).write_text(text)
    loaded, problems = lint_paths([tmp_path], door.lint_context(with_directory=False))
    assert [p for p in problems if p.severity == "error"] == []
    scripts = {item.script.script: item.script for item in loaded}
    assert set(scripts) == set(door.scripts.published_scripts())
    falls = scripts["falls"]
    assert (falls.version, falls.status, falls.approved_by, falls.approved_on) == (
        bundled_version("falls") + 1,
        "published",
        SECOND,
        door.clock().date(),
    )
    assert scripts["carers"].approved_by == SYSTEM
    # everything else as the lead wrote it: comments and all
    written = (tmp_path / "falls.yaml").read_text().splitlines()
    lead = reworded("falls").text.splitlines()
    assert [
        line for line in written if not line.startswith(("version", "approved_", "status"))
    ] == [line for line in lead if not line.startswith(("version", "approved_", "status"))]
