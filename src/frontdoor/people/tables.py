"""The person index's tables. Rows stay in this package; index.py converts at the edge."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from frontdoor.db.base import Base, UTCDateTime


class PersonRow(Base):
    """One person, with the details last known for them (a later contact fills in what
    was missing and brings the postcode and phone up to date)."""

    __tablename__ = "people"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    dob: Mapped[dt.date | None] = mapped_column(Date, index=True)
    postcode: Mapped[str | None] = mapped_column(String(10))
    # the postcode's outward code: possible matches are looked for by district
    district: Mapped[str | None] = mapped_column(String(5), index=True)
    nhs_number: Mapped[str | None] = mapped_column(String(10))
    phone: Mapped[str | None] = mapped_column(String(120), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class PersonKeyRow(Base):
    """The exact keys a person is known by (an NHS number; name, date of birth and
    postcode; an imported contact's key): each belongs to one person only."""

    __tablename__ = "person_keys"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id"), index=True)


class ConsentWithdrawalRow(Base):
    """A person withdrew consent to share: from `withdrawn_at` their handovers and
    exports are refused unless an override is recorded. Restoring it (the person agrees
    again) keeps the row and says when and by whom."""

    __tablename__ = "consent_withdrawals"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id"), index=True)
    withdrawn_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    recorded_by: Mapped[str] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    restored_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    restored_by: Mapped[str | None] = mapped_column(String(64))
