"""A person on a call who withdraws consent to share what the SPA holds about them: the
handler records it there and then, and from then on handovers and exports naming them
are refused unless an override is recorded (people/consent.py). The call shows whether a
withdrawal stands as it begins, beside the consent asked on the call."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Protocol

from frontdoor.people.consent import ConsentError, Withdrawal

if TYPE_CHECKING:  # typing only, no cycle
    from frontdoor.calls.call import Call


class CallConsent(Protocol):
    """Where withdrawals are kept (people/consent.py's ConsentRegister)."""

    def standing(self, person_id: str | None) -> Withdrawal | None: ...

    def withdraw(
        self,
        person_id: str,
        *,
        by: str | None = None,
        note: str | None = None,
        contact_id: str | None = None,
    ) -> Withdrawal: ...


def standing_at_start(consent: CallConsent | None, person_id: str | None) -> dt.datetime | None:
    """When the call's person withdrew consent to share, if their withdrawal stands."""
    if consent is None or person_id is None:
        return None
    found = consent.standing(person_id)
    return found.withdrawn_at if found is not None else None


def withdraw_share(call: Call, note: str | None = None) -> Withdrawal:
    """Record, from this call, that its person withdraws consent to share. ConsentError
    (nothing written) when the call names nobody, or it cannot be recorded here."""
    consent = call.service.consent
    if consent is None:
        raise ConsentError("withdrawals of consent cannot be recorded from here")
    person_id = call.contact.person_id
    if person_id is None:
        raise ConsentError(
            "this call names nobody (no name or NHS number was given), so there is no "
            "record to mark: an administrator can record it later (frontdoor people consent)"
        )
    done = consent.withdraw(
        person_id, by=call.contact.handler, note=note, contact_id=call.contact_id
    )
    call.share_withdrawn_at = done.withdrawn_at
    return done
