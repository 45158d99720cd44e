"""Units of work on the record. Every call commits at once: if the console is killed
mid-call, everything answered so far is already in the database."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, NamedTuple

from sqlalchemy import Dialect, Select, bindparam, func, or_, select
from sqlalchemy.orm import Session

from frontdoor.access.audit import AuditEvent, Concerns, PendingAudit
from frontdoor.db.engine import unit
from frontdoor.db.raw_reads import RawRead, compiled, read_together
from frontdoor.db.raw_writes import values_insert
from frontdoor.interactions import contact_rows as rows
from frontdoor.interactions.applying import (
    ContactTaken,
    ContactWrites,
    RecordError,
    new_contact_id,
    new_step_id,
)
from frontdoor.interactions.model import (
    Action,
    CallEndedWrite,
    Contact,
    NewContact,
    ScriptEnd,
    SearchWrite,
    ServiceWrite,
    StepTaken,
    StepWrite,
    WrapUp,
    WrapUpWrite,
)
from frontdoor.interactions.reading import contact_of, read_contacts
from frontdoor.interactions.tables import ContactRow, PersonDecisionRow
from frontdoor.people import index as person_index
from frontdoor.people.keys import (
    caller_key,
    normalise_nhs_number,
    normalise_postcode,
    phone_of,
    subject_key,
)
from frontdoor.people.model import Details, MatchDecision

__all__ = ["ContactTaken", "Record", "RecordError", "new_contact_id", "new_step_id"]


def to_contact(row: ContactRow) -> Contact:
    return contact_of(row, row.answers, row.ends, row.searches, row.services, row.person_decisions)


def decision_row(contact_id: str, decision: MatchDecision) -> PersonDecisionRow:
    return PersonDecisionRow(
        contact_id=contact_id,
        person_id=decision.person_id,
        decision=decision.decision,
        kind=decision.kind,
        score=decision.score,
        evidence=list(decision.evidence),
        decided_by=decision.by,
        decided_at=decision.at,
    )


def details_of(new: NewContact) -> Details:
    """What a new contact says about its person, as the person index compares it."""
    name = (new.subject_name or "").strip()
    return Details(
        name=name or None,
        dob=new.subject_dob,
        postcode=normalise_postcode(new.subject_postcode) if new.subject_postcode else None,
        nhs_number=normalise_nhs_number(new.subject_nhs_number) if new.subject_nhs_number else None,
        phone=phone_of(new.caller),
    )


@functools.cache
def _history_query(caller: bool, subject: bool, person: bool, exclude: bool) -> Select[tuple[str]]:
    """A call's history look-up for the keys it has, built once for each (every call
    starts with one): the last 50 contacts since `since` from the caller or about the
    person, newest first."""
    contacts = rows.CONTACTS.c
    keys = [
        column == bindparam(name)
        for column, name, given in (
            (contacts.caller_key, "caller", caller),
            (contacts.subject_key, "subject", subject),
            (contacts.person_id, "person", person),
        )
        if given
    ]
    query = select(contacts.id).where(or_(*keys), contacts.received_at >= bindparam("since"))
    if exclude:
        query = query.where(contacts.id != bindparam("exclude"))
    return query.order_by(contacts.received_at.desc()).limit(50)


def _history_lookup(
    caller: str | None,
    subject: str | None,
    person: str | None,
    since: dt.datetime,
    exclude: str | None,
) -> tuple[Select[tuple[str]], dict[str, Any]] | None:
    """The history look-up for these keys, with its parameters (None: no key to look
    up by)."""
    if not (caller or subject or person):
        return None
    query = _history_query(bool(caller), bool(subject), bool(person), bool(exclude))
    given = {"caller": caller, "subject": subject, "person": person, "exclude": exclude}
    return query, {"since": since, **given}


class ContactKeys(NamedTuple):
    """A new contact's keys: what its caller's and its person's records are found by."""

    caller_key: str | None
    subject_key: str | None
    person_id: str | None


# a read to go with a new contact's INSERT (PostgreSQL), made for the database's dialect
# and the contact's keys (None: nothing to read)
ReadWith = Callable[[Dialect, ContactKeys], RawRead | None]


@dataclass(frozen=True)
class StartedCall:
    """A contact started, its history, and the rows of the read sent with it (None: it
    was not sent with it; see `Record.start_call`)."""

    contact: Contact
    history: list[Contact]
    read: list[Any] | None = None


