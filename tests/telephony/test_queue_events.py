"""How each queue_log event counts (docs/queue.md, "How each event counts"), from rows in the
shapes Asterisk and the peers write: the sample in *Asterisk: The Definitive Guide*, the
rows of xivo-dao's statistics tests (Wazo), and app_queue.c's own formats. The expected
figures are worked by hand in the comments; no database is needed to build calls."""

from __future__ import annotations

import datetime as dt

import pytest

from frontdoor.telephony.calls import CallEvent, Claim, QueueCall, build_calls
from frontdoor.telephony.queue_log import (
    CALL_EVENTS,
    KNOWN_EVENTS,
    QueueLogError,
    parse_line,
)
from frontdoor.telephony.stats import QueueFigures, QueueSettings, by_queue

SETTINGS = QueueSettings()  # short abandon under 5 s, service level within 20 s
T = 1404377831  # 2014-07-03 08:57:11 UTC, near the time of xivo-dao's answered call


def events(*lines: str) -> list[CallEvent]:
    parsed = [parse_line(line) for line in lines]
    return [
        CallEvent(e.at, e.callid, e.queue, e.agent, e.event, e.data)
        for e in parsed
        if e is not None
    ]


def at(seconds: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(T + seconds, dt.UTC)


def figures(calls: list[QueueCall], seconds: int) -> dict[str, object]:
    return QueueFigures.of(calls, at(seconds), SETTINGS).to_json()  # type: ignore[return-value]


def only(calls: list[QueueCall], queue: str) -> QueueCall:
    (call,) = by_queue(calls)[queue]
    return call


# -- 1. a call per (call id, queue) -------------------------------------------------------


def test_a_call_that_falls_over_counts_once_in_each_queue():
    """xivo-dao's answered call (8 s wait, 531 s talk), reached after 30 s in another queue
    that timed it out: swk_france offered it and lost it by its rule; swk_allemagne
    offered it and answered it after 8 s, not 38."""
    calls = build_calls(
        events(
            f"{T}|1404377805.6457|swk_france|NONE|ENTERQUEUE||00049242184770|1",
            f"{T + 30}|1404377805.6457|swk_france|NONE|EXITWITHTIMEOUT|1|1|30",
            f"{T + 30}|1404377805.6457|swk_allemagne|NONE|ENTERQUEUE||00049242184770|1",
            f"{T + 38}|1404377805.6457|swk_allemagne|Agent/448|CONNECT|8|1404377831.6460|4",
            f"{T + 569}|1404377805.6457|swk_allemagne|Agent/448|COMPLETEAGENT|8|531|1",
        )
    )
    france, allemagne = only(calls, "swk_france"), only(calls, "swk_allemagne")
    assert (france.outcome, france.waited, france.left_by) == ("left", 30.0, "EXITWITHTIMEOUT")
    assert (allemagne.outcome, allemagne.wait_seconds, allemagne.agent) == (
        "answered",
        8.0,
        "Agent/448",
    )
    assert allemagne.caller == "00049242184770"
    total = figures(calls, 600)
    assert (total["offered"], total["answered"], total["abandoned"]) == (2, 1, 0)
    assert total["abandon_rate"] == 0.0  # (0 - 0) / (2 - 0): never answered and abandoned
    assert total["service_level"] == 1.0 and total["asa_seconds"] == 8.0
    assert figures(by_queue(calls)["swk_france"], 600)["service_level"] is None  # none answered


def test_an_abandon_after_falling_over_is_the_second_queues_and_its_wait_there_only():
    """EXITEMPTY from 'public' after 5 s, then 60 s in 'overflow' before hanging up: one
    long abandon in overflow (60 s, not 65), nothing lost in public."""
    calls = build_calls(
        events(
            f"{T}|c1|public|NONE|ENTERQUEUE||01724000111|1",
            f"{T + 5}|c1|public|NONE|EXITEMPTY|1|1|5",
            f"{T + 5}|c1|overflow|NONE|ENTERQUEUE||01724000111|1",
            f"{T + 65}|c1|overflow|NONE|ABANDON|1|1|60",
        )
    )
    assert only(calls, "public").outcome == "left"
    assert only(calls, "overflow").abandoned_after == 60.0
    public, overflow = (figures(by_queue(calls)[q], 70) for q in ("public", "overflow"))
    assert (public["offered"], public["abandoned"], public["abandon_rate"]) == (1, 0, 0.0)
    assert (overflow["abandoned"], overflow["short_abandoned"], overflow["abandon_rate"]) == (
        1,
        0,
        1.0,
    )


def test_a_call_transferred_into_another_queue_is_answered_in_each():
    """Answered in 'triage' after 4 s, sent on by a blind transfer into 'nursing', which
    answers it after 12 s there: both queues answered it."""
    calls = build_calls(
        events(
            f"{T}|c2|triage|NONE|ENTERQUEUE||01724000222|1",
            f"{T + 4}|c2|triage|PJSIP/201|CONNECT|4|c2.1|3",
            f"{T + 64}|c2|triage|PJSIP/201|BLINDTRANSFER|601|nursing|4|60|1",
            f"{T + 64}|c2|nursing|NONE|ENTERQUEUE||01724000222|1",
            f"{T + 76}|c2|nursing|PJSIP/305|CONNECT|12|c2.2|2",
        ),
        agents={"PJSIP/305": "n.okafor"},
    )
    triage, nursing = only(calls, "triage"), only(calls, "nursing")
    assert (triage.outcome, triage.ended, triage.wait_seconds) == ("answered", at(64), 4.0)
    assert (nursing.outcome, nursing.ended, nursing.wait_seconds) == ("answered", None, 12.0)
    assert nursing.agent == "n.okafor"  # the handler the agent maps to
    assert figures(calls, 80)["asa_seconds"] == 8.0  # (4 + 12) / 2


def test_a_claim_answers_the_call_in_the_queue_where_it_waits():
    """At a console a handler takes call c3 by its call id, after it fell over from
    'public' to 'professionals': the claim answers it there, after 20 s in that queue."""
    calls = build_calls(
        events(
            f"{T}|c3|public|NONE|ENTERQUEUE||01724000333|1",
            f"{T + 40}|c3|public|NONE|EXITWITHTIMEOUT|1|1|40",
            f"{T + 40}|c3|professionals|NONE|ENTERQUEUE||01724000333|1",
        ),
        [Claim("c3", "a.patel", at(60))],
    )
    assert only(calls, "public").outcome == "left"
    taken = only(calls, "professionals")
    assert (taken.outcome, taken.agent, taken.wait_seconds) == ("answered", "a.patel", 20.0)


# -- 3. every event known ------------------------------------------------------------------

# every event current app_queue.c and logger.c write (ast_queue_log), and those dialplans
# and distributions write with QueueLog()
ASTERISK_EVENTS = [
    "ABANDON",
    "ADDMEMBER",
    "AGENTDUMP",
    "AGENTLOGIN",
    "AGENTLOGOFF",
    "ATTENDEDTRANSFER",
    "BLINDTRANSFER",
    "COMPLETEAGENT",
    "COMPLETECALLER",
    "CONFIGRELOAD",
    "CONNECT",
    "ENTERQUEUE",
    "EXITEMPTY",
    "EXITWITHKEY",
    "EXITWITHTIMEOUT",
    "OUTCALL",
    "PAUSE",
    "PAUSEALL",
    "PENALTY",
    "QUEUESTART",
    "REMOVEMEMBER",
    "RINGCANCELED",
    "RINGINUSE",
    "RINGNOANSWER",
    "SYSCOMPAT",
    "UNPAUSE",
    "UNPAUSEALL",
    "WITHDRAW",
]
DIALPLAN_EVENTS = [
    "DID",
    "INFO",
    "FULL",
    "JOINEMPTY",
    "CLOSED",
    "LEAVEEMPTY",
    "DIVERT_CA_RATIO",
    "DIVERT_HOLDTIME",
    "WRAPUPSTART",
    "AGENTCALLBACKLOGIN",
    "AGENTCALLBACKLOGOFF",
    "TRANSFER",
]


@pytest.mark.parametrize("event", ASTERISK_EVENTS + DIALPLAN_EVENTS)
def test_every_standard_event_is_read(event):
    assert event in KNOWN_EVENTS
    parsed = parse_line(f"{T}|1404377805.6457|q1|Agent/448|{event}|1|2|3")
    assert parsed is not None and parsed.event == event  # kept, whether it counts or not


def test_only_unreadable_lines_are_unreadable():
    # a dialplan's own QueueLog() event is readable: set aside, not an error
    assert parse_line(f"{T}|c9|q1|NONE|MYCOMPANY_SURVEY|5") is None
    with pytest.raises(QueueLogError, match="fifth field should be an event"):
        parse_line(f"{T}|c9|q1|NONE|hello there|5")
    with pytest.raises(QueueLogError, match="FULL without a call id"):
        parse_line(f"{T}|NONE|q1|NONE|FULL")
    assert "FULL" in CALL_EVENTS


@pytest.mark.parametrize(
    "event", ["FULL", "JOINEMPTY", "CLOSED", "DIVERT_CA_RATIO", "DIVERT_HOLDTIME"]
)
def test_calls_turned_away_are_offered_and_not_admitted(event):
    """xivo-dao's simple calls: one line, no ENTERQUEUE. Offered 1, neither answered nor
    abandoned, never waiting."""
    calls = build_calls(events(f"{T}|1404377805.6457|found_queue|NONE|{event}"))
    assert [c.outcome for c in calls] == ["not admitted"]
    f = figures(calls, 10)
    assert (f["offered"], f["answered"], f["abandoned"], f["waiting"]) == (1, 0, 0, 0)
    assert f["abandon_rate"] == 0.0


def test_leaveempty_is_exitempty_and_both_count_once():
    """xivo-dao's leave-empty call (ENTERQUEUE, LEAVEEMPTY 1 s later), and a call for which
    Asterisk's EXITEMPTY and the dialplan's LEAVEEMPTY were both written."""
    calls = build_calls(
        events(
            f"{T}|c4|found_queue|NONE|ENTERQUEUE||1000|1",
            f"{T + 1}|c4|found_queue|NONE|LEAVEEMPTY",
            f"{T}|c5|found_queue|NONE|ENTERQUEUE||1000|1",
            f"{T + 7}|c5|found_queue|NONE|EXITEMPTY|1|1|7",
            f"{T + 7}|c5|found_queue|NONE|LEAVEEMPTY",
        )
    )
    assert sorted((c.callid, c.outcome, c.left_by, c.waited) for c in calls) == [
        ("c4", "left", "LEAVEEMPTY", 1.0),
        ("c5", "left", "EXITEMPTY", 7.0),
    ]
    assert figures(calls, 10)["offered"] == 2


def test_withdraw_ends_the_wait_neither_answered_nor_abandoned():
    calls = build_calls(
        events(
            f"{T}|c6|public|NONE|ENTERQUEUE||01724000666|1",
            f"{T + 90}|c6|public|NONE|WITHDRAW|1|1|90|callback requested",
        )
    )
    f = figures(calls, 3600)
    assert (f["offered"], f["answered"], f["abandoned"], f["waiting"]) == (1, 0, 0, 0)
    assert f["longest_wait_seconds"] == 0 and calls[0].waited == 90.0


def test_ringing_and_other_set_aside_events_change_no_figure():
    """The Definitive Guide's sample call: a member rang and did not answer, another
    connected after 2 s and the caller hung up 3,073 s later; the RINGNOANSWER, the
    dialplan's DID and a RINGCANCELED change nothing."""
    calls = build_calls(
        events(
            "1292281046|psy1-1292281041.87|7100|NONE|DID|4165551000",
            "1292281046|psy1-1292281041.87|7100|NONE|ENTERQUEUE||4165551212|1",
            "1292281046|psy1-1292281041.87|7100|Local/9996@MemberConnector|RINGNOANSWER|0",
            "1292281048|psy1-1292281041.87|7100|Local/9997@MemberConnector|RINGCANCELED|1500",
            "1292281048|psy1-1292281041.87|7100|Local/9990@MemberConnector|CONNECT|2|psy1-1292281046.90|0",
            "1292284121|psy1-1292281041.87|7100|Local/9990@MemberConnector|COMPLETECALLER|2|3073|1",
        )
    )
    (call,) = calls
    assert (call.outcome, call.wait_seconds, call.agent) == (
        "answered",
        2.0,
        "Local/9990@MemberConnector",
    )
    assert call.ended == dt.datetime.fromtimestamp(1292284121, dt.UTC)


# -- 4. a call never waits forever -----------------------------------------------------------


def test_a_restart_ends_every_call_still_waiting_or_talking():
    """c7 waits from T; Asterisk restarts at T + 600 (QUEUESTART); at midnight the wallboard
    must not show c7 waiting 49,940 s. c8, answered and still talking, has ended; c9,
    which entered after the restart, is still waiting."""
    calls = build_calls(
        events(
            f"{T}|c7|public|NONE|ENTERQUEUE||01724000777|1",
            f"{T + 10}|c8|public|NONE|ENTERQUEUE||01724000888|1",
            f"{T + 15}|c8|public|PJSIP/201|CONNECT|5|c8.1|1",
            f"{T + 600}|NONE|NONE|NONE|QUEUESTART|",
            f"{T + 700}|c9|public|NONE|ENTERQUEUE||01724000999|1",
        )
    )
    c7, c8, c9 = sorted(calls, key=lambda c: c.callid)
    assert (c7.outcome, c7.left_by, c7.waited) == ("left", "QUEUESTART", 600.0)
    assert (c8.outcome, c8.ended) == ("answered", at(600))
    assert c9.outcome == "waiting"
    f = figures(calls, 50_000)
    assert (f["waiting"], f["longest_wait_seconds"]) == (1, 49_300)  # c9 alone
    assert (f["offered"], f["answered"], f["abandoned"]) == (3, 1, 0)


# -- 6. the times Asterisk logs ------------------------------------------------------------


def test_waits_use_the_times_asterisk_logged():
    """Lines carry whole seconds: c10 entered at T.9 (written T) and was answered at T+10.1
    (written T+10); Asterisk logged 9 s. c11's ABANDON logs 4 s (a short abandon) though
    its lines are 6 s apart. c12 has no logged wait (a dialplan's LEAVEEMPTY): 12 s
    between the lines."""
    calls = build_calls(
        events(
            f"{T}|c10|public|NONE|ENTERQUEUE||01724001010|1",
            f"{T + 10}|c10|public|PJSIP/201|CONNECT|9|c10.1|1",
            f"{T}|c11|public|NONE|ENTERQUEUE||01724001111|1",
            f"{T + 6}|c11|public|NONE|ABANDON|1|1|4",
            f"{T}|c12|public|NONE|ENTERQUEUE||01724001212|1",
            f"{T + 12}|c12|public|NONE|LEAVEEMPTY",
        )
    )
    waits = {c.callid: c.waited for c in calls}
    assert waits == {"c10": 9.0, "c11": 4.0, "c12": 12.0}
    f = figures(calls, 20)
    assert (f["asa_seconds"], f["short_abandoned"]) == (9.0, 1)
    assert f["abandon_rate"] == 0.0  # (1 - 1) / (3 - 1)


def test_an_impossible_wait_is_listed_not_averaged():
    """c13 logs -3 s; c14 logs 500 s for a call its lines show in the queue for 10 s; c15's
    ABANDON logs -2 s. All three are counted (answered, answered, abandoned) and listed;
    only c16's 10 s makes the speed of answer and the service level, and c15 is not a
    short abandon, for nobody knows how long it waited."""
    calls = build_calls(
        events(
            f"{T}|c13|public|NONE|ENTERQUEUE||1|1",
            f"{T + 10}|c13|public|PJSIP/201|CONNECT|-3|c13.1|1",
            f"{T}|c14|public|NONE|ENTERQUEUE||1|1",
            f"{T + 10}|c14|public|PJSIP/202|CONNECT|500|c14.1|1",
            f"{T}|c15|public|NONE|ENTERQUEUE||1|1",
            f"{T + 3}|c15|public|NONE|ABANDON|1|1|-2",
            f"{T}|c16|public|NONE|ENTERQUEUE||1|1",
            f"{T + 10}|c16|public|PJSIP/203|CONNECT|10|c16.1|1",
        )
    )
    f = figures(calls, 20)
    assert (f["answered"], f["abandoned"], f["short_abandoned"]) == (3, 1, 0)
    assert (f["asa_seconds"], f["service_level"]) == (10.0, 1.0)
    assert f["abandon_rate"] == 0.25  # (1 - 0) / (4 - 0)
    listed = f["impossible_waits"]
    assert isinstance(listed, list)
    assert sorted((w["callid"], w["seconds"]) for w in listed) == [
        ("c13", -3.0),
        ("c14", 500.0),
        ("c15", -2.0),
    ]
