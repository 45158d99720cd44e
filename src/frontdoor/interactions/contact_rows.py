"""The statements a call's writes run, built once, on the tables rather than the mapped
classes: a step is written on every answer, and the ORM's get, flush and identity map
cost several times what the statements do (issue 14: 8 ms a step, for 2 ms wanted).

Each row of a contact takes the next place in its table's order (`seq`) in the statement
that inserts it: `INSERT ... SELECT max(seq) + 1`. That is safe because every write
first locks its contact (`CONTACT_FOR_WRITE`: the row's lock on PostgreSQL; on SQLite the
write's first INSERT already holds the database's write lock), so no two workstations
writing to one contact read the same max. It needs no column or migration of its own,
and a contact imported with its rows numbered goes on from them."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Connection,
    CursorResult,
    Executable,
    Label,
    Row,
    Table,
    bindparam,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.sql.dml import Insert

from frontdoor.db.bulk import insert_rows
from frontdoor.db.pipeline import Raw, send_together
from frontdoor.db.raw_reads import RawRead, compiled, read_together
from frontdoor.db.raw_writes import values_insert
from frontdoor.interactions.tables import (
    AnswerRow,
    ContactRow,
    ContactServiceRow,
    EndRow,
    SearchRow,
    StepReceiptRow,
)

CONTACTS = cast(Table, ContactRow.__table__)
ANSWERS = cast(Table, AnswerRow.__table__)
ENDS = cast(Table, EndRow.__table__)
SEARCHES = cast(Table, SearchRow.__table__)
SERVICES = cast(Table, ContactServiceRow.__table__)
RECEIPTS = cast(Table, StepReceiptRow.__table__)

ADD_RECEIPT = insert(RECEIPTS)

# What a write checks before it writes, with the contact locked to its commit (FOR
# UPDATE is left out on SQLite, whose write lock the receipt's INSERT already holds).
CONTACT_FOR_WRITE = (
    select(
        CONTACTS.c.status,
        CONTACTS.c.held_by,
        CONTACTS.c.held_until,
        CONTACTS.c.person_id,
    )
    .where(CONTACTS.c.id == bindparam("contact_id"))
    .with_for_update()
)


def _next_in(table: Table) -> Insert:
    """An INSERT of one row of a contact at the next place in its order. The contact's id
    is bound twice under two names: an INSERT reserves its columns' own names."""
    place = (
        select(func.coalesce(func.max(table.c.seq), 0) + 1)
        .where(table.c.contact_id == bindparam("of_contact"))
        .scalar_subquery()
    )
    return insert(table).values(contact_id=bindparam("of_contact"), seq=place)


ADD_ANSWER = _next_in(ANSWERS)
ADD_END = _next_in(ENDS)
ADD_SEARCH = _next_in(SEARCHES)
ADD_SERVICE = _next_in(SERVICES)

# going back past ends: the latest `n` still counted are kept, for the audit, uncounted
_LATEST_ENDS = (
    select(ENDS.c.id)
    .where(ENDS.c.contact_id == bindparam("of_contact"), ENDS.c.current.is_(True))
    .order_by(ENDS.c.seq.desc())
    .limit(bindparam("n"))
)
WITHDRAW_ENDS = update(ENDS).where(ENDS.c.id.in_(_LATEST_ENDS)).values(current=False)

CHOOSE_FROM_SEARCH = (
    update(SEARCHES)
    .where(
        SEARCHES.c.step_id == bindparam("search_step_id"),
        SEARCHES.c.contact_id == bindparam("of_contact"),
    )
    .values(chosen=bindparam("service_id"))
)

# the latest of a contact's services with this id and action still counted
LATEST_SERVICE = (
    select(SERVICES.c.id)
    .where(
        SERVICES.c.contact_id == bindparam("of_contact"),
        SERVICES.c.service_id == bindparam("service_id"),
        SERVICES.c.action == bindparam("action"),
        SERVICES.c.withdrawn_at.is_(None),
    )
    .order_by(SERVICES.c.seq.desc())
    .limit(1)
)
TAKE_BACK = update(SERVICES).where(SERVICES.c.id == bindparam("row_id"))

# the first end of the call counts
CALL_ENDED = (
    update(CONTACTS)
    .where(CONTACTS.c.id == bindparam("of_contact"))
    .values(
        ended_at=func.coalesce(
            CONTACTS.c.ended_at, bindparam("ended", type_=CONTACTS.c.ended_at.type)
        )
    )
)
# the columns set are the keys given beside `of_contact`
CHANGE_CONTACT = update(CONTACTS).where(CONTACTS.c.id == bindparam("of_contact"))
# the wrap-up: the call's end (the first counts, as CALL_ENDED) and the columns given
# beside `of_contact` and `ended`, in one statement
WRAP_UP = CALL_ENDED


