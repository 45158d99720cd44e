"""Every contact the record holds about one person or from them, for their subject access
request: those linked to them in the person index, and those from their phone number
given under their name (a call from a shared number under someone else's name is that
person's, not theirs)."""

from __future__ import annotations

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from frontdoor.interactions.model import Contact
from frontdoor.interactions.record import to_contact
from frontdoor.interactions.tables import ContactRow
from frontdoor.people.model import Person
from frontdoor.people.names import fold


def contacts_of(session: Session, person: Person) -> list[Contact]:
    """Oldest first."""
    wanted = [ContactRow.person_id == person.id]
    if person.phone and person.name:
        wanted.append(
            and_(ContactRow.caller_key == person.phone, ContactRow.caller_name.is_not(None))
        )
    rows = session.scalars(
        select(ContactRow).where(or_(*wanted)).order_by(ContactRow.received_at, ContactRow.id)
    )
    name = fold(person.name or "")
    return [
        to_contact(row)
        for row in rows
        if row.person_id == person.id or fold(row.caller_name or "") == name
    ]
