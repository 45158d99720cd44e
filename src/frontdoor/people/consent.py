"""Consent to share, withdrawn after the call: a person may say later (on another call, in
a letter) that what they told the SPA may no longer go to other services. From then on
handovers and exports naming them are refused unless an override is recorded (vital
interests, safeguarding), until they agree again.

The call's own answer stays on the contact as it was given (the record of what was said
then); a withdrawal is about the person, so it reaches every contact about them, earlier
and later. Each withdrawal and restoration is audited in its own transaction, with the
row it writes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from frontdoor.access.audit import AuditEvent, AuditTrail, Concerns
from frontdoor.local_time import Clock
from frontdoor.people.tables import ConsentWithdrawalRow, PersonRow


class ConsentError(ValueError):
    """A withdrawal or restoration that cannot be recorded, in words saying what to do."""


@dataclass(frozen=True)
class Withdrawal:
    person_id: str
    withdrawn_at: dt.datetime
    recorded_by: str
    note: str | None
    restored_at: dt.datetime | None = None
    restored_by: str | None = None

    @property
    def standing(self) -> bool:
        """Still in force: the person has not agreed again since."""
        return self.restored_at is None


def to_withdrawal(row: ConsentWithdrawalRow) -> Withdrawal:
    return Withdrawal(
        row.person_id, row.withdrawn_at, row.recorded_by, row.note, row.restored_at, row.restored_by
    )


def _standing(session: Session, person_id: str) -> ConsentWithdrawalRow | None:
    return session.scalars(
        select(ConsentWithdrawalRow)
        .where(
            ConsentWithdrawalRow.person_id == person_id,
            ConsentWithdrawalRow.restored_at.is_(None),
        )
        .order_by(ConsentWithdrawalRow.id.desc())
        .limit(1)
    ).first()


def standing_withdrawal(session: Session, person_id: str | None) -> Withdrawal | None:
    """The person's withdrawal in force, in the caller's transaction (a handover checks it
    in the one that records it)."""
    if person_id is None:
        return None
    row = _standing(session, person_id)
    return to_withdrawal(row) if row is not None else None


def withdrawals_of(session: Session, person_id: str) -> list[Withdrawal]:
    """Every withdrawal of the person, oldest first, restored or not."""
    rows = session.scalars(
        select(ConsentWithdrawalRow)
        .where(ConsentWithdrawalRow.person_id == person_id)
        .order_by(ConsentWithdrawalRow.id)
    )
    return [to_withdrawal(r) for r in rows]


def withdrawn_among(session: Session, person_ids: Iterable[str | None]) -> set[str]:
    """Which of these people have a withdrawal in force."""
    wanted = sorted({p for p in person_ids if p})
    found: set[str] = set()
    for start in range(0, len(wanted), 5000):  # the databases limit values in one query
        found.update(
            session.scalars(
                select(ConsentWithdrawalRow.person_id).where(
                    ConsentWithdrawalRow.person_id.in_(wanted[start : start + 5000]),
                    ConsentWithdrawalRow.restored_at.is_(None),
                )
            )
        )
    return found


def withdrawn_people(session: Session) -> set[str]:
    """Everyone with a withdrawal in force (a few, against the whole record): what an
    export leaves out."""
    return set(
        session.scalars(
            select(ConsentWithdrawalRow.person_id).where(ConsentWithdrawalRow.restored_at.is_(None))
        )
    )


class ConsentRegister:
    """Withdrawals over a session factory, audited as `audit.actor` (whoever is signed in
    on this process)."""

    def __init__(self, sessions: sessionmaker[Session], clock: Clock, audit: AuditTrail) -> None:
        self._sessions = sessions
        self._clock = clock
        self._audit = audit

    def standing(self, person_id: str | None) -> Withdrawal | None:
        with self._sessions() as session:
            return standing_withdrawal(session, person_id)

    def history(self, person_id: str) -> list[Withdrawal]:
        """Every withdrawal of the person, oldest first, restored or not."""
        with self._sessions() as session:
            return withdrawals_of(session, person_id)

    def withdraw(
        self,
        person_id: str,
        *,
        by: str | None = None,
        note: str | None = None,
        contact_id: str | None = None,
    ) -> Withdrawal:
        """Record that the person withdraws consent to share, from now. `contact_id`: the
        call it was said on, if any (the audit row names it)."""
        now = self._clock()
        by = (by or self._audit.actor.user).strip()
        with self._sessions() as session, session.begin():
            self._person(session, person_id)
            held = _standing(session, person_id)
            if held is not None:
                raise ConsentError(
                    f"{person_id} withdrew consent to share already, on "
                    f"{held.withdrawn_at:%Y-%m-%d %H:%M} UTC (recorded by {held.recorded_by}): "
                    "nothing more to record"
                )
            row = ConsentWithdrawalRow(
                person_id=person_id,
                withdrawn_at=now,
                recorded_by=by,
                note=(note or "").strip() or None,
            )
            session.add(row)
            session.flush()
            # the note is the person's words: it stays in the record, never in the audit
            self._audit.record(
                session,
                AuditEvent.CONSENT_WITHDRAWN,
                Concerns(person_id=person_id, contact_id=contact_id, detail="share withdrawn"),
            )
            return to_withdrawal(row)

    def restore(self, person_id: str, *, by: str | None = None) -> Withdrawal:
        """Record that the person agrees to share again: their withdrawal stands no more
        (it is kept, with when and by whom it was lifted)."""
        now = self._clock()
        by = (by or self._audit.actor.user).strip()
        with self._sessions() as session, session.begin():
            self._person(session, person_id)
            row = _standing(session, person_id)
            if row is None:
                raise ConsentError(
                    f"{person_id} has no withdrawal of consent to share in force: there is "
                    "nothing to restore"
                )
            row.restored_at, row.restored_by = now, by
            self._audit.record(
                session,
                AuditEvent.CONSENT_RESTORED,
                Concerns(person_id=person_id, detail="share restored"),
            )
            return to_withdrawal(row)

    @staticmethod
    def _person(session: Session, person_id: str) -> None:
        if session.get(PersonRow, person_id) is None:
            raise ConsentError(f"there is no person {person_id!r} in the person index")
