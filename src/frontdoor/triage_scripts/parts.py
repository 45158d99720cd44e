"""The parts of a script a lead reads: what each node says (its fields, as text) and where
it leads (its branches). The outline, the Mermaid diagram and the diff between versions
are all made from these, so that a new kind of node or a new field is added once, here,
and all three show it:

- a new node kind (version 2's `decide`): a branch in `kind`, in `fields` and in
  `branches`;
- a new field (an end's `code`, `respond_within`; the script's `needs`): one line in
  `fields` or `script_fields`;
- text that may be a mapping (`ask`/`say` as {self, other}): a branch in `text`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from frontdoor.triage_scripts.model import Decide, End, Question, Script, Wording

NodeKind = Literal["question", "decide", "end"]
BranchKind = Literal["answer", "rule"]
ELSE = "else"


def _flat(value: str) -> str:
    return " ".join(value.split())


def text(value: str | Wording | None) -> str | None:
    """Script text (an ask, a help, a say) on one line: a lead reads it in a tree, a
    diagram or a diff, where a line break of the YAML file means nothing. Words for the
    person and for someone else are both shown."""
    if value is None:
        return None
    if isinstance(value, Wording):
        return f"self: {_flat(value.self_)} | other: {_flat(value.other)}"
    return _flat(value)


def listed(values: Sequence[str]) -> str | None:
    return ", ".join(values) if values else None


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def kind(node: Question | Decide | End) -> NodeKind:
    if isinstance(node, Question):
        return "question"
    if isinstance(node, Decide):
        return "decide"
    return "end"


def _answers(node: Question) -> str | None:
    """A many question's options: answers only (its route says where they lead)."""
    if node.input != "many":
        return None
    return listed([f"{o.answer} (only)" if o.only else o.answer for o in node.options or []])


def fields(node: Question | Decide | End) -> dict[str, str | None]:
    """What a node says, by the name its YAML key has, in the order a lead reads them
    (None: not given). Where it leads is in `branches`; a decide node says nothing else."""
    if isinstance(node, Question):
        return {
            "ask": text(node.ask),
            "help": text(node.help),
            "input": node.input,
            "record": node.record,
            "options": _answers(node),
        }
    if isinstance(node, Decide):
        return {}
    return {
        "outcome": node.outcome,
        "red_flag": text(node.red_flag),
        "say": text(node.say),
        "refer_to": node.refer_to,
        "respond_within": str(node.respond_within) if node.respond_within else None,
        "code": node.code,
        "signpost": listed(node.signpost),
        "goto_script": node.goto_script,
    }


def script_fields(script: Script) -> dict[str, str | None]:
    """The top of a script that a lead changes (not `version`, `status` or the approval:
    those are the record's)."""
    return {
        "title": text(script.title),
        "category": script.category,
        "start": script.start,
        "summary": text(script.summary),
        "keywords": listed(script.keywords),
        "caller_types": listed(script.caller_types),
        "owner": script.owner,
        "review_by": _day(script.review_by),
        "needs": listed(script.needs),
    }


@dataclass(frozen=True)
class Branch:
    """One way out of a node: an answer the handler picks (`label` its words), or a
    rule of a route (`label` its condition, `else` for the last)."""

    kind: BranchKind
    label: str
    target: str

    def words(self) -> str:
        """The branch as the outline and the diff write it: answers quoted, rules not."""
        if self.kind == "answer":
            return f'"{self.label}"'
        return self.label if self.label == ELSE else f"if {self.label}"


def branches(node: Question | Decide | End) -> list[Branch]:
    """Where a node leads, in the script's order (an end leads nowhere in its script;
    a `goto_script` is a field, shown as a link by those that draw one)."""
    rules = node.decide if isinstance(node, Decide) else None
    if isinstance(node, Question):
        # a route first: version 2's `many` has options (answers only) and a route
        rules = node.route
        if rules is None:
            return [
                Branch("answer", o.answer, o.next) for o in node.options or [] if o.next is not None
            ]
    return [
        Branch("rule", ELSE if rule.else_ is not None else rule.if_ or "", rule.target)
        for rule in rules or []
    ]
