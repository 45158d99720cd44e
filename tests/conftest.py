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


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    configure_logging(tmp_path / "frontdoor.log")
    return load_settings(
        db=f"sqlite:///{tmp_path / 'test.db'}", log_file=tmp_path / "frontdoor.log"
    )


@pytest.fixture
def front(settings: Settings, clock: FakeClock) -> Iterator[FrontDoor]:
    door = open_front_door(settings, clock=clock)
    door.load_demo_directory()
    yield door
    door.engine.dispose()
