"""The script library: a folder of scripts, by default the one bundled with the package.

A library that calls are run from is checked by every lint rule when it is loaded, not
only its shape: a `next` to a missing node or a script whose tests fail would otherwise
surface in the middle of a call.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from frontdoor.triage_scripts.lint import LintContext, lint_paths
from frontdoor.triage_scripts.loader import LoadedScript, Problem, load_file, script_files
from frontdoor.triage_scripts.model import Script


class LibraryError(Exception):
    """The library has scripts with errors; `problems` says which file, line and rule."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems[:5]))
        self.problems = problems


def bundled_library_path() -> Path:
    return Path(str(resources.files("frontdoor.triage_scripts") / "library"))


@dataclass(frozen=True)
class Library:
    scripts: dict[str, Script]
    paths: dict[str, str]

    def get(self, script_id: str) -> Script | None:
        return self.scripts.get(script_id)

    def __contains__(self, script_id: object) -> bool:
        return script_id in self.scripts


def _library(loaded: list[LoadedScript]) -> Library:
    scripts: dict[str, Script] = {}
    paths: dict[str, str] = {}
    for item in loaded:
        scripts.setdefault(item.script.script, item.script)
        paths.setdefault(item.script.script, item.path)
    return Library(scripts, paths)


def load_library(folder: Path | None = None, check: LintContext | None = None) -> Library:
    """Every script in `folder` (default: the bundled library), checked by every lint
    rule, or LibraryError listing each error. Without `check` (the service's vocabulary),
    outcomes and categories are not checked; every other rule is."""
    context = check or LintContext(outcomes=None, categories=frozenset())
    loaded, problems = lint_paths([folder or bundled_library_path()], context)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise LibraryError(errors)
    return _library(loaded)


def read_library(folder: Path | None = None) -> Library:
    """The scripts in `folder` that load, unchecked and problems ignored: only for looking
    script ids up (lint's goto_script), never for running calls."""
    loaded = [
        result.loaded
        for result in map(load_file, script_files([folder or bundled_library_path()]))
        if result.loaded is not None
    ]
    return _library(loaded)
