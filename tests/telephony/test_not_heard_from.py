"""A console that stops without saying so (killed, switched off, cut off) stops showing its
handler on the wallboard as there: once not heard from for SILENT_AFTER, its last word no
longer stands, and the telephone system's word, or "not heard from", is shown instead."""

from __future__ import annotations

import datetime as dt

from frontdoor.db.engine import make_engine, make_session_factory
from frontdoor.mi.live import live_figures
from frontdoor.mi.period import MiSettings
from frontdoor.telephony.ingest import ingest_file
from frontdoor.telephony.states import SILENT_AFTER, STATES, HandlerState
from frontdoor.telephony.stats import QueueSettings
from frontdoor.telephony.taking import set_state, still_here
from tests.telephony.test_queue import LOG

AT = dt.datetime(2026, 5, 12, 9, 10, tzinfo=dt.UTC)
MINUTE = dt.timedelta(minutes=1)


# the telephone system's agent 203 is the handler dee (the queue settings' agents)
QUEUE = QueueSettings(agents={"PJSIP/203": "dee"})


def board(sessions, at):
    figures = live_figures(sessions, QUEUE, MiSettings(time_zone="UTC"), at)
    return dict(figures.handler_states), figures.handlers


def test_a_console_not_heard_from_stops_showing_its_handler_as_there(db_url):
    sessions = make_session_factory(make_engine(db_url))
    set_state(sessions, "asha", HandlerState.AVAILABLE, AT)
    set_state(sessions, "ben", HandlerState.AWAY, AT, "training")
    set_state(sessions, "cy", HandlerState.SIGNED_OUT, AT)

    states, counts = board(sessions, AT + SILENT_AFTER)  # three words missed, just
    assert states == {"asha": "available", "ben": "away", "cy": "signed out"}
    assert (counts.logged_in, counts.available, counts.paused) == (2, 1, 1)

    # asha's console says it is still there; ben's was killed; cy signed out days ago
    still_here(sessions, "asha", AT + 3 * MINUTE)
    still_here(sessions, "cy", AT + 3 * MINUTE)  # signed out: nothing said for them
    states, counts = board(sessions, AT + SILENT_AFTER + MINUTE)
    assert states == {"asha": "available", "ben": "not heard from", "cy": "signed out"}
    assert (counts.logged_in, counts.available, counts.paused) == (1, 1, 0)
    assert board(sessions, AT + dt.timedelta(days=3))[0]["cy"] == "signed out"

    # a state set again is word too, and a console heard from again stands again
    set_state(sessions, "ben", HandlerState.AWAY, AT + 10 * MINUTE, "training")
    assert board(sessions, AT + 11 * MINUTE)[0]["ben"] == "away"


def test_a_silent_console_gives_way_to_the_telephone_systems_word(db_url):
    sessions = make_session_factory(make_engine(db_url))
    ingest_file(sessions, LOG)  # agents 201-203 signed in at 08:00, 203 paused at 08:30
    pbx_alone = board(sessions, AT)[0]
    set_state(sessions, "dee", HandlerState.ON_A_CALL, AT - 10 * MINUTE)
    assert board(sessions, AT - 9 * MINUTE)[0]["dee"] == "on a call"  # the console's word
    assert board(sessions, AT)[0]["dee"] == pbx_alone["dee"] == "away"


def test_not_heard_from_is_the_wallboards_word_never_a_consoles(db_url):
    assert "not heard from" not in STATES
    sessions = make_session_factory(make_engine(db_url))
    try:
        set_state(sessions, "asha", "not heard from", AT)
    except ValueError as exc:
        assert "not heard from" in str(exc).split("; not ")[1]
    else:
        raise AssertionError("a console set the wallboard's own word")
