"""The library's tables: every version of every script, and every change to them.

Rows stay in this package; `versions.py` converts them at its edge.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from frontdoor.db.base import Base, UTCDateTime


class ScriptVersionRow(Base):
    """One version of one script: its text as the lead wrote it, never changed once
    submitted, and where it stands (draft, published, superseded, retired, withdrawn)."""

    __tablename__ = "script_versions"
    __table_args__ = (UniqueConstraint("script", "version", name="uq_script_versions_script"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    script: Mapped[str] = mapped_column(String(80), index=True)
    version: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))  # sha256 of the text, hex
    state: Mapped[str] = mapped_column(String(12), index=True)
    submitted_by: Mapped[str] = mapped_column(String(200))
    submitted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    note: Mapped[str | None] = mapped_column(Text)
    approved_by: Mapped[str | None] = mapped_column(String(200))
    approved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    # who ended its time, and when: withdrew the draft, retired the script, or approved
    # the version that superseded it
    ended_by: Mapped[str | None] = mapped_column(String(200))
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class ScriptChangeRow(Base):
    """Every change to the library, appended and never altered: what consoles poll (see
    `ScriptVersions.stamp`), and the trail of who did what to which version."""

    __tablename__ = "script_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    script: Mapped[str] = mapped_column(String(80))
    version: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(12))  # submit | approve | retire | withdraw
    by: Mapped[str] = mapped_column(String(200))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
