"""db/results_later.py: a load's COPY on PostgreSQL, its result read when the connection is
next used, the load's own work done meanwhile; a refusal still raised, naming the COPY,
and the transaction still all or nothing."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError, OperationalError

from frontdoor.db.bulk import insert_rows
from frontdoor.db.engine import make_engine
from frontdoor.db.results_later import results_later
from tests.db.test_bulk import CONTACTS, contact


def _held(engine: Any, contact_id: str) -> int:
    with engine.connect() as connection:
        query = select(func.count()).select_from(CONTACTS).where(CONTACTS.c.id == contact_id)
        return int(connection.execute(query).scalar_one())


def test_a_refused_copy_is_raised_at_the_next_statement_naming_the_copy(postgres_url):
    engine = make_engine(postgres_url)
    try:
        with engine.begin() as connection:
            insert_rows(connection, CONTACTS, [contact("twice")])
        with engine.connect() as connection:
            transaction = connection.begin()
            with results_later(connection):
                # the COPY returns unrefused: the refusal comes with the next use
                insert_rows(connection, CONTACTS, [contact("new"), contact("twice")])
                with pytest.raises(IntegrityError) as refused:
                    connection.execute(text("SELECT 1"))
            assert refused.value.statement.startswith("COPY contacts")
            assert "+441724000111" not in str(refused.value)  # never the rows' values
            transaction.rollback()
            assert connection.execute(text("SELECT 2")).scalar_one() == 2  # usable again
        assert _held(engine, "new") == 0
    finally:
        engine.dispose()


def test_a_refusal_left_pending_is_raised_when_the_load_ends(postgres_url):
    engine = make_engine(postgres_url)
    try:
        with engine.begin() as connection:
            insert_rows(connection, CONTACTS, [contact("twice")])
        with (
            pytest.raises(IntegrityError),
            engine.begin() as connection,
            results_later(connection),
        ):
            insert_rows(connection, CONTACTS, [contact("twice")])
        with engine.begin() as connection, results_later(connection):
            insert_rows(connection, CONTACTS, [contact("kept")])
        assert _held(engine, "kept") == 1  # and a COPY that went in is committed
    finally:
        engine.dispose()


def test_our_own_error_with_a_copy_pending_is_the_one_raised_and_all_is_rolled_back(
    postgres_url,
):
    engine = make_engine(postgres_url)
    try:
        with (
            pytest.raises(RuntimeError, match="ours"),
            engine.begin() as connection,
            results_later(connection),
        ):
            insert_rows(connection, CONTACTS, [contact("undone")])
            raise RuntimeError("ours")
        assert _held(engine, "undone") == 0
    finally:
        engine.dispose()


def test_meanwhile_is_done_while_the_server_is_still_at_the_copy(postgres_url):
    """Another transaction holds the id the COPY inserts, so the server waits on it for
    as long as the test likes: `meanwhile` must be called then (and lets it go)."""
    engine = make_engine(postgres_url)
    try:
        with engine.connect() as other, engine.connect() as connection:
            held = other.begin()
            insert_rows(other, CONTACTS, [contact("same")])
            calls: list[int] = []

            def meanwhile() -> bool:
                calls.append(1)
                if len(calls) == 1:
                    held.rollback()  # the id let go: the COPY can end
                return len(calls) < 3

            with connection.begin(), results_later(connection, meanwhile):
                # were the COPY waited for at once, it would wait on `other` for ever:
                # fail instead
                connection.execute(text("SET LOCAL lock_timeout = '10s'"))
                insert_rows(connection, CONTACTS, [contact("same")])
                connection.execute(text("SELECT 1"))
            assert calls  # the server was busy: the work was done meanwhile
        assert _held(engine, "same") == 1
    finally:
        engine.dispose()


def test_on_sqlite_nothing_waits_and_meanwhile_is_never_asked(tmp_path, sqlite_template):
    from tests.conftest import copy_sqlite

    engine = make_engine(copy_sqlite(sqlite_template, tmp_path / "t.db"))
    try:
        asked: list[int] = []
        with (
            engine.begin() as connection,
            results_later(connection, lambda: bool(asked.append(1))),
        ):
            insert_rows(connection, CONTACTS, [contact("at-once")])
            assert connection.execute(select(func.count()).select_from(CONTACTS)).scalar()
        assert not asked and _held(engine, "at-once") == 1
    finally:
        engine.dispose()


def test_a_server_that_drops_the_load_is_said_as_not_answering(postgres_url):
    """The connection dropped with a COPY's result unread: the load ends with the
    OperationalError that tells the importer the database did not answer, nothing kept."""
    engine = make_engine(postgres_url)
    try:
        with (
            engine.connect() as admin,
            pytest.raises(OperationalError),
            engine.begin() as connection,
            results_later(connection),
        ):
            pid = connection.connection.driver_connection.info.backend_pid
            insert_rows(connection, CONTACTS, [contact("dropped")])
            admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            connection.execute(text("SELECT 1"))
        assert _held(engine, "dropped") == 0
    finally:
        engine.dispose()


def test_our_work_failing_meanwhile_is_the_failure_raised_and_the_load_rolls_back(
    postgres_url,
):
    """Reading the next batch fails while the server is at the COPY (the file could not be
    read, say): that failure is the one raised, the COPY's result is read off the
    connection all the same, and the load rolls back whole."""
    engine = make_engine(postgres_url)
    try:
        with engine.connect() as other, engine.connect() as connection:
            held = other.begin()
            insert_rows(other, CONTACTS, [contact("busy")])

            def meanwhile() -> bool:
                held.rollback()
                raise OSError("the file could not be read")

            with (
                pytest.raises(OSError, match="could not be read"),
                connection.begin(),
                results_later(connection, meanwhile),
            ):
                connection.execute(text("SET LOCAL lock_timeout = '10s'"))
                insert_rows(connection, CONTACTS, [contact("busy"), contact("also")])
                connection.execute(text("SELECT 1"))
            assert connection.execute(text("SELECT 3")).scalar_one() == 3  # usable
        assert _held(engine, "busy") == 0 and _held(engine, "also") == 0
    finally:
        engine.dispose()
