"""Views of people's records, audited before anything is shown: "who looked at this
person's record?" must have an answer even for a look that changed nothing.

A contact in progress shows the handler earlier contacts, open referrals and a person on
file, and shows them again as each key is typed: each person is recorded once per
contact in progress, not once per keystroke. If the row cannot be written, the caller
gets ViewNotRecorded and shows nothing."""

from __future__ import annotations

import threading
from collections.abc import Iterable

from sqlalchemy.exc import SQLAlchemyError

from frontdoor.access.audit import AuditEvent, AuditTrail, AuditUnavailable, Concerns


class ViewNotRecorded(Exception):
    """The audit could not record that someone looked, so what they asked for is not shown.
    The message is for the person at the screen (never personal data)."""


def not_recorded(what: str, exc: BaseException) -> ViewNotRecorded:
    return ViewNotRecorded(
        f"{what} not shown: Front Door could not record that you looked "
        f"({type(exc).__name__}); tell your supervisor if it goes on"
    )


class PersonViews:
    """The people whose records one contact in progress has shown (its form, then its call
    screen), each audited PERSON_VIEWED the first time, before it is shown. `contact_id`
    is set once the contact has started."""

    def __init__(self, trail: AuditTrail, contact_id: str | None = None) -> None:
        self._trail = trail
        self.contact_id = contact_id
        self._seen: set[str] = set()
        # two lookups of one form may finish at once (each keystroke starts one)
        self._lock = threading.Lock()

    def before_showing(self, person_ids: Iterable[str | None]) -> None:
        """Record each person not recorded yet for this contact; ViewNotRecorded (nothing
        may be shown) when the audit cannot be written."""
        with self._lock:
            new = sorted({p for p in person_ids if p} - self._seen)
            if not new:
                return
            try:
                self._trail.record_all_now(
                    [
                        (
                            AuditEvent.PERSON_VIEWED,
                            Concerns(contact_id=self.contact_id, person_id=person),
                        )
                        for person in new
                    ]
                )
            except (SQLAlchemyError, AuditUnavailable) as exc:
                raise not_recorded("Earlier contacts and referrals are", exc) from exc
            self._seen.update(new)


def record_contact_viewed(
    trail: AuditTrail,
    contact_id: str,
    person_id: str | None,
    detail: str,
    *,
    referral_id: str | None = None,
) -> None:
    """A past contact opened (resumed, a referral's screen, a call-back's form): audited
    CONTACT_VIEWED before it is shown; ViewNotRecorded when that cannot be written."""
    try:
        trail.record_now(
            AuditEvent.CONTACT_VIEWED,
            Concerns(
                contact_id=contact_id, person_id=person_id, referral_id=referral_id, detail=detail
            ),
        )
    except (SQLAlchemyError, AuditUnavailable) as exc:
        raise not_recorded("The contact is", exc) from exc
