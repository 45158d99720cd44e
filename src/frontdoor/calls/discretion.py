"""What a handler must not discuss with whoever is on the line: a safeguarding concern.

The person a concern is about, or the person it is about them, may ring: a son asking
"who has been calling about my father?". The console shows a person's earlier contacts
and open referrals before triage (so that a chasing caller is answered from the record),
and a chasing script's end says to tell the caller where a referral is. For a
safeguarding contact or referral the handler needs to know it is there (it is part of
the risk), but its reporter, its notes and where it stands are not the caller's to hear,
whoever they say they are: the console marks them so, and leaves out who reported it and
what they said.
"""

from __future__ import annotations

from frontdoor.calls.wrapping import SAFEGUARDING
from frontdoor.interactions.model import Contact
from frontdoor.referrals.model import Referral


def _raised(red_flags: list[str | None] | tuple[str, ...]) -> bool:
    # the library's red flags are a lead's words ("Adult safeguarding concern",
    # "Immediate danger (safeguarding)"); the escalation key's is the word itself
    return any(flag and SAFEGUARDING in flag.lower() for flag in red_flags)


def safeguarding_contact(contact: Contact) -> bool:
    """A contact that raised a safeguarding concern: its category or outcome, or a
    safeguarding red flag at one of its ends."""
    return SAFEGUARDING in (contact.category, contact.outcome) or _raised(
        [end.red_flag for end in contact.ends]
    )


def safeguarding_referral(referral: Referral) -> bool:
    """A referral made from a safeguarding concern."""
    return referral.category == SAFEGUARDING or _raised(referral.red_flags)
