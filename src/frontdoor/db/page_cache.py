"""SQLite's page cache widened for a bulk load's transaction, and put back before it ends.

SQLite keeps 2 MB of pages a connection by default. A load inserts into a dozen indexes
at once (the contacts' and their children's, the people's, the audit's), and once the
file is larger than a month the pages it keeps touching no longer fit: each is read again
from the operating system, and changed pages are spilled to the log mid-transaction.
Measured on 60,000 lines: the import's system time halved and its CPU time 7% less with
64 MB. The cache is a bound, not a size (it fills only as pages are read), the same
bound however long the file; the data written and when it is durable are unchanged.

PostgreSQL's buffers are the server's: nothing is done there.
"""

from __future__ import annotations

from types import TracebackType

from sqlalchemy import Connection

LOAD_CACHE_KIB = 64 * 1024


class LoadPageCache:
    """`with LoadPageCache(connection):` around a load, inside its transaction (the
    connection goes back to its pool afterwards, with the cache it had)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.was: int | None = None

    def __enter__(self) -> LoadPageCache:
        if self.connection.dialect.name == "sqlite":
            self.was = self.connection.exec_driver_sql("PRAGMA cache_size").scalar_one()
            self.connection.exec_driver_sql(f"PRAGMA cache_size = -{LOAD_CACHE_KIB}")
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self.was is not None:
            # pages changed stay until the commit writes them; only the bound moves back
            self.connection.exec_driver_sql(f"PRAGMA cache_size = {int(self.was)}")
