"""What a value must be for a column to keep it, the same on every database.

SQLite keeps a 50-character id in a String(40) column, a NUL byte in text and a 2**40
in an Integer; PostgreSQL refuses each of them, and the statement's error then aborts the
whole transaction: one bad record of a file lost every good one, on PostgreSQL only. So a
record is checked against the stricter of the two before it is written, and an import
can refuse that record, by its number and in words, on both databases alike.

Text is checked as kept_text.py says.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON, BigInteger, FromClause, Integer, SmallInteger, String

from frontdoor.db.kept_text import nested_text_problem, text_problem

# PostgreSQL's integer types (SQLite keeps 64 bits in every INTEGER column)
INT_RANGES = {
    SmallInteger: (-(2**15), 2**15 - 1),
    BigInteger: (-(2**63), 2**63 - 1),
    Integer: (-(2**31), 2**31 - 1),  # last: SmallInteger and BigInteger are Integers too
}


def _int_range(column_type: Any) -> tuple[int, int] | None:
    for kind, bounds in INT_RANGES.items():
        if isinstance(column_type, kind):
            return bounds
    return None


@dataclass(frozen=True)
class _Kept:
    """What a column's type asks of a value, worked out once a column."""

    length: int | None  # a String's length
    bounds: tuple[int, int] | None  # an Integer's range
    json: bool


def _kept(column_type: Any) -> _Kept:
    length = getattr(column_type, "length", None) if isinstance(column_type, String) else None
    return _Kept(length, _int_range(column_type), isinstance(column_type, JSON))


def _problem(kept: _Kept, value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        problem = text_problem(value)
        if problem:
            return problem
        if kept.length is not None and len(value) > kept.length:
            return f"is {len(value)} characters long; the record keeps at most {kept.length}"
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        bounds = kept.bounds
        if bounds is not None and not bounds[0] <= value <= bounds[1]:
            return f"{value} is out of range: at most {bounds[1]:,}"
        return None
    if kept.json:
        return nested_text_problem(value)
    return None


# values no column can refuse (no text in them, no integer): most of a row's times
_ALWAYS_KEPT = (dt.datetime, dt.date, bool, float)


@functools.cache
def _columns_kept(table: FromClause) -> dict[str, _Kept]:
    return {column.key: _kept(column.type) for column in table.columns}


def misfits(
    table: FromClause, row: Mapping[str, object], text_kept: bool = False
) -> list[tuple[str, str]]:
    """(column, why) for each value of `row` that `table` cannot keep on every database
    (columns the table does not have are not judged here). An import checks every value
    of every line: what each column asks is worked out once a table. `text_kept`: every
    string in the row is known to be text a database keeps (kept_text.py), as a file's
    line is once it is read; then only lengths and numbers are judged."""
    if text_kept:
        return _measured(table, row)
    columns = _columns_kept(table)
    found: list[tuple[str, str]] = []
    for name, value in row.items():
        if value is None:
            continue
        kept = columns.get(name)
        if kept is None:
            continue
        if type(value) is str:
            # most of a file's values: ASCII, no NUL, short enough, judged here at once
            # (the same verdict as _problem's, which says what is wrong with the rest)
            if (kept.length is None or len(value) <= kept.length) and (
                value.isascii() and "\x00" not in value
            ):
                continue
        elif isinstance(value, _ALWAYS_KEPT):
            continue
        problem = _problem(kept, value)
        if problem:
            found.append((name, problem))
    return found


@functools.cache
def _measured_columns(table: FromClause, keys: tuple[str, ...]) -> tuple[tuple[str, _Kept], ...]:
    """The row's columns whose values can be too long or out of range, in the row's order."""
    columns = _columns_kept(table)
    return tuple(
        (key, kept)
        for key in keys
        if (kept := columns.get(key)) is not None
        and (kept.length is not None or kept.bounds is not None)
    )


def _measured(table: FromClause, row: Mapping[str, object]) -> list[tuple[str, str]]:
    """`misfits` of a row whose text is known to be kept: what else could be refused is a
    string too long or a number out of range, and only those columns are looked at (a
    contact's row has thirty values: its times, flags, notes and JSON cannot be refused)."""
    found: list[tuple[str, str]] = []
    for name, kept in _measured_columns(table, tuple(row)):
        value = row[name]
        if value is None or isinstance(value, _ALWAYS_KEPT):
            continue
        if type(value) is str and (kept.length is None or len(value) <= kept.length):
            continue
        problem = _problem(kept, value)
        if problem:
            found.append((name, problem))
    return found


def all_fit(table: FromClause, keys: tuple[str, ...], rows: Iterable[tuple[Any, ...]]) -> bool:
    """Whether `misfits(table, row, text_kept=True)` finds nothing in any of the rows, each
    given as a tuple of the values of `keys` (an import's rows, made without a dict each):
    the same judgement, made quickly for the rows that all fit; the caller asks `misfits`
    what is wrong when one does not."""
    places = _measured_places(table, keys)
    for row in rows:
        for place, kept, longest, low, high in places:
            value = row[place]
            kind = type(value)
            # most values: a string no longer than its column, a number in range
            if kind is str and (longest is None or len(value) <= longest):
                continue
            if kind is int and (low is None or low <= value <= high):
                continue
            if value is None or isinstance(value, _ALWAYS_KEPT):
                continue
            if _problem(kept, value):
                return False
    return True


@functools.cache
def _measured_places(
    table: FromClause, keys: tuple[str, ...]
) -> tuple[tuple[int, _Kept, int | None, int | None, int | None], ...]:
    """`_measured_columns` by their places among `keys`, each with its length and range."""
    where = {key: place for place, key in enumerate(keys)}
    return tuple(
        (
            where[key],
            kept,
            kept.length,
            kept.bounds[0] if kept.bounds else None,
            kept.bounds[1] if kept.bounds else None,
        )
        for key, kept in _measured_columns(table, keys)
    )
