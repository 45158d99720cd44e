"""Rows written by psycopg itself (PostgreSQL only): one INSERT of any number of rows of
one table, as a parameter list psycopg takes, to go in a pipeline with others
(db/pipeline.py). The values are those db/bulk.py makes ready, as SQLAlchemy would
write them (tests/db/test_bulk.py, tests/interactions/test_step_writes.py).
`insert_later` writes rows that way on PostgreSQL and by SQLAlchemy elsewhere."""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import JSON, Connection, Insert, Table, insert

from frontdoor.db.bulk import prepared
from frontdoor.db.pipeline import Raw, send_later

# a table's INSERT, by table, columns and rows (0: any number, as JSON): its text, and the
# places of its JSON columns among its columns (looked up once a text: some 70,000 few-row
# INSERTs a simulated month come here, and looking up each column's type took 3 µs)
_INSERTS: dict[tuple[str, tuple[str, ...], int], tuple[str, tuple[int, ...]]] = {}
# psycopg keeps a text's conversion for at most this many parameters (_queries.py)
_FEW = 50


def values_insert(connection: Connection, table: Table, values: list[dict[str, Any]]) -> Raw:
    """One INSERT of all the rows `values` (one table's, the same keys), with its
    parameters as psycopg takes them, in the rows' order. A few values as a VALUES list
    (`_ready`); more as one JSON text of the rows, made into the table's rows by the
    server (`json_populate_recordset`): one text for any number of rows, where a VALUES
    list of a call's hundred parameters had psycopg convert its text afresh each time
    (it keeps a text's conversion for up to fifty), and an array a column cost psycopg
    twice the time of Python's C encoder writing the rows as JSON."""
    dialect = connection.dialect
    columns, rows = prepared(dialect, table, values)
    few = len(columns) * len(rows) <= _FEW
    key = (table.name, tuple(columns), len(rows) if few else 0)
    kept = _INSERTS.get(key)
    if kept is None:
        preparer = dialect.identifier_preparer
        named = ", ".join(preparer.quote(c) for c in columns)
        if few:
            one = "(" + ", ".join(["%s"] * len(columns)) + ")"
            source = "VALUES " + ", ".join([one] * len(rows))
        else:
            source = (
                f"SELECT {named} FROM json_populate_recordset("
                f"NULL::{preparer.format_table(table)}, %s)"
            )
        text = f"INSERT INTO {preparer.format_table(table)} ({named}) {source}"
        as_json = tuple(i for i, c in enumerate(columns) if isinstance(table.c[c].type, JSON))
        kept = _INSERTS[key] = (text, as_json)
    text, as_json = kept
    if few:
        return text, [value for row in _ready(as_json, rows) for value in row]
    return text, [json.dumps([dict(zip(columns, row, strict=True)) for row in rows], default=_iso)]


def _iso(value: object) -> str:
    """A time (with its zone: `prepared` refused one without) or a date, as JSON text:
    ISO 8601, which the server reads back to the same instant or day."""
    if isinstance(value, dt.date):  # a datetime is a date too
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not written as JSON")


def _ready(as_json: tuple[int, ...], rows: Sequence[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The rows' values with JSON (the values at the places `as_json`) wrapped as JSON: a
    plain INSERT's parameters are not told their columns' types."""
    from psycopg.types.json import Json  # only here: SQLite never needs it

    if not as_json:
        return list(rows)
    wrapped = []
    for row in rows:
        them = list(row)
        for i in as_json:
            if them[i] is not None:
                them[i] = Json(them[i])
        wrapped.append(tuple(them))
    return wrapped


def insert_later(
    connection: Connection, inserts: Sequence[tuple[Table, list[dict[str, Any]]]]
) -> None:
    """Each table's rows inserted, in order. On PostgreSQL by psycopg itself, all in one
    round trip, and in a simulation's held transaction with the next one (db/pipeline.py:
    nothing reads their results); elsewhere by SQLAlchemy's INSERT, now."""
    if connection.dialect.name == "postgresql":
        send_later(connection, [values_insert(connection, t, rows) for t, rows in inserts])
        return
    for table, rows in inserts:
        connection.execute(_insert(table), rows[0] if len(rows) == 1 else rows)


@functools.cache
def _insert(table: Table) -> Insert:
    """A table's INSERT, built once (SQLAlchemy compiles a statement built anew each time
    to find its cache key)."""
    return insert(table)