def add_row(
    connection: Connection, statement: Insert, contact_id: str, at: dt.datetime, **values: Any
) -> None:
    connection.execute(statement, {"of_contact": contact_id, "at": at, **values})


# a contact's rows by table, and the statement that adds one at the next place
PLACED_NEXT: dict[Table, Insert] = {
    ANSWERS: ADD_ANSWER,
    ENDS: ADD_END,
    SEARCHES: ADD_SEARCH,
    SERVICES: ADD_SERVICE,
}


def _last_places(contact_id: ColumnElement[Any]) -> list[Label[Any]]:
    """The last place in each of a contact's tables, each labelled by its table."""
    return [
        select(func.coalesce(func.max(table.c.seq), 0))
        .where(table.c.contact_id == contact_id)
        .scalar_subquery()
        .label(table.name)
        for table in PLACED_NEXT
    ]


# the last place in each of a contact's tables, in one statement
LAST_PLACES = select(*_last_places(bindparam("of_contact")))
# CONTACT_FOR_WRITE with the last places, for a batch on SQLite (applying.apply_all)
CONTACT_AND_PLACES = (
    select(
        *CONTACT_FOR_WRITE.selected_columns,
        *_last_places(CONTACTS.c.id),
    )
    .where(CONTACTS.c.id == bindparam("contact_id"))
    .with_for_update(of=CONTACTS)
)


def receipts_then_contact(
    connection: Connection, receipts: list[dict[str, Any]], contact_id: str
) -> tuple[Any, dict[Table, int]]:
    """PostgreSQL: a batch's receipts written, then its contact locked and read
    (CONTACT_FOR_WRITE), then the contact's last places (LAST_PLACES), three statements
    in this order, as they would run alone (the places counted once the lock is held),
    in one round trip. The contact's row (None: there is none) and its places."""
    dialect = connection.dialect
    lock = RawRead(*compiled(dialect, CONTACT_FOR_WRITE, {"contact_id": contact_id}))
    places = RawRead(*compiled(dialect, LAST_PLACES, {"of_contact": contact_id}))
    first = [values_insert(connection, RECEIPTS, receipts)]
    found, counted = read_together(connection, [lock, places], first)
    return (found[0] if found else None), {
        table: int(getattr(counted[0], table.name)) for table in PLACED_NEXT
    }


def places_of(row: Row[Any]) -> dict[Table, int]:
    """The last places a CONTACT_AND_PLACES row read."""
    return {table: int(row._mapping[table.name]) for table in PLACED_NEXT}


