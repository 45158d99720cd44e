"""A bulk load's COPY on PostgreSQL, its result read only when the connection is next
used, and something useful done while the server works.

A COPY of a batch's rows is sent faster than the server inserts them (each row has its
indexes, foreign keys and triggers): by the time the last row is sent, the server has
tens of milliseconds left, and psycopg waits them out before the COPY returns. Measured
on a month's import (12,202 lines, 2,000 a batch), those waits were some 130 ms a batch,
0.8 s of a 2.7 s import, with our process idle, while reading and checking the next
batch's lines, 0.67 s in all, waited in turn for the writes to end.

Inside `results_later(connection, meanwhile)`, bulk.py ends each COPY without waiting
for its result. The result is read before anything else goes to the server: the next
COPY, or any statement SQLAlchemy runs on the connection, or its commit or rollback (an
event on this connection). Before reading it, while the server is still busy, it calls
`meanwhile` (a little work, such as reading one line ahead; False when there is none
left). A COPY the server refused is raised then, as SQLAlchemy raises its own errors,
naming the COPY (not the statement that happened to come next); the load's transaction
is then lost, as after any failed statement, and rolls back whole.

On SQLite nothing changes: its inserts are done when they return.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection

from frontdoor.db.connection_events import before_use
from frontdoor.db.driver_errors import as_sqlalchemy_raises

# where a connection keeps its ResultsLater while one is open (Connection.info)
KEY = "frontdoor.results_later"

Meanwhile = Callable[[], bool]


class ResultsLater:
    """The one COPY whose result is still to be read, on one connection."""

    def __init__(self, connection: Connection, meanwhile: Meanwhile | None) -> None:
        self.connection = connection
        self.meanwhile = meanwhile
        self.pending: str | None = None  # the COPY sent whose result is unread

    def writer(self, cursor: Any) -> Any:
        """A psycopg COPY writer for `cursor` that ends the COPY without waiting for its
        result (`sent` says it was)."""
        return _ends_without_waiting()(cursor)

    def sent(self, statement: str) -> None:
        self.pending = statement

    def settle(self, quietly: bool = False) -> None:
        """Read the pending COPY's result (after `meanwhile`, while the server is busy);
        raise it if the server refused it, unless `quietly` (the load is failing for
        another reason already, and that one is raised)."""
        statement, self.pending = self.pending, None
        if statement is None:
            return
        error = self.connection.dialect.loaded_dbapi.Error
        try:
            if self.meanwhile is not None and not quietly:
                raw = self.connection.connection.driver_connection
                assert raw is not None
                try:
                    while _busy(raw.pgconn) and self.meanwhile():
                        pass
                except error:
                    raise
                except BaseException:
                    # our own work failed (the file could not be read, say): the result is
                    # still read, so that the transaction can be rolled back, and the
                    # failure is the one raised
                    self._read(statement, quietly=True)
                    raise
            self._read(statement, quietly)
        except error as exc:
            if not quietly:
                raise as_sqlalchemy_raises(self.connection, statement, exc) from exc

    def _read(self, statement: str, quietly: bool) -> None:
        """The COPY's result read off the connection; raised if the server refused it."""
        raw = self.connection.connection.driver_connection
        assert raw is not None
        from psycopg import errors, generators  # only here: SQLite never needs it
        from psycopg.pq import ExecStatus

        try:
            for result in raw.wait(generators.fetch_many(raw.pgconn)):
                if result.status != ExecStatus.COMMAND_OK:
                    raise errors.error_from_result(result, encoding=raw.info.encoding)
        except self.connection.dialect.loaded_dbapi.Error:
            if not quietly:
                raise


def _busy(pgconn: Any) -> bool:
    """Whether the server is still working on what was sent (reading what has come)."""
    pgconn.consume_input()
    return bool(pgconn.is_busy())


@functools.cache
def _ends_without_waiting() -> type[Any]:
    """psycopg's COPY writer, ending without reading the result (made on first use:
    SQLite never imports psycopg)."""
    from psycopg.copy import LibpqWriter

    class EndsWithoutWaiting(LibpqWriter):
        def finish(self, exc: BaseException | None = None) -> None:
            if exc is not None:
                super().finish(exc)  # the COPY abandoned, and waited for as usual
                return
            self.connection.wait(_copy_ended(self._pgconn))

    return EndsWithoutWaiting


def _copy_ended(pgconn: Any) -> Generator[Any, Any, None]:
    """psycopg's end of a COPY (generators.copy_end) up to its result: the end queued and
    flushed to the server, the result left to be read."""
    from psycopg.generators import WAIT_W

    while pgconn.put_copy_end(None) == 0:
        while not (yield WAIT_W):
            continue
    while True:
        while not (yield WAIT_W):
            continue
        if pgconn.flush() == 0:
            break


def pending_for(connection: Connection) -> ResultsLater | None:
    """The connection's open ResultsLater (bulk.py's COPY asks), if any."""
    later: ResultsLater | None = connection.info.get(KEY)
    return later


@contextmanager
def results_later(connection: Connection, meanwhile: Meanwhile | None = None) -> Iterator[None]:
    """`with results_later(connection, meanwhile):` around a load's writes (see above);
    everything is settled when it ends."""
    if connection.dialect.name != "postgresql" or KEY in connection.info:
        yield
        return
    later = ResultsLater(connection, meanwhile)
    # kept: once the server has dropped the connection, asking it for its info again
    # raises (the transaction must be rolled back first)
    info = connection.info
    info[KEY] = later
    try:
        with before_use(connection, later.settle, lambda: later.settle(quietly=True)):
            yield
            later.settle()
    except BaseException:
        later.settle(quietly=True)
        raise
    finally:
        info.pop(KEY, None)
