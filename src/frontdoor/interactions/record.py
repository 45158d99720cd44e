"""Units of work on the record. Every call commits at once: if the console is killed
mid-call, everything answered so far is already in the database."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar, cast

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, lazyload, sessionmaker

from frontdoor.interactions.model import (
    ACTIONS,
    Action,
    Answer,
    CallEndedWrite,
    Contact,
    ContactWrite,
    NewContact,
    NotesWrite,
    ScriptEnd,
    Search,
    SearchWrite,
    ServiceUsed,
    ServiceWrite,
    StepKind,
    StepTaken,
    StepWrite,
    WrapUp,
    WrapUpWrite,
)
from frontdoor.interactions.people import (
    caller_key,
    normalise_nhs_number,
    normalise_postcode,
    subject_key,
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
    return f"c-{at:%Y%m%d}-{uuid.uuid4().hex[:8]}"


def new_step_id() -> str:
    return str(uuid.uuid4())


_KINDS: dict[type, str] = {
    StepWrite: "step",
    SearchWrite: "search",
    ServiceWrite: "service",
    CallEndedWrite: "ended",
    NotesWrite: "notes",
    WrapUpWrite: "wrap_up",
}


def to_contact(row: ContactRow) -> Contact:
    return Contact(
        id=row.id,
        status=row.status,
        channel=row.channel,
        caller_type=row.caller_type,
        caller_key=row.caller_key,
        caller_name=row.caller_name,
        subject_key=row.subject_key,
        subject_name=row.subject_name,
        subject_dob=row.subject_dob,
        subject_postcode=row.subject_postcode,
        subject_nhs_number=row.subject_nhs_number,
        language=row.language,
        interpreter_needed=row.interpreter_needed,
        consent_record=row.consent_record,
        consent_share=row.consent_share,
        category=row.category,
        queue=row.queue,
        handler=row.handler,
        received_at=row.received_at,
        offered_at=row.offered_at,
        answered_at=row.answered_at,
        abandoned_at=row.abandoned_at,
        ended_at=row.ended_at,
        wrap_ended_at=row.wrap_ended_at,
        outcome=row.outcome,
        demand=row.demand,
        notes=row.notes,
        answers=[
            Answer(a.script, a.version, a.node, cast(StepKind, a.kind), a.answer, a.at)
            for a in row.answers
        ],
        ends=[
            ScriptEnd(e.script, e.version, e.node, e.outcome, e.red_flag, e.at)
            for e in row.ends
            if e.current
        ],
        searches=[
            Search(s.id, s.query, list(s.results), s.chosen, s.at, s.step_id) for s in row.searches
        ],
        scripts_followed=[(s["script"], s["version"]) for s in row.scripts]
        if row.scripts is not None
        else None,
        services=[
            ServiceUsed(s.service_id, s.service_name, cast(Action, s.action)) for s in row.services
        ],
    )


class Record:
    """The record of contacts, over a session factory and an injected clock."""

    def __init__(self, sessions: sessionmaker[Session], clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    @contextmanager
    def _unit(self) -> Iterator[Session]:
        with self._sessions() as session, session.begin():
            yield session

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

    # --- a call, from start to wrap-up ----------------------------------------------
    def start_contact(
        self,
        new: NewContact,
        abandoned_at: dt.datetime | None = None,
        *,
        contact_id: str | None = None,
        holder: str | None = None,
        held_until: dt.datetime | None = None,
    ) -> str:
        """A contact from the moment it is answered (now). A phone call that waited in a
        queue says when it was offered; one the caller left gives `abandoned_at`, and is
        closed at once with no handler or outcome. A console that opens it holds it
        (`holder`, until `held_until`) so that no other console offers it for resume."""
        now = self._clock()
        offered = new.offered_at or now
        contact_id = contact_id or new_contact_id(offered)
        phone = new.channel == "phone"
        nhs = normalise_nhs_number(new.subject_nhs_number) if new.subject_nhs_number else None
        with self._unit() as session:
            session.add(
                ContactRow(
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
                    consent_record=new.consent_record,
                    consent_share=new.consent_share,
                    queue=new.queue,
                    handler=None if abandoned_at else new.handler,
                    received_at=offered if phone else now,
                    offered_at=offered if phone else None,
                    answered_at=now if phone and not abandoned_at else None,
                    abandoned_at=abandoned_at,
                    status="closed" if abandoned_at else "open",
                    held_by=None if abandoned_at else holder,
                    held_until=None if abandoned_at else held_until,
                )
            )
        return contact_id

    def apply(self, write: ContactWrite) -> bool:
        """Apply one write of a call with its receipt, all or nothing. False when the write
        was already applied (a journal replayed twice): nothing is written again.

        Raises ContactTaken when another console holds the contact, or closed it."""
        try:
            with self._unit() as session:
                if session.get(StepReceiptRow, write.step_id) is not None:
                    return False
                row = self._writable(session, write)
                session.add(
                    StepReceiptRow(
                        step_id=write.step_id,
                        contact_id=write.contact_id,
                        kind=_KINDS[type(write)],
                        at=write.at,
                    )
                )
                self._apply_in(session, row, write)
        except IntegrityError:
            # two appliers of one journal at once: the other one's receipt won
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

    def _apply_in(self, session: Session, row: ContactRow, write: ContactWrite) -> None:
        contact_id, at = write.contact_id, write.at
        if isinstance(write, StepWrite):
            step = write.step
            self._add_in(
                session,
                contact_id,
                AnswerRow,
                at,
                script=step.script,
                version=step.version,
                node=step.node,
                kind=step.kind,
                answer=step.answer,
            )
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
            current=True,
        )

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
        with self._unit() as session:
            self._open_contact(session, contact_id)
            self._add_end(session, contact_id, end, self._clock())

    def set_category(self, contact_id: str, category: str) -> None:
        with self._unit() as session:
            self._open_contact(session, contact_id).category = category

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
        with self._unit() as session:
            row = self._open_contact(session, contact_id)
            if self._held_by_other(row, holder):
                raise ContactTaken(contact_id)
            row.outcome = "incomplete"
            row.demand = None
            row.notes = notes or row.notes
            row.ended_at = row.ended_at or self._clock()
            row.wrap_ended_at = self._clock()
            row.status = "closed"
            row.held_by = row.held_until = None

    # --- leases: a contact belongs to the console that has it open --------------------
    def hold(self, contact_id: str, holder: str, until: dt.datetime) -> bool:
        """Take or renew the lease on an open contact: True when `holder` has it now
        (it was free, had lapsed, or was already theirs); False when another console
        holds it or it is closed. One statement, so two consoles cannot both win."""
        now = self._clock()
        with self._unit() as session:
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
        with self._unit() as session:
            result = session.execute(
                update(ContactRow)
                .where(ContactRow.held_by == gone, ContactRow.status == "open")
                .values(held_by=holder)
            )
            return int(cast(Any, result).rowcount or 0)

    def release(self, contact_id: str, holder: str) -> None:
        with self._unit() as session:
            session.execute(
                update(ContactRow)
                .where(ContactRow.id == contact_id, ContactRow.held_by == holder)
                .values(held_by=None, held_until=None)
            )

    # --- reading ----------------------------------------------------------------------
    def contact(self, contact_id: str) -> Contact:
        with self._sessions() as session:
            row = session.get(ContactRow, contact_id)
            if row is None:
                raise RecordError(f"there is no contact {contact_id}")
            return to_contact(row)

    def unfinished(self, handler: str | None = None, holder: str | None = None) -> list[Contact]:
        """Contacts left open by a console that has gone (it stopped mid-call, and its
        lease has lapsed, or `holder` took it over), oldest first. A contact another
        running console has open is not here."""
        now = self._clock()
        free = [ContactRow.held_until.is_(None), ContactRow.held_until <= now]
        if holder is not None:
            free.append(ContactRow.held_by == holder)
        query = select(ContactRow).where(ContactRow.status == "open", or_(*free))
        if handler is not None:
            query = query.where(ContactRow.handler == handler)
        with self._sessions() as session:
            return [to_contact(r) for r in session.scalars(query.order_by(ContactRow.received_at))]

    def history(
        self,
        caller: str | None,
        subject: str | None,
        since: dt.datetime,
        exclude: str | None = None,
    ) -> list[Contact]:
        """Earlier contacts from this caller or about this person, newest first."""
        keys = []
        if caller:
            keys.append(ContactRow.caller_key == caller)
        if subject:
            keys.append(ContactRow.subject_key == subject)
        if not keys:
            return []
        query = select(ContactRow).where(or_(*keys), ContactRow.received_at >= since)
        if exclude:
            query = query.where(ContactRow.id != exclude)
        with self._sessions() as session:
            rows = session.scalars(query.order_by(ContactRow.received_at.desc()).limit(50))
            return [to_contact(r) for r in rows]

    def count_since(self, since: dt.datetime, handler: str | None = None) -> int:
        query = select(func.count()).select_from(ContactRow).where(ContactRow.received_at >= since)
        if handler is not None:
            query = query.where(ContactRow.handler == handler)
        with self._sessions() as session:
            return int(session.scalar(query) or 0)

    def all_contacts(self) -> Iterator[Contact]:
        with self._sessions() as session:
            for row in session.scalars(select(ContactRow).order_by(ContactRow.received_at)):
                yield to_contact(row)
