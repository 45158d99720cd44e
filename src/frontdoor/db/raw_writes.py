"""Rows written by psycopg itself (PostgreSQL only): one INSERT of any number of rows of
one table, as a parameter list psycopg takes, to go in a pipeline with others
(db/pipeline.py). The values are those db/bulk.py makes ready, as SQLAlchemy would
write them (tests/db/test_bulk.py, tests/interactions/test_step_writes.py)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import JSON, Connection, Table

from frontdoor.db.bulk import prepared
from frontdoor.db.pipeline import Raw

# the text of a table's INSERT, by table, columns and rows (0: any number, as JSON)
_INSERT_TEXT: dict[tuple[str, tuple[str, ...], int], str] = {}
# the places of the JSON columns among an INSERT's, by the same key as its text
_JSON_PLACES: dict[tuple[str, tuple[str, ...], int], tuple[int, ...]] = {}
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
    text = _INSERT_TEXT.get(key)
    if text is None:
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
        text = _INSERT_TEXT[key] = f"INSERT INTO {preparer.format_table(table)} ({named}) {source}"
    if few:
        return text, [value for row in _ready(table, key, columns, rows) for value in row]
    return text, [json.dumps([dict(zip(columns, row, strict=True)) for row in rows], default=_iso)]


def _iso(value: object) -> str:
    """A time (with its zone: `prepared` refused one without) or a date, as JSON text:
    ISO 8601, which the server reads back to the same instant or day."""
    if isinstance(value, dt.date):  # a datetime is a date too
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not written as JSON")


def _ready(
    table: Table,
    key: tuple[str, tuple[str, ...], int],
    columns: list[str],
    rows: Sequence[tuple[Any, ...]],
) -> list[tuple[Any, ...]]:
    """The rows' values with JSON wrapped as JSON: a plain INSERT's parameters are not
    told their columns' types."""
    from psycopg.types.json import Json  # only here: SQLite never needs it

    as_json = _JSON_PLACES.get(key)
    if as_json is None:
        # looked up once a text: every few-row INSERT of every call comes here (some
        # 70,000 a simulated month), and looking each column's type up again took 3 µs
        as_json = _JSON_PLACES[key] = tuple(
            i for i, c in enumerate(columns) if isinstance(table.c[c].type, JSON)
        )
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
