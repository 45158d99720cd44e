"""Handler states: one definition for the consoles, the queue_log reader and the wallboard."""

from __future__ import annotations

from enum import StrEnum


class HandlerState(StrEnum):
    """What a handler is doing, as every workstation and the wallboard show it. The
    values are the words stored in the database and shown on screen."""

    AVAILABLE = "available"
    ON_A_CALL = "on a call"
    WRAP_UP = "wrap-up"
    AWAY = "away"
    SIGNED_OUT = "signed out"  # the telephony system's word only: a console never sets it


# the states a console sets for its handler (the telephone system also says "signed out")
STATES = tuple(s.value for s in HandlerState if s is not HandlerState.SIGNED_OUT)
