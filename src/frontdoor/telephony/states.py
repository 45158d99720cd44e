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
    # the telephone system's word for an agent logged off; a console says it as its handler
    # signs out or closes it, so the wallboard never shows them as there to take calls
    SIGNED_OUT = "signed out"


# the states a console may set for its handler
STATES = tuple(s.value for s in HandlerState)
