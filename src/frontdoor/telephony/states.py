"""Handler states: one definition for the consoles, the queue_log reader and the wallboard."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum


class HandlerState(StrEnum):
    """What a handler is doing, as every workstation and the wallboard show it. The
    values are the words stored in the database and shown on screen."""

    AVAILABLE = "available"
    ON_A_CALL = "on a call"
    WRAP_UP = "wrap-up"
    AWAY = "away"
    # the telephone system's word for an agent logged off; a console says it as its handler
    # signs out or closes it, so the wallboard never shows them as there to take calls
    SIGNED_OUT = "signed out"
    # the wallboard's word, never a console's: the console last said one of the states
    # above, then stopped saying it is still there (killed, switched off, cut off), so
    # nobody knows what the handler is doing (SILENT_AFTER, below)
    NOT_HEARD_FROM = "not heard from"


# the states a console may set for its handler
STATES = tuple(s.value for s in HandlerState if s is not HandlerState.NOT_HEARD_FROM)

# How often a signed-in console says it is still there, and how long the wallboard waits
# without word before it stops believing the state the console last gave: three missed
# words, so that a slow minute or a database that paused does not flicker the board, and
# a console killed or switched off stops showing its handler as available within minutes.
STILL_HERE_SECONDS = 60.0
SILENT_AFTER = dt.timedelta(seconds=3 * STILL_HERE_SECONDS)
