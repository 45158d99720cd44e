"""A bulk load's kept days dropped once a batch, not once a row.

Migration 0017's triggers drop the MI's kept days (mi/tables.py) whose span holds a contact's
`received_at` whenever the contact or one of its answers, ends, searches or services is
inserted: seven trigger runs for an imported contact, each a range scan of mi_days (on
PostgreSQL a PL/pgSQL call, and for a child row a look-up of its contact first), some
12% of a month's import on SQLite and near half of the server's work on PostgreSQL. A
load in one transaction instead has its INSERT triggers stand aside for that transaction,
drops for itself exactly the days those triggers would have dropped (every kept day
whose span holds a received time it inserted), and puts them back before it commits:

- SQLite: the triggers are dropped inside the transaction and made again from their own
  SQL. SQLite takes the write lock for the whole transaction, so no other writer runs
  while they are gone, and a load that fails rolls their dropping back with everything
  else.
- PostgreSQL: dropping or disabling a trigger takes a lock that would stop every
  workstation reading contacts for the whole import (and the console's role need not own
  the tables), so the INSERT triggers skip rows while the transaction says
  `SET LOCAL frontdoor.kept_days_by_load = 'on'` (migration 0022). SET LOCAL ends with the
  transaction however it ends; `finish` turns it off before the commit all the same, so
  that nothing the load's transaction inserts afterwards is passed over.

Here in db, beside the migrations that made the triggers, and not in the MI: an import
(referrals, below the MI) uses it, so mi_days is named here as 0017 names it.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable

from sqlalchemy import Connection, Date, String, column, delete, select, table, text, tuple_

from frontdoor.db.base import UTCDateTime
from frontdoor.db.chunks import in_chunks

# the tables whose INSERT triggers 0017 made (and which a contacts import inserts into)
TABLES = ("contacts", "answers", "script_ends", "searches", "contact_services")
# what tells PostgreSQL's INSERT triggers that the load drops the days itself (0022)
SETTING = "frontdoor.kept_days_by_load"

# mi_days as the MI keeps it (mi/tables.py): its key and the span a kept row covers
_KEPT = table(
    "mi_days",
    column("zone", String()),
    column("settings_key", String()),
    column("day", Date()),
    column("last_day", Date()),
    column("utc_start", UTCDateTime()),
    column("affected_until", UTCDateTime()),
)


class ImportDays:
    """The kept days of one load's transaction: `forget` after each batch's inserts with
    their received times, `finish` before the commit."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.triggers: list[tuple[str, str]] = []  # (name, its SQL), dropped for the load
        self.standing_aside = False  # PostgreSQL's INSERT triggers, told to skip rows
        if connection.dialect.name == "postgresql":
            self._stand_aside(True)
            return
        if connection.dialect.name != "sqlite":
            return
        # Python's sqlite3 opens the transaction at the first INSERT, UPDATE or DELETE and
        # runs a DROP before it on its own, committed at once: open it now, so that the
        # triggers are gone for this transaction only (and come back if it rolls back)
        raw = connection.connection.driver_connection
        if raw is not None and not raw.in_transaction:
            connection.exec_driver_sql("BEGIN")
        names = ", ".join(f"'mi_days_{table}_insert'" for table in TABLES)
        query = f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({names})"
        self.triggers = [(name, sql) for name, sql in connection.execute(text(query))]
        for name, _ in self.triggers:
            connection.exec_driver_sql(f'DROP TRIGGER "{name}"')

    def _stand_aside(self, on: bool) -> None:
        # set_config(..., is_local => true) is SET LOCAL, with the value as a parameter
        self.connection.execute(
            text("SELECT set_config(:name, :value, true)"),
            {"name": SETTING, "value": "on" if on else "off"},
        )
        self.standing_aside = on

    @property
    def paused(self) -> bool:
        return bool(self.triggers) or self.standing_aside

    def forget(self, received: Iterable[dt.datetime]) -> None:
        """Drop the kept days whose span holds any of these times (the contacts a batch
        inserted), as the triggers would have: utc_start <= time <= affected_until."""
        if not self.paused:
            return  # the triggers did it, row by row
        times = sorted(received)
        if not times:
            return
        c = _KEPT.c
        key = (c.zone, c.settings_key, c.day, c.last_day)
        # only the days whose span can hold one of them (ix_mi_days_utc_start)
        kept = self.connection.execute(
            select(*key, c.utc_start, c.affected_until).where(
                c.utc_start <= times[-1], c.affected_until >= times[0]
            )
        ).all()
        gone = []
        for *primary, start, until in kept:
            first = bisect.bisect_left(times, start)  # the first time at or after its start
            if first < len(times) and times[first] <= until:
                gone.append(tuple(primary))
        for part in in_chunks(gone, 500):
            self.connection.execute(delete(_KEPT).where(tuple_(*key).in_(part)))

    def finish(self) -> None:
        """Make the dropped triggers again, as they were, or tell them to run again (before
        the commit)."""
        for _, sql in self.triggers:
            self.connection.exec_driver_sql(sql)
        self.triggers = []
        if self.standing_aside:
            self._stand_aside(False)
