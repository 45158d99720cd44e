"""The person index: finding the person a new contact is about, and linking contacts to
people. The functions take the caller's session, so that the record links a contact in
the same transaction that adds it; `PersonIndex` opens its own, for a screen's lookup.

An exact key (an NHS number; or name, date of birth and postcode) links on its own.
Otherwise people are looked up by what can find them despite typing errors (the postcode
district, the dates of birth a slip would give, the phone number), scored (scoring.py),
and the best at or above the threshold is offered for the handler to decide.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping
from typing import cast

from sqlalchemy import Table, or_, select
from sqlalchemy.orm import Session, sessionmaker

from frontdoor.db.bulk import among, insert_rows
from frontdoor.people.keys import details_of_key, exact_keys
from frontdoor.people.model import (
    Decision,
    Details,
    Link,
    LinkedBy,
    Match,
    MatchDecision,
    MatchKind,
    Person,
)
from frontdoor.people.names import ForenameForms, bundled_forms
from frontdoor.people.scoring import (
    district_of,
    dob_variants,
    nhs_numbers_differ,
    score,
    worth_asking,
)
from frontdoor.people.tables import PersonKeyRow, PersonRow

# People scored for one lookup at most, the most recently seen first: a busy postcode
# district holds thousands, and scoring them all would keep the handler waiting.
CANDIDATE_LIMIT = 500


PERSON_COLUMNS = (
    PersonRow.id,
    PersonRow.name,
    PersonRow.dob,
    PersonRow.postcode,
    PersonRow.nhs_number,
    PersonRow.phone,
)


def new_person_id() -> str:
    """The first sixteen hex digits of a random UUID (version 4: the thirteenth is its
    "4"), made without building the UUID, which took a fortieth of an import making
    thousands of people."""
    digits = os.urandom(8).hex()
    return f"p-{digits[:12]}4{digits[13:]}"


def to_person(row: PersonRow) -> Person:
    return Person(row.id, row.name, row.dob, row.postcode, row.nhs_number, row.phone)


def _holders(session: Session, keys: Iterable[str]) -> dict[str, PersonRow]:
    rows = session.execute(
        select(PersonKeyRow.key, PersonRow)
        .join(PersonRow, PersonRow.id == PersonKeyRow.person_id)
        .where(PersonKeyRow.key.in_(list(keys)))
    )
    return {key: row for key, row in rows}


def exact_match(session: Session, details: Details) -> Match | None:
    """The person holding the contact's NHS number, else its name, date of birth and
    postcode (unless that person's NHS number is another: then they are two people)."""
    keys = exact_keys(details)
    holders = _holders(session, keys) if keys else {}
    for key in keys:
        row = holders.get(key)
        if row is None:
            continue
        person = to_person(row)
        if details.nhs_number and key == details.nhs_number:
            return Match(person, MatchKind.NHS_NUMBER)
        if not nhs_numbers_differ(details, person):
            return Match(person, MatchKind.SUBJECT_KEY)
    return None


def candidates(session: Session, details: Details) -> list[Person]:
    """People worth scoring: in the same postcode district, born on a date a slip of the
    keyboard would turn into this one, or rung about from the same number."""
    near = []
    if details.postcode:
        near.append(PersonRow.district == district_of(details.postcode))
    if details.dob:
        near.append(PersonRow.dob.in_(sorted(dob_variants(details.dob))))
    if details.phone:
        near.append(PersonRow.phone == details.phone)
    if not near:
        return []
    # plain columns, not mapped rows: hundreds are read for each keystroke's lookup
    rows = session.execute(
        select(*PERSON_COLUMNS)
        .where(or_(*near), PersonRow.name.is_not(None))
        .order_by(PersonRow.updated_at.desc(), PersonRow.id)
        .limit(CANDIDATE_LIMIT)
    )
    return [Person(*r) for r in rows]


def scored_match(session: Session, details: Details, forms: ForenameForms) -> Match | None:
    """The best-scoring person worth asking about (scoring.worth_asking); on a tie, the
    one seen last."""
    if not (details.name and details.name.strip()):
        return None  # without a name nothing scores high enough to ask about
    best: Match | None = None
    for person in candidates(session, details):
        if nhs_numbers_differ(details, person):
            continue
        result = score(details, person, forms)
        kind = worth_asking(result)
        if kind and (best is None or best.score is None or result.total > best.score.total):
            best = Match(person, kind, result)
    return best


def find(session: Session, details: Details, forms: ForenameForms | None = None) -> Match | None:
    """The person this contact is most likely about: exact, or scored; None if nobody
    comes close enough to ask."""
    return exact_match(session, details) or scored_match(session, details, forms or bundled_forms())


def _update(row: PersonRow, details: Details, now: dt.datetime) -> None:
    """What the contact adds: a name, date of birth or NHS number that was missing (one
    already held is kept: a confirmed match may carry a slip of the keyboard), and the
    postcode and phone as they are now (people move and change numbers)."""
    row.name = row.name or details.name
    row.dob = row.dob or details.dob
    row.nhs_number = row.nhs_number or details.nhs_number
    if details.postcode:
        row.postcode = details.postcode
        row.district = district_of(details.postcode)
    row.phone = details.phone or row.phone
    row.updated_at = now


def link(
    session: Session, details: Details, decision: MatchDecision | None, now: dt.datetime
) -> Link | None:
    """The person a new contact is about, linked: the holder of its exact key; else the
    person the handler confirmed; else a new person (after a rejection, or when nobody
    matched). None when the contact names nobody (no name, no NHS number)."""
    exact = exact_match(session, details)
    row: PersonRow | None = None
    if exact is not None:
        row = session.get(PersonRow, exact.person.id)
        by = LinkedBy.NHS_NUMBER if exact.kind == MatchKind.NHS_NUMBER else LinkedBy.SUBJECT_KEY
    elif decision is not None and decision.decision == Decision.CONFIRMED:
        row = session.get(PersonRow, decision.person_id)
        by = LinkedBy.CONFIRMED
    if row is None:
        if not details.identifies:
            return None
        row = PersonRow(id=new_person_id(), created_at=now)
        session.add(row)
        by = LinkedBy.NEW
    _update(row, details, now)
    session.flush()
    keys = exact_keys(details)
    held = set(_holders(session, keys)) if keys else set()
    session.add_all(PersonKeyRow(key=k, person_id=row.id) for k in keys if k not in held)
    return Link(row.id, by)


def link_keys(session: Session, keys: Mapping[str, dt.datetime]) -> dict[str, str]:
    """The person of each subject key, a new one for a key nobody holds: how imported
    contacts are linked (exactly, by key, never by a score). `keys` gives when each was
    last seen (a new person is dated by it). Returns key -> person id."""
    wanted = set(keys)
    found = {
        key: person_id
        for key, person_id in session.execute(
            select(PersonKeyRow.key, PersonKeyRow.person_id).where(
                among(session.get_bind().dialect, PersonKeyRow.key, sorted(wanted))
            )
        )
    }
    people, new_keys = [], []
    for key in sorted(wanted - set(found)):
        details = details_of_key(key)
        found[key] = person_id = new_person_id()
        people.append(
            {
                "id": person_id,
                "name": details.name,
                "dob": details.dob,
                "postcode": details.postcode,
                "district": district_of(details.postcode) if details.postcode else None,
                "nhs_number": details.nhs_number,
                "phone": None,
                "created_at": keys[key],
                "updated_at": keys[key],
            }
        )
        new_keys.append({"key": key, "person_id": person_id})
    # an import's thousands of new people: straight to the driver (db/bulk.py)
    connection = session.connection()
    insert_rows(connection, cast(Table, PersonRow.__table__), people)
    insert_rows(connection, cast(Table, PersonKeyRow.__table__), new_keys)
    return found


def person_held(session: Session, person_id: str) -> Person | None:
    row = session.get(PersonRow, person_id)
    return to_person(row) if row else None


def known_by(session: Session, person_id: str) -> list[str]:
    """The exact keys the person is known by (an NHS number; name, date of birth and
    postcode, one for each postcode they gave), sorted."""
    return sorted(
        session.scalars(select(PersonKeyRow.key).where(PersonKeyRow.person_id == person_id))
    )


class PersonIndex:
    """The index over a session factory, for lookups from a screen's worker."""

    def __init__(self, sessions: sessionmaker[Session], forms: ForenameForms | None = None):
        self._sessions = sessions
        self._forms = forms or bundled_forms()

    def find(self, details: Details) -> Match | None:
        with self._sessions() as session:
            return find(session, details, self._forms)

    def person(self, person_id: str) -> Person | None:
        with self._sessions() as session:
            row = session.get(PersonRow, person_id)
            return to_person(row) if row else None