class RowsAtOnce:
    """A write's statements run as they come, each row placed by its own `INSERT ...
    SELECT max(seq) + 1`: a write a handler waits on is one short transaction."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, table: Table, contact_id: str, at: dt.datetime, **values: Any) -> None:
        add_row(self.connection, PLACED_NEXT[table], contact_id, at, **values)

    def run(self, statement: Executable, params: dict[str, Any]) -> CursorResult[Any]:
        return self.connection.execute(statement, params)

    def call_ended(self, contact_id: str, at: dt.datetime) -> None:
        """The call itself ended at `at` (the first end counts)."""
        self.connection.execute(CALL_ENDED, {"of_contact": contact_id, "ended": at})

    def wrap_up(self, contact_id: str, at: dt.datetime, changed: dict[str, object]) -> None:
        """The contact wrapped up at `at` (its call's end, if none was kept yet) with the
        columns `changed`."""
        self.connection.execute(WRAP_UP, {"of_contact": contact_id, "ended": at, **changed})

    def choose_from_search(self, contact_id: str, search_step_id: str, service_id: str) -> None:
        """The service chosen from the contact's search `search_step_id`."""
        self.connection.execute(
            CHOOSE_FROM_SEARCH,
            {"search_step_id": search_step_id, "of_contact": contact_id, "service_id": service_id},
        )

    def settle(self) -> None:
        """Everything added is in the database (here it always is)."""

    def unsent(self) -> list[Raw]:
        """The statements still to run for what was added, for a caller that sends them
        in its own round trip, before anything it reads (none here: all have run)."""
        self.settle()
        return []

    def may_have_referred(self) -> bool:
        """Whether the contact may have a service referred (here it is not known)."""
        return True


class GatheredRows(RowsAtOnce):
    """A batch of one contact's writes (a simulated call, which nobody waits on): its
    rows are kept and inserted one executemany per table, when a statement that reads
    or changes them comes, or the batch ends. The contact is locked for the batch (see
    CONTACT_FOR_WRITE), so its last places are read once and the batch numbers its rows
    on from them, in the order they were added, as the statements above would have."""

    def __init__(
        self, connection: Connection, contact_id: str, places: dict[Table, int] | None = None
    ) -> None:
        super().__init__(connection)
        self.contact_id = contact_id
        self.places = places  # None: read at the first row added
        # whether the contact had services before the batch, or the batch added one
        # referred: if neither, nothing at its wrap-up makes a referral (applying.py)
        self.had_services = places is None or places[SERVICES] > 0
        self.referred_added = False
        self.waiting: dict[Table, list[dict[str, Any]]] = {}
        # the call's end, kept for the contact's next change (the wrap-up): one UPDATE
        self.ended: dt.datetime | None = None
        # on PostgreSQL the wrap-up's UPDATE, sent with the rows kept
        self.closing: Raw | None = None

    def add(self, table: Table, contact_id: str, at: dt.datetime, **values: Any) -> None:
        if contact_id != self.contact_id:
            raise ValueError(f"a batch is one contact's writes, not {contact_id}'s too")
        if self.places is None:
            self.places = places_of(
                self.connection.execute(LAST_PLACES, {"of_contact": contact_id}).one()
            )
        self.places[table] += 1
        if table is SERVICES and values.get("action") == "referred":
            self.referred_added = True
        row = {"contact_id": contact_id, "seq": self.places[table], "at": at, **values}
        self.waiting.setdefault(table, []).append(row)

    def run(self, statement: Executable, params: dict[str, Any]) -> CursorResult[Any]:
        self.settle()
        return self.connection.execute(statement, params)

    # The contact's own row is read by nothing in a batch before it settles, and the rows
    # kept are not the contact's row: the call's end waits for the wrap-up, which sets it
    # the same way (the first end counts: coalesce(coalesce(ended_at, end), wrap-up) is
    # coalesce(ended_at, end)), and the wrap-up goes before the rows kept. The MI
    # triggers drop the same kept days whichever order the rows come in.
    def call_ended(self, contact_id: str, at: dt.datetime) -> None:
        if self.ended is None:
            self.ended = at

    def wrap_up(self, contact_id: str, at: dt.datetime, changed: dict[str, object]) -> None:
        ended, self.ended = self.ended, None
        if self.connection.dialect.name == "sqlite":
            super().wrap_up(contact_id, ended or at, changed)
        else:
            self.closing = _wrap_up_text(self.connection, contact_id, ended or at, changed)

    def choose_from_search(self, contact_id: str, search_step_id: str, service_id: str) -> None:
        """A search still kept takes its choice before it is written, as the UPDATE would
        have given it (a step's id is its write's: one search has it)."""
        for row in self.waiting.get(SEARCHES, ()):
            if row["step_id"] == search_step_id and row["contact_id"] == contact_id:
                row["chosen"] = service_id
                return
        self.settle()
        super().choose_from_search(contact_id, search_step_id, service_id)

    def settle(self) -> None:
        send_together(self.connection, self.unsent())

    def may_have_referred(self) -> bool:
        return self.had_services or self.referred_added

    def unsent(self) -> list[Raw]:
        """On SQLite everything kept is written here (its statements cost no round
        trip); on PostgreSQL the wrap-up, then a statement a table, to go together."""
        waiting, self.waiting = self.waiting, {}
        ended, self.ended = self.ended, None
        if ended is not None:
            super().call_ended(self.contact_id, ended)
        if self.connection.dialect.name == "sqlite":
            for table, values in waiting.items():
                add_many(self.connection, table, values)
            return []
        closing, self.closing = self.closing, None
        return ([closing] if closing else []) + [
            values_insert(self.connection, t, v) for t, v in waiting.items()
        ]


def add_many(connection: Connection, table: Table, values: list[dict[str, Any]]) -> None:
    """Rows of one table (a simulated call's batch, a new contact) straight to the driver
    (db/bulk.py: the same values, for less): on SQLite its executemany, on PostgreSQL one
    INSERT of them all (a COPY costs more than a few rows, an executemany a statement a
    row on the server)."""
    if connection.dialect.name == "sqlite":
        insert_rows(connection, table, values)
    else:
        send_together(connection, [values_insert(connection, table, values)])


def _wrap_up_text(
    connection: Connection, contact_id: str, ended: dt.datetime, changed: dict[str, object]
) -> Raw:
    """WRAP_UP as psycopg takes it, to go in one round trip with the rows kept: the same
    columns set the same way (a time is sent with its zone, as UTCDateTime binds it)."""
    if ended.tzinfo is None:
        raise ValueError("times must carry a zone; the record keeps UTC")
    preparer = connection.dialect.identifier_preparer
    text = _WRAP_TEXT.get(tuple(changed))
    if text is None:
        sets = "".join(f", {preparer.quote(k)} = %({k})s" for k in changed)
        text = _WRAP_TEXT[tuple(changed)] = (
            f"UPDATE {preparer.format_table(CONTACTS)} SET ended_at = "
            f"coalesce(ended_at, %(ended)s){sets} WHERE id = %(of_contact)s"
        )
    return text, {**changed, "ended": ended, "of_contact": contact_id}


# WRAP_UP's text by the columns it sets
_WRAP_TEXT: dict[tuple[str, ...], str] = {}
