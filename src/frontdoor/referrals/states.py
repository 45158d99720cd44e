"""A referral's states and the moves between them: FHIR R4 Task status codes, so that a
referral can be exchanged with systems that use the Booking and Referral Standard, and
only the moves a team can make (a completed referral never goes back to requested)."""

from __future__ import annotations

import re
from typing import Literal, get_args

from frontdoor.identifiers import repeatable

State = Literal[
    "requested",
    "received",
    "accepted",
    "rejected",
    "in-progress",
    "on-hold",
    "completed",
    "cancelled",
]
STATES: tuple[State, ...] = get_args(State)

MOVES: dict[State, tuple[State, ...]] = {
    "requested": ("received", "accepted", "rejected", "cancelled"),
    "received": ("accepted", "rejected", "cancelled"),
    "accepted": ("in-progress", "completed", "cancelled"),
    "rejected": (),
    "in-progress": ("completed", "on-hold", "cancelled"),
    "on-hold": ("in-progress", "cancelled"),
    "completed": (),
    "cancelled": (),
}
# a team has not yet said it will act: past its due time, the referral is overdue
WAITING: frozenset[State] = frozenset({"requested", "received"})
# nothing more happens to it
ENDED: frozenset[State] = frozenset(s for s, nexts in MOVES.items() if not nexts)
# these moves say why (a team declined it, it was withdrawn, or paused)
NEED_REASON: frozenset[State] = frozenset({"rejected", "cancelled", "on-hold"})


def as_state(text: str) -> State:
    """`text` as a state; ValueError naming the states when it is not one. A team's system
    may write `In Progress` or `on_hold` for the FHIR codes `in-progress` and `on-hold`."""
    cleaned = re.sub(r"[\s_]+", "-", text.strip().lower())
    for state in STATES:
        if cleaned == state:
            return state
    given = repeatable(text.strip()) or "that"
    raise ValueError(f"{given} is not a referral state: the states are {', '.join(STATES)}")


def a_state(state: State) -> str:
    """'a requested', 'an accepted': the state with its article, for messages."""
    return f"{'an' if state[0] in 'aeiou' else 'a'} {state}"


def move_refused(current: State, to: State) -> str | None:
    """Why `current` -> `to` is not allowed, in words; None when it is."""
    allowed = MOVES[current]
    if to in allowed:
        return None
    if not allowed:
        return f"{a_state(current)} referral is ended: it cannot become {to}"
    return f"{a_state(current)} referral cannot become {to} (it can become {', '.join(allowed)})"
