"""What a value must be for a column to keep it, the same on every database.

SQLite keeps a 50-character id in a String(40) column, a NUL byte in text and a 2**40
in an Integer; PostgreSQL refuses each of them, and the statement's error then aborts the
whole transaction: one bad record of a file lost every good one, on PostgreSQL only. So a
record is checked against the stricter of the two before it is written, and an import
can refuse that record, by its number and in words, on both databases alike.

Text is checked as kept_text.py says.
"""

from __future__ import annotations

from collections.abc import Mapping
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


def value_problem(column_type: Any, value: object) -> str | None:
    """Why a column of this type cannot keep `value`, or None (None always fits)."""
    if value is None:
        return None
    if isinstance(value, str):
        problem = text_problem(value)
        if problem:
            return problem
        length = getattr(column_type, "length", None) if isinstance(column_type, String) else None
        if length is not None and len(value) > length:
            return f"is {len(value)} characters long; the record keeps at most {length}"
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        bounds = _int_range(column_type)
        if bounds is not None and not bounds[0] <= value <= bounds[1]:
            return f"{value} is out of range: at most {bounds[1]:,}"
        return None
    if isinstance(column_type, JSON):
        return nested_text_problem(value)
    return None


def misfits(table: FromClause, row: Mapping[str, object]) -> list[tuple[str, str]]:
    """(column, why) for each value of `row` that `table` cannot keep on every database
    (columns the table does not have are not judged here)."""
    found: list[tuple[str, str]] = []
    for name, value in row.items():
        column = table.columns.get(name)
        if column is None:
            continue
        problem = value_problem(column.type, value)
        if problem:
            found.append((name, problem))
    return found
