"""The rig the outage tests stand on: a PostgreSQL server of the test's own that stops and
starts, a switch that makes SQLite refuse as a locked file does, and a real lock to compare."""

from __future__ import annotations

import sqlite3
import time

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from frontdoor.db.engine import make_engine, make_session_factory
from frontdoor.db.migrate import current_revision, head_revision, upgrade
from frontdoor.interactions.model import NewContact
from frontdoor.interactions.record import Record
from tests.conftest import FakeClock, copy_sqlite
from tests.outage import DatabaseSwitch, hold_sqlite_lock


def count_contacts(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(text("SELECT count(*) FROM contacts")).scalar_one()


def test_own_postgres_stops_and_starts_under_an_engine(own_postgres):
    url = make_url(own_postgres.url)
    assert url.drivername == "postgresql+psycopg" and url.port != 5432
    engine = make_engine(own_postgres.url)
    upgrade(engine)  # the role owns its database: Front Door can migrate it
    assert current_revision(engine) == head_revision(engine)
    record = Record(make_session_factory(engine), FakeClock())
    record.start_contact(NewContact(handler="h.jones"))

    began = time.perf_counter()
    own_postgres.stop()
    stopping = time.perf_counter() - began
    with pytest.raises(OperationalError):
        record.start_contact(NewContact(handler="h.jones"))
    with pytest.raises(OperationalError):
        count_contacts(engine)

    began = time.perf_counter()
    own_postgres.start()
    starting = time.perf_counter() - began
    record.start_contact(NewContact(handler="h.jones"))  # the same engine, reconnected
    assert count_contacts(engine) == 2  # what was written before the outage is still there
    engine.dispose()
    # an outage test stops and starts its server, maybe more than once: it must be quick
    assert stopping < 10 and starting < 10


def test_each_own_postgres_is_a_fresh_server(own_postgres):
    # the test above wrote to its server; this one's copy of the template is empty
    engine = make_engine(own_postgres.url)
    with engine.connect() as connection:
        tables = connection.execute(
            text("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
        ).scalar_one()
    engine.dispose()
    assert tables == 0


def test_the_switch_makes_every_statement_fail_as_a_locked_database(tmp_path, sqlite_template):
    db_url = copy_sqlite(sqlite_template, tmp_path / "switched.db")
    engine = make_engine(db_url)
    other = make_engine(db_url)  # another engine on the same file: not switched
    record = Record(make_session_factory(engine), FakeClock())
    switch = DatabaseSwitch.install(engine)
    record.start_contact(NewContact(handler="h.jones"))

    open_transaction = engine.connect()
    open_transaction.execute(text("SELECT count(*) FROM contacts"))
    switch.fail()
    with pytest.raises(OperationalError) as refused:
        record.start_contact(NewContact(handler="h.jones"))
    assert isinstance(refused.value.orig, sqlite3.OperationalError)
    assert str(refused.value.orig) == "database is locked"
    with pytest.raises(OperationalError, match="database is locked"):
        count_contacts(engine)  # reads too
    with pytest.raises(OperationalError, match="database is locked"):
        open_transaction.execute(text("SELECT 1"))  # and a connection already open
    open_transaction.close()
    assert count_contacts(other) == 1
    assert switch.refused == 3

    switch.restore()
    record.start_contact(NewContact(handler="h.jones"))
    assert count_contacts(engine) == 2
    switch.uninstall()
    engine.dispose()
    other.dispose()


def test_the_switch_raises_what_a_real_lock_raises(tmp_path, sqlite_template):
    url = copy_sqlite(sqlite_template, tmp_path / "locked.db")
    console = make_engine(url)
    with console.connect():
        pass  # the console's engine puts the file in WAL mode, as it is in use
    console.dispose()
    # a short busy timeout, so the real lock is reported at once rather than after 5 s
    impatient = create_engine(url, connect_args={"timeout": 0.05})
    with hold_sqlite_lock(tmp_path / "locked.db"):
        assert count_contacts(impatient) == 0  # WAL: readers still read
        with pytest.raises(OperationalError) as real, impatient.begin() as connection:
            connection.execute(text("DELETE FROM contacts"))
    impatient.dispose()

    engine = make_engine(url)
    switch = DatabaseSwitch.install(engine)
    switch.fail()
    with pytest.raises(OperationalError) as injected, engine.begin() as connection:
        connection.execute(text("DELETE FROM contacts"))
    engine.dispose()
    assert type(injected.value.orig) is type(real.value.orig)
    assert str(injected.value.orig) == str(real.value.orig) == "database is locked"
    assert injected.value.orig.sqlite_errorname == real.value.orig.sqlite_errorname

    with sqlite3.connect(tmp_path / "locked.db", timeout=0.05) as connection:
        connection.execute("DELETE FROM contacts")  # the lock went with its process


def test_a_machine_without_postgresql_skips_but_ci_fails(monkeypatch, tmp_path):
    import tests.outage
    from tests.conftest import unavailable
    from tests.outage import ClusterUnavailable, PostgresBinaries

    monkeypatch.setattr(tests.outage, "PG_ROOT", tmp_path)  # no <version>/bin here
    with pytest.raises(ClusterUnavailable, match="no initdb and pg_ctl"):
        PostgresBinaries.find()
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        unavailable("no PostgreSQL cluster of the tests' own")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception):
        unavailable("no PostgreSQL cluster of the tests' own")
