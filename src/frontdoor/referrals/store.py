"""The referrals as the rest of the program reads and changes them: one referral, the
open ones about a caller or a person, lists as of a moment, a change of state (checked
against the moves allowed and kept in the history), and chases."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, cast

from sqlalchemy import (
    Connection,
    Dialect,
    Select,
    bindparam,
    func,
    insert,
    literal_column,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session, sessionmaker

from frontdoor.access.audit import AuditEvent, AuditTrail, Concerns
from frontdoor.db.engine import unit
from frontdoor.db.pipeline import send_later
from frontdoor.db.raw_reads import RawRead, read_together
from frontdoor.db.raw_writes import insert_later, values_insert
from frontdoor.local_time import Clock
from frontdoor.referrals.model import Chase, ChaseKind, Referral
from frontdoor.referrals.reading import (
    CHANGES,
    CHASES,
    REFERRALS,
    read_referral,
    read_referrals,
    referral_of,
    referrals_from,
    referrals_read,
)
from frontdoor.referrals.states import ENDED, NEED_REASON, State, move_refused
from frontdoor.referrals.tables import ReferralChangeRow, ReferralRow


class ReferralError(Exception):
    """A change the record refuses: the message says why and what to do."""


def to_referral(row: ReferralRow) -> Referral:
    return referral_of(row, row.history, row.chases)


# A change may be stamped a little after this machine's clock (the team's system runs
# fast); one later than this is a mistake in the time, not a skew between clocks.
CLOCK_SLACK = dt.timedelta(minutes=5)


def utc_text(at: dt.datetime) -> str:
    """2026-04-08T22:59:59Z: a moment as files and messages give it."""
    return at.astimezone(dt.UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def check_change(
    referral_id: str,
    current: State,
    last_at: dt.datetime,
    to: State,
    at: dt.datetime,
    note: str | None,
    now: dt.datetime | None = None,
) -> str | None:
    """Why this change may not be made, every reason in words; None when it may. With
    `now`, a change later than now (give or take CLOCK_SLACK) is refused too."""
    problems: list[str] = []
    refused = move_refused(current, to)
    if refused:
        problems.append(refused)
    if at < last_at:
        problems.append(
            f"{utc_text(at)} is before its last change ({current} at {utc_text(last_at)}); "
            "changes may not go back in time"
        )
    if now is not None and at > now + CLOCK_SLACK:
        problems.append(
            f"{utc_text(at)} is in the future (it is now {utc_text(now)}): give the time it "
            "happened"
        )
    if to in NEED_REASON and not (note or "").strip():
        problems.append(f"{to} needs a reason (a note)")
    return f"{referral_id}: {'; '.join(problems)}" if problems else None


@dataclass(frozen=True)
class StateChange:
    """A change asked for: from the console, `referrals set`, or a line of a team's file."""

    referral_id: str
    state: State
    at: dt.datetime
    by: str
    note: str | None = None


def changed(row: ReferralRow, detail: str) -> tuple[AuditEvent, Concerns]:
    """The audit row of a change to a referral (its state, a chase, a follow-up)."""
    return changed_about(row.id, row.contact_id, row.person_id, detail)


def changed_about(
    referral_id: str, contact_id: str, person_id: str | None, detail: str
) -> tuple[AuditEvent, Concerns]:
    return AuditEvent.REFERRAL_CHANGED, Concerns(
        contact_id=contact_id, person_id=person_id, referral_id=referral_id, detail=detail
    )


@functools.cache
def _open_about(caller: bool, subject: bool, person: bool) -> Select[Any]:
    """The open referrals' look-up for the keys a call has, built once for each (every
    call starts with one)."""
    keys = [
        column == bindparam(name)
        for column, name, given in (
            (REFERRALS.c.caller_key, "caller", caller),
            (REFERRALS.c.subject_key, "subject", subject),
            (REFERRALS.c.person_id, "person", person),
        )
        if given
    ]
    # the ended states as literals, not an expanding IN: its text would be made afresh
    # for each call (and db/raw_reads.py could not keep it)
    not_ended = [REFERRALS.c.state != literal_column(f"'{s}'") for s in sorted(ENDED)]
    return (
        select(REFERRALS).where(or_(*keys), *not_ended).order_by(REFERRALS.c.due_at, REFERRALS.c.id)
    )


