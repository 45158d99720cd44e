"""A scratch directory for the benchmarks: synthetic services written to a SQLite file of
their own, so that the index is built and its results read as the console does, from the
database, in a process that never held every service."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import insert

from frontdoor.db.chunks import in_chunks
from frontdoor.db.engine import make_engine, make_session_factory
from frontdoor.directory.model import Service
from frontdoor.directory.store import DirectoryStore, row_values
from frontdoor.directory.tables import ServiceChangeRow, ServiceRow

_WRITTEN_AT = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)


def write_directory(path: Path, services: list[Service]) -> None:
    """`services` into a new SQLite file at `path`: the directory's two tables only, rows
    written with plain inserts (a bench needs the rows, not their history)."""
    engine = make_engine(f"sqlite:///{path}")
    try:
        tables = [
            ServiceRow.metadata.tables[t.__tablename__] for t in (ServiceRow, ServiceChangeRow)
        ]
        ServiceRow.metadata.create_all(engine, tables=tables)
        with engine.begin() as connection:
            for part in in_chunks(services, 2000):
                connection.execute(
                    insert(ServiceRow),
                    [{"id": s.id, **row_values(s), "updated_at": _WRITTEN_AT} for s in part],
                )
    finally:
        engine.dispose()


@contextmanager
def open_directory(path: Path) -> Iterator[DirectoryStore]:
    """The store of the scratch directory at `path`; its engine is let go after."""
    engine = make_engine(f"sqlite:///{path}", create=False)
    try:
        yield DirectoryStore(make_session_factory(engine))
    finally:
        engine.dispose()
