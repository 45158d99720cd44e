"""Queue events as the telephone system reported them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from frontdoor.db.base import Base, UTCDateTime

# The longest field of each kind a queue_log line may give (characters). A call id is the
# channel's unique id, which Asterisk keeps to 149 characters; queue and agent names are as
# long as the PBX's configuration and QueueLog() make them (Wazo keeps queue names of 256);
# no event of app_queue or of a dialplan's QueueLog() comes near 64. A longer field is
# reported with its line, not stored cut short.
CALLID_CHARS = 150
QUEUE_CHARS = 256
AGENT_CHARS = 256
EVENT_CHARS = 64


class QueueEventRow(Base):
    __tablename__ = "queue_events"
    __table_args__ = (Index("ix_queue_events_callid_event", "callid", "event"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # the line's key (queue_lines.line_key): reading the same line again adds nothing
    line_hash: Mapped[str] = mapped_column(String(32), unique=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
    callid: Mapped[str] = mapped_column(String(CALLID_CHARS))
    queue: Mapped[str] = mapped_column(String(QUEUE_CHARS))
    agent: Mapped[str] = mapped_column(String(AGENT_CHARS))
    event: Mapped[str] = mapped_column(String(EVENT_CHARS))
    data: Mapped[list[str]] = mapped_column(JSON)


class CallClaimRow(Base):
    """A waiting call taken by a handler: the call id is unique, so no two handlers can
    take the same call, whichever workstation asks first."""

    __tablename__ = "call_claims"

    callid: Mapped[str] = mapped_column(String(CALLID_CHARS), primary_key=True)
    handler: Mapped[str] = mapped_column(String(80))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class HandlerStateRow(Base):
    """What each handler is doing, as their console says: available, on a call, wrap-up,
    or away (with a reason); and when the console last said it is still there."""

    __tablename__ = "handler_states"

    handler: Mapped[str] = mapped_column(String(80), primary_key=True)
    state: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(120))
    since: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    seen_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())  # None: as `since`
