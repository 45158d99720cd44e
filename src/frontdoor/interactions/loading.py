"""Load checked contact lines into the record, all or nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from frontdoor.access.audit import AuditEvent, Concerns, PendingAudit
from frontdoor.db.bulk import among, insert_tuples
from frontdoor.db.chunks import in_chunks
from frontdoor.db.fits import all_fit, misfits
from frontdoor.interactions.export import contact_to_json
from frontdoor.interactions.jsonl import ContactLine, NumberedLine, utc_second
from frontdoor.interactions.model import (
    Answer,
    Answered,
    Contact,
    ScriptEnd,
    Search,
    ServiceUsed,
    answer_text,
)
from frontdoor.interactions.record import to_contact
from frontdoor.interactions.tables import (
    AnswerRow,
    ContactRow,
    ContactServiceRow,
    EndRow,
    SearchRow,
)
from frontdoor.people.index import link_keys
from frontdoor.people.model import LinkedBy
from frontdoor.words import yes_no_label

T = TypeVar("T")


def _text(value: object) -> Answered | None:
    if value is None:
        return None
    if isinstance(value, list):  # a check-all-that-apply answer's labels
        return tuple(str(label) for label in value)
    if isinstance(value, bool):
        return yes_no_label(value)
    return str(value)


def _second(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is dt.UTC and not value.microsecond:
        return value  # most of a file's times (see jsonl._moment)
    return value.astimezone(dt.UTC).replace(microsecond=0)


def contact_from_line(line: ContactLine) -> Contact:
    """The contact a line describes, as the record would hold it."""
    versions = {s.script: s.version for s in line.scripts}
    versions.update({e.script: e.version for e in line.ends if e.script not in versions})
    consent = line.consent
    # Every field set at once through its __dict__ (as _linked_to does), not through the
    # frozen class's __init__, which sets each of its thirty-seven by object.__setattr__
    # (tests/interactions/test_jsonl_at_once.py holds it the contact __init__ makes); and
    # the personal details given, not merged in by without_personal_details
    contact = object.__new__(Contact)
    contact.__dict__.update(
        id=line.id,
        status="closed",
        caller_name=None,
        subject_name=None,
        subject_dob=None,
        subject_postcode=None,
        subject_nhs_number=None,
        language=None,
        interpreter_needed=False,
        channel=line.channel,
        caller_type=line.caller_type,
        caller_key=line.caller_key,
        subject_key=line.subject_key,
        consent_record=consent.record if consent else None,
        consent_share=consent.share if consent else None,
        category=line.category,
        queue=line.queue,
        handler=line.handler,
        received_at=_second(line.received_at),
        offered_at=utc_second(line.offered_at),
        answered_at=utc_second(line.answered_at),
        abandoned_at=utc_second(line.abandoned_at),
        ended_at=utc_second(line.ended_at),
        wrap_ended_at=utc_second(line.wrap_ended_at),
        outcome=line.outcome,
        demand=line.demand,
        notes=line.notes or None,
        answers=[
            Answer(
                a.script,
                versions.get(a.script, 0),
                a.node,
                "answer",
                _text(a.answer),
                _second(a.at),
            )
            for a in line.answers
        ],
        ends=[ScriptEnd(e.script, e.version, e.node, None, e.red_flag) for e in line.ends],
        searches=[
            Search(0, s.query, list(s.results), s.chosen, _second(s.at)) for s in line.searches
        ],
        # numbered as bulk_add numbers the rows: a referral names its service by this
        services=[
            ServiceUsed(s.service, s.service, s.action, seq=i)
            for i, s in enumerate(line.services, start=1)
        ],
        scripts_followed=[(s.script, s.version) for s in line.scripts],
        caller_is_person=False,
        person_id=None,
        person_link=None,
        person_decisions=[],
    )
    return contact


def _same(a: Contact, b: Contact) -> bool:
    return contact_to_json(a) == contact_to_json(b)


@dataclass
class LoadResult:
    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (id, reason)


# where each table's rows sit in a line of the file, for saying which value does not fit
_PLACES: dict[Any, str] = {
    ContactRow: "",
    AnswerRow: "answers",
    EndRow: "ends",
    SearchRow: "searches",
    ContactServiceRow: "services",
}

# the columns named otherwise in the file (a service used is given by its id alone)
_KEYS = {"service_id": "service", "service_name": "service"}


# each table's rows of a contact, by the table's mapped class
Rows = dict[Any, list[dict[str, Any]]]


# Each table's columns in the order `contact_tuples` gives their values (the keys of
# `contact_rows`'s dicts). The contact's person comes last: it is set once the batch is
# linked.
KEYS: dict[Any, tuple[str, ...]] = {
    ContactRow: (
        "id", "status", "channel", "caller_type", "caller_key", "caller_name", "subject_key",
        "subject_name", "subject_dob", "subject_postcode", "subject_nhs_number", "language",
        "interpreter_needed", "consent_record", "consent_share", "category", "queue",
        "handler", "received_at", "offered_at", "answered_at", "abandoned_at", "ended_at",
        "wrap_ended_at", "outcome", "demand", "notes", "scripts", "person_id", "person_link",
    ),
    AnswerRow: (
        "contact_id", "seq", "script", "version", "node", "kind", "answer", "many", "wording",
        "at",
    ),
    EndRow: (
        "contact_id", "seq", "script", "version", "node", "outcome", "red_flag", "code",
        "wording", "at", "current",
    ),
    SearchRow: ("contact_id", "seq", "query", "results", "chosen", "at"),
    ContactServiceRow: ("contact_id", "seq", "service_id", "service_name", "action", "at"),
}  # fmt: skip

# each table's rows of a contact as tuples of the values of KEYS, by the table's class
Tuples = dict[Any, list[tuple[Any, ...]]]


def contact_tuples(c: Contact) -> Tuples:
    """The rows of each table that hold the contact, as tuples of the values of KEYS,
    no dict a row: how an import writes a contact (a month's file is some 90,000 rows,
    and making, checking and reading back a dict each was a fifth of its time)."""
    cid = c.id
    at_end = c.wrap_ended_at or c.ended_at or c.received_at
    return {
        ContactRow: [
            (
                cid, "closed", c.channel, c.caller_type, c.caller_key, None, c.subject_key,
                None, None, None, None, None, False, c.consent_record, c.consent_share,
                c.category, c.queue, c.handler, c.received_at, c.offered_at, c.answered_at,
                c.abandoned_at, c.ended_at, c.wrap_ended_at, c.outcome, c.demand, c.notes,
                [{"script": s, "version": v} for s, v in c.scripts], c.person_id,
                c.person_link,
            )
        ],
        AnswerRow: [
            (cid, i, a.script, a.version, a.node, a.kind, *answer_text(a.answer), a.wording, a.at)
            for i, a in enumerate(c.answers, start=1)
        ],
        EndRow: [
            (cid, i, e.script, e.version, e.node, e.outcome, e.red_flag, e.code, e.wording,
             at_end, True)
            for i, e in enumerate(c.ends, start=1)
        ],
        SearchRow: [
            (cid, i, s.query, s.results, s.chosen, s.at) for i, s in enumerate(c.searches, start=1)
        ],
        ContactServiceRow: [
            (cid, i, s.service_id, s.service_name, s.action, at_end)
            for i, s in enumerate(c.services, start=1)
        ],
    }  # fmt: skip


def contact_rows(c: Contact) -> Rows:
    """`contact_tuples` as dicts by column: what a refusal is worded from."""
    return {
        table: [dict(zip(KEYS[table], row, strict=True)) for row in rows]
        for table, rows in contact_tuples(c).items()
    }


def line_misfits(contact: Contact, tuples: Tuples) -> list[str]:
    """`contact_misfits` of a line's contact (its text kept: jsonl._checked looked), from
    its tuples: at once when everything fits, as most lines do; else in words, from its
    rows."""
    if all(all_fit(table.__table__, KEYS[table], rows) for table, rows in tuples.items()):
        return []
    return contact_misfits(contact, contact_rows(contact), text_kept=True)


def contact_misfits(
    contact: Contact, rows: Rows | None = None, text_kept: bool = False
) -> list[str]:
    """What in the contact the record's columns cannot keep, in the file's terms: the
    same verdict on SQLite as on PostgreSQL (db/fits.py). `rows`: its rows, when made;
    `text_kept`: its text is known to be keepable (a line of a file, once read: see
    jsonl._checked), so only lengths and numbers are judged."""
    found: list[str] = []
    for table, kept in (rows or contact_rows(contact)).items():
        place = _PLACES[table]
        for index, row in enumerate(kept):
            for name, why in misfits(table.__table__, row, text_kept):
                where = f"{place}.{index}." if place else ""
                found.append(f"{where}{_KEYS.get(name, name)}: {why}")
    return found


def bulk_add(session: Session, contacts: Iterable[Contact]) -> int:
    """Insert new contacts and everything in them with a few executemany statements:
    for loading files and building benchmark years, where one INSERT a row is too slow."""
    return add_tuples(session, (contact_tuples(c) for c in contacts))


def add_tuples(session: Session, contacts: Iterable[Tuples]) -> int:
    """As `bulk_add`, each contact given as its tuples (`contact_tuples`)."""
    tables: Tuples = {table: [] for table in _PLACES}
    count = 0
    for c in contacts:
        count += 1
        for table, rows in c.items():
            tables[table] += rows
    connection = session.connection()
    for table, rows in tables.items():
        # straight to the driver (db/bulk.py): SQLAlchemy's per-value processing cost
        # nearly as much as SQLite's own work
        insert_tuples(connection, table.__table__, KEYS[table], rows)
    return count


@dataclass(frozen=True)
class Loaded:
    """A line of the file and its contact as the record now holds it."""

    line: ContactLine
    contact: Contact
    new: bool  # added by this load (else it was held already, unchanged)
    number: int = 0  # its line in the file


class RolledBack(Exception):
    """Raised inside a load's transaction to end it undone: something was refused."""


