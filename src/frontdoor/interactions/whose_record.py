"""Whose record a key leads to: a person's id, an NHS number they are known by, or the id
of a contact about them. What an administrator has in hand when asked "who looked at
this person's record?" is any of the three."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from frontdoor.identifiers import nhs_number_valid, normalise_nhs_number
from frontdoor.interactions.tables import ContactRow
from frontdoor.people.tables import PersonKeyRow, PersonRow

KEY_WORDS = "a person id (p-...), an NHS number, or the id of a contact about them (c-...)"

FoundBy = Literal["person id", "NHS number", "contact id"]


@dataclass(frozen=True)
class PersonRecord:
    """The person a key leads to, and every contact about them (their ids only)."""

    person_id: str
    found_by: FoundBy
    contact_ids: frozenset[str]


def _by_nhs_number(session: Session, key: str) -> str | None:
    number = normalise_nhs_number(key)
    found = session.scalar(select(PersonKeyRow.person_id).where(PersonKeyRow.key == number))
    if found is not None:
        return found
    return session.scalar(select(PersonRow.id).where(PersonRow.nhs_number == number).limit(1))


def find_person(sessions: sessionmaker[Session], key: str) -> PersonRecord | None:
    """The person `key` leads to, or None when it leads to nobody."""
    key = key.strip()
    if not key:
        return None
    with sessions() as session:
        person_id: str | None = None
        found_by: FoundBy = "person id"
        if session.get(PersonRow, key) is not None:
            person_id = key
        elif nhs_number_valid(key):
            person_id, found_by = _by_nhs_number(session, key), "NHS number"
        if person_id is None:
            found = select(ContactRow.person_id).where(ContactRow.id == key)
            person_id, found_by = session.scalar(found), "contact id"
        if person_id is None:
            return None
        contacts = session.scalars(select(ContactRow.id).where(ContactRow.person_id == person_id))
        return PersonRecord(person_id, found_by, frozenset(contacts))
