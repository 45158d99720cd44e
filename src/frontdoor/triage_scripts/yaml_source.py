"""Read YAML into plain data while keeping the line of every key and value.

Lint messages must name the line at fault, so we compose PyYAML's node tree ourselves
instead of letting it construct Python objects. We also resolve plain scalars the
YAML 1.2 way: only `true`/`false` are booleans, so an unquoted `Yes` stays the text
"Yes" (the script format says answer labels are text however they are written).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

Path = tuple[str | int, ...]

_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$")


class YamlError(Exception):
    """The text is not valid YAML (or not a mapping at the top)."""

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
        """The line of `path`, or of its nearest ancestor that has one."""
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


def _scalar(node: yaml.ScalarNode) -> Any:
    if node.style:  # quoted or block text is always text
        return node.value
    text = node.value
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered in ("null", "~", ""):
        return None
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    return text


def _build(node: yaml.Node, path: Path, source: SourceMap) -> Any:
    source.value_lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*path, i), source) for i, item in enumerate(node.value)]
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _build(key_node, (*path, "<key>"), source)
            key = str(key) if not isinstance(key, str) else key
            if key in result:
                source.duplicates.append((path, key, key_node.start_mark.line + 1))
                continue
            source.key_lines[(*path, key)] = key_node.start_mark.line + 1
            result[key] = _build(value_node, (*path, key), source)
        return result
    raise YamlError("unsupported YAML node", node.start_mark.line + 1)  # pragma: no cover


def load_with_lines(text: str) -> tuple[dict[str, Any], SourceMap]:
    """Parse one YAML document into plain data and its source map."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise YamlError(f"not valid YAML: {exc.problem or exc}", line) from exc
    except yaml.YAMLError as exc:
        raise YamlError(f"not valid YAML: {exc}", 1) from exc
    if node is None:
        raise YamlError("the file is empty", 1)
    source = SourceMap()
    data = _build(node, (), source)
    if not isinstance(data, dict):
        raise YamlError("a script must be a mapping of keys at the top level", 1)
    return data, source
