"""A script as an indented tree of questions, answers and ends: what `frontdoor scripts
show SCRIPT` prints.

Each node is shown in full once, where the walk from `start` first meets it; every later
branch to it names it and says it is shown above, so a node reached from many places
costs one line each, and a loop ends. The walk keeps its own stack (a script may have
thousands of nodes in a chain deeper than Python's recursion limit), and the indent
stops growing at MAX_INDENT levels, where the level is written as a number instead, so
a deep chain costs lines, not a square of spaces.
"""

from __future__ import annotations

from frontdoor.triage_scripts.model import Script
from frontdoor.triage_scripts.parts import Branch, branches, fields, kind, script_fields

MAX_INDENT = 16
SHOWN_ABOVE = "(shown above)"


def _pad(depth: int) -> str:
    if depth <= MAX_INDENT:
        return "  " * depth
    return "  " * MAX_INDENT + f"[{depth}] "


def header(script: Script) -> list[str]:
    lines = [f"{script.script} v{script.version} ({script.status})"]
    lines += [f"  {name}: {value}" for name, value in script_fields(script).items() if value]
    return lines


def _walk(script: Script, root: str, shown: set[str], lines: list[str]) -> None:
    stack: list[tuple[int, Branch | None, str]] = [(0, None, root)]
    while stack:
        depth, branch, name = stack.pop()
        pad = _pad(depth)
        lead = f"{branch.words()} -> " if branch is not None else ""
        if name in shown:
            lines.append(f"{pad}{lead}{name} {SHOWN_ABOVE}")
            continue
        shown.add(name)
        try:
            node = script.node(name)
        except KeyError:
            lines.append(f"{pad}{lead}{name} [no such node]")
            continue
        lines.append(f"{pad}{lead}{name} [{kind(node)}]")
        lines += [f"{pad}  {field}: {value}" for field, value in fields(node).items() if value]
        # pushed last first, so that the answers are shown in the script's order
        stack += [(depth + 1, b, b.target) for b in reversed(branches(node))]


def outline(script: Script) -> str:
    """The script's top fields, then its tree from `start`; nodes the walk never met (a
    script lint would refuse) follow under their own heading, so nothing is hidden."""
    lines = header(script)
    lines.append("")
    shown: set[str] = set()
    _walk(script, script.start, shown, lines)
    unreached = [name for name in script.nodes if name not in shown]
    if unreached:
        lines += ["", "Not reached from start:"]
        for name in unreached:
            if name not in shown:  # one orphan may lead to another
                _walk(script, name, shown, lines)
    return "\n".join(lines) + "\n"
