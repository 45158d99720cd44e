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
ADD_CONTACT = insert(CONTACTS)

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
# a batch's rows, each given its place (seq) by the batch
PLACED_GIVEN: dict[Table, Insert] = {table: insert(table) for table in PLACED_NEXT}


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

    def settle(self) -> None:
        """Everything added is in the database (here it always is)."""


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
        self.waiting: dict[Table, list[dict[str, Any]]] = {}

    def add(self, table: Table, contact_id: str, at: dt.datetime, **values: Any) -> None:
        if contact_id != self.contact_id:
            raise ValueError(f"a batch is one contact's writes, not {contact_id}'s too")
        if self.places is None:
            self.places = places_of(
                self.connection.execute(LAST_PLACES, {"of_contact": contact_id}).one()
            )
        self.places[table] += 1
        row = {"contact_id": contact_id, "seq": self.places[table], "at": at, **values}
        self.waiting.setdefault(table, []).append(row)

    def run(self, statement: Executable, params: dict[str, Any]) -> CursorResult[Any]:
        self.settle()
        return self.connection.execute(statement, params)

    def settle(self) -> None:
        waiting, self.waiting = self.waiting, {}
        for table, values in waiting.items():
            add_many(self.connection, table, values)


_INSERTS: dict[Table, Insert] = {**PLACED_GIVEN, RECEIPTS: ADD_RECEIPT, CONTACTS: ADD_CONTACT}


def add_many(connection: Connection, table: Table, values: list[dict[str, Any]]) -> None:
    """Rows of one table (a simulated call's batch, a new contact): on SQLite straight to the driver
    (db/bulk.py: the same values, for less), on PostgreSQL one executemany (its COPY
    costs more than a few rows)."""
    if connection.dialect.name == "sqlite":
        insert_rows(connection, table, values)
    else:
        connection.execute(_INSERTS[table], values)
