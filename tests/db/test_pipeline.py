"""db/pipeline.py: inside `deferring`, statements nobody reads are kept back and go with
the connection's next round trip (first in a pipeline, or before any statement, COPY or
commit); a rollback drops them; a refused one is raised as SQLAlchemy raises its own,
naming it. Outside it, they are sent at once."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, func, select, text
from sqlalchemy.exc import IntegrityError

from frontdoor.db.engine import make_engine
from frontdoor.db.pipeline import deferring, kept_back, send_later, send_together

PROBE = Table("pipeline_probe", MetaData(), Column("id", Integer, primary_key=True))
ADD = "INSERT INTO pipeline_probe (id) VALUES (%s)"


def _count(connection) -> int:
    return int(connection.execute(select(func.count()).select_from(PROBE)).scalar_one())


@pytest.fixture
def engine(postgres_url):
    engine = make_engine(postgres_url)
    PROBE.create(engine)
    yield engine
    engine.dispose()


def _held_elsewhere(engine) -> int:
    with engine.connect() as other:
        return _count(other)


def test_kept_back_statements_go_with_the_next_round_trip(engine):
    with engine.connect() as connection, connection.begin(), deferring(connection):
        send_later(connection, [(ADD, [1]), (ADD, [2])])
        assert connection.info["frontdoor.deferred"] == [(ADD, [1]), (ADD, [2])]
        # first in the next pipeline sent: theirs, then its own
        send_together(connection, [(ADD, [3])])
        assert kept_back(connection) == []
        send_later(connection, [(ADD, [4])])
        # a statement SQLAlchemy runs sees them: they went just before it
        assert _count(connection) == 4
        send_later(connection, [(ADD, [5])])
    # the commit sent the last one first
    assert _held_elsewhere(engine) == 5


def test_a_rollback_drops_what_was_kept_back(engine):
    with engine.connect() as connection, deferring(connection):
        transaction = connection.begin()
        send_later(connection, [(ADD, [1])])
        transaction.rollback()
        assert kept_back(connection) == []
        assert _count(connection) == 0
    assert _held_elsewhere(engine) == 0


def test_a_refused_statement_kept_back_is_raised_naming_it(engine):
    with engine.connect() as connection:
        transaction = connection.begin()
        with pytest.raises(IntegrityError) as refused, deferring(connection):
            send_later(connection, [(ADD, [1]), (ADD, [1])])  # the second is refused
            connection.execute(text("SELECT 1"))
        assert refused.value.statement == ADD
        transaction.rollback()
    assert _held_elsewhere(engine) == 0


def test_outside_deferring_they_are_sent_at_once(engine):
    with engine.connect() as connection, connection.begin():
        send_later(connection, [(ADD, [1])])
        assert kept_back(connection) == []
        raw = connection.connection.driver_connection
        assert raw.execute("SELECT count(*) FROM pipeline_probe").fetchone()[0] == 1