def _open_about_lookup(
    caller_key: str | None, subject_key: str | None, person_id: str | None
) -> tuple[Select[Any], dict[str, Any]] | None:
    """The open referrals' look-up for these keys, with its parameters (None: no key to
    look up by)."""
    if not (caller_key or subject_key or person_id):
        return None
    query = _open_about(bool(caller_key), bool(subject_key), bool(person_id))
    return query, {"caller": caller_key, "subject": subject_key, "person": person_id}


_MADE_IN = (
    select(REFERRALS)
    .where(REFERRALS.c.contact_id == bindparam("contact_id"))
    .order_by(REFERRALS.c.service_seq)
)
# the referrals a batch of changes moves, locked (in id order, as any other batch locks
# them), with how many changes each has already: the next takes the place after them
_TO_CHANGE = (
    select(
        REFERRALS.c.id,
        REFERRALS.c.contact_id,
        REFERRALS.c.person_id,
        REFERRALS.c.state,
        REFERRALS.c.state_at,
        select(func.count())
        .where(CHANGES.c.referral_id == REFERRALS.c.id)
        .scalar_subquery()
        .label("changes"),
    )
    .where(REFERRALS.c.id.in_(bindparam("ids", expanding=True)))
    .order_by(REFERRALS.c.id)
    .with_for_update(of=REFERRALS)
)
_ADD_CHANGES = insert(CHANGES)
_MOVE = (
    update(REFERRALS)
    .where(REFERRALS.c.id == bindparam("referral_id"))
    .values(state=bindparam("to_state"), state_at=bindparam("to_at"))
)


# PostgreSQL: _TO_CHANGE as psycopg takes it, by `= ANY(ids)` (one text for any number),
# and _MOVE for every referral moved in one statement
_TO_CHANGE_TEXT = (
    "SELECT r.id, r.contact_id, r.person_id, r.state, r.state_at, "
    "(SELECT count(*) FROM referral_changes c WHERE c.referral_id = r.id) AS changes "
    "FROM referrals r WHERE r.id = ANY(%(ids)s) ORDER BY r.id FOR UPDATE OF r"
)
_MOVE_TEXT = (
    "UPDATE referrals AS r SET state = m.state, state_at = m.state_at "
    "FROM unnest(%(ids)s::varchar[], %(states)s::varchar[], %(ats)s::timestamptz[]) "
    "AS m(id, state, state_at) WHERE r.id = m.id"
)


def _to_change(connection: Connection, wanted: list[str]) -> list[Any]:
    """The referrals a batch of changes moves, locked (_TO_CHANGE). On PostgreSQL by
    psycopg itself (db/raw_reads.py: the simulation's teams move some 2,000 a week)."""
    if connection.dialect.name != "postgresql":
        return list(connection.execute(_TO_CHANGE, {"ids": wanted}))
    read = RawRead(_TO_CHANGE_TEXT, {"ids": wanted}, ("state_at",))
    return read_together(connection, [read])[0]


def _write_moves(
    connection: Connection, added: list[dict[str, object]], moved: dict[str, _Moving]
) -> None:
    """The changes added to the histories, and each referral moved to its last state. On
    PostgreSQL two statements in one round trip; in a simulation's held transaction, with
    the next (db/pipeline.py)."""
    if connection.dialect.name != "postgresql":
        connection.execute(_ADD_CHANGES, added)
        connection.execute(
            _MOVE,
            [
                {"referral_id": i, "to_state": m.state, "to_at": m.state_at}
                for i, m in moved.items()
            ],
        )
        return
    # a time without its zone is refused by values_insert (each is its last change's)
    move = {
        "ids": list(moved),
        "states": [m.state for m in moved.values()],
        "ats": [m.state_at for m in moved.values()],
    }
    send_later(connection, [values_insert(connection, CHANGES, added), (_MOVE_TEXT, move)])


@dataclass
class _Moving:
    """A referral as a batch of changes moves it."""

    contact_id: str
    person_id: str | None
    state: State
    state_at: dt.datetime
    changes: int


