"""Read YAML into plain data while keeping the line of every key and value.

Lint messages must name the line at fault, so we build plain data from PyYAML's event
stream ourselves instead of letting it construct Python objects. We also resolve plain
scalars the YAML 1.2 way: only `true`/`false` are booleans, so an unquoted `Yes` stays
the text "Yes" (the script format says answer labels are text however they are written).

Building from events rather than from PyYAML's composed node tree is what keeps a
hostile file from taking the machine: the build is a loop with a stack of its own (the
composers recurse, and libyaml's segfaults at 100,000 nested brackets), so nesting is
refused at `Limits.max_depth`; an alias is counted as the values it expands to (known
when its anchor's value closed, so computed once per anchor) and refused before
anything is built when the file's total would pass `Limits.max_values` (a 0.6 KB
"billion laughs" file otherwise expands to billions); the value an alias names is
shared, never copied. libyaml's parser (`yaml.CSafeLoader`) is used where PyYAML has it:
it reads the bundled scripts about 20 times as fast as PyYAML's own, with the same
line numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from frontdoor.triage_scripts.limits import LIMITS, Deadline, Limits

Path = tuple[str | int, ...]

_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$")
_STR_TAG = "tag:yaml.org,2002:str"
# libyaml where PyYAML was built with it; PyYAML's own parser gives the same events
FAST = bool(getattr(yaml, "__with_libyaml__", False))
# how many events between two looks at the clock
_CLOCK_EVERY = 4096


class YamlError(Exception):
    """The text is not valid YAML, not a mapping at the top, or past a limit."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class SourceMap:
    """Line numbers (1-based) for keys and values, by their path in the document."""

    key_lines: dict[Path, int] = field(default_factory=dict)
    value_lines: dict[Path, int] = field(default_factory=dict)
    # Keys written twice in one mapping: (path of the mapping, key, line of the second).
    # The first is kept; lint reports the second (a node name twice breaks rule R1).
    duplicates: list[tuple[Path, str, int]] = field(default_factory=list)

    def line_of(self, path: Path, *, prefer_value: bool = False) -> int:
        """The line of `path`, or of its nearest ancestor that has one (a value reached
        through an alias has the alias's line)."""
        p = tuple(path)
        while p:
            first, second = (
                (self.value_lines, self.key_lines)
                if prefer_value
                else (self.key_lines, self.value_lines)
            )
            if p in first:
                return first[p]
            if p in second:
                return second[p]
            p = p[:-1]
        return 1


def _scalar(value: str, style: str | None, tag: str | None) -> Any:
    if style or tag in (_STR_TAG, "!"):  # quoted or block text, or !!str, is text
        return value
    lowered = value.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered in ("null", "~", ""):
        return None
    if _INT.match(value):
        return int(value)
    if _FLOAT.match(value):
        return float(value)
    return value


_NO_KEY = object()


@dataclass
class _Open:
    """A list or mapping whose end has not been read yet."""

    value: list[Any] | dict[Any, Any]
    path: Path
    anchor: str | None
    values_before: int  # the file's count of values when it opened (for its anchor)
    skip: bool  # the value of a key written twice: read, counted, not kept
    key: Any = _NO_KEY  # in a mapping, the key whose value comes next
    key_skip: bool = False


@dataclass
class _Anchor:
    value: Any
    values: int  # how many values an alias to it stands for


