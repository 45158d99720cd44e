"""Many rows into one table, as SQLAlchemy's executemany would write them, for less.

An import writes some seven rows a contact. Through `connection.execute(insert(t), rows)`
SQLAlchemy makes every row a dict of every bind and passes each value through its
type's processors one call at a time: on SQLite nearly as much time as SQLite itself
took to insert them. Here the values are made ready once a column (a time as
SQLite's text, JSON as its text) straight into plain tuples, then handed to the driver:
SQLite's executemany, and PostgreSQL's binary COPY (one statement a table however many rows;
triggers fire for each row, as they do for INSERT).

The values kept are the same as SQLAlchemy keeps (tests/db/test_bulk.py compares them
column by column on both databases), and a column left out takes its Python-side scalar
default as SQLAlchemy's insert gives it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from operator import itemgetter
from typing import Any, TypeVar

from sqlalchemy import JSON, Column, ColumnElement, Connection, Dialect, Table, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import QueryableAttribute

from frontdoor.db.base import UTCDateTime
from frontdoor.db.driver_errors import as_sqlalchemy_raises
from frontdoor.db.pipeline import send_kept
from frontdoor.db.results_later import pending_for

Convert = Callable[[Any], Any]
T = TypeVar("T")


def _naive_utc_text(value: dt.datetime) -> str:
    """A time as SQLAlchemy's SQLite DateTime keeps it (UTC, as UTCDateTime gives it)."""
    text = _TEXTS.get(value)
    if text is not None:
        return text
    if value.tzinfo is None:
        raise ValueError("times must carry a zone; the record keeps UTC")
    if value.tzinfo is not dt.UTC:
        value = value.astimezone(dt.UTC)
    # "YYYY-MM-DD HH:MM:SS.ffffff", SQLAlchemy's storage format; isoformat pads the year
    # to four digits as it does, and a contact's years are 1900-2999 anyway
    text = value.replace(tzinfo=None).isoformat(" ", "microseconds")
    if len(_TEXTS) >= _TEXTS_KEPT:
        _TEXTS.clear()
    _TEXTS[value] = text
    return text


# The text of the times written lately, by time (equal times, in any zone, are one UTC
# text). An import writes each time some four times (a contact's end is its ends' and
# services' time too, the audit's rows share one), and the text cost a tenth of a
# month's import on SQLite. Bounded: cleared when full, so it never grows with a file.
_TEXTS: dict[dt.datetime, str] = {}
_TEXTS_KEPT = 50_000


