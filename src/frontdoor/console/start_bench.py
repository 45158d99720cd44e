"""How long the console takes from its command to its first painted screen, beside a
bare Textual app that paints a screen of the same kind, in one run on the same machine.

Each start is a new process (warm: Python's bytecode and the files already read once),
headless at 120x40, on a scratch SQLite database with the bundled library published,
the demo directory and no users, so the console paints its ready screen at once. A
start ends when its first screen (the ready screen, or the sign-in) has been painted:
the wall time is from just before the process is made to that moment, and the CPU time
is the process's own up to it. The bare app imports Textual alone and paints a Static
and a Footer. Starts alternate, so both kinds see the same machine; the figures are
medians. Printed, never asserted.

Each of our starts also says which of the modules the first screen does not need were
already imported when it was painted (they should be none).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

# Imported by what a call, a report or the search needs, never by the first screen.
HEAVY_MODULES = (
    "alembic",
    "numpy",
    "holidays",
    "phonenumbers",
    "rapidfuzz",
    "snowballstemmer",
    "fhir",
)

# The bare app: Textual alone, a screen of the ready screen's kind, ended at its first
# paint. Given to `python -c`, so that nothing of Front Door is imported.
BARE_APP = """
import json, time
from textual.app import App
from textual.containers import Center, Vertical
from textual.widgets import Footer, Static

class Bare(App):
    painted = None

    def compose(self):
        with Center(), Vertical():
            yield Static("Front Door\\nReady for the next call.")
        yield Footer()

    def on_ready(self):
        self.call_after_refresh(self.at_first_paint)

    def at_first_paint(self):
        self.painted = (time.time(), time.process_time())
        self.exit()

app = Bare()
app.run(headless=True, size=(120, 40))
print(json.dumps({"painted": app.painted[0], "cpu": app.painted[1], "heavy": []}))
"""

# Ours: the `frontdoor console` command's own path (console_app, as cli.console calls it),
# its settings from FRONTDOOR_* variables, ended once its first screen is painted.
OURS = """
import asyncio, json, sys, time
from frontdoor.console.cli import console_app
from frontdoor.console.logs import configure_logging
from frontdoor.console.settings import load_settings

FIRST_SCREENS = ("ReadyScreen", "SignInScreen")
HEAVY = %r
settings = load_settings()
configure_logging(settings.log_file)
front, app = console_app(settings, None, None, None)
painted = []

async def until_first_paint(pilot):
    while type(pilot.app.screen).__name__ not in FIRST_SCREENS:
        await asyncio.sleep(0.001)
    done = asyncio.get_running_loop().create_future()
    pilot.app.call_after_refresh(lambda: done.set_result(None))
    await done
    painted[:] = [time.time(), time.process_time()]
    heavy = sorted(m for m in HEAVY if m in sys.modules)
    painted.append(heavy)
    pilot.app.exit()

app.run(headless=True, size=(120, 40), auto_pilot=until_first_paint)
front.engine.dispose()
print(json.dumps({"painted": painted[0], "cpu": painted[1], "heavy": painted[2]}))
"""


@dataclass(frozen=True)
class Start:
    wall_s: float
    cpu_s: float
    heavy: list[str]


@dataclass(frozen=True)
class StartFigures:
    bare: list[Start]
    ours: list[Start]

    def median(self, kind: str, what: str) -> float:
        starts = self.bare if kind == "bare" else self.ours
        return statistics.median(getattr(s, what) for s in starts)

    def as_dict(self) -> dict[str, Any]:
        return {
            "starts": len(self.ours),
            "bare": {
                "wall_s": round(self.median("bare", "wall_s"), 3),
                "cpu_s": round(self.median("bare", "cpu_s"), 3),
            },
            "ours": {
                "wall_s": round(self.median("ours", "wall_s"), 3),
                "cpu_s": round(self.median("ours", "cpu_s"), 3),
                "heavy_at_first_paint": sorted({m for s in self.ours for m in s.heavy}),
            },
            "ratio_wall": round(self.median("ours", "wall_s") / self.median("bare", "wall_s"), 2),
            "ratio_cpu": round(self.median("ours", "cpu_s") / self.median("bare", "cpu_s"), 2),
            "each": {
                "bare": [asdict(s) for s in self.bare],
                "ours": [asdict(s) for s in self.ours],
            },
        }


def describe(figures: StartFigures) -> list[str]:
    d = figures.as_dict()
    heavy = ", ".join(d["ours"]["heavy_at_first_paint"]) or "none"
    return [
        f"From the command to the first painted screen (headless, warm), medians of "
        f"{d['starts']} starts of each, alternating, each a new process:",
        f"  bare Textual app: {d['bare']['wall_s']:.2f} s wall, {d['bare']['cpu_s']:.2f} s CPU",
        f"  ours (frontdoor console, ready screen): {d['ours']['wall_s']:.2f} s wall, "
        f"{d['ours']['cpu_s']:.2f} s CPU",
        f"  ours / bare: {d['ratio_wall']:.2f}x wall, {d['ratio_cpu']:.2f}x CPU",
        f"  imported at our first paint though the first screen does not use them: {heavy}",
    ]


def _one(code: str, environment: dict[str, str]) -> Start:
    started = time.time()
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"a start failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return Start(round(result["painted"] - started, 4), round(result["cpu"], 4), result["heavy"])


def scratch_database(folder: Path) -> dict[str, str]:
    """A migrated SQLite database with the bundled library and the demo directory, no
    users; the FRONTDOOR_* variables that point a console at it."""
    from frontdoor.console.settings import load_settings
    from frontdoor.console.wiring import open_front_door

    environment = {
        **os.environ,
        "FRONTDOOR_DB": f"sqlite:///{folder / 'fd.db'}",
        "FRONTDOOR_JOURNAL": str(folder / "journal"),
        "FRONTDOOR_LOG_FILE": str(folder / "fd.log"),
    }
    settings = load_settings(
        db=environment["FRONTDOOR_DB"],
        journal=folder / "journal",
        log_file=folder / "fd.log",
    )
    front = open_front_door(settings)
    try:
        front.load_demo_directory()
    finally:
        front.stop_index()
        front.engine.dispose()
    return environment


def run_start_bench(starts: int, progress: Callable[[str], None] | None = None) -> StartFigures:
    """One start of each kind to warm the machine's caches, then `starts` of each."""
    ours_code = OURS % (HEAVY_MODULES,)
    with tempfile.TemporaryDirectory(prefix="frontdoor-start-bench-") as folder:
        environment = scratch_database(Path(folder))
        _one(BARE_APP, environment)
        _one(ours_code, environment)
        bare: list[Start] = []
        ours: list[Start] = []
        for n in range(starts):
            bare.append(_one(BARE_APP, environment))
            ours.append(_one(ours_code, environment))
            if progress:
                progress(
                    f"start {n + 1}: bare {bare[-1].wall_s:.2f} s / {bare[-1].cpu_s:.2f} s CPU, "
                    f"ours {ours[-1].wall_s:.2f} s / {ours[-1].cpu_s:.2f} s CPU"
                )
    return StartFigures(bare, ours)
