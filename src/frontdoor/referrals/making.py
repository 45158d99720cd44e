"""Referrals made as a contact is wrapped up: one for each service still recorded on it as
referred, in the same transaction as the wrap-up, so a closed contact never lacks the
referrals it made and a replayed wrap-up never makes them twice.

The terms come from where the referral came from: the script end that named the service
(its `respond_within`, what it said), else the service's own `respond_within` in the
directory, else the default for the contact's category (config/referrals.yaml)."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Container, Mapping
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Protocol, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Table, bindparam, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Insert

from frontdoor.access.audit import AuditEvent, Concerns, PendingAudit
from frontdoor.db.raw_reads import rows_of
from frontdoor.db.raw_writes import insert_later
from frontdoor.interactions.model import Contact, ScriptEnd, ServiceUsed
from frontdoor.local_time import BankHolidays
from frontdoor.referrals.model import Referral
from frontdoor.referrals.reading import CHANGES, REFERRALS, referral_of
from frontdoor.referrals.tables import ReferralNumberRow
from frontdoor.response_times import ResponseTime, due_at

MADE_BY_SPA = "SPA"  # the author of a referral's first state when the handler is unknown


@dataclass(frozen=True)
class EndTerms:
    """What a script end that refers says about the referral."""

    reason: str  # the script's title and the end, in words ("Falls and mobility: ...")
    said: str | None
    refer_to: str | None
    respond_within: ResponseTime | None


class TermsSource(Protocol):
    """Where the terms of a referral are looked up (calls/ gives the library and the
    directory; a test gives a fixed table)."""

    def end_terms(self, script: str, version: int, node: str) -> EndTerms | None: ...

    def service_respond_within(self, service_id: str) -> ResponseTime | None: ...


@dataclass(frozen=True)
class ReferralRules:
    """The service's rules for due times (config/referrals.yaml and settings)."""

    time_zone: str = "Europe/London"
    by_category: Mapping[str, ResponseTime] = field(default_factory=dict)
    otherwise: ResponseTime = field(default_factory=lambda: ResponseTime(5, "working_days"))
    holidays: Container[dt.date] = field(default_factory=BankHolidays)

    def default_for(self, category: str | None) -> ResponseTime:
        return self.by_category.get(category or "", self.otherwise)

    def due(self, made_at: dt.datetime, within: ResponseTime) -> dt.datetime:
        return due_at(made_at, within, self.time_zone, self.holidays)


_NUMBERS = cast(Table, ReferralNumberRow.__table__)
# Built once, on the table (every referral a wrap-up makes takes a number): the year's
# counter moved on by `n` and read back in one statement, which takes its lock (the row's
# on PostgreSQL, the database's write lock on SQLite) to the commit, so two
# workstations making referrals at once never take the same numbers.
_TAKE = (
    update(_NUMBERS)
    .where(_NUMBERS.c.year == bindparam("of_year"))
    .values(last=_NUMBERS.c.last + bindparam("n"))
    .returning(_NUMBERS.c.last)
)
_KEEP_ABOVE = (
    update(_NUMBERS)
    .where(_NUMBERS.c.year == bindparam("of_year"), _NUMBERS.c.last < bindparam("number"))
    .values(last=bindparam("number"))
)


# the services of a contact that have their referral already (a wrap-up replayed)
_HELD = select(REFERRALS.c.service_seq).where(REFERRALS.c.contact_id == bindparam("contact_id"))


@functools.cache
def _first_of_year(dialect: str) -> Insert:
    """The year's counter made at 0 if it is not there: INSERT ... ON CONFLICT DO
    NOTHING, so two workstations making the year's first referral at once both find it,
    and then wait for each other on its lock."""
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    return insert(_NUMBERS).values(year=bindparam("of_year"), last=0).on_conflict_do_nothing()


def _counter(session: Session, year: int) -> Connection:
    """The session's connection, with the year's counter there to be moved."""
    connection = session.connection()
    connection.execute(_first_of_year(session.get_bind().dialect.name), {"of_year": year})
    return connection


def id_of(year: int, number: int) -> str:
    return f"R-{year}-{number:06d}"


def next_id(session: Session, made_at: dt.datetime, zone: str) -> str:
    """R-2026-000123: the next number of the year the referral was made in (local time),
    taken under a lock on the year's counter."""
    return take_ids(session, made_at.astimezone(ZoneInfo(zone)).year, 1)[0]


def take_ids(session: Session, year: int, count: int) -> list[str]:
    """The next `count` ids of the year, in order (a file's referrals without one)."""
    connection, wanted = session.connection(), {"of_year": year, "n": count}
    last = _taken(connection, wanted)
    if last is None:  # the year's first: its counter made (by whoever is first), then moved
        last = _taken(_counter(session, year), wanted)
        assert last is not None
    return [id_of(year, n) for n in range(int(last) - count + 1, int(last) + 1)]