class ReferralStore:
    """With `audit`, every change writes its audit rows in its own transaction, at this
    store's time (the simulation's clock in a simulation)."""

    def __init__(
        self, sessions: sessionmaker[Session], clock: Clock, audit: AuditTrail | None = None
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._audit = audit

    def _audited(self, session: Session, items: list[tuple[AuditEvent, Concerns]]) -> None:
        """Last in the unit of work (see append_many)."""
        if self._audit is not None:
            self._audit.record_many(session, items, at=self._clock())

    # --- reading ---------------------------------------------------------------------
    def get(self, referral_id: str) -> Referral | None:
        with self._sessions() as session:
            row = session.get(ReferralRow, referral_id.strip().upper())
            return to_referral(row) if row else None

    def made_in(self, contact_id: str) -> list[Referral]:
        with self._sessions() as session:
            return read_referrals(session.connection(), _MADE_IN, {"contact_id": contact_id})

    def made_in_each(self, contact_ids: Sequence[str]) -> dict[str, list[Referral]]:
        """The referrals made in each of these contacts (an export reads them a batch of
        contacts at a time), in the order of the contacts' services."""
        found: dict[str, list[Referral]] = {}
        if not contact_ids:
            return found
        with self._sessions() as session:
            rows = session.scalars(
                select(ReferralRow)
                .where(ReferralRow.contact_id.in_(list(contact_ids)))
                .order_by(ReferralRow.contact_id, ReferralRow.service_seq)
            )
            for row in rows:
                found.setdefault(row.contact_id, []).append(to_referral(row))
        return found

    def listing(
        self,
        at: dt.datetime | None = None,
        *,
        state: State | None = None,
        overdue: bool = False,
        service: str | None = None,
    ) -> list[Referral]:
        """The referrals made by `at` (default now), as they stood then, oldest first."""
        at = at or self._clock()
        with self._sessions() as session:
            query = select(ReferralRow).where(ReferralRow.made_at <= at)
            if service:
                query = query.where(ReferralRow.service_id == service)
            if overdue:
                query = query.where(ReferralRow.due_at < at)
            rows = session.scalars(query.order_by(ReferralRow.made_at, ReferralRow.id))
            found = [to_referral(r) for r in rows]
        if state is not None:
            found = [r for r in found if r.state_at(at) == state]
        if overdue:
            found = [r for r in found if r.overdue_at(at)]
        return found

    def open_about(
        self,
        *,
        caller_key: str | None = None,
        subject_key: str | None = None,
        person_id: str | None = None,
        at: dt.datetime | None = None,
    ) -> list[Referral]:
        """Every referral not ended that is about this person or came from this caller,
        oldest due first (what the handler sees before triage)."""
        lookup = _open_about_lookup(caller_key, subject_key, person_id)
        if lookup is None:
            return []
        with self._sessions() as session:
            return read_referrals(session.connection(), *lookup)

    def open_about_read(
        self,
        dialect: Dialect,
        caller_key: str | None,
        subject_key: str | None,
        person_id: str | None,
    ) -> RawRead | None:
        """PostgreSQL: `open_about`'s look-up as psycopg takes it, to go in the round trip
        that starts a call (interactions' `Record.start_call`); `open_about_from` reads
        the rest from its rows. None: nothing to look up by."""
        lookup = _open_about_lookup(caller_key, subject_key, person_id)
        return referrals_read(dialect, *lookup) if lookup else None

    def open_about_from(self, rows: list[Any]) -> list[Referral]:
        """The open referrals `open_about_read`'s look-up found, as `open_about` gives
        them (their histories and chases read now, when there are any)."""
        if not rows:
            return []
        with self._sessions() as session:
            return referrals_from(session.connection(), rows)

    # --- changing ---------------------------------------------------------------------
    def change(self, change: StateChange, source: str = "console") -> Referral:
        """Record one change of state; ReferralError (nothing written) when it is not
        allowed."""
        with unit(self._sessions) as session:
            row = self._locked(session, change.referral_id)
            if row is None:
                raise ReferralError(f"there is no referral {change.referral_id}")
            self._add_change(session, row, change, source)
            session.flush()
            session.refresh(row)
            self._audited(session, [changed(row, f"{change.state} ({source})")])
            return to_referral(row)

    def _locked(self, session: Session, referral_id: str) -> ReferralRow | None:
        return session.scalar(
            select(ReferralRow)
            .where(ReferralRow.id == referral_id.strip().upper())
            .with_for_update()
        )

    def _add_change(
        self, session: Session, row: ReferralRow, change: StateChange, source: str
    ) -> None:
        current = cast(State, row.state)
        refused = check_change(row.id, current, row.state_at, change.state, change.at, change.note)
        if refused:
            raise ReferralError(refused)
        # appended to the history as loaded: the next change to it in this unit of work
        # counts it without a flush and a reload
        row.history.append(
            ReferralChangeRow(
                referral_id=row.id,
                seq=len(row.history) + 1,
                state=change.state,
                at=change.at,
                by=change.by,
                note=(change.note or "").strip() or None,
                recorded_at=self._clock(),
                source=source,
            )
        )
        row.state = change.state
        row.state_at = change.at

    def apply_all(self, changes: Sequence[StateChange], source: str) -> int:
        """Every change in order in one transaction, or none (the caller has checked them
        with `plan`); returns how many were written. Core statements, one for each table
        however many changes: the simulation's teams write their moves as its clock
        passes them, a few before every call."""
        with unit(self._sessions) as session:
            connection = session.connection()
            wanted = sorted({c.referral_id.strip().upper() for c in changes})
            moving = {
                row.id: _Moving(
                    row.contact_id, row.person_id, row.state, row.state_at, int(row.changes)
                )
                for row in _to_change(connection, wanted)
            }
            added: list[dict[str, object]] = []
            audited = []
            for change in changes:
                referral_id = change.referral_id.strip().upper()
                row = moving.get(referral_id)
                if row is None:
                    raise ReferralError(f"there is no referral {change.referral_id}")
                refused = check_change(
                    referral_id, row.state, row.state_at, change.state, change.at, change.note
                )
                if refused:
                    raise ReferralError(refused)
                row.changes += 1
                added.append(
                    {
                        "referral_id": referral_id,
                        "seq": row.changes,
                        "state": change.state,
                        "at": change.at,
                        "by": change.by,
                        "note": (change.note or "").strip() or None,
                        "recorded_at": self._clock(),
                        "source": source,
                    }
                )
                row.state, row.state_at = change.state, change.at
                audited.append(
                    changed_about(
                        referral_id, row.contact_id, row.person_id, f"{change.state} ({source})"
                    )
                )
            if added:
                moved = sorted({str(c["referral_id"]) for c in added})
                _write_moves(connection, added, {i: moving[i] for i in moved})
            self._audited(session, audited)
        return len(changes)

    def chase(
        self,
        referral_id: str,
        kind: ChaseKind,
        *,
        contact_id: str | None,
        by: str | None,
        note: str | None = None,
        at: dt.datetime | None = None,
    ) -> Referral:
        """A chase about the referral: the caller's (counted once per contact), or the
        handler's call to the team."""
        at = at or self._clock()
        wanted = {"referral_id": referral_id.strip().upper()}
        with unit(self._sessions) as session:
            connection = session.connection()
            referral = read_referral(connection, wanted["referral_id"])
            if referral is None:
                raise ReferralError(f"there is no referral {referral_id}")
            already = kind == "caller" and any(
                c.kind == "caller" and c.contact_id == contact_id and contact_id
                for c in referral.chases
            )
            if already:
                return referral
            chase = Chase(contact_id, at.astimezone(dt.UTC), kind, by, (note or "").strip() or None)
            insert_later(connection, [(CHASES, [{**vars(chase), **wanted}])])
            who = "the caller rang about it" if kind == "caller" else "the team was chased"
            self._audited(
                session,
                [
                    changed_about(
                        referral.id, referral.contact_id, referral.person_id, f"chased: {who}"
                    )
                ],
            )
            # its chases in the order read (by id): the new one is the last
            return replace(referral, chases=(*referral.chases, chase))
