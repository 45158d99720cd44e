"""Referrals read with their history and chases in three statements for any number of
them, on the tables rather than the mapped classes: every call reads the open referrals
about its caller as it starts, and the simulation reads each call's new ones, and the
ORM's identity map and selectin loads cost several times the statements (issue 14)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any, cast

from sqlalchemy import BindParameter, Connection, Dialect, Select, Table, bindparam, select

from frontdoor.db.raw_reads import RawRead, compiled, read_together, utc_columns
from frontdoor.referrals.model import Change, Chase, ChaseKind, Referral
from frontdoor.referrals.states import State
from frontdoor.referrals.tables import ReferralChangeRow, ReferralChaseRow, ReferralRow

REFERRALS = cast(Table, ReferralRow.__table__)
CHANGES = cast(Table, ReferralChangeRow.__table__)
CHASES = cast(Table, ReferralChaseRow.__table__)


def referral_of(row: Any, history: Iterable[Any], chases: Iterable[Any]) -> Referral:
    """A referral from its row, its history in order and its chases in order: mapped
    rows (`store.to_referral`) or the plain rows read here, which have the same names."""
    return Referral(
        id=row.id,
        contact_id=row.contact_id,
        service_id=row.service_id,
        service_name=row.service_name,
        made_at=row.made_at,
        due_at=row.due_at,
        respond_within=row.respond_within,
        history=tuple(Change(cast(State, c.state), c.at, c.by, c.note) for c in history),
        person_id=row.person_id,
        subject_key=row.subject_key,
        caller_key=row.caller_key,
        category=row.category,
        reason=row.reason,
        said=row.said,
        code=row.code,
        red_flags=tuple(row.red_flags or ()),
        consent_share=row.consent_share,
        due_from=row.due_from,
        chases=tuple(
            Chase(c.contact_id, c.at, cast(ChaseKind, c.kind), c.by, c.note) for c in chases
        ),
        service_seq=row.service_seq,
    )


_IDS: BindParameter[Any] = bindparam("ids", expanding=True)
# in the orders the mapped relationships give them (tables.py)
_HISTORY = (
    select(CHANGES)
    .where(CHANGES.c.referral_id.in_(_IDS))
    .order_by(CHANGES.c.referral_id, CHANGES.c.seq)
)
_CHASES = (
    select(CHASES).where(CHASES.c.referral_id.in_(_IDS)).order_by(CHASES.c.referral_id, CHASES.c.id)
)


# PostgreSQL: the same two reads as plain text, by `= ANY(ids)` (one text for any number)
# or by `=` for one referral (psycopg's dumping of an array costs more than the read)
_ANY, _ONE = (
    (
        RawRead(
            f"SELECT * FROM referral_changes WHERE referral_id {of} ORDER BY referral_id, seq",
            {},
            utc_columns(CHANGES),
        ),
        RawRead(
            f"SELECT * FROM referral_chases WHERE referral_id {of} ORDER BY referral_id, id",
            {},
            utc_columns(CHASES),
        ),
    )
    for of in ("= ANY(%(ids)s)", "= %(ids)s")
)


def read_referrals(
    connection: Connection, query: Select[Any], params: dict[str, Any] | None = None
) -> list[Referral]:
    """The referrals `query` selects (the referrals table's columns; no expanding IN),
    in its order, each with its history and chases."""
    if connection.dialect.name == "postgresql":
        return _read_raw(connection, query, params or {})
    rows = connection.execute(query, params or {}).all()
    if not rows:
        return []
    wanted = {"ids": [row.id for row in rows]}
    changes, chased = [connection.execute(read, wanted).all() for read in (_HISTORY, _CHASES)]
    return _with_their_own(rows, changes, chased)


def _with_their_own(
    rows: Sequence[Any], changes: Iterable[Any], chased: Iterable[Any]
) -> list[Referral]:
    """The referrals of `rows`, in order, each with the changes and chases that are its
    own (each read in order for all of them at once)."""
    history: dict[str, list[Any]] = defaultdict(list)
    for change in changes:
        history[change.referral_id].append(change)
    chases: dict[str, list[Any]] = defaultdict(list)
    for chase in chased:
        chases[chase.referral_id].append(chase)
    return [referral_of(row, history[row.id], chases[row.id]) for row in rows]


# one referral by its id (a chase reads the one it is about)
_BY_ID = select(REFERRALS).where(REFERRALS.c.id == bindparam("referral_id"))
_BY_ID_TEXT = RawRead("SELECT * FROM referrals WHERE id = %(ids)s", {}, utc_columns(REFERRALS))


def read_referral(connection: Connection, referral_id: str) -> Referral | None:
    """The referral with this id (None: there is none), with its history and chases: on
    PostgreSQL in one round trip, its history and chases read by the id asked for rather
    than by the ids of the rows found (`read_referrals` takes two round trips for that)."""
    if connection.dialect.name != "postgresql":
        found = read_referrals(connection, _BY_ID, {"referral_id": referral_id})
        return found[0] if found else None
    wanted = {"ids": referral_id}
    rows, changes, chased = read_together(
        connection, [replace(t, params=wanted) for t in (_BY_ID_TEXT, *_ONE)]
    )
    return referral_of(rows[0], changes, chased) if rows else None


def _read_raw(connection: Connection, query: Select[Any], params: dict[str, Any]) -> list[Referral]:
    """On PostgreSQL by psycopg itself (db/raw_reads.py): the referrals, then their
    histories and chases together, in two round trips; one when there are none (most
    calls' callers have no open referral)."""
    (rows,) = read_together(connection, [referrals_read(connection.dialect, query, params)])
    return referrals_from(connection, rows)


def referrals_read(dialect: Dialect, query: Select[Any], params: dict[str, Any]) -> RawRead:
    """PostgreSQL: `query` (the referrals table's columns) as psycopg takes it."""
    return RawRead(*compiled(dialect, query, params), utc_columns(REFERRALS))


def referrals_from(connection: Connection, rows: list[Any]) -> list[Referral]:
    """PostgreSQL: the referrals `referrals_read` read, each with its history and chases
    (read together: one round trip; none when there are no referrals)."""
    if not rows:
        return []
    ids = [row.id for row in rows]
    texts, wanted = (_ONE, {"ids": ids[0]}) if len(ids) == 1 else (_ANY, {"ids": ids})
    changes, chased = read_together(connection, [replace(t, params=wanted) for t in texts])
    return _with_their_own(rows, changes, chased)
