"""`records purge`: the personal data of contacts older than the retention schedule
removed, in one transaction across the record, the referrals, the person index and the
queue's events, with what the MI needs kept and the keys replaced by pseudonyms (see
each room's purge.py for what goes and what stays).

The schedule: a contact is kept whole for `retention_years` (the NHS records code's 8
years for adult records) from the day it was received, so `--before` may be at most
today less that many years; a later date is refused, naming the latest allowed. The code
counts the years from the end of the care: a contact whose referral changed at or after
the boundary is kept whole (and counted), for a later purge.

A dry run does everything in the transaction and rolls it back: its counts are the
purge's own, never an estimate. A purge is audited (PURGE, with its counts) in the
transaction that does it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session, sessionmaker

from frontdoor.access.audit import AuditEvent, AuditTrail, Concerns
from frontdoor.db.chunks import in_chunks
from frontdoor.interactions.purge import (
    SearchCleaner,
    contacts_to_purge,
    purge_contacts,
)
from frontdoor.interactions.tables import ContactRow
from frontdoor.local_time import Clock
from frontdoor.people.pseudonyms import Pseudonyms
from frontdoor.people.purge import empty_people
from frontdoor.referrals.purge import changed_since, purge_referrals
from frontdoor.referrals.triage_path import ScriptVersions
from frontdoor.rights.answers import OfferedAnswers
from frontdoor.telephony.purge import purge_queue_events

AUDIT_DETAIL = 500  # the length of the audit's detail column


class PurgeRefused(ValueError):
    """A purge that may not run, in words saying what to give instead."""


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day `years` earlier; 29 February falls back to the 28th."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class PurgeDone:
    before: dt.date
    dry_run: bool
    counts: dict[str, int]  # kind -> how many, in the order the purge reports them

    @property
    def contacts(self) -> int:
        return self.counts.get("contacts", 0)


class _DryRun(Exception):
    """Raised inside the transaction of a dry run, to roll it back."""


class Purge:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        clock: Clock,
        audit: AuditTrail,
        *,
        scripts: ScriptVersions,
        clean_search: SearchCleaner,
        retention_years: int,
        time_zone: str,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._audit = audit
        self._scripts = scripts
        self._clean_search = clean_search
        self.retention_years = retention_years
        self._zone = ZoneInfo(time_zone)

    def latest_allowed(self) -> dt.date:
        """The latest `--before` the schedule allows: today (local) less the years kept."""
        today = self._clock().astimezone(self._zone).date()
        return years_before(today, self.retention_years)

    def check(self, before: dt.date) -> None:
        latest = self.latest_allowed()
        if before > latest:
            raise PurgeRefused(
                f"--before {before} is too recent: contacts are kept whole for "
                f"{self.retention_years} years (retention_years in settings), so the latest "
                f"date allowed today is {latest}"
            )

    def run(self, before: dt.date, pseudonyms: Pseudonyms, *, dry_run: bool = False) -> PurgeDone:
        """Purge every contact received before the start of `before` (local time)."""
        self.check(before)
        boundary = dt.datetime.combine(before, dt.time(), self._zone).astimezone(dt.UTC)
        counts: dict[str, int] = {}
        try:
            with self._sessions() as session, session.begin():
                counts = self._purge(session, boundary, pseudonyms)
                if dry_run:
                    raise _DryRun
                self._audit.record(
                    session,
                    AuditEvent.PURGE,
                    Concerns(
                        row_count=counts["contacts"],
                        # the column holds 500: the counts that are not 0 fit in it
                        detail=(
                            f"before {before}: "
                            + ", ".join(f"{k} {v}" for k, v in counts.items() if v)
                        )[:AUDIT_DETAIL],
                    ),
                )
        except _DryRun:
            pass
        return PurgeDone(before, dry_run, counts)

    def _purge(
        self, session: Session, boundary: dt.datetime, pseudonyms: Pseudonyms
    ) -> dict[str, int]:
        now = self._clock()
        received = contacts_to_purge(session, boundary)
        # a referral that changed since is care that went on: kept whole until it ends
        going_on = changed_since(session, received, boundary)
        ids = [i for i in received if i not in going_on]
        contacts = purge_contacts(
            session, ids, pseudonyms, OfferedAnswers(self._scripts), self._clean_search, now
        )
        referrals = purge_referrals(session, ids, pseudonyms)
        people = empty_people(session, _people_left(session, ids))
        queue = purge_queue_events(session, boundary, pseudonyms)
        return {
            "contacts": contacts.contacts,  # first, with those kept, then the rest
            "kept_for_referrals": len(going_on),
            **contacts.counts(),
            **referrals.counts(),
            **people.counts(),
            "queue_numbers": queue,
        }


def _people_left(session: Session, purged: list[str]) -> list[str]:
    """The people the purged contacts were about whom no contact still held in full is
    about: their details are nobody's business any more."""
    people = _person_ids(session, ContactRow.id, purged, ContactRow.person_id.is_not(None))
    still = _person_ids(
        session, ContactRow.person_id, sorted(people), ContactRow.purged_at.is_(None)
    )
    return sorted(people - still)


def _person_ids(
    session: Session, column: Any, values: list[str], condition: ColumnElement[bool]
) -> set[str]:
    """The people of the contacts whose `column` is one of `values` and that meet
    `condition`."""
    found: set[str] = set()
    for chunk in in_chunks(values):
        found.update(
            p
            for p in session.scalars(
                select(ContactRow.person_id).where(column.in_(chunk), condition)
            )
            if p is not None
        )
    return found
