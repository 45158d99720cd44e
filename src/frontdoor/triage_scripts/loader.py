"""Load script files into `Script` models, keeping each one's path and line numbers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from frontdoor.triage_scripts.model import ID_PATTERN, Script
from frontdoor.triage_scripts.yaml_source import SourceMap, YamlError, load_with_lines

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a script, printed as `FILE:LINE: CODE message`."""

    file: str
    line: int
    code: str  # R1..R7, YAML, or W
    message: str

    @property
    def severity(self) -> Severity:
        return "warning" if self.code == "W" else "error"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.code} {self.message}"


@dataclass
class LoadedScript:
    script: Script
    path: str
    source: SourceMap = field(repr=False)

    def line(self, *path: str | int, prefer_value: bool = False) -> int:
        return self.source.line_of(tuple(path), prefer_value=prefer_value)


@dataclass
class LoadResult:
    loaded: LoadedScript | None
    problems: list[Problem]


def _loc_path(loc: tuple[int | str, ...]) -> tuple[str | int, ...]:
    # pydantic adds the tag of a tagged union ('question'/'decision'/'end') to the location.
    return tuple(part for part in loc if part not in ("question", "decision", "end"))


def _message(error: ErrorDetails) -> str:
    kind = error["type"]
    loc = _loc_path(error["loc"])
    name = loc[-1] if loc else "script"
    if kind == "extra_forbidden":
        return f"unknown key '{name}' (misspelt, or not part of the format)"
    if kind == "missing":
        return f"'{name}' is required"
    if kind in ("R3", "R4", "R6"):
        return str(error["msg"])
    if kind == "literal_error":
        return f"'{name}': {error['msg'].lower()}"
    return f"'{name}': {error['msg']}" if loc else str(error["msg"])


def _approval_problems(data: dict[str, Any], source: SourceMap, path: str) -> list[Problem]:
    """Rule R4, checked on the raw data so it is reported even when the shape is wrong."""
    status = data.get("status")
    if status not in ("approved", "published"):
        return []
    missing = [key for key in ("approved_by", "approved_on") if not data.get(key)]
    if not missing:
        return []
    line = source.line_of(("status",), prefer_value=True)
    return [Problem(path, line, "R4", f"a {status} script needs {' and '.join(missing)}")]


def _node_name_problems(data: dict[str, Any], source: SourceMap, path: str) -> list[Problem]:
    """Node names are ids (R6); reported at the name's own line."""
    nodes = data.get("nodes")
    if not isinstance(nodes, dict):
        return []
    return [
        Problem(
            path,
            source.key_lines.get(("nodes", name), 1),
            "R6",
            f"node name '{name}' must be lower-case letters, digits, '-' and '_' only",
        )
        for name in nodes
        if not ID_PATTERN.match(name)
    ]


def load_text(text: str, path: str) -> LoadResult:
    """Load one script's text; `path` is only used to name it in problems."""
    try:
        data, source = load_with_lines(text)
    except YamlError as exc:
        return LoadResult(None, [Problem(path, exc.line, "YAML", exc.message)])
    problems = [
        Problem(
            path,
            line,
            "R1" if mapping == ("nodes",) else "R6",
            f"'{key}' is written twice"
            + (" (node names are unique)" if mapping == ("nodes",) else ""),
        )
        for mapping, key, line in source.duplicates
    ]
    problems.extend(_approval_problems(data, source, path))
    problems.extend(_node_name_problems(data, source, path))
    try:
        script = Script.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            loc = _loc_path(error["loc"])
            if loc == ("nodes",) and "node name" in str(error["msg"]):
                continue  # reported at the name's own line above
            code = error["type"] if error["type"] in ("R3", "R4", "R6") else "R6"
            prefer_value = error["type"] != "extra_forbidden"
            line = source.line_of(loc, prefer_value=prefer_value) if loc else 1
            if error["type"] == "extra_forbidden":
                line = source.key_lines.get(loc, line)
            problems.append(Problem(path, line, code, _message(error)))
        return LoadResult(None, sorted(set(problems)))
    return LoadResult(LoadedScript(script, path, source), problems)


def load_file(path: Path | str) -> LoadResult:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return LoadResult(None, [Problem(str(p), 1, "YAML", f"cannot read the file: {exc}")])
    return load_text(text, str(p))


def script_files(paths: Iterable[Path | str]) -> list[Path]:
    """The .yaml/.yml files named, or found in the folders named, in a stable order."""
    found: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found.extend(sorted(q for q in p.rglob("*") if q.suffix in (".yaml", ".yml")))
        else:
            found.append(p)
    return found
