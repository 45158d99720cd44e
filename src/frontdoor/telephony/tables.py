"""Queue events as the telephone system reported them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from frontdoor.db.base import Base, UTCDateTime


class QueueEventRow(Base):
    __tablename__ = "queue_events"
    __table_args__ = (Index("ix_queue_events_callid_event", "callid", "event"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # a hash of the raw line: reading the same line again adds nothing
    line_hash: Mapped[str] = mapped_column(String(32), unique=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
    callid: Mapped[str] = mapped_column(String(80))
    queue: Mapped[str] = mapped_column(String(80))
    agent: Mapped[str] = mapped_column(String(120))
    event: Mapped[str] = mapped_column(String(30))
    data: Mapped[list[str]] = mapped_column(JSON)


class CallClaimRow(Base):
    """A waiting call taken by a handler: the call id is unique, so no two handlers can
    take the same call, whichever workstation asks first."""

    __tablename__ = "call_claims"

    callid: Mapped[str] = mapped_column(String(80), primary_key=True)
    handler: Mapped[str] = mapped_column(String(80))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class HandlerStateRow(Base):
    """What each handler is doing, as their console says: available, on a call, wrap-up,
    or away (with a reason)."""

    __tablename__ = "handler_states"

    handler: Mapped[str] = mapped_column(String(80), primary_key=True)
    state: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(120))
    since: Mapped[dt.datetime] = mapped_column(UTCDateTime())
