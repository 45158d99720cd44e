"""Load script files into `Script` models, keeping each one's path and line numbers.

Every shape problem of a file is found in one run: the top level, each node and each
test are validated on their own, so a node whose shape is wrong neither hides the
problems of the others nor stops the graph rules from running over the nodes that did
load (`LoadResult.lintable`). Only a script whose every part loaded is one that can be
run (`LoadResult.loaded`).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from frontdoor.triage_scripts.conditions import Condition
from frontdoor.triage_scripts.limits import LIMITS, Deadline, Limits
from frontdoor.triage_scripts.model import ID_PATTERN, Node, Script, ScriptTest, rules_of
from frontdoor.triage_scripts.yaml_source import SourceMap, YamlError, load_with_lines

Severity = Literal["error", "warning"]

_NODE: TypeAdapter[Any] = TypeAdapter(Node)
_TEST: TypeAdapter[ScriptTest] = TypeAdapter(ScriptTest)
# For a required top-level value that was refused: something of the right type, so that
# the nodes can still be checked. Lint skips the checks that would read a stand-in.
_STAND_INS: dict[str, Any] = {
    "script": "unnamed",
    "title": "?",
    "version": 1,
    "status": "draft",
    "category": "?",
}


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


@dataclass(frozen=True)
class FailedNode:
    """What can still be read of a node whose shape was refused: it counts as existing,
    leads where its `next`/`else` say, and records what its `record` says."""

    targets: tuple[str, ...]
    record: str | None


@dataclass
class LoadedScript:
    script: Script
    path: str
    source: SourceMap = field(repr=False)
    # Parts refused for their shape (their problems are reported). Empty for a script
    # that loaded whole; a script with any is only ever linted, never run.
    failed_nodes: Mapping[str, FailedNode] = field(default_factory=dict)
    failed_keys: frozenset[str] = frozenset()  # top-level keys; the script has stand-ins
    failed_tests: frozenset[int] = frozenset()

    @property
    def complete(self) -> bool:
        return not (self.failed_nodes or self.failed_keys or self.failed_tests)

    def line(self, *path: str | int, prefer_value: bool = False) -> int:
        return self.source.line_of(tuple(path), prefer_value=prefer_value)

    def conditions(self) -> Iterator[tuple[int, Condition]]:
        """Every `if` of the script's routes and decisions, with the line lint names."""
        for name, node in self.script.routing().items():
            key, rules = rules_of(node)
            for i, rule in enumerate(rules):
                if rule.condition is not None:
                    yield self.line("nodes", name, key, i, "if", prefer_value=True), rule.condition


@dataclass
class LoadResult:
    # the script, when every part of it loaded: only such a script is run
    loaded: LoadedScript | None
    problems: list[Problem]
    # the parts that loaded, for lint to check all it can; `loaded` when that is whole
    lintable: LoadedScript | None = None


def _loc_path(loc: tuple[int | str, ...]) -> tuple[str | int, ...]:
    # pydantic adds the tag of a tagged union ('question'/'decision'/'end') to the location.
    return tuple(part for part in loc if part not in ("question", "decision", "end"))


def _message(error: ErrorDetails, loc: tuple[str | int, ...]) -> str:
    kind = error["type"]
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


def _shape_problem(
    error: ErrorDetails, loc: tuple[str | int, ...], source: SourceMap, path: str
) -> Problem:
    code = error["type"] if error["type"] in ("R3", "R4", "R6") else "R6"
    if error["type"] == "extra_forbidden":
        line = source.key_lines.get(loc, source.line_of(loc))
    else:
        line = source.line_of(loc, prefer_value=True) if loc else 1
    return Problem(path, line, code, _message(error, loc))


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


def _name_problem(name: str, source: SourceMap, path: str) -> Problem:
    """Node names are ids (R6); reported at the name's own line."""
    return Problem(
        path,
        source.key_lines.get(("nodes", name), 1),
        "R6",
        f"node name '{name}' must be lower-case letters, digits, '-' and '_' only",
    )


def _raw_targets(raw: Any) -> tuple[str, ...]:
    """Every `next`/`else` text in a refused node, however it is nested (the YAML
    reader has already bounded how deep and how large it can be)."""
    found: list[str] = []
    todo = [raw]
    while todo:
        item = todo.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if key in ("next", "else") and isinstance(value, str):
                    found.append(value)
                elif isinstance(value, list | dict):
                    todo.append(value)
        elif isinstance(item, list):
            todo.extend(v for v in item if isinstance(v, list | dict))
    return tuple(dict.fromkeys(found))


def _failed_node(raw: Any) -> FailedNode:
    record = raw.get("record") if isinstance(raw, dict) else None
    return FailedNode(_raw_targets(raw), record if isinstance(record, str) else None)


def _stand_in(key: str, nodes: Mapping[str, Any]) -> tuple[bool, Any]:
    """(is there one, the value) for a refused top-level `key`."""
    spec = Script.model_fields.get(key)
    if spec is None or not spec.is_required():
        return False, None  # unknown, or has a default: leave it out
    if key == "start":
        return (True, next(iter(nodes))) if nodes else (False, None)
    return (True, _STAND_INS[key]) if key in _STAND_INS else (False, None)


