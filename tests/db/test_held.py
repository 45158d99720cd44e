"""db/held.py: a held transaction's units of work commit when the caller says, and on
PostgreSQL the tables it names are analysed each time the number of commits doubles, so
the planner costs them as they are, not as the empty tables they were."""

from __future__ import annotations

from sqlalchemy import Column, Integer, MetaData, Table, insert, select, text

from frontdoor.db.engine import make_engine
from frontdoor.db.held import held_transaction
from tests.conftest import copy_sqlite

PROBE = Table("held_probe", MetaData(), Column("id", Integer, primary_key=True))


def _counted(url: str) -> float:
    """The probe's rows as the planner's statistics have them (-1: never analysed)."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return float(
                connection.execute(
                    text("SELECT reltuples FROM pg_class WHERE relname = 'held_probe'")
                ).scalar_one()
            )
    finally:
        engine.dispose()


def test_named_tables_are_analysed_as_the_commits_double(postgres_url):
    engine = make_engine(postgres_url)
    PROBE.create(engine)
    seen = []
    try:
        with held_transaction(engine, (PROBE,)) as held:
            for commit in range(1, 6):
                with held.sessions() as session:
                    rows = [{"id": 10 * commit + i} for i in range(10)]
                    session.execute(insert(PROBE), rows)
                    session.commit()  # the unit's commit: the held transaction goes on
                held.commit()
                seen.append((commit, _counted(postgres_url)))
        # analysed after commits 1, 2 and 4 (and nothing after 3 or 5)
        assert seen == [(1, 10.0), (2, 20.0), (3, 20.0), (4, 40.0), (5, 40.0)]
        with engine.connect() as connection:
            assert len(connection.execute(select(PROBE)).all()) == 50
    finally:
        engine.dispose()


def test_on_sqlite_nothing_is_analysed(sqlite_template, tmp_path):
    engine = make_engine(copy_sqlite(sqlite_template, tmp_path / "held.db"))
    PROBE.create(engine)
    try:
        with held_transaction(engine, (PROBE,)) as held:
            for _ in range(4):
                with held.sessions() as session:
                    session.execute(insert(PROBE), [{"id": None}])
                    session.commit()
                held.commit()
        with engine.connect() as connection:
            stats = connection.execute(
                text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
            ).scalar_one()
        assert stats == 0
    finally:
        engine.dispose()
