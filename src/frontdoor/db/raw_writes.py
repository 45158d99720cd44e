"""Rows written by psycopg itself (PostgreSQL only): one INSERT of any number of rows of
one table, as a parameter list psycopg takes, to go in a pipeline with others
(db/pipeline.py). The values are those db/bulk.py makes ready, as SQLAlchemy would
write them (tests/db/test_bulk.py, tests/interactions/test_step_writes.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Connection, Dialect, Table

from frontdoor.db.bulk import prepared
from frontdoor.db.pipeline import Raw

# the text of a table's INSERT, by table, columns and rows (0: any number, as arrays)
_INSERT_TEXT: dict[tuple[str, tuple[str, ...], int], str] = {}
# psycopg keeps a text's conversion for at most this many parameters (_queries.py)
_FEW = 50


def values_insert(connection: Connection, table: Table, values: list[dict[str, Any]]) -> Raw:
    """One INSERT of all the rows `values` (one table's, the same keys), with its
    parameters as psycopg takes them (`_ready`), in the rows' order. A few values as a
    VALUES list; more as an array a column (`unnest` zips them in order): one text for
    any number of rows, where a VALUES list of a call's hundred parameters had psycopg
    convert its text afresh each time (it keeps a text's conversion for up to fifty)."""
    dialect = connection.dialect
    columns, rows = _ready(dialect, table, values)
    few = len(columns) * len(rows) <= _FEW
    key = (table.name, tuple(columns), len(rows) if few else 0)
    text = _INSERT_TEXT.get(key)
    if text is None:
        preparer = dialect.identifier_preparer
        if few:
            one = "(" + ", ".join(["%s"] * len(columns)) + ")"
            source = "VALUES " + ", ".join([one] * len(rows))
        else:
            arrays = (f"%s::{table.c[c].type.compile(dialect=dialect)}[]" for c in columns)
            source = f"SELECT * FROM unnest({', '.join(arrays)})"
        text = _INSERT_TEXT[key] = (
            f"INSERT INTO {preparer.format_table(table)} "
            f"({', '.join(preparer.quote(c) for c in columns)}) {source}"
        )
    if few:
        return text, [value for row in rows for value in row]
    return text, [list(column) for column in zip(*rows, strict=True)]


def _ready(
    dialect: Dialect, table: Table, values: list[dict[str, Any]]
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The rows' columns and values as db/bulk.py makes them ready (scalar defaults filled,
    a time refused without its zone), JSON wrapped as JSON: COPY's binary format is told
    each column's type, a plain INSERT's parameters are not."""
    from psycopg.types.json import Json  # only here: SQLite never needs it

    columns, rows = prepared(dialect, table, values)
    as_json = [i for i, c in enumerate(columns) if isinstance(table.c[c].type, JSON)]
    if not as_json:
        return columns, list(rows)
    wrapped = []
    for row in rows:
        them = list(row)
        for i in as_json:
            if them[i] is not None:
                them[i] = Json(them[i])
        wrapped.append(tuple(them))
    return columns, wrapped
