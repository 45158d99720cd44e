"""The referrals' tables. Rows stay in this package; store.py converts at the edge.

A referral's state is its last history row; `state` and `state_at` on the referral are
that row copied, so that lists and the MI filter without reading every history."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

import frontdoor.interactions.tables  # noqa: F401  (a referral is made in a contact)
from frontdoor.db.base import Base, UTCDateTime


class ReferralNumberRow(Base):
    """The last number given in a year: locked while the next is taken, so that two
    workstations wrapping up at once never give the same id."""

    __tablename__ = "referral_numbers"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer)


class ReferralRow(Base):
    __tablename__ = "referrals"
    __table_args__ = (
        # one referral for each service recorded as referred in a contact
        UniqueConstraint("contact_id", "service_seq", name="uq_referrals_contact_service"),
        Index("ix_referrals_state_due", "state", "due_at"),
    )

    id: Mapped[str] = mapped_column(String(20), primary_key=True)
    contact_id: Mapped[str] = mapped_column(ForeignKey("contacts.id"), index=True)
    service_seq: Mapped[int] = mapped_column(Integer)  # the contact's service row it came from
    person_id: Mapped[str | None] = mapped_column(String(40), index=True)
    subject_key: Mapped[str | None] = mapped_column(String(200), index=True)
    caller_key: Mapped[str | None] = mapped_column(String(120), index=True)
    category: Mapped[str | None] = mapped_column(String(40))
    service_id: Mapped[str] = mapped_column(String(120), index=True)
    service_name: Mapped[str] = mapped_column(String(300))
    reason: Mapped[str | None] = mapped_column(Text)
    said: Mapped[str | None] = mapped_column(Text)
    code: Mapped[str | None] = mapped_column(String(60))
    red_flags: Mapped[list[str]] = mapped_column(JSON, default=list)
    consent_share: Mapped[bool | None] = mapped_column(Boolean)
    respond_within: Mapped[str] = mapped_column(String(40))
    due_from: Mapped[str | None] = mapped_column(String(12))  # script | service | category
    made_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
    due_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
    state: Mapped[str] = mapped_column(String(12))
    # indexed: the MI finds the referrals changed since a moment (mi/referrals.py)
    state_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)

    history: Mapped[list[ReferralChangeRow]] = relationship(
        order_by="ReferralChangeRow.seq", lazy="selectin"
    )
    chases: Mapped[list[ReferralChaseRow]] = relationship(
        order_by="ReferralChaseRow.id", lazy="selectin"
    )


class ReferralChangeRow(Base):
    """A referral's history, append-only: never updated, never deleted."""

    __tablename__ = "referral_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    referral_id: Mapped[str] = mapped_column(ForeignKey("referrals.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(12))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    by: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    # when it was written, and from where (console, set, update FILE, simulate, import)
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    source: Mapped[str] = mapped_column(String(20))


class ReferralChaseRow(Base):
    __tablename__ = "referral_chases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    referral_id: Mapped[str] = mapped_column(ForeignKey("referrals.id"), index=True)
    contact_id: Mapped[str | None] = mapped_column(String(40), index=True)
    kind: Mapped[str] = mapped_column(String(8))  # caller | team
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    by: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)


class FollowUpRow(Base):
    """A call-back promised, or an overdue referral's caller told: open until done."""

    __tablename__ = "follow_ups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(10))  # call_back | overdue
    contact_id: Mapped[str | None] = mapped_column(String(40), index=True)
    referral_id: Mapped[str | None] = mapped_column(String(20), index=True)
    caller_key: Mapped[str | None] = mapped_column(String(120))
    caller_name: Mapped[str | None] = mapped_column(String(200))
    who: Mapped[str | None] = mapped_column(String(200))
    why: Mapped[str] = mapped_column(Text)
    due_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    done_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), index=True)
    done_by: Mapped[str | None] = mapped_column(String(200))
    outbound_contact_id: Mapped[str | None] = mapped_column(String(40))


class ConsentOverrideRow(Base):
    """A handover made although the person refused consent to share: who, when, why."""

    __tablename__ = "consent_overrides"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    referral_id: Mapped[str] = mapped_column(ForeignKey("referrals.id"), index=True)
    ground: Mapped[str] = mapped_column(String(20))  # vital_interests | safeguarding
    reason: Mapped[str] = mapped_column(Text)
    by: Mapped[str] = mapped_column(String(200))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class HandoverRow(Base):
    """Each handover produced: when, by whom, in which format (the audit of issue 12 reads
    this too)."""

    __tablename__ = "referral_handovers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    referral_id: Mapped[str] = mapped_column(ForeignKey("referrals.id"), index=True)
    format: Mapped[str] = mapped_column(String(8))
    by: Mapped[str] = mapped_column(String(200))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    override_id: Mapped[int | None] = mapped_column(Integer)
