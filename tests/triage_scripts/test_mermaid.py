"""`scripts show --mermaid`: a flowchart Mermaid can parse, whatever the script says.

No Mermaid runs here (mermaid.js is not installed on this machine and a test never goes
to the network), so the output is checked against the few statement forms the renderer
writes, each following the flowchart syntax page: a node with a quoted label in its
shape's brackets, an edge with a quoted label, a comment, classDef and class. (Checked
once by hand in Mermaid 12.3.0 in headless Chromium: every bundled script and the
hostile one below parse, render, and show the script's text as written.)
"""

from __future__ import annotations

import re

import pytest

from frontdoor.triage_scripts.library import read_library
from frontdoor.triage_scripts.mermaid import (
    MERMAID_MAX_EDGES,
    RED_FLAG_CLASS,
    escape,
    mermaid,
    node_id,
)
from frontdoor.triage_scripts.model import Script
from frontdoor.triage_scripts.parts import branches
from tests.triage_scripts.test_outline import chain

LIBRARY = read_library().scripts
ID = r"[ns]_[A-Za-z0-9_]+"
LABEL = r'"[^"]*"'
NODE = re.compile(rf"^    ({ID})(\[|\(\[|\[\[|\{{)({LABEL})(\]|\]\)|\]\]|\}})$")
EDGE = re.compile(rf"^    ({ID}) (-->|-\.->)\|({LABEL})\| ({ID})$")
CLASS = re.compile(rf"^    class ({ID}(?:,{ID})*) {RED_FLAG_CLASS}$")
PAIRS = {"[": "]", "([": "])", "[[": "]]", "{": "}"}
# what may be left in a label once our line breaks and entity codes are taken out
RAW = set('#"&<>|`[]{}()*_~\\%;')


def decoded(label: str) -> str:
    text = label[1:-1].replace("<br/>", "\n")
    return re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), text)


def parse(diagram: str) -> tuple[dict[str, tuple[str, str]], list[tuple[str, str, str, str]], set]:
    """(nodes: id -> (shape, text), edges: (from, arrow, text, to), red-flag ids), or an
    assertion naming the first line that is none of the forms."""
    lines = diagram.splitlines()
    assert lines[0] == "flowchart TD"
    nodes: dict[str, tuple[str, str]] = {}
    edges: list[tuple[str, str, str, str]] = []
    red: set[str] = set()
    for line in lines[1:]:
        if node := NODE.match(line):
            name, opening, label, closing = node.groups()
            assert PAIRS[opening] == closing, line
            assert name not in nodes, f"{name} drawn twice"
            assert not RAW & set(re.sub(r"#\d+;|<br/>", "", label[1:-1])), line
            nodes[name] = (opening, decoded(label))
        elif edge := EDGE.match(line):
            source, arrow, label, target = edge.groups()
            assert not RAW & set(re.sub(r"#\d+;", "", label[1:-1])), line
            edges.append((source, arrow, decoded(label), target))
        elif match := CLASS.match(line):
            red |= set(match.group(1).split(","))
        else:
            assert line.startswith(("    %% ", f"    classDef {RED_FLAG_CLASS} ")), line
            assert "\n" not in line
    for source, _, _, target in edges:
        assert source in nodes and target in nodes, (source, target)
    assert red <= set(nodes)
    return nodes, edges, red


@pytest.mark.parametrize("script_id", sorted(LIBRARY))
def test_every_bundled_script_draws_one_box_per_node_and_one_edge_per_way_out(script_id):
    script = LIBRARY[script_id]
    nodes, edges, red = parse(mermaid(script))
    for name, node in script.nodes.items():
        shape, text = nodes[node_id(name)]
        assert shape == {"question": "[", "decide": "{", "end": "(["}[node.kind]
        assert text.split("\n")[0] == name
    ways_out = [(name, b) for name, node in script.nodes.items() for b in branches(node)]
    assert sorted((s, t, label) for s, arrow, label, t in edges if arrow == "-->") == sorted(
        (node_id(name), node_id(b.target), b.label if b.kind == "answer" else b.words())
        for name, b in ways_out
    )
    hand_ons = {name: e.goto_script for name, e in script.ends().items() if e.goto_script}
    assert sorted((s, t) for s, arrow, _, t in edges if arrow == "-.->") == sorted(
        (node_id(name), node_id(target, "s_")) for name, target in hand_ons.items()
    )
    # besides the script's own nodes: the escalation ends it leads to, the scripts it
    # hands on to
    extra = set(nodes) - {node_id(n) for n in script.nodes}
    escalations = {b.target for _, b in ways_out if b.target not in script.nodes}
    assert extra == {node_id(n) for n in escalations} | {
        node_id(t, "s_") for t in hand_ons.values()
    }
    flagged = {name for name in script.nodes if getattr(script.nodes[name], "red_flag", None)}
    assert red == {node_id(n) for n in flagged | escalations}
    for name in flagged:
        assert "RED FLAG: " in nodes[node_id(name)][1]


HOSTILE = (
    'He said "stop"]) --> evil[#x]; click end\n%%{init: {}}%% <b>bold</b> | `tick` *a* _b_ &amp;'
)


def test_text_from_the_script_cannot_break_the_diagram():
    script = Script.model_validate(
        {
            "script": "hostile",
            "title": HOSTILE,
            "version": 1,
            "status": "draft",
            "category": "general_enquiry",
            "start": "end",
            "nodes": {
                "end": {
                    "ask": HOSTILE,
                    "options": [
                        {"answer": 'A|B "c" -->', "next": "o"},
                        {"answer": "x --> y\n%%", "next": "x-1"},
                    ],
                },
                "o": {
                    "ask": "How many?",
                    "input": "number",
                    "record": "n",
                    "route": [{"if": "n == '\"]) --> z[#q]'", "next": "x_1"}, {"else": "x-1"}],
                },
                "x-1": {"outcome": "advice", "red_flag": HOSTILE, "goto_script": "end"},
                "x_1": {"outcome": "advice", "say": HOSTILE},
            },
        }
    )
    nodes, edges, red = parse(mermaid(script))
    flat = " ".join(HOSTILE.split())
    assert nodes[node_id("end")] == ("[", f"end\n{flat}")
    assert nodes[node_id("x-1")] == ("([", f"x-1\noutcome: advice\nRED FLAG: {flat}")
    assert node_id("x-1") != node_id("x_1") and red == {node_id("x-1")}
    assert [label for _, _, label, _ in edges] == [
        "hands on",
        'A|B "c" -->',
        "x --> y %%",
        "if n == '\"]) --> z[#q]'",
        "else",
    ]


def test_ids_are_distinct_safe_and_never_a_keyword():
    names = ["end", "o", "x", "a-b", "a_b", "a__b", "a_hb", "a-hb", "graph", "A", "é"]
    ids = [node_id(name) for name in names]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"n_[A-Za-z0-9_]+", i) for i in ids)


def test_escape_keeps_no_character_mermaid_reads_and_no_line_break():
    assert escape('a "b"\n#c\r\n\u2028d\x00e') == "a #34;b#34; #35;c d e"


def test_a_script_bigger_than_mermaid_draws_by_default_says_so():
    big = mermaid(chain(MERMAID_MAX_EDGES // 2 + 1, loop=False))
    _, edges, _ = parse(big)
    assert len(edges) > MERMAID_MAX_EDGES
    assert big.splitlines()[2].startswith(f"    %% {len(edges)} edges: Mermaid draws more")
    assert "maxEdges" not in mermaid(LIBRARY["falls"])
