"""The person index's part of `records purge`: a person no contact still held in full
refers to is emptied (name, date of birth, postcode beyond the district, NHS number,
phone) and the exact keys they were known by (NHS number; name, date of birth and
postcode) removed. The row stays, by its id: the purged contacts, their referrals and the
audit still name it, and none of them says who it was."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from frontdoor.db.chunks import in_chunks
from frontdoor.people.tables import ConsentWithdrawalRow, PersonKeyRow, PersonRow


@dataclass
class PeoplePurged:
    people: int = 0
    person_keys: int = 0
    withdrawal_notes: int = 0

    def counts(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def empty_people(session: Session, person_ids: Sequence[str]) -> PeoplePurged:
    done = PeoplePurged()
    for chunk in in_chunks(person_ids):
        held = session.scalars(
            select(PersonRow.id).where(
                PersonRow.id.in_(chunk),
                # emptied already by an earlier purge: nothing more to do
                (PersonRow.name.is_not(None))
                | PersonRow.dob.is_not(None)
                | PersonRow.postcode.is_not(None)
                | PersonRow.nhs_number.is_not(None)
                | PersonRow.phone.is_not(None),
            )
        ).all()
        if held:
            session.execute(
                update(PersonRow),
                [
                    {
                        "id": person_id,
                        "name": None,
                        "dob": None,
                        "postcode": None,
                        "nhs_number": None,
                        "phone": None,
                    }
                    for person_id in held
                ],
            )
        done.people += len(held)
        keys = session.execute(delete(PersonKeyRow).where(PersonKeyRow.person_id.in_(chunk)))
        done.person_keys += max(getattr(keys, "rowcount", 0), 0)
        notes = session.scalars(
            select(ConsentWithdrawalRow.id).where(
                ConsentWithdrawalRow.person_id.in_(chunk), ConsentWithdrawalRow.note.is_not(None)
            )
        ).all()
        if notes:
            session.execute(update(ConsentWithdrawalRow), [{"id": i, "note": None} for i in notes])
        done.withdrawal_notes += len(notes)
    return done
