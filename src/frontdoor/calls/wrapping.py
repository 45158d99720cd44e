"""What a wrap-up must hold before the contact is saved: one rule for the console's
wrap-up screen and for every other way a call is wrapped up."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from frontdoor.interactions.model import WrapUp

SAFEGUARDING = "safeguarding"  # the outcome and the category of the format's vocabulary
REFERRED = "referred"  # the outcome "referred on"


class WrapUpRefused(ValueError):
    """The wrap-up lacks something the contact must have; the message says what."""


def needs_notes(outcome: str | None, category: str | None, red_flags: Sequence[str] = ()) -> bool:
    """A safeguarding concern is passed on in the caller's words, and a red flag (an
    emergency, a crisis, a person at risk) is acted on by whoever reads the record next:
    without notes they have only a code."""
    return SAFEGUARDING in (outcome, category) or bool(red_flags)


def check_wrap_up(wrap: WrapUp, red_flags: Sequence[str] = ()) -> None:
    if not needs_notes(wrap.outcome, wrap.category, red_flags) or wrap.notes.strip():
        return
    if red_flags:
        raise WrapUpRefused(
            f"A contact with a red flag ({'; '.join(dict.fromkeys(red_flags))}) needs notes "
            "before it is saved: what the caller said, what was done and who was told. "
            "Nothing has been lost."
        )
    raise WrapUpRefused(
        "A safeguarding contact needs notes before it is saved: what the caller said, "
        "in their words, who is at risk and what was done. Nothing has been lost."
    )


class _Named(Protocol):
    @property
    def name(self) -> str: ...


def referred_names(services: Iterable[tuple[_Named, str]]) -> list[str]:
    """The names of the services referred among (service, action) pairs: a call's
    chosen services, or the ones its script suggests."""
    return [service.name for service, action in services if action == "referred"]


def no_referral_made(outcome: str, referred: Sequence[str], suggested: Sequence[str]) -> str | None:
    """What to say before a contact is saved as referred on when no service was referred in
    the call (`referred`: the services it referred; `suggested`: those the script says to
    refer): no referral is then made, so nothing reaches the team, nothing falls due and a
    caller who rings to chase finds nothing to chase. None when there is nothing to say.
    A reminder, not a refusal: a service outside the directory may have been rung."""
    if outcome != REFERRED or referred:
        return None
    named = f" (the script says to refer {' and '.join(suggested)})" if suggested else ""
    return (
        f"The outcome is referred on, but no service has been referred in this call{named}, "
        "so no referral would be made. Esc goes back to the call: choose the service in the "
        "directory panel and refer it. Or change the outcome. Ctrl+S again saves it as it is."
    )
