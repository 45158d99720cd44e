"""The handlers' states from the queue_log (transfers, callback agents, members added
paused, a restart), and a call that falls over as `frontdoor queue stats` prints it."""

from __future__ import annotations

import datetime as dt
import json

from click.testing import CliRunner

from frontdoor.console.cli import main
from frontdoor.db.engine import make_engine, make_session_factory
from frontdoor.telephony.ingest import ingest_lines
from frontdoor.telephony.states import HandlerState
from frontdoor.telephony.stats import QueueSettings, agent_states
from tests.conftest import copy_sqlite

DAY = dt.datetime(2026, 5, 12, tzinfo=dt.UTC)  # local midnight is 23:00 UTC the day before
T = int((DAY + dt.timedelta(hours=9)).timestamp())  # 10:00 local
SETTINGS = QueueSettings(default_wrapup_seconds=60, agents={"PJSIP/201": "a.patel"})

LINES = [
    f"{T}|NONE|public|PJSIP/201|ADDMEMBER|",
    f"{T}|NONE|public|PJSIP/202|ADDMEMBER|",
    f"{T}|NONE|public|PJSIP/203|ADDMEMBER|PAUSED",  # signed in, and away
    f"{T}|login_1|NONE|Agent/1001|AGENTCALLBACKLOGIN|1001@default",
    f"{T}|login_2|NONE|Agent/1002|AGENTCALLBACKLOGIN|1002@default",
    f"{T + 100}|NONE|NONE|Agent/1002|AGENTCALLBACKLOGOFF|1002@default|100|",
    # 201 answers c1 and sends it on blind; 202 answers c2 and transfers it attended
    f"{T + 10}|c1|public|NONE|ENTERQUEUE||01724000111|1",
    f"{T + 14}|c1|public|PJSIP/201|CONNECT|4|c1.1|1",
    f"{T + 200}|c1|public|PJSIP/201|BLINDTRANSFER|601|nursing|4|186|1",
    f"{T + 20}|c2|public|NONE|ENTERQUEUE||01724000222|1",
    f"{T + 22}|c2|public|PJSIP/202|CONNECT|2|c2.1|1",
    f"{T + 230}|c2|public|PJSIP/202|ATTENDEDTRANSFER|BRIDGE|bridge-7|2|208|1",
    # Agent/1001 answers c3 and is still talking when Asterisk restarts
    f"{T + 30}|c3|public|NONE|ENTERQUEUE||01724000333|1",
    f"{T + 31}|c3|public|Agent/1001|CONNECT|1|c3.1|1",
]


def states_at(tmp_path, sqlite_template, lines, seconds: int) -> dict[str, HandlerState]:
    engine = make_engine(copy_sqlite(sqlite_template, tmp_path / "agents.db"))
    sessions = make_session_factory(engine)
    ingest_lines(sessions, lines)
    moment = dt.datetime.fromtimestamp(T + seconds, dt.UTC)
    with sessions() as session:
        found = agent_states(session, moment, DAY - dt.timedelta(hours=1), SETTINGS)
    engine.dispose()
    return found


def test_transfers_end_the_call_callback_agents_sign_in_a_paused_member_is_away(
    tmp_path, sqlite_template
):
    assert states_at(tmp_path, sqlite_template, LINES, 240) == {
        "Agent/1001": HandlerState.ON_A_CALL,
        "Agent/1002": HandlerState.SIGNED_OUT,  # logged off at T + 100
        "PJSIP/202": HandlerState.WRAP_UP,  # 10 s after the attended transfer
        "PJSIP/203": HandlerState.AWAY,
        "a.patel": HandlerState.WRAP_UP,  # 40 s after the blind transfer (PJSIP/201)
    }


def test_a_restart_ends_the_calls_of_every_agent(tmp_path, sqlite_template):
    restarted = [*LINES, f"{T + 300}|NONE|NONE|NONE|QUEUESTART|"]
    states = states_at(tmp_path, sqlite_template, restarted, 301)
    assert states["Agent/1001"] is HandlerState.AVAILABLE
    assert states["a.patel"] is HandlerState.AVAILABLE  # wrap-up over at T + 260


def test_queue_stats_shows_a_fallen_over_call_in_both_queues(tmp_path):
    """Wazo's shape of a call that overflows: 30 s in 'public' until its timeout, then
    answered in 'professionals' after 8 s there."""
    url = f"sqlite:///{tmp_path / 'stats.db'}"
    log = tmp_path / "queue_log"
    log.write_text(
        f"{T}|1404377805.6457|public|NONE|ENTERQUEUE||01724000444|1\n"
        f"{T + 30}|1404377805.6457|public|NONE|EXITWITHTIMEOUT|1|1|30\n"
        f"{T + 30}|1404377805.6457|professionals|NONE|ENTERQUEUE||01724000444|1\n"
        f"{T + 38}|1404377805.6457|professionals|PJSIP/202|CONNECT|8|1404377831.6460|4\n"
    )
    runner = CliRunner()
    for args in (["db", "upgrade"], ["queue", "ingest", str(log)]):
        assert runner.invoke(main, [*args, "--db", url]).exit_code == 0
    result = runner.invoke(
        main, ["queue", "stats", "--json", "--at", "2026-05-12T10:01:00", "--db", url]
    )
    stats = json.loads(result.output)
    public, professionals = stats["queues"]["public"], stats["queues"]["professionals"]
    assert (public["offered"], public["answered"], public["abandoned"]) == (1, 0, 0)
    assert (professionals["offered"], professionals["answered"]) == (1, 1)
    assert professionals["asa_seconds"] == 8.0 and professionals["service_level"] == 1.0
    total = stats["total"]
    assert (total["offered"], total["answered"], total["abandon_rate"]) == (2, 1, 0.0)
    assert total["impossible_waits"] == []
    assert stats["handlers"]["on_call"] == 1
