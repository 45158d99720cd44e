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