class ContactBatches:
    """A file's contacts loaded a batch at a time in the caller's one transaction, so that
    only a batch is in hand however long the file: each batch is looked up first (a
    contact held with the same content is unchanged; one whose id is held with other
    content is refused, and then the caller adds nothing more and rolls back), then its
    new contacts are linked to their people and inserted with executemany statements.
    With `audit`, each contact added is audited as closed (`write_audit`, at the end)."""

    def __init__(self, audit: PendingAudit | None = None) -> None:
        self.result = LoadResult()
        self.audit = audit
        self.tuples: dict[str, Tuples] = {}  # the batch's contacts' rows, by contact id

    def check(
        self,
        session: Session,
        lines: list[NumberedLine],
        built: list[tuple[Contact, Tuples]] | None = None,
    ) -> list[Loaded]:
        """The batch's lines as they would load (a new contact not yet linked to its
        person); a line refused is noted in `result.refused` and left out. `built`: the
        lines' contacts and their rows, when checking them made them already."""
        if built is None:
            built = [
                (c, contact_tuples(c)) for c in map(contact_from_line, (n.line for n in lines))
            ]
        contacts = [contact for contact, _ in built]
        self.tuples = {contact.id: rows for contact, rows in built}
        held = {
            r.id: r
            for r in session.scalars(
                select(ContactRow).where(
                    among(session.get_bind().dialect, ContactRow.id, [c.id for c in contacts])
                )
            )
        }
        loaded: list[Loaded] = []
        for n, contact in zip(lines, contacts, strict=True):
            row = held.get(contact.id)
            if row is None:
                loaded.append(Loaded(n.line, contact, True, n.number))
            elif _same(held_contact := to_contact(row), contact):
                self.result.unchanged.append(contact.id)
                loaded.append(Loaded(n.line, held_contact, False, n.number))
            else:
                self.result.refused.append(
                    (contact.id, "this id is already held with other content (ids are not reused)")
                )
        return loaded

    def add(self, session: Session, loaded: list[Loaded]) -> list[Loaded]:
        """Insert the batch's new contacts; the batch as the record now holds it."""
        linked = iter(linked_by_key(session, [item.contact for item in loaded if item.new]))
        now = [replace(item, contact=next(linked)) if item.new else item for item in loaded]
        add_tuples(session, (self._linked_tuples(item.contact) for item in now if item.new))
        self.tuples = {}
        for item in now:
            if not item.new:
                continue
            self.result.added.append(item.contact.id)
        return now

    def write_audit(self, session: Session, chunk: int = 2000) -> None:
        """Audit each contact added as closed (it arrives finished), last, `chunk` rows
        a statement: who each is about is read back from the record rather than kept
        from the batches, so the load holds no more than their ids however long the file."""
        if self.audit is None:
            return
        for part in in_chunks(self.result.added, chunk):
            query = select(ContactRow.id, ContactRow.person_id).where(
                among(session.get_bind().dialect, ContactRow.id, part)
            )
            people: dict[str, str | None] = {cid: pid for cid, pid in session.execute(query)}
            for contact_id in part:
                self.audit.add(
                    AuditEvent.CONTACT_CLOSED,
                    Concerns(
                        contact_id=contact_id, person_id=people[contact_id], detail="imported"
                    ),
                )
            self.audit.write(session)

    def _linked_tuples(self, contact: Contact) -> Tuples:
        """The rows `check` made of the contact, with the person it is now linked to (made
        now if it did not keep them)."""
        rows = self.tuples.get(contact.id)
        if rows is None:
            return contact_tuples(contact)
        (row,) = rows[ContactRow]
        rows[ContactRow] = [(*row[:-2], contact.person_id, contact.person_link)]
        return rows


