"""A driver's error, met by code that spoke to the driver itself (bulk COPY, a pipeline
of statements), raised as SQLAlchemy raises its own."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError


def as_sqlalchemy_raises(connection: Connection, statement: str, exc: Any) -> DBAPIError:
    """The driver's error as SQLAlchemy raises one for its own statements (IntegrityError,
    OperationalError...), so that whoever catches those, and the log that names them,
    meets the same kind whichever way the rows went in; a connection the server dropped is
    invalidated as SQLAlchemy would. The rows are never part of it: they may be personal."""
    dialect = connection.dialect
    disconnected = dialect.is_disconnect(exc, connection.connection.driver_connection, None)
    if disconnected:
        connection.invalidate(exc)
    return DBAPIError.instance(
        statement,
        None,
        exc,
        dialect.loaded_dbapi.Error,
        hide_parameters=True,
        connection_invalidated=disconnected,
        dialect=dialect,
    )
