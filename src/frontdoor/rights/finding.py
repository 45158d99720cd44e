"""Finding the person an administrator means: by their id in the person index, by an NHS
number, or by the id of a contact about them. One reading for every command that takes
a person (people consent, people export)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from frontdoor.interactions.tables import ContactRow
from frontdoor.people.keys import nhs_number_valid, normalise_nhs_number
from frontdoor.people.tables import PersonKeyRow, PersonRow

KEY_HELP = (
    "KEY is a person's id (p-...), an NHS number (with or without spaces) or the id of a "
    "contact about them."
)


class PersonNotFound(LookupError):
    """No person answers to the key given; the message says what was tried."""


def find_person(sessions: sessionmaker[Session], key: str) -> str:
    """The id of the person `key` names."""
    given = key.strip()
    if not given:
        raise PersonNotFound(f"give a person: {KEY_HELP}")
    with sessions() as session:
        if session.get(PersonRow, given) is not None:
            return given
        contact = session.get(ContactRow, given)
        if contact is not None:
            if contact.person_id is None:
                raise PersonNotFound(
                    f"contact {given} names nobody (no name or NHS number was given on it), "
                    "so it leads to no person"
                )
            return contact.person_id
        if nhs_number_valid(given):
            found = _by_nhs_number(session, normalise_nhs_number(given))
            if found is not None:
                return found
            raise PersonNotFound(f"nobody in the person index has the NHS number {given}")
    raise PersonNotFound(f"{given!r} is not a person's id, a contact's id or an NHS number")


def _by_nhs_number(session: Session, number: str) -> str | None:
    held = session.scalar(select(PersonKeyRow.person_id).where(PersonKeyRow.key == number))
    if held is not None:
        return held
    return session.scalar(select(PersonRow.id).where(PersonRow.nhs_number == number).limit(1))
