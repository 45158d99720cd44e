"""Applying a call's writes to the record: each write with its receipt, all or nothing,
exactly once however often a journal is replayed; and the lease a console holds on the
contact it has open. `Record` (record.py) builds on this with starting, reading and the
writes made at once."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar, cast

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, lazyload, sessionmaker

from frontdoor.access.audit import Actor, AuditEvent, AuditTrail, Concerns, PendingAudit
from frontdoor.db.engine import unit
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
from frontdoor.interactions.tables import (
    AnswerRow,
    ContactChild,
    ContactRow,
    ContactServiceRow,
    EndRow,
    SearchRow,
    StepReceiptRow,
)
from frontdoor.local_time import Clock

Row = TypeVar("Row", bound=ContactChild)


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
# which adds what it did to the transaction's audit rows (None: not audited).
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

    def _closed(self, session: Session, row: ContactRow, audit: PendingAudit | None) -> None:
        """A contact was wrapped up (Record gives the hook the contact as it now is)."""

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

    def _add_in(
        self,
        session: Session,
        contact_id: str,
        row_type: type[Row],
        at: dt.datetime,
        **values: Any,
    ) -> Row:
        """A row that belongs to an open contact, next in its order, at the time given."""
        # the mapped classes take their columns as keywords; the mixin alone does not say so
        row: Row = cast(Any, row_type)(
            contact_id=contact_id,
            seq=self._next_seq(session, row_type, contact_id),
            at=at,
            **values,
        )
        session.add(row)
        session.flush()
        return row

    @staticmethod
    def _next_seq(session: Session, table: type, contact_id: str) -> int:
        current = session.scalar(
            select(func.max(table.seq)).where(table.contact_id == contact_id)  # type: ignore[attr-defined]
        )
        return (current or 0) + 1

    def apply(self, write: ContactWrite) -> bool:
        """Apply one write of a call with its receipt, all or nothing. False when the write
        was already applied (a journal replayed twice): nothing is written again.

        Raises ContactTaken when another console holds the contact, or closed it."""
        try:
            with unit(self._sessions) as session:
                # the receipt goes in first: a write already applied fails here, on its
                # primary key, before anything else is checked or written
                session.add(
                    StepReceiptRow(
                        step_id=write.step_id,
                        contact_id=write.contact_id,
                        kind=_KINDS[type(write)],
                        at=write.at,
                    )
                )
                session.flush()
                row = self._writable(session, write)
                audit = self._pending(write.by)
                if audit is not None:
                    audit.add(*_audited(write, row.person_id))
                self._apply_in(session, row, write, audit)
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

    def _writable(self, session: Session, write: ContactWrite) -> ContactRow:
        row = session.get(ContactRow, write.contact_id, options=[lazyload("*")])
        if row is None:
            raise RecordError(f"there is no contact {write.contact_id}")
        if write.holder is not None:
            if self._held_by_other(row, write.holder) or row.status != "open":
                raise ContactTaken(write.contact_id)
        elif row.status != "open":
            raise RecordError(f"contact {write.contact_id} is already closed")
        return row

    def _held_by_other(self, row: ContactRow, holder: str | None) -> bool:
        return (
            row.held_by is not None
            and row.held_by != holder
            and row.held_until is not None
            and row.held_until > self._clock()
        )

    def _apply_in(
        self, session: Session, row: ContactRow, write: ContactWrite, audit: PendingAudit | None
    ) -> None:
        contact_id, at = write.contact_id, write.at
        if isinstance(write, StepWrite):
            for step in (write.step, *write.decided):
                self._add_step(session, contact_id, step, at)
            if write.withdraw_ends:
                current = session.scalars(
                    select(EndRow)
                    .where(EndRow.contact_id == contact_id, EndRow.current.is_(True))
                    .order_by(EndRow.seq.desc())
                    .limit(write.withdraw_ends)
                )
                for end_row in current:
                    end_row.current = False  # kept for the audit, no longer counted
            for end in write.ends:
                self._add_end(session, contact_id, end, at)
        elif isinstance(write, SearchWrite):
            self._add_in(
                session,
                contact_id,
                SearchRow,
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
                session.execute(
                    update(SearchRow)
                    .where(
                        SearchRow.step_id == write.search_step_id,
                        SearchRow.contact_id == contact_id,
                    )
                    .values(chosen=write.service_id)
                )
            self._add_in(
                session,
                contact_id,
                ContactServiceRow,
                at,
                service_id=write.service_id,
                service_name=write.service_name,
                action=write.action,
            )
        elif isinstance(write, ServiceTakenBackWrite):
            self._take_back(session, write)
        elif isinstance(write, CallEndedWrite):
            row.ended_at = row.ended_at or at
        elif isinstance(write, NotesWrite):
            row.notes = write.notes or None
        else:
            wrap = write.wrap
            row.outcome = wrap.outcome
            row.demand = wrap.demand
            row.notes = wrap.notes or None
            if wrap.category:
                row.category = wrap.category
            row.ended_at = row.ended_at or at
            row.wrap_ended_at = at
            row.status = "closed"
            row.held_by = row.held_until = None
            self._closed(session, row, audit)

    @staticmethod
    def _take_back(session: Session, write: ServiceTakenBackWrite) -> None:
        """The latest of the contact's services with this id and action still counted is
        marked taken back (the row stays, for the audit)."""
        taken = session.scalars(
            select(ContactServiceRow)
            .where(
                ContactServiceRow.contact_id == write.contact_id,
                ContactServiceRow.service_id == write.service_id,
                ContactServiceRow.action == write.action,
                ContactServiceRow.withdrawn_at.is_(None),
            )
            .order_by(ContactServiceRow.seq.desc())
            .limit(1)
        ).first()
        if taken is None:
            raise RecordError(
                f"contact {write.contact_id} has no service {write.service_id} "
                f"{write.action} to take back"
            )
        taken.withdrawn_at = write.at

    def _add_step(
        self, session: Session, contact_id: str, step: StepTaken, at: dt.datetime
    ) -> None:
        text, many = answer_text(step.answer)
        self._add_in(
            session,
            contact_id,
            AnswerRow,
            at,
            script=step.script,
            version=step.version,
            node=step.node,
            kind=step.kind,
            answer=text,
            many=many,
            wording=step.wording,
        )

    def _add_end(self, session: Session, contact_id: str, end: ScriptEnd, at: dt.datetime) -> None:
        self._add_in(
            session,
            contact_id,
            EndRow,
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
