"""The audit trail: append-only, hash-chained, written in the same transaction as the
change it records (or, for a view, before the data is shown).

Each row's hash covers its own content and the hash of the row before it. Rows take
their place in the chain from the head row, which every write updates first: that
takes the database's write lock on SQLite and the row's lock on PostgreSQL, so two
workstations never chain onto the same row, and a removed last row still shows (the
head counts it). `verify` walks the chain; `anchor` prints the head for keeping outside
the database, where nobody who can write to the database can reach it."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import cast

from sqlalchemy import Connection, Table, bindparam, insert, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from frontdoor.access.actor import Actor
from frontdoor.access.tables import AuditHeadRow, AuditRow
from frontdoor.db.bulk import insert_tuples
from frontdoor.local_time import Clock

GENESIS = "0" * 64
HEAD_ID = 1


class AuditEvent(StrEnum):
    SIGN_IN = "sign_in"
    SIGN_IN_REFUSED = "sign_in_refused"
    SIGN_OUT = "sign_out"
    LOCK = "lock"
    PERSON_VIEWED = "person_viewed"
    CONTACT_VIEWED = "contact_viewed"
    CONTACT_CREATED = "contact_created"
    CONTACT_CHANGED = "contact_changed"
    CONTACT_CLOSED = "contact_closed"
    REFERRAL_MADE = "referral_made"
    REFERRAL_CHANGED = "referral_changed"
    HANDOVER_PRODUCED = "handover_produced"
    CONSENT_WITHDRAWN = "consent_withdrawn"
    # the person agreed to share again: their withdrawal stands no longer
    CONSENT_RESTORED = "consent_restored"
    CONSENT_OVERRIDE = "consent_override"
    EXPORT = "export"
    REPORT = "report"
    DIRECTORY_CHANGED = "directory_changed"
    SCRIPT_SUBMITTED = "script_submitted"
    SCRIPT_APPROVED = "script_approved"
    SCRIPT_RETIRED = "script_retired"
    USER_ADDED = "user_added"
    USER_CHANGED = "user_changed"
    USER_DISABLED = "user_disabled"
    PURGE = "purge"


@dataclass(frozen=True)
class Concerns:
    """What an event is about: any of these. Never names, numbers or notes: the audit is
    read by people who may not see the record itself."""

    contact_id: str | None = None
    person_id: str | None = None
    referral_id: str | None = None
    script: str | None = None
    service_id: str | None = None
    about_user: str | None = None
    row_count: int | None = None
    destination: str | None = None
    detail: str | None = None


_CONCERNS = tuple(f.name for f in fields(Concerns))


def _values(concerns: Concerns) -> dict[str, object]:
    """Its fields in their order (what `asdict` gives, without its deep copy: every
    audited write runs this while it holds the chain's head)."""
    return {name: getattr(concerns, name) for name in _CONCERNS}


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: dt.datetime
    user: str
    role: str
    workstation: str
    event: str
    concerns: Concerns
    prev_hash: str
    hash: str


def _content(seq: int, at: dt.datetime, actor: Actor, event: str, concerns: Concerns) -> str:
    return _content_of(seq, _at_text(at), actor, event, _values(concerns))


def _at_text(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _content_of(
    seq: int, at_text: str, actor: Actor, event: str, concerns: dict[str, object]
) -> str:
    # One canonical text per row: a list (order fixed), times in UTC to the microsecond.
    return _CANONICAL(
        [seq, at_text, actor.user, actor.role, actor.workstation, event, *concerns.values()]
    )


# json.dumps with these settings, its encoder made once (json.dumps makes one a call)
_CANONICAL = json.JSONEncoder(ensure_ascii=True, separators=(",", ":")).encode


def chain_hash(prev_hash: str, content: str) -> str:
    return hashlib.sha256(f"{prev_hash}\n{content}".encode()).hexdigest()


class AuditUnavailable(RuntimeError):
    """The audit's head row is missing: the database was not made by `frontdoor db
    upgrade`, or someone removed it."""


def append_many(
    session: Session,
    actor: Actor,
    at: dt.datetime,
    items: Sequence[tuple[AuditEvent, Concerns]],
) -> list[AuditEntry]:
    """Add rows to the chain in this order, in the caller's transaction: one lock of the
    head and one INSERT however many (an import's thousand contacts cost one round trip,
    not a thousand).

    Callers append last, just before they commit: the head's lock is held from here to
    the commit, and every workstation's writes queue on it, so the less that happens
    after it, the less they wait (and no one holding it waits on another lock)."""
    return append_timed(session, actor, [(at, event, concerns) for event, concerns in items])


def append_timed(
    session: Session,
    actor: Actor,
    items: Sequence[tuple[dt.datetime, AuditEvent, Concerns]],
) -> list[AuditEntry]:
    """`append_many` for rows that each say when: a simulated call's writes, applied
    together as it ends, each at the moment it was made."""
    if not items:
        return []
    # The count moves first: that takes the write lock (SQLite) or the row lock
    # (PostgreSQL) before the head is read, so nobody else chains onto the same row.
    # the session's connection: these are Core statements, and the session's own execute
    # would pass each through the ORM's machinery while every workstation waits on the
    # head; what the unit added through the ORM goes in first, before the head is taken
    session.flush()
    connection = session.connection()
    head = connection.execute(_TAKE_PLACES, {"rows": len(items)}).first()
    if head is None:
        raise AuditUnavailable(
            "the audit trail's head row is missing: run `frontdoor db upgrade`, and "
            "`frontdoor audit verify` to see what else is missing"
        )
    last, prev = head
    entries, rows = _chained(last - len(items) + 1, prev, actor, items)
    _insert(connection, rows)
    connection.execute(_MOVE_HEAD, {"last": entries[-1].hash})
    return entries


def _chained(
    first: int,
    prev: str,
    actor: Actor,
    items: Sequence[tuple[dt.datetime, AuditEvent, Concerns]],
) -> tuple[list[AuditEntry], list[tuple[object, ...]]]:
    """The entries of `items`, numbered from `first`, each hash chained on the one before
    (`prev`: the hash of the row before the first), and their rows' values in
    _AUDIT_KEYS' order."""
    entries: list[AuditEntry] = []
    rows: list[tuple[object, ...]] = []  # in _AUDIT_KEYS' order
    # an import's thousands of rows share a time or a few: each one's UTC text made once
    times: dict[dt.datetime, tuple[dt.datetime, str]] = {}
    for seq, (when, event, concerns) in enumerate(items, start=first):
        if (moment := times.get(when)) is None:
            moment = times[when] = (at := when.astimezone(dt.UTC), _at_text(at))
        at, at_text = moment
        values = _values(concerns)
        digest = chain_hash(prev, _content_of(seq, at_text, actor, event.value, values))
        # what the entry and its row share, in both's order
        head = (seq, at, actor.user, actor.role, actor.workstation, event.value)
        entries.append(AuditEntry(*head, concerns, prev, digest))
        rows.append((*head, prev, digest, *values.values()))
        prev = digest
    return entries, rows


def _insert(connection: Connection, rows: list[tuple[object, ...]]) -> None:
    if len(rows) >= MANY_ROWS:  # an import's thousands: straight to the driver
        insert_tuples(connection, _AUDIT, _AUDIT_KEYS, rows)
    else:  # a call's write: the statement compiled once, which one row needs
        connection.execute(_ADD_ROWS, [dict(zip(_AUDIT_KEYS, row, strict=True)) for row in rows])


# Built once: every write of every call runs these three, and a statement built anew each
# time is compiled anew (its cache key) each time. On the tables, not the mapped classes:
# the rows are never loaded here, so the ORM has nothing to keep in step.
_HEAD = cast(Table, AuditHeadRow.__table__)
_TAKE_PLACES = (
    update(_HEAD)
    .where(_HEAD.c.id == HEAD_ID)
    .values(count=_HEAD.c.count + bindparam("rows"))
    .returning(_HEAD.c.count, _HEAD.c.last_hash)
)
_AUDIT = cast(Table, AuditRow.__table__)
_ADD_ROWS = insert(_AUDIT)
# from how many rows an append goes through db/bulk.py, skipping SQLAlchemy's processing
# of every value (an import audits each contact it adds)
MANY_ROWS = 100
_MOVE_HEAD = update(_HEAD).where(_HEAD.c.id == HEAD_ID).values(last_hash=bindparam("last"))
# the head put where a transaction's rows took it (AuditKeptToCommit)
_PUT_HEAD = (
    update(_HEAD)
    .where(_HEAD.c.id == HEAD_ID)
    .values(count=bindparam("count"), last_hash=bindparam("last"))
)


# an audit row's columns, in the order append_timed makes its values
_AUDIT_KEYS = (
    "seq",
    "at",
    "user",
    "role",
    "workstation",
    "event",
    "prev_hash",
    "hash",
    *_CONCERNS,
)


Appender = Callable[
    [Session, Actor, Sequence[tuple[dt.datetime, AuditEvent, Concerns]]], list[AuditEntry]
]


@dataclass
class PendingAudit:
    """The rows one transaction will add to the audit as it ends, all as `actor`, each at
    `at` unless `add` says when (a simulated call's writes, applied together): a unit of
    work gathers them while it changes things (a wrap-up, and the referrals it makes) and
    writes them last (see `append_many`)."""

    actor: Actor
    at: dt.datetime
    items: list[tuple[dt.datetime, AuditEvent, Concerns]] = field(default_factory=list)
    # how the rows are added to the chain (the trail's way: see AuditKeptToCommit)
    append: Appender = field(default=append_timed, repr=False)

    def add(self, event: AuditEvent, concerns: Concerns, at: dt.datetime | None = None) -> None:
        self.items.append((at or self.at, event, concerns))

    def write(self, session: Session) -> list[AuditEntry]:
        written = self.append(session, self.actor, self.items)
        self.items = []
        return written


def _entry(row: AuditRow) -> AuditEntry:
    return AuditEntry(
        seq=row.seq,
        at=row.at,
        user=row.user,
        role=row.role,
        workstation=row.workstation,
        event=row.event,
        concerns=Concerns(
            contact_id=row.contact_id,
            person_id=row.person_id,
            referral_id=row.referral_id,
            script=row.script,
            service_id=row.service_id,
            about_user=row.about_user,
            row_count=row.row_count,
            destination=row.destination,
            detail=row.detail,
        ),
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


@dataclass(frozen=True)
class Anchor:
    """The chain's head, to keep outside the database: `COUNT:HASH`."""

    count: int
    hash: str

    def __str__(self) -> str:
        return f"{self.count}:{self.hash}"

    @classmethod
    def read(cls, text: str) -> Anchor:
        count, _, digest = text.strip().partition(":")
        if not count.isdigit() or len(digest) != 64:
            raise ValueError(
                f"{text.strip()!r} is not an anchor: give COUNT:HASH as `frontdoor audit "
                "anchor` printed it"
            )
        return cls(int(count), digest.lower())


@dataclass(frozen=True)
class Verification:
    rows: int
    head: Anchor
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class AuditQuery:
    """Rows matching every filter given. `person_id`, `contact_ids` and `referral_ids`
    together say whom the rows are about: a row about any of them matches (a person's
    record is also their contacts and their referrals)."""

    person_id: str | None = None
    # rows about any of these contacts or referrals (the person's) count as about the
    # person: a contact's or a referral's row may name only it
    contact_ids: frozenset[str] = frozenset()
    referral_ids: frozenset[str] = frozenset()
    user: str | None = None
    since: dt.datetime | None = None  # from this moment
    before: dt.datetime | None = None  # up to, not including
    events: frozenset[str] = frozenset()


class AuditTrail:
    """The audit as this process writes it: who is signed in here is `actor`, set at
    sign-in and changed when someone else signs in at the same keyboard."""

    def __init__(self, sessions: sessionmaker[Session], clock: Clock, actor: Actor) -> None:
        self._sessions = sessions
        self._clock = clock
        self.actor = actor

    def record(
        self,
        session: Session,
        event: AuditEvent,
        concerns: Concerns = Concerns(),
        *,
        actor: Actor | None = None,
        at: dt.datetime | None = None,
    ) -> AuditEntry:
        """In the caller's transaction, with what it records."""
        return self._append(session, actor or self.actor, [(at or self._clock(), event, concerns)])[
            0
        ]

    def record_now(
        self,
        event: AuditEvent,
        concerns: Concerns = Concerns(),
        *,
        actor: Actor | None = None,
    ) -> AuditEntry:
        """In a transaction of its own: a view (written before the data is shown), a
        refused sign-in, an export."""
        with self._sessions() as session, session.begin():
            return self.record(session, event, concerns, actor=actor)

    def record_many(
        self,
        session: Session,
        items: Sequence[tuple[AuditEvent, Concerns]],
        *,
        actor: Actor | None = None,
        at: dt.datetime | None = None,
    ) -> list[AuditEntry]:
        """Several rows in the caller's transaction, in this order (an import's)."""
        when = at or self._clock()
        return self._append(session, actor or self.actor, [(when, e, c) for e, c in items])

    def record_all_now(self, items: Sequence[tuple[AuditEvent, Concerns]]) -> list[AuditEntry]:
        """Several rows in one transaction of their own (a history that shows several
        people)."""
        with self._sessions() as session, session.begin():
            return self.record_many(session, items)

    def pending(self, *, actor: Actor | None = None, at: dt.datetime | None = None) -> PendingAudit:
        """Rows for a unit of work to gather and write as it ends (see PendingAudit): as
        `actor` (default whoever is signed in here), at `at` (default now)."""
        return PendingAudit(actor or self.actor, at or self._clock(), append=self._append)

    def _append(
        self,
        session: Session,
        actor: Actor,
        items: Sequence[tuple[dt.datetime, AuditEvent, Concerns]],
    ) -> list[AuditEntry]:
        """Rows added to the chain in the caller's transaction (see append_many)."""
        return append_timed(session, actor, items)

    # --- reading -------------------------------------------------------------------
    def entries(self, query: AuditQuery = AuditQuery()) -> list[AuditEntry]:
        statement = select(AuditRow).order_by(AuditRow.seq)
        about = []
        if query.person_id is not None:
            about.append(AuditRow.person_id == query.person_id)
        if query.contact_ids:
            about.append(AuditRow.contact_id.in_(sorted(query.contact_ids)))
        if query.referral_ids:
            about.append(AuditRow.referral_id.in_(sorted(query.referral_ids)))
        if about:
            statement = statement.where(or_(*about))
        if query.user is not None:
            statement = statement.where(AuditRow.user == query.user)
        if query.since is not None:
            statement = statement.where(AuditRow.at >= query.since)
        if query.before is not None:
            statement = statement.where(AuditRow.at < query.before)
        if query.events:
            statement = statement.where(AuditRow.event.in_(sorted(query.events)))
        with self._sessions() as session:
            return [_entry(row) for row in session.scalars(statement)]

    def anchor(self) -> Anchor:
        with self._sessions() as session:
            head = session.get(AuditHeadRow, HEAD_ID)
            if head is None:
                raise AuditUnavailable("the audit trail's head row is missing")
            return Anchor(head.count, head.last_hash)

    def verify(self, anchor: Anchor | None = None) -> Verification:
        """Walk the chain: every row's hash from its content and the row before, no seq
        missing, the head agreeing with the last row, and the anchor (if given) a row
        of this chain with the hash it had."""
        problems: list[str] = []
        with self._sessions() as session:
            head_row = session.get(AuditHeadRow, HEAD_ID)
            head = Anchor(head_row.count, head_row.last_hash) if head_row else Anchor(0, GENESIS)
            if head_row is None:
                problems.append("the chain's head row is missing")
            expected_seq, prev, seen = 1, GENESIS, 0
            hashes_at_anchor: str | None = None
            for entry in self._walk(session):
                seen += 1
                if entry.seq != expected_seq:
                    gap = entry.seq - expected_seq
                    problems.append(
                        f"rows {expected_seq} to {entry.seq - 1} are missing"
                        if gap > 1
                        else f"row {expected_seq} is missing"
                    )
                elif entry.prev_hash != prev:
                    problems.append(
                        f"row {entry.seq} does not follow row {entry.seq - 1}: a row "
                        "before it was changed or replaced"
                    )
                content = _content(
                    entry.seq,
                    entry.at,
                    Actor(entry.user, entry.role, entry.workstation),
                    entry.event,
                    entry.concerns,
                )
                if chain_hash(entry.prev_hash, content) != entry.hash:
                    problems.append(f"row {entry.seq} was changed after it was written")
                if anchor is not None and entry.seq == anchor.count:
                    hashes_at_anchor = entry.hash
                expected_seq, prev = entry.seq + 1, entry.hash
            last = expected_seq - 1
            if head.count > last:
                missing = head.count - last
                problems.append(
                    f"the last {missing} row(s) are missing: the head counts {head.count}, "
                    f"the table ends at {last}"
                )
            elif head.count < last:
                problems.append(
                    f"the head counts {head.count} rows but the table holds {last}: the "
                    "head was changed"
                )
            elif head.hash != prev:
                problems.append(f"row {last} or the head was changed: their hashes differ")
            if anchor is not None:
                if anchor.count > last:
                    problems.append(
                        f"the anchor counts {anchor.count} rows but the chain ends at {last}: "
                        "rows were removed since the anchor was taken"
                    )
                elif anchor.count > 0 and hashes_at_anchor != anchor.hash:
                    problems.append(
                        f"row {anchor.count} is not the row anchored: the chain up to it "
                        "was changed or rebuilt since the anchor was taken"
                    )
        return Verification(rows=seen, head=head, problems=problems)

    @staticmethod
    def _walk(session: Session) -> Iterator[AuditEntry]:
        rows = session.scalars(
            select(AuditRow).order_by(AuditRow.seq).execution_options(yield_per=2000)
        )
        for row in rows:
            yield _entry(row)


class AuditKeptToCommit(AuditTrail):
    """The audit of units of work that share one long transaction, which nobody waits on
    (a simulation's: see db/held.py). Each row takes its place and its hash as it is
    recorded, exactly as AuditTrail gives them, from the head taken (and locked) at the
    transaction's first row; the rows are inserted and the head moved once, by `settle`,
    just before the transaction commits: one executemany rather than three statements for
    every unit of work. Rows not settled are lost with the transaction if it rolls back."""

    def __init__(self, sessions: sessionmaker[Session], clock: Clock, actor: Actor) -> None:
        super().__init__(sessions, clock, actor)
        self._last: tuple[int, str] | None = None  # the place and hash of the last row
        self._rows: list[tuple[object, ...]] = []

    def _append(
        self,
        session: Session,
        actor: Actor,
        items: Sequence[tuple[dt.datetime, AuditEvent, Concerns]],
    ) -> list[AuditEntry]:
        if not items:
            return []
        if self._last is None:
            # moving the count by nothing takes the head's lock, as append_timed does
            head = session.connection().execute(_TAKE_PLACES, {"rows": 0}).first()
            if head is None:
                raise AuditUnavailable(
                    "the audit trail's head row is missing: run `frontdoor db upgrade`"
                )
            self._last = (head[0], head[1])
        last, prev = self._last
        entries, rows = _chained(last + 1, prev, actor, items)
        self._rows += rows
        self._last = (entries[-1].seq, entries[-1].hash)
        return entries

    def settle(self, connection: Connection) -> None:
        """The rows recorded since the last settle inserted, and the head moved past
        them, in the transaction about to commit."""
        if self._last is None:
            return
        rows, (count, last) = self._rows, self._last
        self._rows, self._last = [], None
        if rows:
            _insert(connection, rows)
            connection.execute(_PUT_HEAD, {"count": count, "last": last})
