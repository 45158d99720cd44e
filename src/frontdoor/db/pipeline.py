"""Statements sent to psycopg in one pipeline (PostgreSQL), and statements whose results
nobody reads kept back to go with the connection's next round trip.

A round trip costs its statements' work and a wait on the network besides: at a desk
across a network each is a millisecond or more, and a simulated month sends some
240,000 statements. `send_together` sends statements whose results nobody reads in
one pipeline, one round trip for them all.

Inside `deferring(connection)`, `send_later` keeps such statements on the connection
instead: they go first in the next pipeline sent on it (`send_together`, or a caller's own
that takes them with `kept_back`), or in a round trip of their own just before anything
else reaches the server (a statement SQLAlchemy runs, a COPY, the commit). A rollback
drops them with the rest of the transaction. A statement the server refuses is raised
when they go, as SQLAlchemy raises its own, naming it; the transaction is then lost, as
after any failed statement. Only for writes nobody waits on (a simulation's, in a
transaction held across calls): a handler's write is sent, and committed, before the
screen moves on.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection

from frontdoor.db.connection_events import before_use
from frontdoor.db.driver_errors import as_sqlalchemy_raises

# a statement's text and its parameters, as psycopg takes them
Raw = tuple[str, list[Any] | dict[str, Any]]

# where a connection keeps the statements held back while `deferring` (Connection.info)
KEY = "frontdoor.deferred"


def send_together(connection: Connection, statements: list[Raw]) -> None:
    """Statements whose results nobody reads (after any kept back), in the connection's
    transaction, sent to psycopg in one pipeline: one round trip for them all, the server
    running each as the rest arrive. A failure is raised as SQLAlchemy raises its own
    (IntegrityError...) once they are all sent; the transaction is then lost, as after
    any failed statement."""
    if statements:
        _send(connection, kept_back(connection) + statements)


def send_kept(connection: Connection) -> None:
    """The statements kept back on the connection (if any), sent now."""
    _send(connection, kept_back(connection))


def _send(connection: Connection, statements: list[Raw]) -> None:
    if not statements:
        return
    raw = connection.connection.driver_connection
    assert raw is not None
    error = connection.dialect.loaded_dbapi.Error
    sent = statements[0][0]
    try:
        if len(statements) == 1:
            with raw.cursor() as cursor:
                cursor.execute(*statements[0])
            return
        with raw.pipeline(), raw.cursor() as cursor:
            for text, params in statements:
                sent = text
                cursor.execute(text, params)
    except error as exc:
        raise as_sqlalchemy_raises(connection, sent, exc) from exc


def send_later(connection: Connection, statements: list[Raw]) -> None:
    """The statements kept back for the connection's next round trip, when it is
    `deferring`; else sent now (send_together)."""
    kept: list[Raw] | None = connection.info.get(KEY)
    if kept is None:
        send_together(connection, statements)
        return
    kept.extend(statements)


def kept_back(connection: Connection) -> list[Raw]:
    """The statements kept back on the connection, taken to go first in a pipeline the
    caller sends now (none when it is not `deferring`)."""
    kept: list[Raw] | None = connection.info.get(KEY)
    if not kept:
        return []
    taken = list(kept)
    kept.clear()
    return taken


@contextmanager
def deferring(connection: Connection) -> Iterator[None]:
    """`with deferring(connection):` around writes nobody waits on (see above); anything
    kept back is sent when it ends. On SQLite nothing changes: it has no round trips."""
    if connection.dialect.name != "postgresql" or KEY in connection.info:
        yield
        return

    # kept, as the list is: once the server has dropped the connection, asking it for
    # its info raises until the transaction is rolled back (and the rollback runs the hook)
    info = connection.info
    kept: list[Raw] = []
    info[KEY] = kept
    try:
        # what was kept back goes before anything else; a rollback drops it unsent
        with before_use(connection, lambda: send_kept(connection), kept.clear):
            yield
            send_kept(connection)
    finally:
        info.pop(KEY, None)
