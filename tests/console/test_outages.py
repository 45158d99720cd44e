"""The database stops answering in the middle of a call: PostgreSQL stopped (a server of
the test's own), SQLite refusing as a file locked by another process does. The console
stays up, the call goes on (F8 included), and every answer is in the database afterwards,
once; the same when the console is closed while offline and started again."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import func, select

from frontdoor.console.app import FrontDoorApp
from frontdoor.console.screens.call import CallScreen
from frontdoor.console.settings import load_settings
from frontdoor.console.wiring import open_front_door
from frontdoor.interactions.tables import AnswerRow, ContactRow, EndRow, StepReceiptRow
from tests.conftest import copy_sqlite
from tests.console.driving import go_offline_mid_call, resume_the_offered_call
from tests.outage import DatabaseSwitch

SIZE = (120, 40)
FIRST = ["2", "2"]  # no danger, no harm: saved while the database answers
OFFLINE = ["2", "3", "2"]  # not chasing, care at home, not at risk: kept while down
NODES = [
    "danger_now",
    "harm_from_others",
    "already_arranged",
    "main_need",
    "at_risk_tonight",
    "known_to_social_care",
]


class Outage:
    """Stops and restarts the database a console uses."""

    def __init__(self, kind: str, front, server=None) -> None:
        self.kind, self.front, self.server = kind, front, server
        self.switch = DatabaseSwitch.install(front.engine) if kind == "sqlite" else None

    def begin(self) -> None:
        if self.switch is not None:
            self.switch.fail()
        else:
            self.server.stop()

    def end(self) -> None:
        if self.switch is not None:
            self.switch.restore()
        else:
            self.server.start()


@contextmanager
def front_on(kind: str, tmp_path, clock, request):
    """Front Door with the demo directory on SQLite (a copy of the template that has it),
    or on a PostgreSQL server of this test's own (migrated and loaded here)."""
    server = None
    if kind == "sqlite":
        template = request.getfixturevalue("sqlite_directory_template")
        url = copy_sqlite(template, tmp_path / "outage.db")
    else:
        server = request.getfixturevalue("own_postgres")
        url = server.url
    settings = load_settings(
        db=url, log_file=tmp_path / "frontdoor.log", journal=tmp_path / "journal"
    )
    front = open_front_door(settings, clock=clock, migrate=server is not None)
    if server is not None:
        front.load_demo_directory()
    try:
        yield front, Outage(kind, front, server)
    finally:
        front.stop_index()
        front.engine.dispose()


def held(front) -> tuple[list[str], int, int, int]:
    with front.sessions() as session:
        nodes = list(session.scalars(select(AnswerRow.node).order_by(AnswerRow.seq)))
        receipts = session.scalar(select(func.count()).select_from(StepReceiptRow))
        contacts = session.scalar(select(func.count()).select_from(ContactRow))
        red_flags = session.scalar(
            select(func.count()).select_from(EndRow).where(EndRow.red_flag.is_not(None))
        )
    return nodes, receipts or 0, contacts or 0, red_flags or 0


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
async def test_the_database_stops_mid_call_and_the_call_goes_on(kind, tmp_path, clock, request):
    with front_on(kind, tmp_path, clock, request) as (front, outage):
        app = FrontDoorApp(front, handler="h.jones", retry_seconds=0.02)
        async with app.run_test(size=SIZE) as pilot:
            await go_offline_mid_call(app, pilot, outage, FIRST, OFFLINE)
            await pilot.press("f8")  # escalation, one key away, whatever the database
            assert app.outbox.wait_for(lambda state: state.offline, 10)
            await pilot.pause()
            assert isinstance(app.screen, CallScreen) and app.is_running
            assert app.call.triage.finished and app.call.suggested_outcome() == "escalated"
            assert "working offline: 4 step(s)" in str(
                app.screen.query_one("#save-status").render()
            )
            outage.end()
            app.outbox.retry_now()
            assert app.outbox.wait_until_idle(20)
            await pilot.pause()
            assert not app.outbox_state.offline
        nodes, receipts, contacts, red_flags = held(front)
        assert nodes == NODES  # the last one escalated (F8), offline
        assert receipts == 6 and contacts == 1 and red_flags == 1


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
async def test_a_console_closed_while_offline_saves_its_journal_on_the_next_start(
    kind, tmp_path, clock, request
):
    with front_on(kind, tmp_path, clock, request) as (front, outage):
        app = FrontDoorApp(front, handler="h.jones", retry_seconds=0.02)
        async with app.run_test(size=SIZE) as pilot:
            await go_offline_mid_call(app, pilot, outage, FIRST, OFFLINE)
            assert app.outbox.wait_for(lambda state: state.offline, 10)
        # the console is gone; its journal is on this workstation, three steps in it
        assert len(list((tmp_path / "journal").glob("*.journal"))) == 1
        outage.end()
        again = FrontDoorApp(front, handler="h.jones", retry_seconds=0.02)
        async with again.run_test(size=SIZE) as pilot:
            await resume_the_offered_call(again, pilot)
            assert again.call.triage.node_name == "known_to_social_care"
            await pilot.press("2")
            assert again.outbox.wait_until_idle(10)
        nodes, receipts, contacts, _ = held(front)
        assert nodes == NODES
        assert receipts == 6 and contacts == 1
