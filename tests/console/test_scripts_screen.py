"""The lead's scripts screen: the library, a script with its lint and test results, the
waiting draft's changes, the nodes no call reached; try it (recording nothing) and
approve it as the person at the keyboard, never one's own."""

from __future__ import annotations

from sqlalchemy import func, select
from textual.widgets import OptionList, Static

from frontdoor.access.roles import Role
from frontdoor.console.app import FrontDoorApp
from frontdoor.console.screens.ready import ReadyScreen
from frontdoor.console.screens.scripts import ScriptsScreen
from frontdoor.console.screens.try_script import TryScriptScreen
from frontdoor.interactions.tables import AnswerRow, ContactRow, EndRow
from frontdoor.triage_scripts import governance
from frontdoor.triage_scripts.governance import Submission
from tests.console.driving import until, workers_done
from tests.triage_scripts.changing import LEAD, SECOND, bundled_version, reworded

SIZE = (140, 50)


def said(app, words: str) -> bool:
    return any(words in str(n.message) for n in app._notifications)


def reviewing(screen: ScriptsScreen) -> str | None:
    return screen.shown.summary.script if screen.shown is not None else None


def review_shown(screen) -> str:
    return str(screen.query_one("#review", Static).render())


async def open_falls(app, pilot) -> ScriptsScreen:
    await pilot.press("s")
    screen = app.screen
    assert isinstance(screen, ScriptsScreen)
    await workers_done(app)
    listed = screen.query_one("#scripts", OptionList)
    listed.highlighted = listed.get_option_index("falls")
    await pilot.pause()
    await workers_done(app)
    await pilot.pause()
    # the review shown is the one of the script highlighted (an earlier one is dropped)
    await until(pilot, lambda: reviewing(screen) == "falls", "falls reviewed")
    return screen


async def test_a_lead_reads_tries_and_approves_a_colleagues_draft(front):
    change = reworded("falls")
    bundled = bundled_version("falls")
    governance.submit(
        front.scripts,
        [Submission("falls.yaml", change.text)],
        LEAD,
        front.clock(),
        front.lint_context(),
        note="clearer",
    )

    def rows() -> list[int]:
        with front.sessions() as session:
            return [
                session.scalar(select(func.count()).select_from(t))
                for t in (ContactRow, AnswerRow, EndRow)
            ]

    before = rows()
    app = FrontDoorApp(front, handler=SECOND, role="lead", first_screen="ready")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        assert isinstance(app.screen, ReadyScreen)
        screen = await open_falls(app, pilot)
        listed = screen.query_one("#scripts", OptionList)
        row = str(listed.get_option("falls").prompt)
        assert f"v{bundled}" in row and f"draft v{bundled + 1} waiting" in row
        text = review_shown(screen)
        assert f"Falls and mobility v{bundled} (published)" in text
        tests = len(front.scripts.version("falls", bundled).script.tests)
        assert f"{tests} of {tests} test(s) pass; 0 error(s)" in text
        # the draft's one change, node by node
        assert "The waiting draft against what is published" in text
        assert f"was: {change.before}" in text and f"now: {change.after}" in text
        # no call has been taken: every node is one no call reached
        assert "Not reached by any call in the last 90 days\non_floor, " in text

        await pilot.press("d")  # the draft itself
        await workers_done(app)
        await pilot.pause()
        assert f"Falls and mobility v{bundled + 1} (draft)" in review_shown(screen)
        await pilot.press("t")  # tried as a call that records nothing
        trying = app.screen
        assert isinstance(trying, TryScriptScreen)
        assert trying.triage.script.version == bundled + 1
        assert "NOTHING IS RECORDED" in str(trying.query_one("#not-recorded", Static).render())
        await pilot.press("2", "1", "escape")  # not badly hurt; on the floor: an end
        assert app.screen is screen

        await pilot.press("a", "y")  # approved by the person at the keyboard
        await until(pilot, lambda: said(app, "published, approved by Bob Lead"), "approved")
        # the list is read again after the approval (every script's lint and tests, which
        # took over 10 s on a loaded CI machine): waited for as a worker, not by the clock;
        # twice, as the approval's worker starts the list's as it ends
        await workers_done(app)
        await workers_done(app)
        await pilot.pause()
        assert "waiting" not in str(listed.get_option("falls").prompt)
        row = str(listed.get_option("falls").prompt)
        assert f"v{bundled + 1}" in row and "waiting" not in row
    history = front.scripts.history("falls")
    assert [(r.version, r.state, r.approved_by) for r in history] == [
        (bundled, "superseded", "system"),
        (bundled + 1, "published", SECOND),
    ]
    assert rows() == before


async def test_a_lead_cannot_approve_their_own_draft_from_the_screen(front):
    governance.submit(
        front.scripts,
        [Submission("falls.yaml", reworded("falls").text)],
        LEAD,
        front.clock(),
        front.lint_context(),
    )
    app = FrontDoorApp(front, handler=LEAD, role="lead", first_screen="ready")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_falls(app, pilot)
        await pilot.press("a", "y")
        await until(pilot, lambda: said(app, "a second person approves it"), "refused")
        app.roles = frozenset({Role.HANDLER})  # a handler is not offered the scripts
        await pilot.press("escape")
        assert "s" not in app.screen.active_bindings
    assert [r.state for r in front.scripts.history("falls")][-1] == "draft"
