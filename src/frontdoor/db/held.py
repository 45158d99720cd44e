"""Many units of work in one transaction, committed when the caller says: for writes
nobody waits on (a simulation's calls), where a commit for every unit of work costs more
than the work. Every store takes a session factory; given `HeldTransaction.sessions`,
each of its units of work runs in the held transaction (its commit commits nothing) and
sees what the units before it wrote. A unit that fails rolls the whole transaction
back: what was committed before stays, and nothing after it can be written (the
transaction is gone), so the caller stops.

Only for writers no one is waiting on: on SQLite the held transaction keeps the
database's write lock from its first write to its commit, so the caller commits often
(a simulation every hundred calls: well under a second) to let a console's writes
through.

A held transaction may fill tables far faster than PostgreSQL's autovacuum gathers their
statistics (a simulated month in a minute and a half): the planner, still costing them as
the near-empty tables they were, reads a contact's rows by scanning the whole table, and
every read costs more as the record grows (measured over five simulated days: a read of
a call's contact rows took 0.12-0.84 ms; over a month with statistics, about 0.01 ms).
So the tables the caller names are analysed each time the number of commits doubles, as
the rows written grow: seven times in a simulated month, eleven in a year."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence

from sqlalchemy import Connection, Engine, Table, text
from sqlalchemy.orm import Session, sessionmaker


class HeldTransaction:
    def __init__(self, engine: Engine, grows: Sequence[Table] = ()) -> None:
        self.connection = engine.connect()
        self.connection.begin()
        # "rollback_only": a unit's commit leaves the held transaction open, its rollback
        # rolls it back (SQLAlchemy's joining a session into an external transaction)
        self.sessions: sessionmaker[Session] = sessionmaker(
            bind=self.connection, expire_on_commit=False, join_transaction_mode="rollback_only"
        )
        self._before_commit: list[Callable[[Connection], None]] = []
        # the tables the caller writes most, analysed as they grow (PostgreSQL: SQLite's
        # planner takes an index without statistics)
        self._grows = grows if engine.dialect.name == "postgresql" else ()
        self._commits = 0

    def before_commit(self, hook: Callable[[Connection], None]) -> None:
        """`hook` writes what it kept for the transaction, just before each commit."""
        self._before_commit.append(hook)

    def commit(self) -> None:
        """What the units of work wrote so far, committed; the next ones go on in a new
        transaction."""
        for hook in self._before_commit:
            hook(self.connection)
        self.connection.commit()
        self._commits += 1
        if self._grows and self._commits & (self._commits - 1) == 0:  # a power of two
            self._analyse()
        self.connection.begin()

    def _analyse(self) -> None:
        """The grown tables' statistics, in a transaction of their own: ANALYZE holds a
        lock that keeps autovacuum off a table until it commits (readers and writers are
        not kept waiting)."""
        preparer = self.connection.dialect.identifier_preparer
        names = ", ".join(preparer.format_table(table) for table in self._grows)
        self.connection.execute(text(f"ANALYZE {names}"))
        self.connection.commit()


@contextlib.contextmanager
def held_transaction(engine: Engine, grows: Sequence[Table] = ()) -> Iterator[HeldTransaction]:
    """A held transaction, committed at the end of the `with`; rolled back if it raises.
    The tables `grows` names are analysed as the commits double (PostgreSQL)."""
    held = HeldTransaction(engine, grows)
    try:
        yield held
        held.commit()
    finally:
        held.connection.close()  # rolls back whatever was not committed
