"""A script's text as its lead wrote it, and the keys the record speaks for.

In the database a version's text never changes, but four of its keys are the record's,
not the file's (spec/script-governance.md): `version` (numbered by the system),
`status`, `approved_by` and `approved_on`. A submitted file may leave `version` and
`status` out, so loading fills in what is missing; an exported file has all four
written from the record, in place, so the lead's layout and comments survive.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

import yaml

from frontdoor.triage_scripts.yaml_source import YamlError, load_with_lines

RECORD_KEYS = ("version", "status", "approved_by", "approved_on")
# a value written plain when it cannot be read as anything but itself
_PLAIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._()/'-]*$")
_NOT_PLAIN = {"true", "false", "null", "yes", "no", "on", "off", "~"}


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def top_level(text: str) -> dict[str, Any] | None:
    """The text's top-level keys and values, or None when it is not a YAML mapping."""
    try:
        data, _ = load_with_lines(text)
    except YamlError:
        return None
    return data


def with_missing(text: str, values: dict[str, Any]) -> str:
    """The text with each of `values` the text leaves out added at its end (so every
    line keeps its number, and problems name the lead's own lines). Keys the text has
    are left as written; a text that is not a block mapping is returned unchanged."""
    data = top_level(text)
    if data is None:
        return text
    missing = [f"{key}: {_scalar(value)}" for key, value in values.items() if key not in data]
    if not missing:
        return text
    filled = text.rstrip("\n") + "\n" + "\n".join(missing) + "\n"
    return filled if top_level(filled) is not None else text


def with_record(text: str, values: dict[str, Any]) -> str:
    """The text with `values` (the record's version, status, approval) written over the
    file's own, each on the line it had; keys it lacks go after the title. Falls back to
    writing the whole mapping anew (comments lost) for a text laid out otherwise."""
    try:
        data, source = load_with_lines(text)
    except YamlError:
        return text
    lines = text.splitlines()
    starts = sorted(line for path, line in source.key_lines.items() if len(path) == 1)
    spans: dict[str, tuple[int, int]] = {}
    for path, line in source.key_lines.items():
        if len(path) != 1 or not isinstance(path[0], str):
            continue
        end = next((s for s in starts if s > line), len(lines) + 1) - 1
        while end > line and _is_trailing(lines[end - 1]):
            end -= 1
        spans[path[0]] = (line, end)
    # (first line, last line, what replaces them), applied from the bottom up so the
    # line numbers above each edit stay right; an insertion replaces no line
    edits = [(*spans[k], [f"{k}: {_scalar(v)}"]) for k, v in values.items() if k in spans]
    missing = [f"{key}: {_scalar(value)}" for key, value in values.items() if key not in spans]
    if missing:
        after = spans["title"][1] if "title" in spans else min(spans.values(), default=(0, 0))[1]
        edits.append((after + 1, after, missing))
    replaced = list(lines)
    for first, last, new in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        replaced[first - 1 : last] = new
    rewritten = "\n".join(replaced) + "\n"
    if _says(rewritten, values):
        return rewritten
    whole = {**data, **{k: _plain(v) for k, v in values.items()}}
    return yaml.safe_dump(whole, sort_keys=False, allow_unicode=True, width=100)


def _is_trailing(line: str) -> bool:
    """A blank line, or a comment at the margin: it belongs to the next key, not this one."""
    return not line.strip() or line.startswith("#")


def _says(text: str, values: dict[str, Any]) -> bool:
    data = top_level(text)
    return data is not None and all(
        str(data.get(key)) == str(_plain(value)) for key, value in values.items()
    )


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _scalar(value: Any) -> str:
    """`value` as a YAML scalar that reads back as the same text or number."""
    value = _plain(value)
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in _NOT_PLAIN and not _number(text):
        return text
    return json.dumps(text, ensure_ascii=False)


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