def load_contacts(
    sessions: sessionmaker[Session], lines: Iterable[ContactLine], chunk: int = 2000
) -> LoadResult:
    """Add the new contacts of lines already checked, all or nothing (see ContactBatches):
    with one refused, nothing is loaded."""
    batches = ContactBatches()
    try:
        with sessions() as session, session.begin():
            numbered = (NumberedLine(n, line) for n, line in enumerate(lines, start=1))
            for part in in_chunks(numbered, chunk):
                loaded = batches.check(session, part)
                if not batches.result.refused:
                    batches.add(session, loaded)
            if batches.result.refused:
                raise RolledBack  # leaves the transaction, which rolls it back
    except RolledBack:
        batches.result.added.clear()
    return batches.result


def linked_by_key(session: Session, contacts: list[Contact]) -> list[Contact]:
    """The contacts, each with the person of its subject key (new people for keys nobody
    holds yet). Loaded contacts carry no names or dates of birth to score, and a file's
    keys are the only identity it vouches for: they link exactly, or not at all."""
    last_seen: dict[str, dt.datetime] = {}
    for c in contacts:
        if c.subject_key:
            last_seen[c.subject_key] = max(
                c.received_at, last_seen.get(c.subject_key, c.received_at)
            )
    people = link_keys(session, last_seen) if last_seen else {}
    return [
        _linked_to(c, people[c.subject_key], LinkedBy.SUBJECT_KEY) if c.subject_key else c
        for c in contacts
    ]


def _linked_to(contact: Contact, person_id: str, link: str) -> Contact:
    """`replace(contact, person_id=..., person_link=...)` for a contact just made from a
    line: its fields copied as they are, two of them set. dataclasses.replace passes all
    thirty-seven through __init__ again, a twentieth of an import for two values."""
    linked = object.__new__(Contact)
    linked.__dict__.update(contact.__dict__, person_id=person_id, person_link=link)
    return linked
