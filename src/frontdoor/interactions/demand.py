"""Suggesting the demand type at wrap-up (the handler confirms)."""

from __future__ import annotations

import datetime as dt

from frontdoor.interactions.model import Contact


def is_repeat(earlier: Contact, category: str | None, now: dt.datetime, window_days: int) -> bool:
    return (
        category is not None
        and earlier.category == category
        and now - earlier.received_at <= dt.timedelta(days=window_days)
    )


def suggest_demand(
    history: list[Contact], category: str | None, now: dt.datetime, window_days: int, chasing: bool
) -> str | None:
    """`progress_chasing` when the caller asks about something arranged; `repeat_contact`
    when the same caller or person had a contact in the window in the same category
    (`history` holds the contacts from the same caller key or about the same person)."""
    if chasing:
        return "progress_chasing"
    if any(is_repeat(c, category, now, window_days) for c in history):
        return "repeat_contact"
    return None
