"""Reads sent to psycopg itself, several in one pipeline (PostgreSQL only), their rows as
SQLAlchemy would give them: names as attributes, times in UTC (as UTCDateTime gives
them), JSON as psycopg loads it (as SQLAlchemy's psycopg dialect has it).

Every call reads its caller's history and open referrals as it starts, and its contact
again as it ends. Through SQLAlchemy each read cost some 0.3 ms of this process's time
besides the driver's, and a round trip of its own; here the reads that need nothing
from each other go in one round trip (after any statements kept back: db/pipeline.py).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from sqlalchemy import ClauseElement, Connection, Dialect, Select, Table
from sqlalchemy.sql.compiler import Compiled
from sqlalchemy.sql.dml import UpdateBase

from frontdoor.db.base import UTCDateTime
from frontdoor.db.driver_errors import as_sqlalchemy_raises
from frontdoor.db.pipeline import Raw, kept_back


@dataclass(frozen=True)
class RawRead:
    """A read as psycopg takes it, and the columns of its rows that are UTC times."""

    text: str
    params: list[Any] | dict[str, Any]
    times: tuple[str, ...] = ()


# a statement's text for the dialect, by statement
_TEXTS: dict[int, tuple[ClauseElement, Compiled]] = {}


def compiled(dialect: Dialect, statement: ClauseElement, params: dict[str, Any]) -> Raw:
    """A statement of ours (a SELECT, an UPDATE ... RETURNING) as psycopg takes it, with
    its parameters (those it binds itself, a coalesce's nought, as well as `params`). Not
    for an expanding IN: its text is made afresh for each execution."""
    kept = _TEXTS.get(id(statement))
    if kept is None or kept[0] is not statement:
        kept = _TEXTS[id(statement)] = (statement, statement.compile(dialect=dialect))
    made = kept[1]
    return made.string, dict(made.construct_params(params) or {})


@functools.cache
def utc_columns(table: Table) -> tuple[str, ...]:
    """The columns of `table` that UTCDateTime keeps: read back in UTC."""
    return tuple(c.name for c in table.c if isinstance(c.type, UTCDateTime))


def read_together(
    connection: Connection, reads: Sequence[RawRead], first: Sequence[Raw] = ()
) -> list[list[SimpleNamespace]]:
    """The statements kept back on the connection, then `first` (writes whose results
    nobody reads), then each read, in one pipeline: one round trip. Each read's rows.
    A failure is raised as SQLAlchemy raises its own, naming the first read."""
    from psycopg.rows import dict_row  # only here: SQLite never needs it

    raw = connection.connection.driver_connection
    assert raw is not None
    before = [*kept_back(connection), *first]
    cursors = [raw.cursor(row_factory=dict_row) for _ in reads]
    try:
        if before or len(reads) > 1:
            with raw.pipeline():
                if before:
                    with raw.cursor() as cursor:
                        for text, params in before:
                            cursor.execute(text, params)
                for cursor, read in zip(cursors, reads, strict=True):
                    cursor.execute(read.text, read.params)
        else:  # one statement: a pipeline's sync would cost more than it saves
            cursors[0].execute(reads[0].text, reads[0].params)
        results = [cursor.fetchall() for cursor in cursors]
    except connection.dialect.loaded_dbapi.Error as exc:
        raise as_sqlalchemy_raises(connection, reads[0].text, exc) from exc
    finally:
        for cursor in cursors:
            cursor.close()
    return [
        [_in_utc(row, read.times) for row in rows]
        for rows, read in zip(results, reads, strict=True)
    ]


def _in_utc(row: dict[str, Any], times: tuple[str, ...]) -> SimpleNamespace:
    for name in times:
        if (value := row[name]) is not None:
            row[name] = value.astimezone(dt.UTC)
    return SimpleNamespace(**row)


def rows_of(
    connection: Connection,
    statement: Select[Any] | UpdateBase,
    params: dict[str, Any],
    times: tuple[str, ...] = (),
) -> list[Any]:
    """The rows of one statement of ours (no expanding IN), their columns by name: on
    PostgreSQL by psycopg itself (`times`: its UTC times), elsewhere by SQLAlchemy."""
    if connection.dialect.name != "postgresql":
        return list(connection.execute(statement, params))
    read = RawRead(*compiled(connection.dialect, statement, params), times)
    return read_together(connection, [read])[0]
