"""Front Door on either database, for the referrals' tests that read or write them
differently on each (PostgreSQL's reads go to psycopg itself: db/raw_reads.py)."""

from __future__ import annotations

import pytest

from frontdoor.console.settings import load_settings
from frontdoor.console.wiring import open_front_door


@pytest.fixture(params=["sqlite", "postgresql"])
def door(request, clock, tmp_path):
    """Front Door on either database, holding the demo directory."""
    if request.param == "sqlite":
        yield request.getfixturevalue("front")
        return
    settings = load_settings(
        db=request.getfixturevalue("postgres_url"),
        log_file=tmp_path / "frontdoor.log",
        journal=tmp_path / "journal",
    )
    front = open_front_door(settings, clock=clock, migrate=False)
    front.load_demo_directory()
    yield front
    front.engine.dispose()