def load_text(
    text: str, path: str, limits: Limits = LIMITS, deadline: Deadline | None = None
) -> LoadResult:
    """Load one script's text; `path` is only used to name it in problems."""
    try:
        data, source = load_with_lines(text, limits, deadline)
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

    raw_nodes = data.get("nodes")
    nodes: dict[str, Any] = {}
    failed_nodes: dict[str, FailedNode] = {}
    if isinstance(raw_nodes, dict):
        for name, raw in raw_nodes.items():
            try:
                node = _NODE.validate_python(raw)
            except ValidationError as exc:
                failed_nodes[name] = _failed_node(raw)
                for error in exc.errors():
                    loc = ("nodes", name, *_loc_path(error["loc"]))
                    problems.append(_shape_problem(error, loc, source, path))
                continue
            if ID_PATTERN.match(name):
                nodes[name] = node
            else:
                failed_nodes[name] = _failed_node(raw)
        problems.extend(
            _name_problem(n, source, path) for n in raw_nodes if not ID_PATTERN.match(n)
        )

    raw_tests = data.get("tests")
    tests: list[ScriptTest] = []
    failed_tests: set[int] = set()
    if isinstance(raw_tests, list):
        for i, raw in enumerate(raw_tests):
            try:
                tests.append(_TEST.validate_python(raw))
            except ValidationError as exc:
                failed_tests.add(i)
                for error in exc.errors():
                    loc = ("tests", i, *_loc_path(error["loc"]))
                    problems.append(_shape_problem(error, loc, source, path))

    top = dict(data)
    if isinstance(raw_nodes, dict):
        top["nodes"] = nodes
    if isinstance(raw_tests, list):
        top["tests"] = tests
    script: Script | None = None
    failed_keys: set[str] = set()
    try:
        script = Script.model_validate(top)
    except ValidationError as exc:
        for error in exc.errors():
            loc = _loc_path(error["loc"])
            if loc[:1] == ("nodes",) and failed_nodes:
                continue  # the nodes' own problems are reported above
            problems.append(_shape_problem(error, loc, source, path))
            failed_keys.add(str(loc[0]) if loc else "")
        script = _with_stand_ins(top, failed_keys, nodes)
    if script is None:
        return LoadResult(None, sorted(set(problems)))
    lintable = LoadedScript(
        script, path, source, failed_nodes, frozenset(failed_keys), frozenset(failed_tests)
    )
    return LoadResult(lintable if lintable.complete else None, sorted(set(problems)), lintable)


def _with_stand_ins(top: dict[str, Any], failed: set[str], nodes: dict[str, Any]) -> Script | None:
    """The script with a stand-in for each refused top-level value, or None where there
    is none (no node loaded, or a refused value nothing can stand in for)."""
    if not nodes or "nodes" in failed or "" in failed:
        return None
    patched = {k: v for k, v in top.items() if k not in failed}
    for key in failed:
        has, value = _stand_in(key, nodes)
        if has:
            patched[key] = value
    try:
        return Script.model_validate(patched)
    except ValidationError:
        return None


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


def _not_a_file(mode: int) -> str:
    kind = next((what for test, what in _KINDS if test(mode)), "not a regular file")
    return f"this is {kind}, not a file: give a script file (.yaml) or a folder of them"


def read_script_text(
    path: Path | str, limits: Limits = LIMITS
) -> tuple[str | None, Problem | None]:
    """(the text of the file, None), or (None, the problem): only a regular file is
    read, so a named pipe or a device cannot hang or flood lint, and never more than
    `limits.max_bytes`."""
    name = str(path)

    def problem(line: int, message: str) -> tuple[None, Problem]:
        return None, Problem(name, line, "YAML", message)

    try:
        # non-blocking: opening a named pipe would otherwise wait for a writer for ever
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        return problem(1, f"cannot open the file: {exc.strerror or exc}")
    try:
        mode = os.fstat(fd).st_mode  # of what was opened, not of what the name was
        if not stat.S_ISREG(mode):
            return problem(1, _not_a_file(mode))
        with os.fdopen(fd, "rb", closefd=False) as file:
            data = file.read(limits.max_bytes + 1)
    except OSError as exc:
        return problem(1, f"cannot read the file: {exc.strerror or exc}")
    finally:
        os.close(fd)
    if len(data) > limits.max_bytes:
        return problem(
            1, f"the file is larger than {limits.max_bytes:,} bytes, the most a script may be"
        )
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return problem(
            line,
            f"byte 0x{data[exc.start]:02x} at column {column} is not UTF-8 text: "
            "save the file as UTF-8",
        )


def load_file(
    path: Path | str, limits: Limits = LIMITS, deadline: Deadline | None = None
) -> LoadResult:
    text, problem = read_script_text(path, limits)
    if text is None:
        return LoadResult(None, [problem] if problem else [])
    return load_text(text, str(path), limits, deadline)


def script_files(paths: Iterable[Path | str]) -> list[Path]:
    """The .yaml/.yml files named, or found in the folders named, in a stable order.
    Links to folders inside a folder are not followed, so a link loop ends."""
    found: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if not p.is_dir():
            found.append(p)
            continue
        inside: list[Path] = []
        for folder, _, files in os.walk(p):
            inside.extend(Path(folder, f) for f in files if f.endswith((".yaml", ".yml")))
        found.extend(sorted(inside))
    return found
