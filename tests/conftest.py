"""Shared fixtures: a fixed clock, a throw-away database, and ../shared when it exists."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from frontdoor.console.logs import configure_logging
from frontdoor.console.settings import Settings, load_settings
from frontdoor.console.wiring import FrontDoor, open_front_door

SHARED = Path(__file__).resolve().parents[2] / "shared"
START = dt.datetime(2026, 11, 23, 8, 55, tzinfo=dt.UTC)  # a Monday, 8.55


class FakeClock:
    """A clock that moves only when told to, so times in the record are exact."""

    def __init__(self, now: dt.datetime = START) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


def shared_path(*parts: str) -> Path:
    """A file in ../shared; skips on a user's machine, fails in CI where it must exist."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing: CI runs with ../shared beside the clone")
        pytest.skip(f"{path} is not here (../shared is only beside CI and developer clones)")
    return path


def postgres_admin_url() -> str:
    """A PostgreSQL server to test against (FRONTDOOR_TEST_PG, a URL whose user may create
    databases). Skips on a machine without one; fails in CI, where .ci/run starts one."""
    url = os.environ.get("FRONTDOOR_TEST_PG")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("FRONTDOOR_TEST_PG is not set: .ci/run starts PostgreSQL and sets it")
        pytest.skip("no PostgreSQL server (set FRONTDOOR_TEST_PG to test against one)")
    return url


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A new, empty database on the test server, dropped afterwards."""
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = make_url(postgres_admin_url())
    name = f"frontdoor_test_{uuid.uuid4().hex[:10]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield admin.set(database=name).render_as_string(hide_password=False)
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each database Front Door runs on: SQLite, and a real PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    configure_logging(tmp_path / "frontdoor.log")
    return load_settings(
        db=f"sqlite:///{tmp_path / 'test.db'}",
        log_file=tmp_path / "frontdoor.log",
        journal=tmp_path / "journal",
    )


@pytest.fixture
def front(settings: Settings, clock: FakeClock) -> Iterator[FrontDoor]:
    door = open_front_door(settings, clock=clock)
    door.load_demo_directory()
    yield door
    door.engine.dispose()
