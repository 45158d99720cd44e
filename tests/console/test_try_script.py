"""Try a script: a rehearsal with the call screen's triage panel and keys, that records
nothing."""

from __future__ import annotations

from sqlalchemy import func, select
from textual.app import App
from textual.screen import Screen
from textual.widgets import OptionList

from frontdoor.access.roles import Role
from frontdoor.calls.escalation import EscalationGuide
from frontdoor.calls.settings import CallSettings
from frontdoor.console.app import FrontDoorApp
from frontdoor.console.screens.ready import ReadyScreen
from frontdoor.console.screens.try_script import TryScriptScreen, rehearsal
from frontdoor.interactions.tables import AnswerRow, ContactRow, EndRow
from frontdoor.triage_scripts.library import read_library
from frontdoor.triage_scripts.model import ESCALATE_SAFEGUARDING
from tests.console.driving import workers_done

SIZE = (120, 40)
LIBRARY = read_library().scripts


class Rehearsal(App[None]):
    """Nothing but the screen under test: no database, no call service, no outbox."""

    def __init__(self, screen: Screen) -> None:
        super().__init__()
        self.rehearsal = screen

    def on_mount(self) -> None:
        self.push_screen(self.rehearsal)


def shown(screen, selector: str) -> str:
    return str(screen.query_one(selector).render())


async def test_a_script_is_rehearsed_with_a_runner_and_nothing_else():
    settings = CallSettings(
        escalations={
            ESCALATE_SAFEGUARDING: EscalationGuide("Safeguarding concern", "Listen and reassure.")
        },
        safeguarding_script="safeguarding-concern",
    )
    screen = TryScriptScreen(
        rehearsal(LIBRARY["falls"], LIBRARY, settings), guides=settings.escalations
    )
    app = Rehearsal(screen)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        assert "NOTHING IS RECORDED" in shown(screen, "#not-recorded")
        assert f"Falls and mobility (v{LIBRARY['falls'].version}, published)" in shown(
            screen, "#not-recorded"
        )
        await pilot.press("2", "1")  # not badly hurt; on the floor and cannot get up
        assert screen.triage.node_name == "rapid_response" and screen.triage.finished
        assert "Transfer to the rapid response team now" in shown(screen, "#help")
        assert "Nothing was recorded. r starts again" in shown(screen, "#options")
        assert "Refer to: rapid-response-team" in shown(screen, "#end-detail")
        assert any("long lie" in str(n.message) for n in app._notifications)  # the red flag
        await pilot.press("b", "f9")  # back to the question; a safeguarding concern
        assert screen.triage.script.script == "safeguarding-concern"
        assert "Listen and reassure." in shown(screen, "#guidance")
        await pilot.press("r")  # start again: the first question, nothing carried over
        assert screen.triage.node_name == "on_floor" and not screen.triage.ends
        assert not screen.query_one("#guidance").display
        await pilot.press("2", "2", "2")  # to the number of falls: typed
        assert screen.focused is screen.query_one("#answer-input")
        await pilot.press("3", "enter")
        assert screen.triage.recorded == {"falls_12m": 3}
        await pilot.press("escape")
        assert app.screen is not screen


async def test_a_lead_tries_a_script_from_the_ready_screen_and_the_database_is_untouched(front):
    tables = (ContactRow, AnswerRow, EndRow)

    def rows() -> list[int]:
        with front.sessions() as session:
            return [session.scalar(select(func.count()).select_from(t)) for t in tables]

    before = rows()
    app = FrontDoorApp(front, handler="l.lead", role="lead", first_screen="ready")
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, ReadyScreen)
        await pilot.press("s")
        scripts = app.screen.query_one(OptionList)
        await workers_done(app)
        scripts.highlighted = scripts.get_option_index("reason-for-call")
        await pilot.pause()
        await workers_done(app)
        await pilot.pause()
        await pilot.press("t")
        screen = app.screen
        assert isinstance(screen, TryScriptScreen)
        # no danger; no harm; not chasing; a fall: handed on to the falls script
        await pilot.press("2", "2", "2", "2")
        assert screen.triage.script.script == "falls"
        await pilot.press("1", "b", "f8", "b", "2", "1")  # an end, back, F8, back, another
        assert screen.triage.node_name == "rapid_response"
        assert "Scripts followed: reason-for-call -> falls" in shown(screen, "#end-detail")
        await pilot.press("r", "escape", "escape")
        assert isinstance(app.screen, ReadyScreen)
        assert app.outbox.state.waiting == 0 and app.call is None
        app.roles = frozenset({Role.HANDLER})  # a handler's ready screen does not offer it
        assert "s" not in app.screen.active_bindings
    assert rows() == before
