"""The triage script format (version 1) as pydantic models.

Shape rules are checked here, each failure tagged with the rule of the format it breaks
(R3, R4, R6) so that lint can name it; the graph rules (R1, R2, R5, R7) need the whole
script and live in lint.py.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from frontdoor.triage_scripts import conditions
from frontdoor.words import NO, YES, yes_no_label

ID_PATTERN = re.compile(r"^[a-z0-9_-]+$")
ESCALATE_EMERGENCY = "escalate_emergency"
ESCALATE_SAFEGUARDING = "escalate_safeguarding"
ESCALATIONS = {
    ESCALATE_EMERGENCY: ("escalated", "Emergency: escalated by the call handler"),
    ESCALATE_SAFEGUARDING: ("safeguarding", "Safeguarding concern raised by the call handler"),
}


@dataclass(frozen=True)
class Escalation:
    """What the service's config adds to an escalation end: what to say and do now, and
    the script it hands on to (the library's safeguarding script, for safeguarding)."""

    say: str | None = None
    goto_script: str | None = None


InputKind = Literal["choice", "number", "text", "date", "yes_no"]
Status = Literal["draft", "approved", "published", "retired"]


def rule_error(rule: str, message: str) -> PydanticCustomError:
    """A validation error that lint reports under `rule`."""
    return PydanticCustomError(rule, message)


def check_id(value: str, what: str) -> str:
    if not ID_PATTERN.match(value):
        raise rule_error(
            "R6", f"{what} '{value}' must be lower-case letters, digits, '-' and '_' only"
        )
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def _label(value: Any) -> Any:
    # YAML writers may leave Yes/No unquoted or write true/false: labels are text.
    if isinstance(value, bool):
        return yes_no_label(value)
    if isinstance(value, int | float):
        return str(value)
    return value


class Option(_Strict):
    answer: Annotated[str, Field(min_length=1)]
    next: str

    @field_validator("answer", mode="before")
    @classmethod
    def _answer_text(cls, value: Any) -> Any:
        return _label(value)


class RouteRule(_Strict):
    if_: str | None = Field(default=None, alias="if")
    next: str | None = None
    else_: str | None = Field(default=None, alias="else")

    @model_validator(mode="after")
    def _one_kind(self) -> RouteRule:
        if self.else_ is not None:
            if self.if_ is not None or self.next is not None:
                raise rule_error("R6", "an else rule has only 'else: NODE'")
        elif self.if_ is None or self.next is None:
            raise rule_error("R6", "a route rule is either 'if' with 'next', or 'else'")
        else:
            try:
                conditions.parse(self.if_)
            except conditions.ConditionError as exc:
                raise rule_error("R6", f"condition {self.if_!r}: {exc}") from None
        return self

    @property
    def target(self) -> str:
        return self.else_ if self.else_ is not None else (self.next or "")

    @property
    def condition(self) -> conditions.Condition | None:
        return conditions.parse(self.if_) if self.if_ is not None else None


class Question(_Strict):
    kind: Literal["question"] = "question"
    ask: Annotated[str, Field(min_length=1)]
    help: str | None = None
    input: InputKind = "choice"
    record: str | None = None
    options: list[Option] | None = None
    route: list[RouteRule] | None = None

    @field_validator("record")
    @classmethod
    def _record_id(cls, value: str | None) -> str | None:
        return None if value is None else check_id(value, "recorded name")

    @model_validator(mode="after")
    def _shape(self) -> Question:
        if (self.options is None) == (self.route is None):
            raise rule_error("R6", "a question has exactly one of 'options' and 'route'")
        if self.options is not None:
            if self.input not in ("choice", "yes_no"):
                raise rule_error(
                    "R6", f"'options' go only with input choice or yes_no, not {self.input}"
                )
            if not self.options:
                raise rule_error("R6", "'options' must list at least one answer")
            if self.input == "yes_no":
                bad = [o.answer for o in self.options if o.answer not in (YES, NO)]
                if bad:
                    raise rule_error("R6", f"yes_no options are 'Yes' and 'No', not {bad[0]!r}")
        if self.route is not None:
            if self.record is None:
                raise rule_error("R6", "a question with a 'route' needs 'record'")
            if not self.route or self.route[-1].else_ is None:
                raise rule_error("R6", "a route must end with an 'else' rule")
            if any(rule.else_ is not None for rule in self.route[:-1]):
                raise rule_error("R6", "only the last rule of a route may be 'else'")
            if self.input == "text" and len(self.route) > 1:
                raise rule_error(
                    "R6", "a text answer cannot be used in 'if': route with only 'else'"
                )
        return self

    def targets(self) -> list[str]:
        if self.options is not None:
            return [o.next for o in self.options]
        return [rule.target for rule in self.route or []]


class End(_Strict):
    kind: Literal["end"] = "end"
    outcome: str | None = None
    say: str | None = None
    red_flag: str | None = None
    refer_to: str | None = None
    signpost: list[str] = Field(default_factory=list)
    goto_script: str | None = None

    @model_validator(mode="after")
    def _has_outcome(self) -> End:
        if self.outcome is None and self.goto_script is None:
            raise rule_error("R3", "an end needs an 'outcome' (or a 'goto_script')")
        return self


def _node_kind(value: Any) -> str:
    if isinstance(value, dict):
        return "question" if "ask" in value or "options" in value or "route" in value else "end"
    return getattr(value, "kind", "end")


Node = Annotated[
    Annotated[Question, Tag("question")] | Annotated[End, Tag("end")],
    Discriminator(_node_kind),
]


class ScriptTest(_Strict):
    name: Annotated[str, Field(min_length=1)]
    answers: list[str | int | float | bool] = Field(default_factory=list)
    expect: str


class Script(_Strict):
    script: str
    title: Annotated[str, Field(min_length=1)]
    version: Annotated[int, Field(ge=1)]
    status: Status
    category: str
    summary: str | None = None
    keywords: list[str] = Field(default_factory=list)
    caller_types: list[str] = Field(default_factory=lambda: ["public", "carer", "professional"])
    owner: str | None = None
    approved_by: str | None = None
    approved_on: dt.date | None = None
    review_by: dt.date | None = None
    start: str
    nodes: dict[str, Node]
    tests: list[ScriptTest] = Field(default_factory=list)

    @field_validator("script")
    @classmethod
    def _script_id(cls, value: str) -> str:
        return check_id(value, "script id")

    @field_validator("keywords", mode="before")
    @classmethod
    def _keywords_text(cls, value: Any) -> Any:
        return [_label(v) for v in value] if isinstance(value, list) else value

    @field_validator("nodes")
    @classmethod
    def _node_names(cls, value: dict[str, Any]) -> dict[str, Any]:
        if not value:
            raise rule_error("R6", "a script needs at least one node")
        for name in value:
            check_id(name, "node name")
        return value

    @property
    def ref(self) -> str:
        return f"{self.script}@{self.version}"

    def node(self, name: str, escalation: Escalation | None = None) -> Question | End:
        """The node by name, including the two escalation ends every script has (with
        what `escalation` says and where it hands on, when it is given)."""
        if name in self.nodes:
            return self.nodes[name]
        if name in ESCALATIONS:
            outcome, flag = ESCALATIONS[name]
            guide = escalation or Escalation()
            return End(outcome=outcome, red_flag=flag, say=guide.say, goto_script=guide.goto_script)
        raise KeyError(name)

    def ends(self) -> dict[str, End]:
        return {name: n for name, n in self.nodes.items() if isinstance(n, End)}

    def questions(self) -> dict[str, Question]:
        return {name: n for name, n in self.nodes.items() if isinstance(n, Question)}
