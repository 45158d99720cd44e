"""Applying a call's writes to the record: each write with its receipt, all or nothing,
exactly once however often a journal is replayed; and the lease a console holds on the
contact it has open. `Record` (record.py) builds on this with starting, reading and the
writes made at once."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any, cast

from sqlalchemy import Connection, Row, Select, or_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, lazyload, sessionmaker

from frontdoor.access.audit import Actor, AuditEvent, AuditTrail, Concerns, PendingAudit
from frontdoor.db.engine import unit
from frontdoor.db.pipeline import send_later
from frontdoor.interactions import contact_rows as rows
from frontdoor.interactions.model import (
    ACTIONS,
    CallEndedWrite,
    Contact,
    ContactWrite,
    NotesWrite,
    ScriptEnd,
    SearchWrite,
    ServiceTakenBackWrite,
    ServiceWrite,
    StepTaken,
    StepWrite,
    WrapUpWrite,
    answer_text,
)
from frontdoor.interactions.tables import ContactRow, StepReceiptRow
from frontdoor.local_time import Clock


class RecordError(Exception):
    """An action the record refuses (unknown contact, contact already closed)."""


class ContactTaken(RecordError):
    """Another console has this contact open, or closed it, so this console may not write
    to it (its writes are kept in its journal instead)."""

    def __init__(self, contact_id: str) -> None:
        super().__init__(f"contact {contact_id} is open on another console, or was closed there")
        self.contact_id = contact_id


def new_contact_id(at: dt.datetime) -> str:
    # 64 random bits. With 32, a day of 400 contacts gives two of them the same id with
    # odds of 1 in 54,000: rare at one desk, but across every service, simulation and
    # demo it happens, and the call that draws it fails to start.
    return f"c-{at:%Y%m%d}-{uuid.uuid4().hex[:16]}"


def new_step_id() -> str:
    return str(uuid.uuid4())


_KINDS: dict[type, str] = {
    StepWrite: "step",
    SearchWrite: "search",
    ServiceWrite: "service",
    ServiceTakenBackWrite: "taken_back",
    CallEndedWrite: "ended",
    NotesWrite: "notes",
    WrapUpWrite: "wrap_up",
}


def _audited(write: ContactWrite, person_id: str | None) -> tuple[AuditEvent, Concerns]:
    """The audit row of a write: its kind, never what was answered, typed or searched."""
    service = write.service_id if isinstance(write, ServiceWrite | ServiceTakenBackWrite) else None
    if isinstance(write, WrapUpWrite):
        return AuditEvent.CONTACT_CLOSED, Concerns(
            contact_id=write.contact_id, person_id=person_id, detail=_KINDS[WrapUpWrite]
        )
    return AuditEvent.CONTACT_CHANGED, Concerns(
        contact_id=write.contact_id,
        person_id=person_id,
        service_id=service,
        detail=_KINDS[type(write)],
    )


# What else happens, in the same transaction, when a contact is wrapped up: the
# composition root gives the referrals' maker (interactions knows nothing of referrals),
# which adds what it did to the transaction's audit rows (None: not audited). It is given
# the contact as written, with its services and ends but not its answers, searches or
# person decisions (left empty: every wrap-up runs it, and those are half its reading).
# It is called for every contact that has, or may have, a service referred; a contact
# known to have none (a simulated call's batch that chose none) is not read back for it.
ClosingHook = Callable[[Session, Contact, PendingAudit | None], object]


class ContactWrites:
    """Writes to contacts, over a session factory and an injected clock. With `audit`,
    each change writes its audit rows in its own transaction (the composition root always
    gives it; a benchmark's baseline and tests of other things may not)."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        clock: Clock,
        closing: ClosingHook | None = None,
        audit: AuditTrail | None = None,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._closing = closing
        self.audit = audit

    def _closed(
        self,
        session: Session,
        contact_id: str,
        audit: PendingAudit | None,
        unsent: list[rows.Raw],
    ) -> None:
        """A contact was wrapped up (Record gives the hook the contact as it now is),
        once the statements `unsent` (a batch's last, on PostgreSQL) have run."""
        # nothing reads them here: with the next round trip, when the writer defers them
        send_later(session.connection(), unsent)

    def _pending(self, actor: Actor | None = None) -> PendingAudit | None:
        """The audit rows of one unit of work, written as it ends, at the record's time."""
        if self.audit is None:
            return None
        return self.audit.pending(actor=actor, at=self._clock())

    def stamped(self, write: ContactWrite) -> ContactWrite:
        """The write with who is making it, for a writer that keeps it to apply later (the
        console's outbox): whoever is signed in when it is saved may be someone else."""
        if self.audit is None or write.by is not None:
            return write
        return replace(write, by=self.audit.actor)

    def _open_contact(self, session: Session, contact_id: str) -> ContactRow:
        # writes need the contact row only: its answers, ends and searches stay unloaded
        row = session.get(ContactRow, contact_id, options=[lazyload("*")])
        if row is None:
            raise RecordError(f"there is no contact {contact_id}")
        if row.status != "open":
            raise RecordError(f"contact {contact_id} is already closed")
        return row

    def apply(self, write: ContactWrite) -> bool:
        """Apply one write of a call with its receipt, all or nothing. False when the write
        was already applied (a journal replayed twice): nothing is written again.

        Raises ContactTaken when another console holds the contact, or closed it."""
        try:
            with unit(self._sessions) as session:
                connection = session.connection()
                # the receipt goes in first: a write already applied fails here, on its
                # primary key, before anything else is checked or written
                connection.execute(
                    rows.ADD_RECEIPT,
                    {
                        "step_id": write.step_id,
                        "contact_id": write.contact_id,
                        "kind": _KINDS[type(write)],
                        "at": write.at,
                    },
                )
                person_id = self._writable(connection, write).person_id
                audit = self._pending(write.by)
                if audit is not None:
                    audit.add(*_audited(write, person_id))
                self._apply_in(session, rows.RowsAtOnce(connection), write, audit)
                if audit is not None:
                    audit.write(session)  # last: see append_many
        except IntegrityError:
            # the write was applied before (a journal replayed), or by another applier
            # of the same journal a moment ago: either way its receipt is there
            with self._sessions() as session:
                if session.get(StepReceiptRow, write.step_id) is not None:
                    return False
            raise
        return True

    def apply_all(self, writes: Sequence[ContactWrite]) -> None:
        """A whole simulated call's writes (or the part of it up to a write elsewhere), in
        one transaction: the same rows, receipts and audit rows as applying each in turn,
        each audited at the moment it was made, but with one receipt statement, one
        check of the contact and one executemany per table. Only for writes nobody waits
        on: a write the console makes is applied alone, durable before the screen moves
        on (`apply`). All or nothing; an IntegrityError when one was applied already."""
        if not writes:
            return
        first = writes[0]
        if any(w.contact_id != first.contact_id or w.by != first.by for w in writes):
            raise ValueError("a batch of writes is one contact's, by one person")
        closing = [i for i, w in enumerate(writes) if isinstance(w, WrapUpWrite)]
        if closing and closing[0] != len(writes) - 1:
            # applied in turn, the write after the wrap-up would find the contact closed
            raise RecordError(f"contact {first.contact_id} is already closed")
        receipts = [
            {"step_id": w.step_id, "contact_id": w.contact_id, "kind": _KINDS[type(w)], "at": w.at}
            for w in writes
        ]
        with unit(self._sessions) as session:
            connection = session.connection()
            # On SQLite the receipts' INSERT holds the write lock already, so the contact's
            # last places are read with its check in one statement. Not on PostgreSQL: a
            # FOR UPDATE that waited for another writer would see that writer's row but
            # count its places in the snapshot taken before it waited; there the three
            # statements go in one round trip.
            if connection.dialect.name == "sqlite":
                rows.add_many(connection, rows.RECEIPTS, receipts)
                found = self._writable(connection, first, rows.CONTACT_AND_PLACES)
                places = rows.places_of(found)
            else:
                found, places = rows.receipts_then_contact(connection, receipts, first.contact_id)
                self._may_write(found, first)
            person_id = cast(str | None, found.person_id)
            audit = self._pending(first.by)
            out = rows.GatheredRows(connection, first.contact_id, places)
            for write in writes:
                if audit is not None:
                    audit.add(*_audited(write, person_id), at=write.at)
                self._apply_in(session, out, write, audit)
            out.settle()
            if audit is not None:
                audit.write(session)  # last: see append_many

    def _writable(
        self,
        connection: Connection,
        write: ContactWrite,
        query: Select[Any] = rows.CONTACT_FOR_WRITE,
    ) -> Row[Any]:
        """Whether this write may be made, with its contact locked to the commit (see
        contact_rows): the contact's row as `query` reads it (its person, for the
        audit)."""
        row = connection.execute(query, {"contact_id": write.contact_id}).first()
        self._may_write(row, write)
        assert row is not None
        return row

    def _may_write(self, row: Any, write: ContactWrite) -> None:
        """Whether `write` may be made to the contact whose CONTACT_FOR_WRITE row is
        `row` (None: there is no such contact)."""
        if row is None:
            raise RecordError(f"there is no contact {write.contact_id}")
        if write.holder is not None:
            taken = self._held_by_other(row.held_by, row.held_until, write.holder)
            if taken or row.status != "open":
                raise ContactTaken(write.contact_id)
        elif row.status != "open":
            raise RecordError(f"contact {write.contact_id} is already closed")

    def _held_by_other(
        self, held_by: str | None, held_until: dt.datetime | None, holder: str | None
    ) -> bool:
        return (
            held_by is not None
            and held_by != holder
            and held_until is not None
            and held_until > self._clock()
        )

    def _apply_in(
        self,
        session: Session,
        out: rows.RowsAtOnce,
        write: ContactWrite,
        audit: PendingAudit | None,
    ) -> None:
        contact_id, at = write.contact_id, write.at
        if isinstance(write, StepWrite):
            for step in (write.step, *write.decided):
                self._add_step(out, contact_id, step, at)
            if write.withdraw_ends:
                out.run(rows.WITHDRAW_ENDS, {"of_contact": contact_id, "n": write.withdraw_ends})
            for end in write.ends:
                self._add_end(out, contact_id, end, at)
        elif isinstance(write, SearchWrite):
            out.add(
                rows.SEARCHES,
                contact_id,
                at,
                query=write.query,
                results=list(write.results),
                chosen=None,
                step_id=write.step_id,
            )
        elif isinstance(write, ServiceWrite):
            if write.action not in ACTIONS:
                raise RecordError(f"a service is signposted or referred, not {write.action}")
            if write.search_step_id is not None:
                out.choose_from_search(contact_id, write.search_step_id, write.service_id)
            out.add(
                rows.SERVICES,
                contact_id,
                at,
                service_id=write.service_id,
                service_name=write.service_name,
                action=write.action,
                withdrawn_at=None,
            )
        elif isinstance(write, ServiceTakenBackWrite):
            self._take_back(out, write)
        elif isinstance(write, CallEndedWrite):
            out.call_ended(contact_id, at)
        elif isinstance(write, NotesWrite):
            out.run(rows.CHANGE_CONTACT, {"of_contact": contact_id, "notes": write.notes or None})
        else:
            wrap = write.wrap
            changed: dict[str, object] = {
                "outcome": wrap.outcome,
                "demand": wrap.demand,
                "notes": wrap.notes or None,
                "wrap_ended_at": at,
                "status": "closed",
                "held_by": None,
                "held_until": None,
            }
            if wrap.category:
                changed["category"] = wrap.category
            out.wrap_up(contact_id, at, changed)
            # the hook reads the contact whole: what is kept is written first (on
            # PostgreSQL in the round trip of that read); a batch known to have referred
            # nothing gives the hook nothing to do, and is not read back for it
            if out.may_have_referred():
                self._closed(session, contact_id, audit, out.unsent())
            else:
                send_later(session.connection(), out.unsent())

    @staticmethod
    def _take_back(out: rows.RowsAtOnce, write: ServiceTakenBackWrite) -> None:
        """The latest of the contact's services with this id and action still counted is
        marked taken back (the row stays, for the audit)."""
        taken = out.run(
            rows.LATEST_SERVICE,
            {
                "of_contact": write.contact_id,
                "service_id": write.service_id,
                "action": write.action,
            },
        ).scalar()
        if taken is None:
            raise RecordError(
                f"contact {write.contact_id} has no service {write.service_id} "
                f"{write.action} to take back"
            )
        out.run(rows.TAKE_BACK, {"row_id": taken, "withdrawn_at": write.at})

    @staticmethod
    def _add_step(out: rows.RowsAtOnce, contact_id: str, step: StepTaken, at: dt.datetime) -> None:
        text, many = answer_text(step.answer)
        out.add(
            rows.ANSWERS,
            contact_id,
            at,
            script=step.script,
            version=step.version,
            node=step.node,
            kind=step.kind,
            answer=text,
            many=many,
            wording=step.wording,
        )

    @staticmethod
    def _add_end(out: rows.RowsAtOnce, contact_id: str, end: ScriptEnd, at: dt.datetime) -> None:
        out.add(
            rows.ENDS,
            contact_id,
            at,
            script=end.script,
            version=end.version,
            node=end.node,
            outcome=end.outcome,
            red_flag=end.red_flag,
            code=end.code,
            wording=end.wording,
            current=True,
        )

    # --- leases: a contact belongs to the console that has it open --------------------
    def hold(self, contact_id: str, holder: str, until: dt.datetime) -> bool:
        """Take or renew the lease on an open contact: True when `holder` has it now
        (it was free, had lapsed, or was already theirs); False when another console
        holds it or it is closed. One statement, so two consoles cannot both win."""
        now = self._clock()
        with unit(self._sessions) as session:
            result = session.execute(
                update(ContactRow)
                .where(
                    ContactRow.id == contact_id,
                    ContactRow.status == "open",
                    or_(
                        ContactRow.held_by.is_(None),
                        ContactRow.held_by == holder,
                        ContactRow.held_until.is_(None),
                        ContactRow.held_until <= now,
                    ),
                )
                .values(held_by=holder, held_until=until)
            )
            return bool(cast(Any, result).rowcount)

    def take_over(self, gone: str, holder: str) -> int:
        """The open contacts of a console known to have gone (its journal was left behind
        on this workstation) pass to `holder`: they are offered here at once instead of
        after their lease lapses. Returns how many."""
        with unit(self._sessions) as session:
            result = session.execute(
                update(ContactRow)
                .where(ContactRow.held_by == gone, ContactRow.status == "open")
                .values(held_by=holder)
            )
            return int(cast(Any, result).rowcount or 0)

    def release(self, contact_id: str, holder: str) -> None:
        with unit(self._sessions) as session:
            session.execute(
                update(ContactRow)
                .where(ContactRow.id == contact_id, ContactRow.held_by == holder)
                .values(held_by=None, held_until=None)
            )