def _taken(connection: Connection, wanted: dict[str, int]) -> int | None:
    """The year's counter moved on (_TAKE): its last number, None when the year has no
    counter yet (db/raw_reads.py: each of a simulated month's referrals takes one)."""
    found = rows_of(connection, _TAKE, wanted)
    return int(found[0].last) if found else None


def _held(connection: Connection, contact_id: str) -> set[int]:
    """The places of the contact's services that have their referral already (_HELD)."""
    return {int(row.service_seq) for row in rows_of(connection, _HELD, {"contact_id": contact_id})}


def keep_ids_above(session: Session, year: int, number: int) -> None:
    """Ids up to `number` of the year came from elsewhere (a file): the counter goes past
    them, so no referral made later is given one of them again."""
    _counter(session, year).execute(_KEEP_ABOVE, {"of_year": year, "number": number})


@dataclass(frozen=True)
class Terms:
    """How soon, and why: what a referral takes from where it came from."""

    within: ResponseTime
    source: str  # script | service | category: where `within` came from
    code: str | None  # the disposition code of the script end that named the service
    end: EndTerms | None


def red_flags_of(contact: Contact) -> list[str]:
    return [e.red_flag for e in contact.ends if e.red_flag]


class ReferralMaker:
    """Makes the referrals of a contact being wrapped up (interactions calls it inside the
    wrap-up's transaction: see Record's `closing`)."""

    def __init__(self, rules: ReferralRules, terms: TermsSource) -> None:
        self.rules = rules
        self.terms = terms

    def __call__(
        self, session: Session, contact: Contact, audit: PendingAudit | None = None
    ) -> list[str]:
        """The referrals made, by id; each is added to the wrap-up's audit rows."""
        return [referral.id for referral in self.make(session, contact, audit)]

    def make(
        self, session: Session, contact: Contact, audit: PendingAudit | None = None
    ) -> list[Referral]:
        """The referrals made, as the store would read them back (for a caller that
        goes on with them, as the simulation's teams do)."""
        made: list[Referral] = []
        referred = [u for u in contact.services if u.action == "referred" and u.seq is not None]
        if not referred:  # most contacts: nothing to make, nothing to look up
            return made
        held = _held(session.connection(), contact.id)
        for used in referred:
            if used.seq in held:
                continue
            made.append(referral := self._make(session, contact, used))
            if audit is not None:
                audit.add(
                    AuditEvent.REFERRAL_MADE,
                    Concerns(
                        contact_id=contact.id,
                        person_id=contact.person_id,
                        referral_id=referral.id,
                        service_id=used.service_id,
                    ),
                )
        return made

    def terms_for(self, contact: Contact, used: ServiceUsed) -> Terms:
        """The terms a referral for this service takes, by the rules a wrap-up follows
        (a file's referral without them is given them the same way)."""
        reached, end = self._end_for(contact, used.service_id)
        if end is not None and end.respond_within is not None:
            within, source = end.respond_within, "script"
        elif (own := self.terms.service_respond_within(used.service_id)) is not None:
            within, source = own, "service"
        else:
            within, source = self.rules.default_for(contact.category), "category"
        return Terms(within, source, reached.code if reached else None, end)

    def _end_for(
        self, contact: Contact, service_id: str
    ) -> tuple[ScriptEnd, EndTerms] | tuple[None, None]:
        """The last end the contact stands at that referred to this service."""
        for end in reversed(contact.ends):
            terms = self.terms.end_terms(end.script, end.version, end.node)
            if terms is not None and terms.refer_to == service_id:
                return end, terms
        return None, None

    def _make(self, session: Session, contact: Contact, used: ServiceUsed) -> Referral:
        """One referral and the first entry of its history, by Core statements built
        once (a wrap-up is a unit of work of its own; nothing here needs the ORM)."""
        made_at = (used.at or contact.ended_at or contact.received_at).astimezone(dt.UTC)
        terms = self.terms_for(contact, used)
        end = terms.end
        referral_id = next_id(session, made_at, self.rules.time_zone)
        by = contact.handler or MADE_BY_SPA
        row = SimpleNamespace(
            id=referral_id,
            contact_id=contact.id,
            service_seq=used.seq,
            person_id=contact.person_id,
            subject_key=contact.subject_key,
            caller_key=contact.caller_key,
            category=contact.category,
            service_id=used.service_id,
            service_name=used.service_name,
            reason=end.reason if end else None,
            said=end.said if end else None,
            code=terms.code,
            red_flags=red_flags_of(contact),
            consent_share=contact.consent_share,
            respond_within=str(terms.within),
            due_from=terms.source,
            made_at=made_at,
            due_at=self.rules.due(made_at, terms.within),
            state="requested",
            state_at=made_at,
        )
        first = SimpleNamespace(
            referral_id=referral_id,
            seq=1,
            state="requested",
            at=made_at,
            by=by,
            note=None,
            recorded_at=made_at,
            source="call",
        )
        insert_later(session.connection(), [(REFERRALS, [vars(row)]), (CHANGES, [vars(first)])])
        return referral_of(row, [first], [])
