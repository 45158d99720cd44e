"""The report's keep of settled days: each local day's figure counts (day_parts.py) once
no contact can still change them, and each whole month's added up once its days are
kept, so that a year's report reads 12 small rows rather than every contact of the year.

A day is kept only once its repeat window has closed (until `affected_until`, a contact
written then could still be its contacts' repeat). Whatever changes a contact of the
record afterwards (an import of old contacts, a purge, a correction) drops the days it
touches: triggers on the record's tables, made by migration 0017, delete every kept day
whose span [utc_start, affected_until] holds the changed contact's `received_at`. So a
kept day is never out of date, whichever program wrote to the record."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, String
from sqlalchemy.orm import Mapped, mapped_column

from frontdoor.db.base import Base, UTCDateTime


class MiDayRow(Base):
    __tablename__ = "mi_days"

    # the zone the day is local to, and what the figures were counted with (day_cache.py)
    zone: Mapped[str] = mapped_column(String(60), primary_key=True)
    settings_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    # the first and last local day the counts cover: one day, or a whole month of them
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    last_day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    utc_start: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
    # the day's end plus the repeat window: a contact received by then may change it
    affected_until: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    parts: Mapped[dict[str, Any]] = mapped_column(JSON)


class MiReferralMonthRow(Base):
    """A whole local month's referral counts (mi/referral_months.py), or a period's whole
    months' added up, as they stood at one moment, the end of the period of the report
    that kept them: what the referrals made in those days add to a report as of then.
    Triggers (migration 0018) drop the row whenever one of its referrals, or its
    history or chases, is written, changed or deleted, whatever time the change is
    recorded at."""

    __tablename__ = "mi_referral_months"

    zone: Mapped[str] = mapped_column(String(60), primary_key=True)
    first_day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    last_day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    moment: Mapped[dt.datetime] = mapped_column(UTCDateTime(), primary_key=True)
    # the days' span in UTC: a referral made in [utc_start, utc_end) is one of its own
    utc_start: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
    utc_end: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    parts: Mapped[dict[str, Any]] = mapped_column(JSON)
    # by service, the seconds each accepted referral took to be accepted: apart from the
    # counts, read only where spans are added up (a whole period's row has its medians)
    seconds_to_accept: Mapped[dict[str, Any]] = mapped_column(JSON)


class MiPbxDayRow(Base):
    """A settled local day's queue figures from the telephone system (mi/pbx_days.py):
    the additive sums, by queue, of the calls that entered a queue that day and whose
    every event lies in the day, answered and ended or gone by its end; the ids of the
    day's other calls, worked out afresh for each period; and the day's QUEUESTART
    lines, which end those. Triggers (migration 0019) drop the row whenever a
    queue event or a console's claim is written, changed or deleted in the day or the
    day after, or for one of its kept calls whenever."""

    __tablename__ = "mi_pbx_days"

    zone: Mapped[str] = mapped_column(String(60), primary_key=True)
    settings_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    utc_start: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
    # the day after's end: an event written up to then drops the day. Indexed: events
    # come as they happen, and those after it are found among the last two days, not all
    affected_until: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
    sums: Mapped[dict[str, Any]] = mapped_column(JSON)  # by queue: QueueSums.to_json
    open_callids: Mapped[list[str]] = mapped_column(JSON)
    restarts: Mapped[list[Any]] = mapped_column(JSON)  # [[iso time, event id], ...]


class MiPbxDayCallRow(Base):
    """A call id whose calls a kept day's sums hold (by the day's start in UTC, whatever
    the zone): a queue event or claim written for it later drops the day."""

    __tablename__ = "mi_pbx_day_calls"

    callid: Mapped[str] = mapped_column(String(150), primary_key=True)
    day_start: Mapped[dt.datetime] = mapped_column(UTCDateTime(), primary_key=True)
