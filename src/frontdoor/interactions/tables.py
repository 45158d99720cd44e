"""The record's tables. Rows stay in this package; `record.py` converts at the edge."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

import frontdoor.people.tables  # noqa: F401  (contacts refer to people)
from frontdoor.db.base import Base, UTCDateTime


class ContactRow(Base):
    __tablename__ = "contacts"
    __table_args__ = (
        # repeat contacts: the same caller (or person), the same category, soon after
        Index("ix_contacts_caller_category_received", "caller_key", "category", "received_at"),
        Index("ix_contacts_subject_category_received", "subject_key", "category", "received_at"),
        # a purged contact's repeat after the purge boundary, found by its pseudonym
        Index(
            "ix_contacts_caller_pseudonym_category_received",
            "caller_pseudonym",
            "category",
            "received_at",
        ),
        Index(
            "ix_contacts_subject_pseudonym_category_received",
            "subject_pseudonym",
            "category",
            "received_at",
        ),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    status: Mapped[str] = mapped_column(String(12), index=True)  # open | closed
    channel: Mapped[str] = mapped_column(String(20))
    caller_type: Mapped[str] = mapped_column(String(20))
    caller_key: Mapped[str | None] = mapped_column(String(120), index=True)
    caller_name: Mapped[str | None] = mapped_column(String(200))
    subject_key: Mapped[str | None] = mapped_column(String(200), index=True)
    subject_name: Mapped[str | None] = mapped_column(String(200))
    subject_dob: Mapped[dt.date | None] = mapped_column(Date)
    subject_postcode: Mapped[str | None] = mapped_column(String(10))
    subject_nhs_number: Mapped[str | None] = mapped_column(String(10))
    language: Mapped[str | None] = mapped_column(String(60))
    interpreter_needed: Mapped[bool] = mapped_column(Boolean, default=False)
    caller_is_person: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    consent_record: Mapped[bool | None] = mapped_column(Boolean)
    consent_share: Mapped[bool | None] = mapped_column(Boolean)
    category: Mapped[str | None] = mapped_column(String(40), index=True)
    # as long as the telephone system's queue_log gives a queue's name (QUEUE_CHARS)
    queue: Mapped[str | None] = mapped_column(String(256))
    handler: Mapped[str | None] = mapped_column(String(80), index=True)
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
    offered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    abandoned_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    wrap_ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    outcome: Mapped[str | None] = mapped_column(String(30))
    demand: Mapped[str | None] = mapped_column(String(40))
    notes: Mapped[str | None] = mapped_column(Text)
    # the scripts and versions followed, as a loaded contact gave them (None: from answers)
    scripts: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    # the console that has this contact open, until when (renewed while it runs)
    held_by: Mapped[str | None] = mapped_column(String(40))
    held_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    # the person the contact is about (people/), and how it came to be linked: an exact
    # key, the handler's confirmation of a possible match, or a new person
    person_id: Mapped[str | None] = mapped_column(ForeignKey("people.id"), index=True)
    # when `records purge` removed its personal data (the MI's figures stay)
    purged_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    # set by a purge on a contact it kept whole: the pseudonyms of its keys, where a purged
    # contact had the same key (its keys are pseudonyms now, and this still matches them)
    caller_pseudonym: Mapped[str | None] = mapped_column(String(80))
    subject_pseudonym: Mapped[str | None] = mapped_column(String(80))
    person_link: Mapped[str | None] = mapped_column(String(12))

    answers: Mapped[list[AnswerRow]] = relationship(order_by="AnswerRow.seq", lazy="selectin")
    ends: Mapped[list[EndRow]] = relationship(order_by="EndRow.seq", lazy="selectin")
    searches: Mapped[list[SearchRow]] = relationship(order_by="SearchRow.seq", lazy="selectin")
    services: Mapped[list[ContactServiceRow]] = relationship(
        order_by="ContactServiceRow.seq", lazy="selectin"
    )
    person_decisions: Mapped[list[PersonDecisionRow]] = relationship(
        order_by="PersonDecisionRow.id", lazy="selectin"
    )


class ContactChild:
    """What every row that belongs to one contact has: its place in the contact and a time."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    contact_id: Mapped[str] = mapped_column(ForeignKey("contacts.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class AnswerRow(ContactChild, Base):
    """Every action in triage, in order: answers, backs and escalations, with their time."""

    __tablename__ = "answers"

    script: Mapped[str] = mapped_column(String(80))
    version: Mapped[int] = mapped_column(Integer)
    node: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(12))  # answer | back | escalate | decide
    # a decide step's answer is the node it went to; a many answer is a JSON list of labels
    answer: Mapped[str | None] = mapped_column(Text)
    # which wording of the question was shown: self (to the person) | other | null (one only)
    wording: Mapped[str | None] = mapped_column(String(8))
    # the answer is a check-all-that-apply list (so an export gives it back as a list)
    many: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class EndRow(ContactChild, Base):
    """Script ends reached, in order (more than one when a script handed on)."""

    __tablename__ = "script_ends"

    script: Mapped[str] = mapped_column(String(80))
    version: Mapped[int] = mapped_column(Integer)
    node: Mapped[str] = mapped_column(String(80))
    outcome: Mapped[str | None] = mapped_column(String(30))
    red_flag: Mapped[str | None] = mapped_column(Text)
    # the end's disposition code (such as an NHS Dx code), where the script gives one
    code: Mapped[str | None] = mapped_column(String(60))
    # which wording of its `say` was shown: self | other | null (one only)
    wording: Mapped[str | None] = mapped_column(String(8))
    # false once the handler went back past it: kept for the audit, not counted
    current: Mapped[bool] = mapped_column(Boolean, default=True)


class SearchRow(ContactChild, Base):
    """A directory search during a contact; `chosen` null means nothing fitted (unmet need)."""

    __tablename__ = "searches"

    query: Mapped[str] = mapped_column(Text)
    results: Mapped[list[str]] = mapped_column(JSON)
    chosen: Mapped[str | None] = mapped_column(String(120))
    # the id the console gave the search, so a service chosen from it (perhaps while the
    # console was offline) finds it
    step_id: Mapped[str | None] = mapped_column(String(36), unique=True)


class ContactServiceRow(ContactChild, Base):
    """A service the caller was signposted or referred to."""

    __tablename__ = "contact_services"

    service_id: Mapped[str] = mapped_column(String(120))
    service_name: Mapped[str] = mapped_column(String(300))
    action: Mapped[str] = mapped_column(String(20))  # signposted | referred
    # taken back before wrap-up (recorded in error): kept for the audit, makes no referral
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class StepReceiptRow(Base):
    """Each write of a call, by its own id, written in the same transaction as the write:
    a journal replayed after an outage applies each write exactly once."""

    __tablename__ = "step_receipts"

    step_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    contact_id: Mapped[str] = mapped_column(String(40), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class PersonDecisionRow(Base):
    """A possible match the handler confirmed or rejected for this contact: which person
    was offered, on what evidence, what was decided, by whom and when. Kept with the
    contact so that a link can be reviewed (and questioned) later."""

    __tablename__ = "person_decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    contact_id: Mapped[str] = mapped_column(ForeignKey("contacts.id"), index=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id"))
    decision: Mapped[str] = mapped_column(String(10))  # confirmed | rejected
    kind: Mapped[str] = mapped_column(String(12))  # possible | probable
    score: Mapped[float] = mapped_column(Float)
    evidence: Mapped[list[str]] = mapped_column(JSON)  # field:agreement, e.g. dob:transposed
    decided_by: Mapped[str] = mapped_column(String(80))
    decided_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