def _aware(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        raise ValueError("times must carry a zone; the record keeps UTC")
    return value


def _converter(column: Column[Any], dialect: Any) -> Convert | None:
    """How a value of the column is made ready for the driver (None: as it is)."""
    kind = column.type
    sqlite = dialect.name == "sqlite"
    if isinstance(kind, UTCDateTime):
        return _naive_utc_text if sqlite else _aware
    if isinstance(kind, JSON):
        if not sqlite:
            return None  # psycopg's json dumper writes it, as COPY's binary format wants
        dumps: Callable[[Any], str] = getattr(dialect, "_json_serializer", None) or json.dumps
        return dumps
    if sqlite:
        processor: Convert | None = kind._cached_bind_processor(dialect)
        return processor
    return None  # psycopg dumps str, int, bool, date and None in COPY's binary format


class _Plan:
    """A table's columns as a file of rows gives them, and each one's converter."""

    def __init__(self, table: Table, keys: Sequence[str], dialect: Any) -> None:
        self.table = table
        self.keys = list(keys)
        unknown = [k for k in keys if k not in table.c]
        if unknown:
            raise KeyError(f"{table.name} has no column {', '.join(unknown)}")
        self.defaults: dict[str, Any] = {}
        for column in table.c:
            if column.key in keys or column.default is None:
                continue
            if not column.default.is_scalar:
                raise ValueError(
                    f"{table.name}.{column.key} has a default made per row: give it a value"
                )
            self.defaults[column.key] = column.default.arg  # type: ignore[attr-defined]
        self.columns = [*self.keys, *self.defaults]
        # a row's values in one call (C), then only the columns that need it converted
        self.values = itemgetter(*self.keys) if len(self.keys) > 1 else _one(self.keys[0])
        self.converters = [
            (i, convert)
            for i, k in enumerate(self.keys)
            if (convert := _converter(table.c[k], dialect)) is not None
        ]
        self.fixed = tuple(
            convert(value)
            if (convert := _converter(table.c[k], dialect)) and value is not None
            else value
            for k, value in self.defaults.items()
        )

    def tuples(self, rows: Sequence[Mapping[str, Any]]) -> Sequence[tuple[Any, ...]]:
        """The rows' values in the plan's order, converted (`converted`)."""
        values = self.values
        return self.converted([values(row) for row in rows])

    def converted(self, values: Sequence[tuple[Any, ...]]) -> Sequence[tuple[Any, ...]]:
        """`tuples` for rows given as tuples of the plan's keys' values, in that order."""
        converters, fixed = self.converters, self.fixed
        if not converters:
            return [row + fixed for row in values] if fixed else values
        made = []
        for row in values:
            them = list(row)
            for i, convert in converters:
                if (value := them[i]) is not None:
                    them[i] = convert(value)
            made.append(tuple(them) + fixed)
        return made


def _one(key: str) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    """itemgetter of one key gives the value, not a tuple of it."""
    return lambda row: (row[key],)


_PLANS: dict[tuple[str, str, tuple[str, ...]], _Plan] = {}


def insert_rows(connection: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert `rows` (dicts with the same keys, as for an executemany) into `table`, in
    the connection's transaction."""
    if not rows:
        return
    plan = _plan(connection.dialect, table, tuple(rows[0]))
    _write(connection, plan, plan.tuples(rows))


def prepared(
    dialect: Dialect, table: Table, rows: Sequence[Mapping[str, Any]]
) -> tuple[list[str], Sequence[tuple[Any, ...]]]:
    """The columns `insert_rows` would write for `rows` (their keys, then those left to a
    scalar default) and each row's values, made ready as it makes them: for a caller that
    writes the rows its own way (contact_rows' one INSERT of a few)."""
    plan = _plan(dialect, table, tuple(rows[0]))
    return plan.columns, plan.tuples(rows)


def insert_tuples(
    connection: Connection, table: Table, keys: tuple[str, ...], rows: Sequence[tuple[Any, ...]]
) -> None:
    """`insert_rows` for rows given as tuples of the values of `keys`, in that order: for
    an import's thousands, made straight from what it read, no dict a row."""
    if not rows:
        return
    plan = _plan(connection.dialect, table, keys)
    _write(connection, plan, plan.converted(rows))


def _plan(dialect: Dialect, table: Table, keys: tuple[str, ...]) -> _Plan:
    cache = (dialect.name, table.name, keys)
    plan = _PLANS.get(cache)
    if plan is None or plan.table is not table:
        plan = _PLANS[cache] = _Plan(table, keys, dialect)
    return plan


def _write(connection: Connection, plan: _Plan, values: Sequence[tuple[Any, ...]]) -> None:
    dialect, table = connection.dialect, plan.table
    quote = dialect.identifier_preparer.quote
    names = ", ".join(quote(c) for c in plan.columns)
    target = dialect.identifier_preparer.format_table(table)
    if dialect.name == "sqlite":
        marks = ", ".join("?" for _ in plan.columns)
        connection.exec_driver_sql(f"INSERT INTO {target} ({names}) VALUES ({marks})", values)
        return
    if dialect.driver != "psycopg":
        raise ValueError(f"bulk inserts know SQLite and psycopg, not {dialect.driver}")
    raw = connection.connection.driver_connection
    assert raw is not None
    # binary: no value written out as text by us and parsed back by the server (times,
    # numbers), measured at a tenth of our side of a month's import; each value's type is
    # then ours to say, and said as the server declares the column
    statement = f"COPY {target} ({names}) FROM STDIN (FORMAT BINARY)"
    send_kept(connection)  # statements kept back go first (db/pipeline.py)
    later = pending_for(connection)
    if later is not None:
        later.settle()  # the last COPY's result read before anything more is sent
    try:
        types = _column_types(raw, target, plan.columns)
        with raw.cursor() as cursor:
            writer = later.writer(cursor) if later is not None else None
            with cursor.copy(statement, writer=writer) as copy:
                copy.set_types(types)
                for row in values:
                    copy.write_row(row)
    except dialect.loaded_dbapi.Error as exc:
        raise as_sqlalchemy_raises(connection, statement, exc) from exc
    if later is not None:
        later.sent(statement)


# each table's columns' type oids by database, table and columns: asked once a process
_TYPES: dict[tuple[str, str, tuple[str, ...]], list[int]] = {}


def _column_types(raw: Any, target: str, columns: Sequence[str]) -> list[int]:
    """The server's type of each column (its oid), for COPY's binary format: asked of the
    catalogue rather than worked out from the mapped types, so that what is written is
    what the table holds."""
    info = raw.info
    key = (f"{info.host}:{info.port}/{info.dbname}", target, tuple(columns))
    types = _TYPES.get(key)
    if types is None:
        with raw.cursor() as cursor:
            cursor.execute(
                "SELECT attname, atttypid::int FROM pg_attribute"
                " WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
                [target],
            )
            declared = dict(cursor.fetchall())
        types = _TYPES[key] = [declared[name] for name in columns]
    return types


def among(
    dialect: Dialect, column: ColumnElement[T] | QueryableAttribute[T], values: Sequence[T]
) -> ColumnElement[bool]:
    """`column IN (values)` for an import's thousands of ids. On PostgreSQL as
    `column = ANY(array)`, one parameter: psycopg parses a statement of thousands of
    placeholders afresh each time (too long to cache), a twelfth of an import's own time."""
    if dialect.name == "postgresql":
        return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))
    return column.in_(list(values))
