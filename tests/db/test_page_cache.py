"""A load's wider page cache: SQLite's, for the load's transaction only."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Connection

from frontdoor.db.engine import make_engine
from frontdoor.db.page_cache import LOAD_CACHE_KIB, load_page_cache


def _cache(connection: Connection) -> int:
    size: int = connection.exec_driver_sql("PRAGMA cache_size").scalar_one()
    return size


def test_the_cache_is_wider_in_the_load_and_as_it_was_after_even_when_it_fails(
    tmp_path: Path,
) -> None:
    # one connection, as the pool hands the same one back to whoever comes next
    engine = make_engine(f"sqlite:///{tmp_path / 'cache.db'}", create=True)
    try:
        with engine.connect() as connection:
            before = _cache(connection)
            connection.commit()
            assert before != -LOAD_CACHE_KIB
            with connection.begin(), load_page_cache(connection):
                assert _cache(connection) == -LOAD_CACHE_KIB
            assert _cache(connection) == before
            connection.commit()
            with pytest.raises(RuntimeError), connection.begin(), load_page_cache(connection):
                raise RuntimeError("the load failed")
            assert _cache(connection) == before
    finally:
        engine.dispose()