class Record(ContactWrites):
    """The record of contacts: starting them, the writes of a call made and applied at
    once (loaders, the simulation, tests), and reading."""

    def _closed(
        self,
        session: Session,
        contact_id: str,
        audit: PendingAudit | None,
        unsent: list[rows.Raw],
    ) -> None:
        if self._closing is None:
            super()._closed(session, contact_id, audit, unsent)
            return
        # as written in this transaction, with its services and ends (ClosingHook)
        (contact,) = read_contacts(session.connection(), [contact_id], steps=False, after=unsent)
        self._closing(session, contact, audit)

    def _audit_now(self, session: Session, event: AuditEvent, concerns: Concerns) -> None:
        """One audit row at the end of a unit of work here (see append_many)."""
        audit = self._pending()
        if audit is not None:
            audit.add(event, concerns)
            audit.write(session)

    def start_contact(
        self,
        new: NewContact,
        abandoned_at: dt.datetime | None = None,
        *,
        contact_id: str | None = None,
        holder: str | None = None,
        held_until: dt.datetime | None = None,
    ) -> str:
        """The id of a contact started (see `_start`)."""
        return self._start(
            new, abandoned_at, contact_id=contact_id, holder=holder, held_until=held_until
        )[0]

    def started(
        self, new: NewContact, *, holder: str | None = None, held_until: dt.datetime | None = None
    ) -> Contact:
        """A contact started (see `_start`), as the record now holds it: built from what
        was written rather than read back (every call starts with it), except when it
        keeps a match decision, which is read back as the record keeps it."""
        return self.start_call(new, None, holder=holder, held_until=held_until).contact

    def start_call(
        self,
        new: NewContact,
        since: dt.datetime | None,
        *,
        holder: str | None = None,
        held_until: dt.datetime | None = None,
        read_with: ReadWith | None = None,
    ) -> StartedCall:
        """A contact started (as `started`) and, with `since`, its history as `history`
        reads it for the new contact (its caller's and its person's contacts since then,
        but itself). On PostgreSQL the look-up goes with the contact's INSERT, one round
        trip where every call started with two (each one a network's latency at a desk),
        and so does the read `read_with` makes for the new contact's keys (the open
        referrals about its caller and person): its rows come back with it (None on
        SQLite, or without it: the caller reads it itself)."""
        contact_id, values, history, read = self._start(
            new, holder=holder, held_until=held_until, history_since=since, read_with=read_with
        )
        if new.person_decision is not None:
            return StartedCall(self.contact(contact_id), history, read)
        row = dict.fromkeys(rows.CONTACTS.c.keys())
        for name, value in values.items():
            # times come back from the record in UTC (db/base.py's UTCDateTime)
            row[name] = value.astimezone(dt.UTC) if isinstance(value, dt.datetime) else value
        return StartedCall(contact_of(SimpleNamespace(**row), [], [], [], [], []), history, read)

    def _start(
        self,
        new: NewContact,
        abandoned_at: dt.datetime | None = None,
        *,
        contact_id: str | None = None,
        holder: str | None = None,
        held_until: dt.datetime | None = None,
        history_since: dt.datetime | None = None,
        read_with: ReadWith | None = None,
    ) -> tuple[str, dict[str, Any], list[Contact], list[Any] | None]:
        """A contact from the moment it is answered: `new.answered_at` (the console's
        form opened), else now. A phone call that waited in a queue says when it was
        offered; one the caller left gives `abandoned_at`, and is closed at once with no
        handler or outcome. A console that opens it holds it (`holder`, until
        `held_until`) so that no other console offers it for resume.

        The contact is linked to its person in the same transaction (people/index.py:
        an exact key, else the person the handler confirmed, else a new person), and the
        handler's decision on a possible match is kept with it."""
        now = self._clock()
        answered = new.answered_at or now
        # a call taken by hand (no queue the console knows of) has no offer time: its wait
        # is not known, and the queue figures leave it out rather than count it as nought
        offered = new.offered_at
        received = offered or answered
        contact_id = contact_id or new_contact_id(received)
        phone = new.channel == "phone"
        nhs = normalise_nhs_number(new.subject_nhs_number) if new.subject_nhs_number else None
        with unit(self._sessions) as session:
            person = person_index.link(session, details_of(new), new.person_decision, now)
            session.flush()  # a new person first: the contact refers to it
            # Core, as a step is written (on SQLite straight to the driver): the ORM's
            # flush of one row cost more than the row
            values: dict[str, Any] = dict(
                id=contact_id,
                channel=new.channel,
                caller_type=new.caller_type,
                caller_key=caller_key(new.caller),
                caller_name=new.caller_name or None,
                subject_key=subject_key(
                    nhs, new.subject_name, new.subject_dob, new.subject_postcode
                ),
                subject_name=new.subject_name or None,
                subject_dob=new.subject_dob,
                subject_postcode=normalise_postcode(new.subject_postcode)
                if new.subject_postcode
                else None,
                subject_nhs_number=nhs,
                language=new.language or None,
                interpreter_needed=new.interpreter_needed,
                caller_is_person=new.caller_is_person,
                consent_record=new.consent_record,
                consent_share=new.consent_share,
                queue=new.queue,
                handler=None if abandoned_at else new.handler,
                received_at=received if phone else answered,
                offered_at=offered if phone else None,
                answered_at=answered if phone and not abandoned_at else None,
                abandoned_at=abandoned_at,
                status="closed" if abandoned_at else "open",
                held_by=None if abandoned_at else holder,
                held_until=None if abandoned_at else held_until,
                person_id=person.person_id if person else None,
                person_link=person.by if person else None,
            )
            history, read = self._added_then_history(session, values, history_since, read_with)
            if new.person_decision is not None:
                session.add(decision_row(contact_id, new.person_decision))
            audit = self._pending()
            if audit is not None:
                about = Concerns(
                    contact_id=contact_id,
                    person_id=person.person_id if person else None,
                    detail="abandoned in the queue" if abandoned_at else None,
                )
                audit.add(AuditEvent.CONTACT_CREATED, about)
                if abandoned_at:
                    audit.add(AuditEvent.CONTACT_CLOSED, about)
                audit.write(session)
        return contact_id, values, history, read

    @staticmethod
    def _added_then_history(
        session: Session,
        values: dict[str, Any],
        since: dt.datetime | None,
        read_with: ReadWith | None,
    ) -> tuple[list[Contact], list[Any] | None]:
        """The new contact's row added; then, with `since`, its history read (none
        without), on PostgreSQL the look-up sent with the INSERT, and `read_with`'s read
        after it (its rows; None when it was not sent)."""
        connection = session.connection()
        keys = ContactKeys(values["caller_key"], values["subject_key"], values["person_id"])
        lookup = None
        if since is not None:
            lookup = _history_lookup(*keys, since, exclude=values["id"])
        ids: list[str] = []
        reads: list[RawRead] = []
        extra = extra_rows = None
        if connection.dialect.name == "postgresql":
            reads = [RawRead(*compiled(connection.dialect, *lookup))] if lookup else []
            extra = read_with(connection.dialect, keys) if read_with is not None else None
            reads += [extra] if extra is not None else []
        if reads:
            first = [values_insert(connection, rows.CONTACTS, [values])]
            found = read_together(connection, reads, first)
            ids = [row.id for row in found[0]] if lookup else []
            extra_rows = found[-1] if extra is not None else None
        else:
            rows.add_many(connection, rows.CONTACTS, [values])
            if lookup is not None:
                ids = list(connection.execute(*lookup).scalars())
        # no ids: nothing read (a first call's caller, or none to look up by)
        return read_contacts(connection, ids, steps=False), extra_rows

    # the same writes, made and applied at once (loaders, the simulation, tests)
    def _now_write(self) -> tuple[str, dt.datetime]:
        return new_step_id(), self._clock()

    def record_step(
        self,
        contact_id: str,
        step: StepTaken,
        ends: Sequence[ScriptEnd] = (),
        withdraw_ends: int = 0,
    ) -> None:
        """An answer, a step back or an escalation, together with the script ends it
        reached (or, going back, the ends it left): all or nothing, so the record never
        holds an answer without the end it led to."""
        step_id, at = self._now_write()
        self.apply(StepWrite(step_id, contact_id, at, None, step, tuple(ends), withdraw_ends))

    def record_end(self, contact_id: str, end: ScriptEnd) -> None:
        """A script end on its own (contacts loaded from elsewhere, tests)."""
        with unit(self._sessions) as session:
            row = self._open_contact(session, contact_id)
            self._add_end(rows.RowsAtOnce(session.connection()), contact_id, end, self._clock())
            self._audit_now(
                session,
                AuditEvent.CONTACT_CHANGED,
                Concerns(contact_id=contact_id, person_id=row.person_id, detail="end"),
            )

    def set_category(self, contact_id: str, category: str) -> None:
        with unit(self._sessions) as session:
            row = self._open_contact(session, contact_id)
            row.category = category
            self._audit_now(
                session,
                AuditEvent.CONTACT_CHANGED,
                Concerns(contact_id=contact_id, person_id=row.person_id, detail="category"),
            )

    def record_search(self, contact_id: str, query: str, results: list[str]) -> str:
        """A directory search and the services it showed; nothing chosen yet. Returns the
        search's step id, which `choose_service` takes."""
        step_id, at = self._now_write()
        self.apply(SearchWrite(step_id, contact_id, at, None, query, tuple(results)))
        return step_id

    def choose_service(
        self,
        contact_id: str,
        service_id: str,
        service_name: str,
        action: Action,
        search_step_id: str | None = None,
    ) -> None:
        step_id, at = self._now_write()
        self.apply(
            ServiceWrite(
                step_id, contact_id, at, None, service_id, service_name, action, search_step_id
            )
        )

    def mark_ended(self, contact_id: str) -> None:
        """The call itself ended (wrap-up starts); the first time counts."""
        step_id, at = self._now_write()
        self.apply(CallEndedWrite(step_id, contact_id, at, None))

    def wrap_up(self, contact_id: str, wrap: WrapUp) -> None:
        step_id, at = self._now_write()
        self.apply(WrapUpWrite(step_id, contact_id, at, None, wrap))

    def close_incomplete(self, contact_id: str, notes: str = "", holder: str | None = None) -> None:
        """A contact that was never finished (the console was closed mid-call): only one
        that no other running console holds."""
        with unit(self._sessions) as session:
            row = self._open_contact(session, contact_id)
            if self._held_by_other(row.held_by, row.held_until, holder):
                raise ContactTaken(contact_id)
            row.outcome = "incomplete"
            row.demand = None
            row.notes = notes or row.notes
            row.ended_at = row.ended_at or self._clock()
            row.wrap_ended_at = self._clock()
            row.status = "closed"
            row.held_by = row.held_until = None
            self._audit_now(
                session,
                AuditEvent.CONTACT_CLOSED,
                Concerns(contact_id=contact_id, person_id=row.person_id, detail="incomplete"),
            )

    # --- reading ----------------------------------------------------------------------
    def contact(self, contact_id: str) -> Contact:
        with self._sessions() as session:
            found = read_contacts(session.connection(), [contact_id])
        if not found:
            raise RecordError(f"there is no contact {contact_id}")
        return found[0]

    def unfinished(self, handler: str | None = None, holder: str | None = None) -> list[Contact]:
        """Contacts left open by a console that has gone (it stopped mid-call, and its
        lease has lapsed, or `holder` took it over), oldest first. A contact another
        running console has open is not here."""
        now = self._clock()
        free = [ContactRow.held_until.is_(None), ContactRow.held_until <= now]
        if holder is not None:
            free.append(ContactRow.held_by == holder)
        query = select(ContactRow.id).where(ContactRow.status == "open", or_(*free))
        if handler is not None:
            query = query.where(ContactRow.handler == handler)
        with self._sessions() as session:
            ids = session.scalars(query.order_by(ContactRow.received_at)).all()
            return read_contacts(session.connection(), ids)

    def history(
        self,
        caller: str | None,
        subject: str | None,
        since: dt.datetime,
        exclude: str | None = None,
        person: str | None = None,
    ) -> list[Contact]:
        """Earlier contacts from this caller or about this person (their person in the
        index, or their exact subject key), newest first: where a repeat is looked for.
        Each with its ends and services, what a call screen shows of it and a repeat or
        a chase is judged by; its answers, searches and person decisions are not read
        (`contact` reads one whole): a caller who rings often has many contacts, and
        their answers were most of what every one of their calls read as it started."""
        lookup = _history_lookup(caller, subject, person, since, exclude)
        if lookup is None:
            return []
        with self._sessions() as session:
            connection = session.connection()
            ids = connection.execute(*lookup).scalars().all()
            return read_contacts(connection, ids, steps=False)

    def count_about(self, person_id: str) -> int:
        """How many contacts the record holds about this person, ever."""
        query = select(func.count()).select_from(ContactRow)
        with self._sessions() as session:
            return int(session.scalar(query.where(ContactRow.person_id == person_id)) or 0)

    def count_since(self, since: dt.datetime, handler: str | None = None) -> int:
        query = select(func.count()).select_from(ContactRow).where(ContactRow.received_at >= since)
        if handler is not None:
            query = query.where(ContactRow.handler == handler)
        with self._sessions() as session:
            return int(session.scalar(query) or 0)

    def last_received(self) -> dt.datetime | None:
        """When the latest contact the record holds was received (None: it holds none)."""
        with self._sessions() as session:
            return session.scalar(select(func.max(ContactRow.received_at)))

    def all_contacts(self) -> Iterator[Contact]:
        with self._sessions() as session:
            # by id too: contacts received in the same second come out in one order everywhere
            query = select(ContactRow).order_by(ContactRow.received_at, ContactRow.id)
            for row in session.scalars(query):
                yield to_contact(row)
