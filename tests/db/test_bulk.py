"""db/bulk.py keeps what SQLAlchemy's own INSERT keeps, value for value as the database
holds it (read back raw, past every type's processing), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import pytest
from sqlalchemy import Table, insert, select
from sqlalchemy.exc import IntegrityError

from frontdoor.db.bulk import among, insert_rows, insert_tuples
from frontdoor.db.engine import make_engine
from frontdoor.interactions.tables import AnswerRow, ContactRow, SearchRow

CONTACTS = cast(Table, ContactRow.__table__)
ANSWERS = cast(Table, AnswerRow.__table__)
SEARCHES = cast(Table, SearchRow.__table__)
LONDON = dt.timezone(dt.timedelta(hours=1))


def contact(contact_id: str, **given: Any) -> dict[str, Any]:
    # caller_is_person left out: its Python-side default is written, as SQLAlchemy writes it
    row = {
        "id": contact_id,
        "status": "closed",
        "channel": "phone",
        "caller_type": "public",
        "caller_key": "+441724000111",
        "subject_key": None,
        "interpreter_needed": False,
        "consent_record": True,
        "consent_share": None,
        "category": "social_care",
        "handler": "h.jones",
        "received_at": dt.datetime(2026, 3, 2, 9, 14, 5, tzinfo=dt.UTC),
        "answered_at": dt.datetime(2026, 3, 2, 10, 14, 21, 123456, tzinfo=LONDON),
        "ended_at": None,
        "notes": "Café — “quoted” \u2028 and 🙂",
        "scripts": [{"script": "falls", "version": 3}, {"script": "café", "version": 1}],
    }
    return row | given


def children(contact_id: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    at = dt.datetime(1999, 12, 31, 23, 59, 59, tzinfo=LONDON)
    answers = [
        {
            "contact_id": contact_id,
            "seq": seq,
            "script": "falls",
            "version": 3,
            "node": "lives_alone",
            "kind": "answer",
            "answer": answer,
            "many": many,
            "wording": None,
            "at": at,
        }
        for seq, (answer, many) in enumerate([("Yes", False), ('["a", "b"]', True), (None, False)])
    ]
    searches = [
        {
            "contact_id": contact_id,
            "seq": 1,
            "query": "carers suport",
            "results": ["carers-support", "naïve"],
            "chosen": None,
            "at": at,
        }
    ]
    return answers, searches


def _raw(connection: Any, table: Table, key: str, value: str) -> list[tuple[Any, ...]]:
    """The rows as the database holds them (the driver's own values), without the id."""
    columns = [c.name for c in table.c if c.name != "id" or table is CONTACTS]
    names = ", ".join(f'"{c}"' for c in columns)
    mark = "?" if connection.dialect.name == "sqlite" else "%s"
    cursor = connection.exec_driver_sql(
        f'SELECT {names} FROM {table.name} WHERE "{key}" = {mark} ORDER BY seq'
        if table is not CONTACTS
        else f'SELECT {names} FROM {table.name} WHERE "{key}" = {mark}',
        (value,),
    )
    rows = []
    for row in cursor:
        rows.append(
            tuple("<id>" if c in ("id", key) else v for c, v in zip(columns, row, strict=True))
        )
    return rows


def test_the_rows_kept_are_those_sqlalchemy_keeps(db_url):
    engine = make_engine(db_url)
    try:
        with engine.begin() as connection:
            answers, searches = children("by-sqlalchemy")
            connection.execute(insert(CONTACTS), [contact("by-sqlalchemy")])
            connection.execute(insert(ANSWERS), answers)
            connection.execute(insert(SEARCHES), searches)
            answers, searches = children("by-bulk")
            insert_rows(connection, CONTACTS, [contact("by-bulk")])
            insert_rows(connection, ANSWERS, answers)
            insert_rows(connection, SEARCHES, searches)
            insert_rows(connection, SEARCHES, [])  # nothing to insert: nothing done
            answers, searches = children("by-tuples")
            for table, rows in (
                (CONTACTS, [contact("by-tuples")]),
                (ANSWERS, answers),
                (SEARCHES, searches),
            ):
                keys = tuple(rows[0])
                insert_tuples(connection, table, keys, [tuple(r.values()) for r in rows])
        with engine.connect() as connection:
            for table, key in ((CONTACTS, "id"), (ANSWERS, "contact_id"), (SEARCHES, "contact_id")):
                theirs = _raw(connection, table, key, "by-sqlalchemy")
                assert theirs, table.name
                assert _raw(connection, table, key, "by-bulk") == theirs, table.name
                assert _raw(connection, table, key, "by-tuples") == theirs, table.name
    finally:
        engine.dispose()


def test_a_time_without_a_zone_is_refused_as_sqlalchemy_refuses_it(db_url):
    engine = make_engine(db_url)
    try:
        with engine.connect() as connection:
            naive = contact("naive", received_at=dt.datetime(2026, 3, 2, 9, 14, 5))
            with pytest.raises(ValueError, match="times must carry a zone"):
                insert_rows(connection, CONTACTS, [naive])
    finally:
        engine.dispose()


def test_a_column_the_table_lacks_is_named(db_url):
    engine = make_engine(db_url)
    try:
        with engine.connect() as connection, pytest.raises(KeyError, match="no column colour"):
            insert_rows(connection, CONTACTS, [contact("c-1", colour="blue")])
    finally:
        engine.dispose()


def test_a_row_the_database_refuses_raises_sqlalchemys_error_without_the_values(db_url):
    """Through SQLite's executemany or PostgreSQL's COPY, a refused row raises the
    IntegrityError SQLAlchemy would, whose words hold none of the rows' values."""
    engine = make_engine(db_url)
    try:
        with engine.begin() as connection:
            insert_rows(connection, CONTACTS, [contact("twice")])
        with engine.connect() as connection, pytest.raises(IntegrityError) as refused:
            insert_rows(connection, CONTACTS, [contact("twice")])
        assert "+441724000111" not in str(refused.value) and "h.jones" not in str(refused.value)
    finally:
        engine.dispose()


def test_among_finds_the_ids_held_of_thousands_asked(db_url):
    engine = make_engine(db_url)
    try:
        with engine.begin() as connection:
            insert_rows(connection, CONTACTS, [contact(f"c-{n}") for n in range(0, 30, 3)])
            asked = [f"c-{n}" for n in range(2000)]
            found = connection.execute(
                select(CONTACTS.c.id).where(among(connection.dialect, CONTACTS.c.id, asked))
            ).scalars()
            assert sorted(found) == sorted(f"c-{n}" for n in range(0, 30, 3))
    finally:
        engine.dispose()


def test_rows_sent_by_psycopg_itself_are_those_sqlalchemy_keeps(postgres_url):
    """PostgreSQL's pipelined INSERT (db/raw_writes.py): a few rows as a VALUES list, more
    as one JSON text the server makes into rows; either way what SQLAlchemy keeps."""
    from frontdoor.db.pipeline import send_together
    from frontdoor.db.raw_writes import values_insert

    def many(contact_id: str) -> dict[Table, list[dict[str, Any]]]:
        answers, searches = children(contact_id)
        answers = [
            a | {"seq": n, "wording": "self" if n % 2 else None} for n, a in enumerate(answers * 4)
        ]
        people = [
            contact(f"{contact_id}{n}", subject_dob=dt.date(1941, 3, 3 - len(n)), scripts=s)
            for n, s in (("", [{"script": "falls", "version": 3}]), ("-1", []), ("-2", None))
        ]
        return {CONTACTS: people, ANSWERS: answers, SEARCHES: searches}

    engine = make_engine(postgres_url)
    try:
        with engine.begin() as connection:
            for table, rows in many("by-sqlalchemy").items():
                connection.execute(insert(table), rows)
            sent = [values_insert(connection, t, rows) for t, rows in many("by-psycopg").items()]
            assert ["json_populate_recordset" in text for text, _ in sent] == [True, True, False]
            send_together(connection, sent)
        with engine.connect() as connection:
            for n in ("", "-1", "-2"):
                theirs = _raw(connection, CONTACTS, "id", f"by-sqlalchemy{n}")
                assert _raw(connection, CONTACTS, "id", f"by-psycopg{n}") == theirs
            for table in (ANSWERS, SEARCHES):
                theirs = _raw(connection, table, "contact_id", "by-sqlalchemy")
                assert theirs, table.name
                assert _raw(connection, table, "contact_id", "by-psycopg") == theirs, table.name
    finally:
        engine.dispose()
