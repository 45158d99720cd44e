"""The lead's scripts screen: the library as `frontdoor scripts list` shows it, and the
highlighted script opened beside it: its lint and test results, what its waiting draft
changes, the nodes no call reached in 90 days, and its questions as a tree.

`d` shows the waiting draft (and back), `t` tries the version shown as a call that
records nothing, `a` approves the waiting draft as the person signed in (never one they
submitted: a second person approves).
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from frontdoor.calls.settings import CallSettings
from frontdoor.console.screens.try_script import TryScriptScreen, rehearsal
from frontdoor.console.screens.yes_no import YesNo
from frontdoor.console.script_review import (
    NEVER_REACHED_DAYS,
    ScriptReview,
    library_summaries,
    review,
)
from frontdoor.console.wiring import FrontDoor
from frontdoor.triage_scripts import governance
from frontdoor.triage_scripts.catalogue import ScriptSummary
from frontdoor.triage_scripts.runner import TriageError
from frontdoor.triage_scripts.version_records import ChangeRefused

# errors are all shown; warnings (a service not in the directory yet) can run to dozens
# and would push the draft's changes off the screen
WARNINGS_SHOWN = 5


def summary_row(item: ScriptSummary) -> Text:
    text = Text(item.title, style="bold" if item.state == "published" else "dim")
    text.append(f"  {item.script}", style="dim")
    text.append("\n  ")
    text.append(f"v{item.published_version}" if item.published_version else item.state)
    if item.draft_versions:
        drafts = ", ".join(f"v{n}" for n in item.draft_versions)
        text.append(f"  draft {drafts} waiting", style="bold yellow")
    if item.review_overdue:
        text.append("  review overdue", style="bold red")
    return text


def review_text(found: ScriptReview) -> Text:
    item = found.summary
    text = Text()
    text.append(f"{item.title} v{found.version} ({found.state})\n", style="bold")
    text.append(f"owner: {item.owner or 'not given'}; review by: ")
    text.append(
        f"{item.review_by or 'not given'}" + (" OVERDUE" if item.review_overdue else ""),
        style="bold red" if item.review_overdue else "",
    )
    if item.approved_by:
        text.append(f"; last approved by {item.approved_by}")
    text.append("\n\nLint and tests\n", style="bold underline")
    passed = sum(t.passed for t in found.tests)
    text.append(f"{passed} of {len(found.tests)} test(s) pass; ")
    errors = len(found.errors)
    text.append(
        f"{errors} error(s), {len(found.problems) - errors} warning(s)\n",
        style="bold red" if errors else "green",
    )
    warnings = [p for p in found.problems if p.severity == "warning"]
    for problem in [*found.errors, *warnings[:WARNINGS_SHOWN]]:
        style = "red" if problem.severity == "error" else "yellow"
        text.append(f"line {problem.line}: {problem.code} {problem.message}\n", style=style)
    if len(warnings) > WARNINGS_SHOWN:
        text.append(
            f"and {len(warnings) - WARNINGS_SHOWN} more warning(s); 'frontdoor scripts "
            "export DIR' then 'frontdoor scripts lint DIR' lists every one\n",
            style="yellow",
        )
    if found.draft_changes is not None:
        text.append("\nThe waiting draft against what is published\n", style="bold underline")
        text.append(found.draft_changes)
    if found.never_reached is not None:
        text.append(
            f"\nNot reached by any call in the last {NEVER_REACHED_DAYS} days\n",
            style="bold underline",
        )
        text.append(", ".join(found.never_reached) or "every node was reached")
        text.append("\n")
    text.append("\nThe script\n", style="bold underline")
    text.append(found.tree)
    return text


class ConfirmApproval(YesNo):
    BINDINGS = [
        Binding("y", "answer(True)", "Yes, publish it"),
        Binding("n", "answer(False)", "No"),
        Binding("escape", "answer(False)", "No", show=False),
    ]

    def __init__(self, asked: str) -> None:
        super().__init__()
        self.asked = asked

    def question(self) -> Text:
        return Text(self.asked)


class ScriptsScreen(Screen[None]):
    AUTO_FOCUS = "#scripts"
    BINDINGS = [
        Binding("d", "toggle_draft", "Draft / published"),
        Binding("t", "try_it", "Try it"),
        Binding("a", "approve", "Approve the draft"),
        Binding("escape", "app.pop_screen", "Back", show=False),
        Binding("q", "app.pop_screen", "Back"),
    ]
    DEFAULT_CSS = """
    ScriptsScreen #title { text-style: bold; padding: 0 1; }
    ScriptsScreen #scripts { width: 44; height: 1fr; }
    ScriptsScreen #review-pane { width: 1fr; height: 1fr; padding: 0 1; }
    """

    def __init__(self, front: FrontDoor, user: str, settings: CallSettings) -> None:
        super().__init__()
        self.front = front
        self.user = user
        self.settings = settings
        self.summaries: list[ScriptSummary] = []
        self.shown: ScriptReview | None = None
        self.draft_wanted = False

    def compose(self) -> ComposeResult:
        yield Static("Triage scripts", id="title")
        with Horizontal():
            yield OptionList(id="scripts", markup=False)
            with VerticalScroll(id="review-pane"):
                yield Static("Choose a script", id="review")
        yield Footer()

    def on_screen_resume(self) -> None:
        self._load()

    # --- the list ---------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="scripts-list", exit_on_error=False)
    def _load(self) -> None:
        """load the script library"""
        found = library_summaries(self.front)
        self.app.call_from_thread(self._show_list, found)

    def _show_list(self, found: list[ScriptSummary]) -> None:
        listed = self.query_one("#scripts", OptionList)
        keep = listed.highlighted
        self.summaries = found
        listed.clear_options()
        listed.add_options([Option(summary_row(s), id=s.script) for s in found])
        if found:
            listed.highlighted = min(keep or 0, len(found) - 1)

    @on(OptionList.OptionHighlighted, "#scripts")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.draft_wanted = False
        self._open(event.option_index)

    def _open(self, index: int) -> None:
        if 0 <= index < len(self.summaries):
            item = self.summaries[index]
            version = item.draft_versions[-1] if self.draft_wanted and item.draft_versions else None
            self.query_one("#review", Static).update(Text(f"Reading {item.title}..."))
            self._review(item, version)

    @work(thread=True, exclusive=True, group="scripts-review", exit_on_error=False)
    def _review(self, item: ScriptSummary, version: int | None) -> None:
        """read the script and run its lint and tests"""
        found = review(self.front, item, version)
        self.app.call_from_thread(self._show_review, found)

    def _show_review(self, found: ScriptReview) -> None:
        # each arrow key starts a review in a thread of its own, and a thread cannot be
        # stopped: one that finishes after a later one must not cover the script now
        # highlighted
        index = self.query_one("#scripts", OptionList).highlighted
        if index is None or self.summaries[index].script != found.summary.script:
            return
        self.shown = found
        self.query_one("#review", Static).update(review_text(found))
        self.refresh_bindings()

    # --- keys ---------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        shown = self.shown
        if action in ("approve", "toggle_draft"):
            return shown is not None and bool(shown.summary.draft_versions)
        if action == "try_it":
            return shown is not None and shown.script is not None
        return True

    def action_toggle_draft(self) -> None:
        self.draft_wanted = not self.draft_wanted
        self._open(self.query_one("#scripts", OptionList).highlighted or 0)

    def action_try_it(self) -> None:
        shown = self.shown
        if shown is None or shown.script is None:
            return
        try:
            start = rehearsal(shown.script, self.front.library.scripts, self.settings)
            self.app.push_screen(TryScriptScreen(start, guides=self.settings.escalations))
        except TriageError as exc:  # its start hands on to a script the library lacks
            self.notify(str(exc), title="Cannot try it", severity="error", markup=False)

    def action_approve(self) -> None:
        shown = self.shown
        if shown is None or not shown.summary.draft_versions:
            return
        item = shown.summary
        version = item.draft_versions[-1]
        question = (
            f"Publish {item.title} v{version} as approved by {self.user}?\n\n"
            "Every console runs it from its next call; a call in progress keeps its version."
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self._approve(item.script, version)

        self.app.push_screen(ConfirmApproval(question), answered)

    @work(thread=True, exclusive=True, group="scripts-approve", exit_on_error=False)
    def _approve(self, script: str, version: int) -> None:
        """approve the draft"""
        front = self.front
        try:
            governance.approve(
                front.scripts, script, version, self.user, front.clock(), front.lint_context()
            )
        except ChangeRefused as exc:
            lines = [exc.reason, *(str(p) for p in exc.problems[:5])]
            self.app.call_from_thread(
                self.notify, "\n".join(lines), title="Not approved", severity="error", markup=False
            )
            return
        self.app.call_from_thread(
            self.notify, f"{script} v{version} published, approved by {self.user}", markup=False
        )
        self.draft_wanted = False
        self._load()
