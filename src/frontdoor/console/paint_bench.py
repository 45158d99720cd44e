"""How long the screen freezes when a handler presses `d` at the console's first paint,
while the directory's search index is still being built: the longest the event loop
went without running a 10 ms timer, over the seconds that follow.

Each start is a new console in a new process on a fresh copy of the database, headless.
The baseline presses `d` with the index already built (the console as it is all day);
ours presses it at first paint, with the build running beside the screen. The ratio is
what building the index at start costs the screen. Starts alternate, so both see the
same machine.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from frontdoor.console.app import FrontDoorApp
from frontdoor.console.screens.browse import BrowseDirectoryScreen
from frontdoor.console.settings import Settings, load_settings
from frontdoor.console.wiring import open_front_door
from frontdoor.private_files import create_private

TICK_SECONDS = 0.01


@dataclass(frozen=True)
class PaintFigures:
    baseline_ms: list[float]  # the longest stall of each start, the index built first
    ours_ms: list[float]  # the same, `d` at first paint while the index is being built

    def describe(self) -> str:
        def line(name: str, stalls: list[float]) -> str:
            return (
                f"{name}: longest stall of the screen after `d`, median "
                f"{statistics.median(stalls):.0f} milliseconds, worst {max(stalls):.0f} "
                f"milliseconds, over {len(stalls)} starts"
            )

        ratio = statistics.median(self.ours_ms) / statistics.median(self.baseline_ms)
        return "\n".join(
            [
                line("baseline (the index built before `d`)", self.baseline_ms),
                line("ours (`d` at first paint, the index still being built)", self.ours_ms),
                f"ours / baseline, medians: {ratio:.2f}",
            ]
        )


async def _one_start(settings: Settings, during_build: bool, watch_seconds: float) -> float:
    front = open_front_door(settings, migrate=False)
    if not during_build:
        front.directory_index.wait()  # built before the console starts
    app = FrontDoorApp(front, handler="bench")
    gaps: list[float] = []
    last = time.perf_counter()

    def tick() -> None:
        nonlocal last
        now = time.perf_counter()
        gaps.append(now - last)
        last = now

    try:
        async with app.run_test(size=(120, 40)) as pilot:
            app.set_interval(TICK_SECONDS, tick)
            await pilot.press("d")  # at first paint
            if not isinstance(app.screen, BrowseDirectoryScreen):
                raise RuntimeError("`d` did not open the directory")
            await asyncio.sleep(watch_seconds)  # real time: this is what is measured
    finally:
        front.engine.dispose()
    return max(gaps) * 1000


def _start_in_a_process_of_its_own(folder: Path, during_build: bool, watch_seconds: float) -> float:
    """One start, as a handler's console starts: a new process, so that neither kind
    inherits the other's heap (a full collection walks every object of the process)."""
    environment = {
        **os.environ,
        "FRONTDOOR_DB": f"sqlite:///{folder / 'fd.db'}",
        "FRONTDOOR_JOURNAL": str(folder / "journal"),
        "FRONTDOOR_LOG_FILE": str(folder / "fd.log"),
    }
    done = subprocess.run(
        [sys.executable, "-m", __name__, "during" if during_build else "after", str(watch_seconds)],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return float(done.stdout.strip().splitlines()[-1])


def _without_users(copy: Path) -> None:
    """The bench times the first paint, not a sign-in: its throwaway copy has no users, so
    the console opens at once, as it does before a database's first user."""
    with contextlib.closing(sqlite3.connect(copy)) as connection, connection:
        connection.execute("DELETE FROM users")


def run_paint_bench(
    database: Path,
    starts: int,
    watch_seconds: float = 5.0,
    progress: Callable[[str], None] | None = None,
) -> PaintFigures:
    """`starts` starts of each kind, alternating, on fresh copies of the SQLite file
    `database`, each in a process of its own."""
    baseline: list[float] = []
    ours: list[float] = []
    for start in range(starts):
        for during_build, kept in ((False, baseline), (True, ours)):
            with tempfile.TemporaryDirectory() as folder:
                copy = Path(folder) / "fd.db"
                create_private(copy)  # owner-only before a byte of the record is in it
                shutil.copyfile(database, copy)
                _without_users(copy)
                kept.append(
                    _start_in_a_process_of_its_own(Path(folder), during_build, watch_seconds)
                )
        if progress:
            progress(f"start {start + 1}: baseline {baseline[-1]:.0f} ms, ours {ours[-1]:.0f} ms")
    return PaintFigures(baseline, ours)


if __name__ == "__main__":  # one start: the settings come from FRONTDOOR_* variables
    stall = asyncio.run(_one_start(load_settings(), sys.argv[1] == "during", float(sys.argv[2])))
    print(f"{stall:.1f}")
