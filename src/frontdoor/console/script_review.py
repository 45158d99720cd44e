"""One script as the lead's scripts screen shows it: a version read as a tree, its lint
and test results against today's library, the waiting draft's changes against what is
published, and the nodes no call reached lately (spec/script-governance.md).

It brings together the library's rooms (versions, lint, the renderers) and the MI's
record of where calls went, so it lives in the composition root; the screen only shows
what it returns, and the same function answers a test without a screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from frontdoor.console.wiring import FrontDoor
from frontdoor.mi.script_paths import NEVER_REACHED_DAYS, nodes_never_reached
from frontdoor.triage_scripts.catalogue import ScriptSummary, summaries, version_to_show
from frontdoor.triage_scripts.diff import diff, diff_text
from frontdoor.triage_scripts.governance import as_published, check_together
from frontdoor.triage_scripts.loader import Problem
from frontdoor.triage_scripts.model import Script
from frontdoor.triage_scripts.outline import outline
from frontdoor.triage_scripts.script_tests import TestResult, run_tests
from frontdoor.triage_scripts.version_records import VersionState


@dataclass(frozen=True)
class ScriptReview:
    summary: ScriptSummary
    version: int  # the version shown
    state: str  # its state in the record
    script: Script | None  # None: the stored text no longer loads (problems say why)
    problems: tuple[Problem, ...]  # lint, with failing tests (R7), as approval would see
    tests: tuple[TestResult, ...]
    draft_changes: str | None  # the newest waiting draft against the published version
    never_reached: tuple[str, ...] | None  # None: not asked (a draft has had no calls)
    tree: str

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def library_summaries(front: FrontDoor) -> list[ScriptSummary]:
    return summaries(front.scripts, front.local_now().date())


def review(front: FrontDoor, summary: ScriptSummary, version: int | None = None) -> ScriptReview:
    """`version` of the script (default: the published one, else the newest draft)."""
    store = front.scripts
    published = summary.published_version
    shown = version_to_show(store, summary.script, version or published)
    stored = store.version(summary.script, shown)
    record = stored.record
    problems: list[Problem] = list(stored.problems)
    tests: list[TestResult] = []
    if stored.loaded is not None:
        library = store.published()
        problems += check_together(
            [as_published(stored.loaded, shown)], library, front.lint_context()
        )
        scripts = {s.record.script: s.script for s in library if s.script is not None}
        tests = run_tests(stored.loaded, scripts={**scripts, summary.script: stored.loaded.script})
    draft_changes = None
    if published is not None and summary.draft_versions:
        before = store.version(summary.script, published).script
        after = store.version(summary.script, summary.draft_versions[-1]).script
        if before is not None and after is not None:
            draft_changes = diff_text(diff(before, after))
    never_reached = None
    script = stored.script
    if script is not None and record.state != VersionState.DRAFT:
        never_reached = tuple(
            nodes_never_reached(
                front.sessions, summary.script, shown, list(script.nodes), front.clock()
            )
        )
    return ScriptReview(
        summary=summary,
        version=shown,
        state=str(record.state),
        script=script,
        problems=tuple(sorted(set(problems), key=lambda p: (p.line, p.code, p.message))),
        tests=tuple(tests),
        draft_changes=draft_changes,
        never_reached=never_reached,
        tree=outline(script) if script is not None else "",
    )


__all__ = ["NEVER_REACHED_DAYS", "ScriptReview", "library_summaries", "review"]
