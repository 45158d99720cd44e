"""The script library: a folder of scripts, by default the one bundled with the package."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from frontdoor.triage_scripts.loader import LoadedScript, Problem, load_file, script_files
from frontdoor.triage_scripts.model import Script


class LibraryError(Exception):
    """The library has scripts that do not load; `problems` says which and where."""

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


def load_library(folder: Path | None = None) -> Library:
    """Every script in `folder` (default: the bundled library), or LibraryError."""
    loaded: list[LoadedScript] = []
    problems: list[Problem] = []
    for path in script_files([folder or bundled_library_path()]):
        result = load_file(path)
        problems += [p for p in result.problems if p.severity == "error"]
        if result.loaded:
            loaded.append(result.loaded)
    if problems:
        raise LibraryError(problems)
    scripts: dict[str, Script] = {}
    paths: dict[str, str] = {}
    for item in loaded:
        if item.script.script in scripts:
            raise LibraryError(
                [Problem(item.path, 1, "R1", f"script id '{item.script.script}' is used twice")]
            )
        scripts[item.script.script] = item.script
        paths[item.script.script] = item.path
    return Library(scripts, paths)
