"""A script as a Mermaid flowchart (`frontdoor scripts show SCRIPT --mermaid`).

One line per node and one edge per answer or rule, top to bottom: questions are boxes
with their question, ends are stadiums with their outcome, red flag and referral (what
they say is in the outline; a diagram of paragraphs is unreadable), a red-flag end is
drawn in red, and a `goto_script` is a dotted link to a box standing for the script it
hands on to.

Everything written in the script is text to Mermaid, never syntax: node ids are made
from names by a reversible spelling (`n_` + letters and digits, every other character
written out), and labels are always quoted with every character that Mermaid, its
Markdown or its HTML could read as syntax written as an entity code (`#35;` for `#`,
as the flowchart syntax page says), so a quote, a bracket, `-->`, `%%` or a line break
in a question cannot end a label or start a statement.
"""

from __future__ import annotations

from frontdoor.triage_scripts.model import Decide, End, Question, Script
from frontdoor.triage_scripts.parts import NodeKind, branches, fields, kind

# opening and closing of each kind's shape (label in quotes between them)
SHAPES: dict[NodeKind | str, tuple[str, str]] = {
    "question": ("[", "]"),
    "decide": ("{", "}"),  # a rhombus: the flowchart's own shape for a decision
    "end": ("([", "])"),
    "script": ("[[", "]]"),
}
RED_FLAG_CLASS = "redflag"
# Mermaid refuses a diagram with more edges than its `maxEdges` (500 by default), a
# setting the page that draws it makes, not the diagram: a bigger script says so
MERMAID_MAX_EDGES = 500
# characters Mermaid's parser, its Markdown strings or HTML labels give a meaning
_SYNTAX = set('#"&<>|`[]{}()*_~\\%;')
_BREAK = "<br/>"  # our own line break between the parts of a label, never the script's


def node_id(name: str, prefix: str = "n_") -> str:
    """A Mermaid id for a node name: letters and digits kept, `_` doubled, `-` as `_h`,
    anything else as `_u` and its code, so that no two names share an id and no id is a
    keyword (`end`) or starts an arrow (`o`, `x`)."""
    out = [prefix]
    for ch in name:
        if ch.isascii() and ch.isalnum():
            out.append(ch)
        elif ch == "_":
            out.append("__")
        elif ch == "-":
            out.append("_h")
        else:
            out.append(f"_u{ord(ch):06x}")
    return "".join(out)


def escape(value: str) -> str:
    """Text safe inside a quoted Mermaid label: one line, every syntax character and
    anything unprintable written as an entity code."""
    flat = " ".join("".join(ch if ch.isprintable() else " " for ch in value).split())
    return "".join(f"#{ord(ch)};" if ch in _SYNTAX else ch for ch in flat)


def _label(*parts: str | None) -> str:
    return '"' + _BREAK.join(escape(p) for p in parts if p) + '"'


def _shape(shape: str, label: str) -> str:
    opening, closing = SHAPES[shape]
    return f"{opening}{label}{closing}"


def _node_label(name: str, node: Question | Decide | End) -> str:
    said = fields(node)
    if isinstance(node, Question):
        return _label(name, said["ask"])
    if isinstance(node, Decide):
        return _label(name, "decides on what is known")
    flag = f"RED FLAG: {said['red_flag']}" if said["red_flag"] else None
    outcome = f"outcome: {said['outcome']}" if said["outcome"] else None
    refer = f"refer to: {said['refer_to']}" if said["refer_to"] else None
    return _label(name, outcome, flag, refer)


def mermaid(script: Script) -> str:
    """The flowchart, as Mermaid text ending in a newline."""
    lines = ["flowchart TD", f"    %% {escape(script.ref)}"]
    edges: list[str] = []
    red: list[str] = []
    hand_ons: dict[str, str] = {}  # script id -> its box's id
    drawn: set[str] = set()

    def draw(name: str) -> None:
        try:
            node = script.node(name)
        except KeyError:  # a missing target (lint refuses it) is still drawn, as missing
            lines.append(f"    {node_id(name)}{_shape('end', _label(name, 'no such node'))}")
            return
        lines.append(f"    {node_id(name)}{_shape(kind(node), _node_label(name, node))}")
        if isinstance(node, End) and node.red_flag:
            red.append(node_id(name))
        if isinstance(node, End) and node.goto_script:
            box = hand_ons.setdefault(node.goto_script, node_id(node.goto_script, "s_"))
            edges.append(f'    {node_id(name)} -.->|"hands on"| {box}')

    for name in script.nodes:
        drawn.add(name)
        draw(name)
    for name, node in script.nodes.items():
        for branch in branches(node):
            if branch.target not in drawn:  # the escalation ends every script has
                drawn.add(branch.target)
                draw(branch.target)
            words = branch.label if branch.kind == "answer" else branch.words()
            edges.append(f"    {node_id(name)} -->|{_label(words)}| {node_id(branch.target)}")
    for target, box in hand_ons.items():
        lines.append(f"    {box}{_shape('script', _label('script: ' + target))}")
    if len(edges) > MERMAID_MAX_EDGES:
        lines.insert(
            2,
            f"    %% {len(edges)} edges: Mermaid draws more than {MERMAID_MAX_EDGES} "
            "only when the page sets maxEdges higher",
        )
    lines += edges
    if red:
        lines.append(f"    classDef {RED_FLAG_CLASS} fill:#fde2e2,stroke:#b00020,stroke-width:2px")
        lines.append(f"    class {','.join(red)} {RED_FLAG_CLASS}")
    return "\n".join(lines) + "\n"
