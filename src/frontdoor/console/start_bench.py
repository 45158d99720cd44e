"""How long the console takes from its command to its first painted screen, beside a
bare Textual app that paints a screen of the same kind, in one run on the same machine.

Each start is a new process (warm: Python's bytecode and the files already read once),
headless at 120x40, on a scratch SQLite database with the bundled library published,
the demo directory and no users. The console paints its first screen (it is getting
ready) before it opens the database; the first paint is the row's figure: the wall time
is from just before the process is made to that moment, and the CPU time is the
process's own up to it. The moment its ready screen (or the sign-in) is painted, the
database open, is printed beside it, so that nobody takes the first paint for the whole
start; and the moment it has finished opening behind that screen (the library brought in
and checked, calls ready: the keys typed until then act from then on). The bare app
imports Textual alone and paints a Static and a Footer. Starts alternate, so both kinds
see the same machine; the figures are medians. Printed, never asserted.

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

# Imported by what a call, a report or the search needs, never by the first screen; nor
# what opening the database and the settings needs, which follows the first paint.
HEAVY_MODULES = (
    "alembic",
    "numpy",
    "holidays",
    "phonenumbers",
    "rapidfuzz",
    "snowballstemmer",
    "fhir",
    "sqlalchemy",
    "pydantic",
    "pydantic_settings",
    "structlog",
    "yaml",
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
print(json.dumps({"painted": app.painted[0], "cpu": app.painted[1], "heavy": [],
                  "usable": app.painted[0], "usable_cpu": app.painted[1],
                  "warm": app.painted[0], "warm_cpu": app.painted[1]}))
"""

# Ours: the `frontdoor console` command's own path (console_app, as cli.console calls it,
# with no options: its settings from FRONTDOOR_* variables), ended once its ready screen
# is painted; the first paint (the screen that says it is getting ready) noted on the way.
OURS = """
import asyncio, json, sys, time
from frontdoor.console.cli import console_app
from frontdoor.console.commands.common import Asked

USABLE = ("ReadyScreen", "SignInScreen")
HEAVY = %r
app = console_app(Asked(None, None), None, None, None)
moments = {}

async def painted(app):
    done = asyncio.get_running_loop().create_future()
    app.call_after_refresh(lambda: done.set_result(None))
    await done
    return [time.time(), time.process_time()]

async def until_ready(pilot):
    app = pilot.app
    while type(app.screen).__name__ == "Screen":  # Textual's default, before ours
        await asyncio.sleep(0.001)
    moments["first"] = await painted(app)
    moments["heavy"] = sorted(m for m in HEAVY if m in sys.modules)
    while type(app.screen).__name__ not in USABLE:
        if app.not_opened is not None:
            raise app.not_opened
        await asyncio.sleep(0.001)
    moments["usable"] = await painted(app)
    while not app.is_warm:
        if app.not_opened is not None:
            raise app.not_opened
        await asyncio.sleep(0.001)
    moments["warm"] = [time.time(), time.process_time()]
    app.exit()

app.run(headless=True, size=(120, 40), auto_pilot=until_ready)
app.close_database()
print(json.dumps({"painted": moments["first"][0], "cpu": moments["first"][1],
                  "heavy": moments["heavy"], "usable": moments["usable"][0],
                  "usable_cpu": moments["usable"][1], "warm": moments["warm"][0],
                  "warm_cpu": moments["warm"][1]}))
"""


@dataclass(frozen=True)
class Start:
    # to the first painted screen
    wall_s: float
    cpu_s: float
    heavy: list[str]
    # to the ready screen (or the sign-in) painted, the database open
    usable_wall_s: float
    usable_cpu_s: float
    # to the end of opening behind it: the library checked, calls ready
    warm_wall_s: float
    warm_cpu_s: float


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
                "usable_wall_s": round(self.median("ours", "usable_wall_s"), 3),
                "usable_cpu_s": round(self.median("ours", "usable_cpu_s"), 3),
                "warm_wall_s": round(self.median("ours", "warm_wall_s"), 3),
                "warm_cpu_s": round(self.median("ours", "warm_cpu_s"), 3),
            },
            "ratio_wall": round(self.median("ours", "wall_s") / self.median("bare", "wall_s"), 2),
            "ratio_cpu": round(self.median("ours", "cpu_s") / self.median("bare", "cpu_s"), 2),
            "usable_ratio_wall": round(
                self.median("ours", "usable_wall_s") / self.median("bare", "wall_s"), 2
            ),
            "usable_ratio_cpu": round(
                self.median("ours", "usable_cpu_s") / self.median("bare", "cpu_s"), 2
            ),
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
        f"  ours (frontdoor console, its first screen, getting ready): "
        f"{d['ours']['wall_s']:.2f} s wall, {d['ours']['cpu_s']:.2f} s CPU",
        f"  ours / bare: {d['ratio_wall']:.2f}x wall, {d['ratio_cpu']:.2f}x CPU",
        f"  ours to the ready screen (or sign-in) painted, the database open: "
        f"{d['ours']['usable_wall_s']:.2f} s wall, {d['ours']['usable_cpu_s']:.2f} s CPU "
        f"({d['usable_ratio_wall']:.2f}x / {d['usable_ratio_cpu']:.2f}x the bare app's paint)",
        f"  ours finished opening behind it (library checked, calls ready; keys typed "
        f"before act then): {d['ours']['warm_wall_s']:.2f} s wall, "
        f"{d['ours']['warm_cpu_s']:.2f} s CPU",
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
    return Start(
        round(result["painted"] - started, 4),
        round(result["cpu"], 4),
        result["heavy"],
        round(result["usable"] - started, 4),
        round(result["usable_cpu"], 4),
        round(result["warm"] - started, 4),
        round(result["warm_cpu"], 4),
    )


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
