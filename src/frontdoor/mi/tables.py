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
