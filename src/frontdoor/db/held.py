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
through."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker


class HeldTransaction:
    def __init__(self, engine: Engine) -> None:
        self.connection = engine.connect()
        self.connection.begin()
        # "rollback_only": a unit's commit leaves the held transaction open, its rollback
        # rolls it back (SQLAlchemy's joining a session into an external transaction)
        self.sessions: sessionmaker[Session] = sessionmaker(
            bind=self.connection, expire_on_commit=False, join_transaction_mode="rollback_only"
        )
        self._before_commit: list[Callable[[Connection], None]] = []

    def before_commit(self, hook: Callable[[Connection], None]) -> None:
        """`hook` writes what it kept for the transaction, just before each commit."""
        self._before_commit.append(hook)

    def commit(self) -> None:
        """What the units of work wrote so far, committed; the next ones go on in a new
        transaction."""
        for hook in self._before_commit:
            hook(self.connection)
        self.connection.commit()
        self.connection.begin()


@contextlib.contextmanager
def held_transaction(engine: Engine) -> Iterator[HeldTransaction]:
    """A held transaction, committed at the end of the `with`; rolled back if it raises."""
    held = HeldTransaction(engine)
    try:
        yield held
        held.commit()
    finally:
        held.connection.close()  # rolls back whatever was not committed
