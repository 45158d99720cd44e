"""What changed between two versions of a script, node by node (`frontdoor scripts diff
SCRIPT A B`): the top fields, then each node added, removed or changed, in the script's
own order (a removed node stays where it was, after the node it followed).

For a changed node: each field (by its YAML name) and each way out. Answers are matched
by their words, rules by their condition; one that went and one that came with the same
target is the same branch reworded (an answer relabelled, a condition changed); the
order of answers (the handler's number keys) and of rules (the first that holds wins)
is a change of its own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from frontdoor.triage_scripts.model import Decide, End, Question, Script
from frontdoor.triage_scripts.parts import Branch, BranchKind, branches, fields, kind, script_fields

ChangeKind = Literal["added", "removed", "changed"]
ORDER: dict[BranchKind, str] = {"answer": "answer order", "rule": "rule order"}


@dataclass(frozen=True)
class Change:
    """One thing that differs: `what` is a field's YAML name, `kind`, `answer`, `rule`,
    `answer order` or `rule order`; `before` and `after` are its words (None: not there)."""

    what: str
    before: str | None
    after: str | None

    @property
    def kind(self) -> ChangeKind:
        if self.before is None:
            return "added"
        return "removed" if self.after is None else "changed"


@dataclass(frozen=True)
class NodeDiff:
    node: str
    kind: ChangeKind
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class ScriptDiff:
    script: str
    before: int
    after: int
    top: tuple[Change, ...]
    nodes: tuple[NodeDiff, ...]

    @property
    def empty(self) -> bool:
        return not self.top and not self.nodes


def _fields(before: dict[str, str | None], after: dict[str, str | None]) -> list[Change]:
    names = list(dict.fromkeys([*before, *after]))
    return [
        Change(name, before.get(name), after.get(name))
        for name in names
        if before.get(name) != after.get(name)
    ]


def _keys(items: Sequence[Branch]) -> list[tuple[str, int]]:
    """Each branch's words and which of that wording it is (a route may repeat one)."""
    seen: dict[str, int] = defaultdict(int)
    keys = []
    for branch in items:
        keys.append((branch.label, seen[branch.label]))
        seen[branch.label] += 1
    return keys


def _words(branch: Branch) -> str:
    return f"{branch.words()} -> {branch.target}"


def _branches_of_kind(
    what: BranchKind, before: Sequence[Branch], after: Sequence[Branch]
) -> list[Change]:
    old_at = {key: i for i, key in enumerate(_keys(before))}
    # (index before, index after) of each branch in both, by its words, then reworded
    pairs = [(old_at[key], i) for i, key in enumerate(_keys(after)) if key in old_at]
    gone = sorted(set(range(len(before))) - {o for o, _ in pairs})
    came = sorted(set(range(len(after))) - {n for _, n in pairs})
    for n in list(came):  # reworded: one went and one came, with the same target
        o = next((o for o in gone if before[o].target == after[n].target), None)
        if o is not None:
            gone.remove(o)
            came.remove(n)
            pairs.append((o, n))
    changes = [
        Change(what, _words(before[o]), _words(after[n]))
        for o, n in sorted(pairs, key=lambda pair: pair[1])
        if _words(before[o]) != _words(after[n])
    ]
    changes += [Change(what, _words(before[o]), None) for o in gone]
    changes += [Change(what, None, _words(after[n])) for n in came]
    by_old = [n for _, n in sorted(pairs)]
    if by_old != sorted(by_old):
        changes.append(
            Change(
                ORDER[what],
                ", ".join(before[o].words() for o, _ in sorted(pairs)),
                ", ".join(after[n].words() for n in sorted(by_old)),
            )
        )
    return changes


def _branches(before: Sequence[Branch], after: Sequence[Branch]) -> list[Change]:
    changes: list[Change] = []
    for what in ORDER:
        changes += _branches_of_kind(
            what, [b for b in before if b.kind == what], [b for b in after if b.kind == what]
        )
    return changes


def _whole(node: Question | Decide | End, added: bool) -> list[Change]:
    """A node that came or went, every part of it, so the diff can be read alone."""
    parts: list[tuple[str, str]] = [("kind", kind(node))]
    parts += [(name, value) for name, value in fields(node).items() if value is not None]
    parts += [(b.kind, _words(b)) for b in branches(node)]
    return [
        Change(what, None, words) if added else Change(what, words, None) for what, words in parts
    ]


def _node(before: Question | Decide | End, after: Question | Decide | End) -> list[Change]:
    changes = []
    if kind(before) != kind(after):
        changes.append(Change("kind", kind(before), kind(after)))
    changes += _fields(fields(before), fields(after))
    changes += _branches(branches(before), branches(after))
    return changes


def _order(before: Script, after: Script) -> list[str]:
    """Every node name of either version: the later version's order, each removed node
    after the node it followed in the earlier one."""
    following: dict[str | None, list[str]] = defaultdict(list)
    anchor: str | None = None
    for name in before.nodes:
        if name in after.nodes:
            anchor = name
        else:
            following[anchor].append(name)
    names = list(following[None])
    for name in after.nodes:
        names.append(name)
        names += following[name]
    return names


def diff(before: Script, after: Script) -> ScriptDiff:
    nodes: list[NodeDiff] = []
    for name in _order(before, after):
        old, new = before.nodes.get(name), after.nodes.get(name)
        if old is None and new is not None:
            nodes.append(NodeDiff(name, "added", tuple(_whole(new, added=True))))
        elif new is None and old is not None:
            nodes.append(NodeDiff(name, "removed", tuple(_whole(old, added=False))))
        elif old is not None and new is not None:
            changes = _node(old, new)
            if changes:
                nodes.append(NodeDiff(name, "changed", tuple(changes)))
    top = _fields(script_fields(before), script_fields(after))
    return ScriptDiff(after.script, before.version, after.version, tuple(top), tuple(nodes))


def _change_lines(change: Change) -> list[str]:
    if change.kind == "added":
        return [f"  + {change.what}: {change.after}"]
    if change.kind == "removed":
        return [f"  - {change.what}: {change.before}"]
    return [f"  ~ {change.what}", f"      was: {change.before}", f"      now: {change.after}"]


def diff_text(result: ScriptDiff) -> str:
    """The diff as a lead reads it: `+` added, `-` removed, `~` changed (was, now)."""
    versions = f"{result.script}: v{result.before} -> v{result.after}"
    if result.empty:
        return f"{versions}: no change to the script's questions, answers or ends\n"
    lines = [versions]
    for change in result.top:
        lines += _change_lines(change)
    for node in result.nodes:
        lines += ["", f"{node.kind} node {node.node}"]
        for change in node.changes:
            lines += _change_lines(change)
    return "\n".join(lines) + "\n"
