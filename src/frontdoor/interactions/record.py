"""Units of work on the record. Every call commits at once: if the console is killed
mid-call, everything answered so far is already in the database."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar, cast

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session, lazyload, sessionmaker

from frontdoor.interactions.model import (
    Answer,
    Contact,
    NewContact,
    ScriptEnd,
    Search,
    ServiceUsed,
    StepTaken,
    WrapUp,
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
)
from frontdoor.local_time import Clock

Row = TypeVar("Row", bound=ContactChild)


class RecordError(Exception):
    """An action the record refuses (unknown contact, contact already closed)."""


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
        answers=[Answer(a.script, a.version, a.node, a.kind, a.answer, a.at) for a in row.answers],
        ends=[
            ScriptEnd(e.script, e.version, e.node, e.outcome, e.red_flag, e.at)
            for e in row.ends
            if e.current
        ],
        searches=[Search(s.id, s.query, list(s.results), s.chosen, s.at) for s in row.searches],
        scripts_followed=[(s["script"], s["version"]) for s in row.scripts]
        if row.scripts is not None
        else None,
        services=[ServiceUsed(s.service_id, s.service_name, s.action) for s in row.services],
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

    def _add(self, contact_id: str, row_type: type[Row], **values: Any) -> Row:
        """A row that belongs to an open contact, next in its order, at the clock's time."""
        with self._unit() as session:
            self._open_contact(session, contact_id)
            return self._add_in(session, contact_id, row_type, **values)

    def _add_in(self, session: Session, contact_id: str, row_type: type[Row], **values: Any) -> Row:
        # the mapped classes take their columns as keywords; the mixin alone does not say so
        row: Row = cast(Any, row_type)(
            contact_id=contact_id,
            seq=self._next_seq(session, row_type, contact_id),
            at=self._clock(),
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
    def start_contact(self, new: NewContact, abandoned_at: dt.datetime | None = None) -> str:
        """A contact from the moment it is answered (now). A phone call that waited in a
        queue says when it was offered; one the caller left gives `abandoned_at`, and is
        closed at once with no handler or outcome."""
        now = self._clock()
        offered = new.offered_at or now
        contact_id = f"c-{offered:%Y%m%d}-{uuid.uuid4().hex[:8]}"
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
                )
            )
        return contact_id

    def record_step(
        self,
        contact_id: str,
        step: StepTaken,
        ends: Sequence[ScriptEnd] = (),
        withdraw_ends: int = 0,
    ) -> None:
        """An answer, a step back or an escalation, with the time it was given, together
        with the script ends it reached (or, going back, the ends it left): all or nothing,
        so the record never holds an answer without the end it led to."""
        with self._unit() as session:
            self._open_contact(session, contact_id)
            self._add_in(
                session,
                contact_id,
                AnswerRow,
                script=step.script,
                version=step.version,
                node=step.node,
                kind=step.kind,
                answer=step.answer,
            )
            if withdraw_ends:
                current = session.scalars(
                    select(EndRow)
                    .where(EndRow.contact_id == contact_id, EndRow.current.is_(True))
                    .order_by(EndRow.seq.desc())
                    .limit(withdraw_ends)
                )
                for row in current:
                    row.current = False  # kept for the audit, no longer counted
            for end in ends:
                self._add_end(session, contact_id, end)

    def record_end(self, contact_id: str, end: ScriptEnd) -> None:
        """A script end on its own (contacts loaded from elsewhere, tests)."""
        with self._unit() as session:
            self._open_contact(session, contact_id)
            self._add_end(session, contact_id, end)

    def _add_end(self, session: Session, contact_id: str, end: ScriptEnd) -> None:
        self._add_in(
            session,
            contact_id,
            EndRow,
            script=end.script,
            version=end.version,
            node=end.node,
            outcome=end.outcome,
            red_flag=end.red_flag,
            current=True,
        )

    def set_category(self, contact_id: str, category: str) -> None:
        with self._unit() as session:
            self._open_contact(session, contact_id).category = category

    def record_search(self, contact_id: str, query: str, results: list[str]) -> int:
        """A directory search and the services it showed; nothing chosen yet."""
        row = self._add(contact_id, SearchRow, query=query, results=results, chosen=None)
        return row.id

    def choose_service(
        self,
        contact_id: str,
        service_id: str,
        service_name: str,
        action: str,
        search_id: int | None = None,
    ) -> None:
        if action not in ("signposted", "referred"):
            raise RecordError(f"a service is signposted or referred, not {action}")
        with self._unit() as session:
            self._open_contact(session, contact_id)
            if search_id is not None:
                session.execute(
                    update(SearchRow)
                    .where(SearchRow.id == search_id, SearchRow.contact_id == contact_id)
                    .values(chosen=service_id)
                )
            self._add_in(
                session,
                contact_id,
                ContactServiceRow,
                service_id=service_id,
                service_name=service_name,
                action=action,
            )

    def mark_ended(self, contact_id: str) -> None:
        """The call itself ended (wrap-up starts); the first time counts."""
        with self._unit() as session:
            row = self._open_contact(session, contact_id)
            row.ended_at = row.ended_at or self._clock()

    def wrap_up(self, contact_id: str, wrap: WrapUp) -> None:
        with self._unit() as session:
            row = self._open_contact(session, contact_id)
            now = self._clock()
            row.outcome = wrap.outcome
            row.demand = wrap.demand
            row.notes = wrap.notes or None
            if wrap.category:
                row.category = wrap.category
            row.ended_at = row.ended_at or now
            row.wrap_ended_at = now
            row.status = "closed"

    def close_incomplete(self, contact_id: str, notes: str = "") -> None:
        """A contact that was never finished (the console was closed mid-call)."""
        self.wrap_up(contact_id, WrapUp(outcome="incomplete", demand=None, notes=notes))

    # --- reading ----------------------------------------------------------------------
    def contact(self, contact_id: str) -> Contact:
        with self._sessions() as session:
            row = session.get(ContactRow, contact_id)
            if row is None:
                raise RecordError(f"there is no contact {contact_id}")
            return to_contact(row)

    def unfinished(self, handler: str | None = None) -> list[Contact]:
        """Contacts left open (the console stopped mid-call), oldest first."""
        query = select(ContactRow).where(ContactRow.status == "open")
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
