"""Suggesting the demand type at wrap-up (the handler confirms)."""

from __future__ import annotations

import datetime as dt

from frontdoor.interactions.model import OUTBOUND, Contact

PROGRESS_CHASING = "progress_chasing"
REPEAT_CONTACT = "repeat_contact"


def is_repeat(earlier: Contact, category: str | None, now: dt.datetime, window_days: int) -> bool:
    """The caller or person came back in the same category within the window; the SPA
    calling them back (an outbound follow-up) is not their coming back."""
    return (
        category is not None
        and earlier.channel != OUTBOUND
        and earlier.category == category
        and now - earlier.received_at <= dt.timedelta(days=window_days)
    )


def was_chase(earlier: Contact, chasing_script: str | None) -> bool:
    """The earlier contact chased something too: tagged as progress chasing at wrap-up, or
    its triage went through the chasing script (a second chase is tagged as a repeat, so
    the tag alone would lose it for the third)."""
    return earlier.demand == PROGRESS_CHASING or any(
        end.script == chasing_script for end in earlier.ends
    )


def suggest_demand(
    history: list[Contact],
    category: str | None,
    now: dt.datetime,
    window_days: int,
    chasing: bool,
    chasing_script: str | None = None,
) -> str | None:
    """`progress_chasing` when the caller asks about something arranged, the first time;
    `repeat_contact` when the same caller or person already had a contact in the window in
    the same category (`history` holds the contacts from the same caller key or about the
    same person): for a chase, only an earlier chase counts (the first chase after
    the referral it chases is progress chasing; a second or third chase means the last one
    did not resolve it)."""
    earlier = [c for c in history if is_repeat(c, category, now, window_days)]
    if chasing:
        if any(was_chase(c, chasing_script) for c in earlier):
            return REPEAT_CONTACT
        return PROGRESS_CHASING
    if earlier:
        return REPEAT_CONTACT
    return None
