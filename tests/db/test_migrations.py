"""The migrations build exactly the tables the packages declare, and run twice safely."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import frontdoor.directory.tables
import frontdoor.interactions.tables
import frontdoor.telephony.tables  # noqa: F401
from frontdoor.db.base import Base
from frontdoor.db.engine import make_engine
from frontdoor.db.migrate import current_revision, head_revision, upgrade


def test_migrations_match_the_models_and_are_idempotent(empty_db_url):
    engine = make_engine(empty_db_url)
    upgrade(engine)
    upgrade(engine)
    assert current_revision(engine) == head_revision(engine)
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
        if engine.dialect.name == "sqlite":
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    engine.dispose()


def test_a_database_from_the_first_release_upgrades_with_its_data(tmp_path):
    import datetime as dt

    from sqlalchemy import text

    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "0001")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO services (id, name, description, phones, tags, status, source, "
                "updated_at) VALUES ('s1', 'Lunch club', '', :phones, '[]', 'active', 'local', "
                ":now)"
            ),
            {"now": dt.datetime(2026, 1, 1), "phones": '["0113 496 0001"]'},
        )
    upgrade(engine)
    from frontdoor.db.engine import make_session_factory
    from frontdoor.directory.store import DirectoryStore

    (service,) = DirectoryStore(make_session_factory(engine)).all()
    assert service.name == "Lunch club" and service.phones[0].e164 == "+441134960001"
    assert service.hours == [] and service.caller_types == []
    engine.dispose()
