"""The migrations build exactly the tables the packages declare, and run twice safely."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import frontdoor.directory.tables
import frontdoor.interactions.tables  # noqa: F401
from frontdoor.db.base import Base
from frontdoor.db.engine import make_engine
from frontdoor.db.migrate import current_revision, head_revision, upgrade


def test_migrations_match_the_models_and_are_idempotent(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
    upgrade(engine)
    upgrade(engine)
    assert current_revision(engine) == head_revision(engine)
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    engine.dispose()
