"""What a wrap-up must hold before the contact is saved: one rule for the console's
wrap-up screen and for every other way a call is wrapped up."""

from __future__ import annotations

from frontdoor.interactions.model import WrapUp

SAFEGUARDING = "safeguarding"  # the outcome and the category of the format's vocabulary


class WrapUpRefused(ValueError):
    """The wrap-up lacks something the contact must have; the message says what."""


def needs_notes(outcome: str | None, category: str | None) -> bool:
    """A safeguarding concern is passed on in the caller's words: without notes the team
    it goes to has only a code."""
    return SAFEGUARDING in (outcome, category)


def check_wrap_up(wrap: WrapUp) -> None:
    if needs_notes(wrap.outcome, wrap.category) and not wrap.notes.strip():
        raise WrapUpRefused(
            "A safeguarding contact needs notes before it is saved: what the caller said, "
            "in their words, who is at risk and what was done. Nothing has been lost."
        )
