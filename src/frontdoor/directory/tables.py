"""The directory's tables: services, and every change made to them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from frontdoor.db.base import Base, UTCDateTime


class ServiceRow(Base):
    __tablename__ = "services"

    # the id the source gave the service, kept so re-imports update in place
    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    organisation: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str | None] = mapped_column(String(500))
    email: Mapped[str | None] = mapped_column(String(300))
    phones: Mapped[list[Any]] = mapped_column(JSON, default=list)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    eligibility: Mapped[str | None] = mapped_column(Text)
    min_age: Mapped[int | None] = mapped_column(Integer)
    max_age: Mapped[int | None] = mapped_column(Integer)
    caller_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    areas: Mapped[list[str]] = mapped_column(JSON, default=list)
    hours: Mapped[list[Any]] = mapped_column(JSON, default=list)
    hours_exceptions: Mapped[list[Any]] = mapped_column(JSON, default=list)
    open_on_bank_holidays: Mapped[bool | None] = mapped_column(Boolean)
    # how soon the service answers a referral ("2 working days", "4h"): a lead keeps it
    respond_within: Mapped[str | None] = mapped_column(String(40))
    # places free as the service last published them (HSDS 3.1 service_capacity)
    capacities: Mapped[list[Any]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(30), default="active")
    assured_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    assured_by: Mapped[str | None] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(60))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class ServiceChangeRow(Base):
    """A change to a service, HSDS `metadata` style: who, when, which field, from, to."""

    __tablename__ = "service_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    service_id: Mapped[str] = mapped_column(ForeignKey("services.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    by: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(20))  # create | update | assure
    field_name: Mapped[str | None] = mapped_column(String(60))
    previous_value: Mapped[str | None] = mapped_column(Text)
    replacement_value: Mapped[str | None] = mapped_column(Text)
