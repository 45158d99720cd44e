"""The few expressions that differ between SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Float, cast, func, literal_column
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import TableValuedAlias


def epoch(column: Any, dialect: str) -> ColumnElement[float]:
    """Seconds since 1970 for a UTC timestamp column."""
    if dialect == "sqlite":
        return (func.julianday(column) - 2440587.5) * 86400.0
    return cast(func.extract("epoch", column), Float)


def after(column: Any, seconds: int, dialect: str) -> ColumnElement[Any]:
    """`column` plus `seconds`, in the column's own stored form, so that a comparison with
    another timestamp column can use an index (SQLite keeps 'YYYY-MM-DD HH:MM:SS.ffffff')."""
    if dialect == "sqlite":
        return func.strftime("%Y-%m-%d %H:%M:%S", column, f"+{seconds} seconds")
    return column + func.make_interval(0, 0, 0, 0, 0, 0, seconds)


def hour_bucket(column: Any, dialect: str) -> ColumnElement[str]:
    """'YYYY-MM-DD HH' in UTC: contacts are counted by UTC hour in SQL, and the few
    buckets are shifted into local time in Python (a day has 24 of them at most)."""
    if dialect == "sqlite":
        return func.strftime("%Y-%m-%d %H", column)
    # literals, not parameters: the same bucket in SELECT and GROUP BY must be one
    # expression to PostgreSQL, and two parameters are two expressions to it
    return func.to_char(
        func.timezone(literal_column("'UTC'"), column), literal_column("'YYYY-MM-DD HH24'")
    )


def json_strings(column: Any, dialect: str) -> TableValuedAlias:
    """The strings of a JSON array column as a table of one column, `value` (a search's
    results, to look for the services a contact used among them)."""
    if dialect == "sqlite":
        return func.json_each(column).table_valued("value")
    return func.json_array_elements_text(column).table_valued("value")