class _Builder:
    def __init__(self, limits: Limits, deadline: Deadline | None) -> None:
        self.limits = limits
        self.deadline = deadline
        self.source = SourceMap()
        self.stack: list[_Open] = []
        self.anchors: dict[str, _Anchor] = {}
        self.values = 0
        self.aliases = 0
        self.root: Any = None
        self.done = False

    # --- where the next value goes ----------------------------------------------------
    def _slot(self) -> tuple[Path, bool, bool]:
        """(path of the next value, is it a mapping key, is it skipped)."""
        if not self.stack:
            return (), False, False
        top = self.stack[-1]
        if isinstance(top.value, list):
            return (*top.path, len(top.value)), False, top.skip
        if top.key is _NO_KEY:
            return top.path, True, top.skip
        return (*top.path, top.key), False, top.key_skip

    def _place(self, value: Any, line: int, *, collection: bool) -> None:
        if not self.stack:
            if self.done:
                raise YamlError("a script file holds one YAML document, not several", line)
            self.root, self.done = value, True
            return
        top = self.stack[-1]
        if isinstance(top.value, list):
            top.value.append(value)
            return
        if top.key is _NO_KEY:
            if collection:
                raise YamlError("a key must be plain text, not a list or a mapping", line)
            key = value if isinstance(value, str) else str(value)
            top.key_skip = top.skip or key in top.value
            if not top.skip:
                if key in top.value:
                    self.source.duplicates.append((top.path, key, line))
                else:
                    self.source.key_lines[(*top.path, key)] = line
            top.key = key
            return
        if not top.key_skip:
            top.value[top.key] = value
        top.key, top.key_skip = _NO_KEY, False

    def _count(self, values: int, line: int, what: str) -> None:
        self.values += values
        if self.values > self.limits.max_values:
            raise YamlError(
                f"{what} takes the file past {self.limits.max_values:,} values, the most "
                "a script may have (aliases count as what they repeat)",
                line,
            )

    # --- events -----------------------------------------------------------------------
    def event(self, event: yaml.Event, line: int) -> None:
        if isinstance(event, yaml.ScalarEvent):
            path, is_key, skip = self._slot()
            self._count(1, line, "this value")
            value = _scalar(event.value, event.style, event.tag)
            if not is_key and not skip:
                self.source.value_lines.setdefault(path, line)
            if event.anchor:
                self.anchors[event.anchor] = _Anchor(value, 1)
            self._place(value, line, collection=False)
        elif isinstance(event, yaml.CollectionStartEvent):
            path, is_key, skip = self._slot()
            if is_key:
                raise YamlError("a key must be plain text, not a list or a mapping", line)
            if len(self.stack) >= self.limits.max_depth:
                raise YamlError(
                    f"lists and mappings nested more than {self.limits.max_depth} deep; "
                    "a script needs far fewer",
                    line,
                )
            self._count(1, line, "this value")
            if not skip:
                self.source.value_lines.setdefault(path, line)
            container: list[Any] | dict[Any, Any] = (
                [] if isinstance(event, yaml.SequenceStartEvent) else {}
            )
            self.stack.append(_Open(container, path, event.anchor, self.values - 1, skip))
        elif isinstance(event, yaml.CollectionEndEvent):
            closed = self.stack.pop()
            if closed.anchor:
                self.anchors[closed.anchor] = _Anchor(
                    closed.value, self.values - closed.values_before
                )
            self._place(closed.value, line, collection=True)
        elif isinstance(event, yaml.AliasEvent):
            self._alias(event, line)
        elif isinstance(event, yaml.DocumentStartEvent) and self.done:
            raise YamlError("a script file holds one YAML document, not several", line)

    def _alias(self, event: yaml.AliasEvent, line: int) -> None:
        name = event.anchor or ""
        self.aliases += 1
        if self.aliases > self.limits.max_aliases:
            raise YamlError(
                f"more than {self.limits.max_aliases} aliases (*name); a script needs few or none",
                line,
            )
        anchor = self.anchors.get(name)
        if anchor is None:
            if any(open_.anchor == name for open_ in self.stack):
                raise YamlError(
                    f"alias *{name} is inside the value it names: it would repeat for ever",
                    line,
                )
            raise YamlError(f"alias *{name} names no anchor (&{name}) written before it", line)
        path, is_key, skip = self._slot()
        self._count(anchor.values, line, f"alias *{name}")
        if not is_key and not skip:
            self.source.value_lines.setdefault(path, line)
        collection = isinstance(anchor.value, list | dict)
        self._place(anchor.value, line, collection=collection)

    def tick(self, line: int) -> None:
        if self.deadline is not None and self.deadline.passed():
            raise YamlError(
                f"reading the file took more than {self.deadline.seconds:g} s, the most "
                "one file may take",
                line,
            )


def _error_line(exc: yaml.YAMLError, text: str, fast: bool = FAST) -> int:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        return mark.line + 1 if mark else 1
    if isinstance(exc, yaml.reader.ReaderError):
        # libyaml counts the position in bytes of UTF-8, PyYAML's reader in characters
        if fast:
            return text.encode("utf-8", "replace")[: exc.position].count(b"\n") + 1
        return text.count("\n", 0, exc.position) + 1
    return 1


def _describe(exc: yaml.YAMLError) -> str:
    if isinstance(exc, yaml.MarkedYAMLError):
        return str(exc.problem or exc.context or "the text is not valid YAML")
    if isinstance(exc, yaml.reader.ReaderError):
        return f"{exc.reason} (is this a text file?)"
    return str(exc)


def load_with_lines(
    text: str,
    limits: Limits = LIMITS,
    deadline: Deadline | None = None,
    *,
    pure_python: bool = False,
) -> tuple[dict[str, Any], SourceMap]:
    """Parse one YAML document into plain data and its source map, or YamlError with
    the line at fault. `pure_python`: PyYAML's own parser even where libyaml is there
    (what a machine without libyaml runs; the benchmark times both)."""
    fast = FAST and not pure_python
    if len(text) > limits.max_bytes:
        raise YamlError(
            f"the script is {len(text):,} characters long; a script may have at most "
            f"{limits.max_bytes:,}",
            1,
        )
    builder = _Builder(limits, deadline)
    line = 1
    try:
        # PyYAML's own reader checks every character here
        loader: Any = (yaml.CSafeLoader if fast else yaml.SafeLoader)(text)
    except yaml.YAMLError as exc:
        raise YamlError(f"not valid YAML: {_describe(exc)}", _error_line(exc, text, fast)) from None
    except ValueError as exc:  # text libyaml cannot take as UTF-8 (a lone surrogate)
        raise YamlError(f"not valid YAML: {exc}", 1) from None
    try:
        count = 0
        while loader.check_event():
            event = loader.get_event()
            line = event.start_mark.line + 1 if event.start_mark else line
            builder.event(event, line)
            count += 1
            if count % _CLOCK_EVERY == 0:
                builder.tick(line)
    except yaml.YAMLError as exc:
        raise YamlError(f"not valid YAML: {_describe(exc)}", _error_line(exc, text, fast)) from None
    finally:
        loader.dispose()
    if not builder.done:
        raise YamlError("the file is empty", 1)
    if not isinstance(builder.root, dict):
        raise YamlError("a script must be a mapping of keys at the top level", 1)
    return builder.root, builder.source
