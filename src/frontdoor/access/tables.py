"""The users and audit tables. Rows stay in this package; users.py and audit.py convert
at the edge."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from frontdoor.db.base import Base, UTCDateTime


class UserRow(Base):
    """A named person who signs in, with one role. Never deleted: a user who leaves is
    disabled, so the audit's names always mean someone."""

    __tablename__ = "users"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    display_name: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    # argon2id, with its salt and parameters (passwords.py); never the password
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    disabled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    # failed sign-ins since the last one that succeeded; five lock the account
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    last_sign_in_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class AuditRow(Base):
    """One thing someone did or looked at. Only ever added to: on PostgreSQL the
    application's role may only INSERT and SELECT here (`frontdoor db grant`), and on
    every database each row carries the hash of the one before it, so a row changed or
    removed is found by `frontdoor audit verify`."""

    __tablename__ = "audit_events"

    # the row's place in the chain, 1, 2, 3, ... with no gaps (taken from the head row)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
    user: Mapped[str] = mapped_column(String(64), index=True)
    role: Mapped[str] = mapped_column(String(40))
    workstation: Mapped[str] = mapped_column(String(200))
    event: Mapped[str] = mapped_column(String(40))
    # what it concerns, any of them
    contact_id: Mapped[str | None] = mapped_column(String(40), index=True)
    person_id: Mapped[str | None] = mapped_column(String(40), index=True)
    referral_id: Mapped[str | None] = mapped_column(String(40))
    script: Mapped[str | None] = mapped_column(String(100))
    service_id: Mapped[str | None] = mapped_column(String(200))
    about_user: Mapped[str | None] = mapped_column(String(64))
    # exports and reports: how many rows, and where they went
    row_count: Mapped[int | None] = mapped_column(Integer)
    destination: Mapped[str | None] = mapped_column(String(500))
    # a few words more (a reason given, a role changed to); never personal data
    detail: Mapped[str | None] = mapped_column(String(500))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


# What the application's own PostgreSQL role may do here (`frontdoor db grant`): add and
# read audit rows, never change or remove one; the head moves with every row added.
APPEND_ONLY_RIGHTS: dict[str, tuple[str, ...]] = {
    "audit_events": ("SELECT", "INSERT"),
    "audit_head": ("SELECT", "UPDATE"),
}


class AuditHeadRow(Base):
    """The chain's head: how many rows and the last one's hash. Every audit write locks
    and updates it in its own transaction, so rows are chained in one order and a
    removed last row is missed by nobody."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    count: Mapped[int] = mapped_column(BigInteger)
    last_hash: Mapped[str] = mapped_column(String(64))
