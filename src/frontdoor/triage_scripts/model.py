"""The triage script format (versions 1 and 2) as pydantic models.

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
    PlainValidator,
    Tag,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from frontdoor.triage_scripts import conditions
from frontdoor.triage_scripts.response_time import ResponseTime, parse_response_time
from frontdoor.triage_scripts.wording import Wording, WordingKind, Words, worded
from frontdoor.words import NO, YES, yes_no_label

# what other modules read from here, beside the nodes
__all__ = ["ResponseTime", "Wording", "WordingKind", "Words", "worded"]

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


InputKind = Literal["choice", "number", "text", "date", "yes_no", "many"]
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
    # where the answer goes; a `many` question's options have none (its route says)
    next: str | None = None
    # "None of these": chosen, it must be the only one (a `many` question's options only)
    only: bool = False

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
    ask: Words
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
        if self.input == "many":
            return self._many_shape()
        if self.input == "choice" and self.options is None:
            raise rule_error("R6", "a choice question needs 'options' (or another 'input')")
        if (self.options is None) == (self.route is None):
            raise rule_error("R6", "a question has exactly one of 'options' and 'route'")
        for option in self.options or []:
            if option.next is None:
                raise rule_error("R6", f"option '{option.answer}' needs 'next'")
            if option.only:
                raise rule_error("R6", "'only' goes only with input many")
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
            check_route(self.route)
            if self.input == "text" and len(self.route) > 1:
                raise rule_error(
                    "R6", "a text answer cannot be used in 'if': route with only 'else'"
                )
        return self

    def _many_shape(self) -> Question:
        """A check-all-that-apply question: answers in `options`, where to go in `route`
        (the one exception to "exactly one of options and route")."""
        if not self.options or self.route is None or self.record is None:
            raise rule_error("R6", "a many question needs 'options', 'record' and a 'route'")
        for option in self.options:
            if option.next is not None:
                raise rule_error(
                    "R6",
                    f"option '{option.answer}' of a many question has no 'next': "
                    "its route says where to go",
                )
        check_route(self.route)
        return self

    def targets(self) -> list[str]:
        if self.options is not None and self.input != "many":
            return [o.next for o in self.options if o.next is not None]
        return [rule.target for rule in self.route or []]

    def labels(self) -> list[str]:
        return [o.answer for o in self.options or []]


def check_route(rules: list[RouteRule], what: str = "a route") -> None:
    """Rules end with one `else`, and only the last rule is one."""
    if not rules or rules[-1].else_ is None:
        raise rule_error("R6", f"{what} must end with an 'else' rule")
    if any(rule.else_ is not None for rule in rules[:-1]):
        raise rule_error("R6", f"only the last rule of {what} may be 'else'")


class Decide(_Strict):
    """A node that asks nothing: it routes on what is already known (answers recorded,
    facts), and the runner passes through it, recording where it went."""

    kind: Literal["decide"] = "decide"
    decide: list[RouteRule]
    # not part of a decide node: declared so that they are refused in words, at their line
    ask: Any = None
    options: Any = None
    record: Any = None

    @field_validator("ask", "options", "record")
    @classmethod
    def _asks_nothing(cls, value: Any) -> Any:
        raise rule_error(
            "R6", "a decide node asks and records nothing: no 'ask', 'options' or 'record'"
        )

    @model_validator(mode="after")
    def _shape(self) -> Decide:
        check_route(self.decide, "a decide")
        return self

    def targets(self) -> list[str]:
        return [rule.target for rule in self.decide]


class End(_Strict):
    kind: Literal["end"] = "end"
    outcome: str | None = None
    say: Words | None = None
    red_flag: str | None = None
    refer_to: str | None = None
    signpost: list[str] = Field(default_factory=list)
    goto_script: str | None = None
    # a disposition code the service uses (such as an NHS Dx code), recorded with the end
    code: Annotated[str, Field(min_length=1)] | None = None
    # how soon the referral's team should respond (a referral end only)
    respond_within: Annotated[ResponseTime, PlainValidator(parse_response_time)] | None = None

    @model_validator(mode="after")
    def _has_outcome(self) -> End:
        if self.outcome is None and self.goto_script is None:
            raise rule_error("R3", "an end needs an 'outcome' (or a 'goto_script')")
        if self.respond_within is not None and self.refer_to is None:
            raise rule_error("R6", "'respond_within' goes only on a referral end (with refer_to)")
        return self


def rules_of(node: Question | Decide) -> tuple[str, list[RouteRule]]:
    """A node's routing rules, and the key they are written under (for lint's lines)."""
    if isinstance(node, Decide):
        return "decide", node.decide
    return "route", node.route or []


def _node_kind(value: Any) -> str:
    if isinstance(value, dict):
        if "decide" in value:
            return "decision"  # the tag is not "decide": that is also a key in the node
        return "question" if "ask" in value or "options" in value or "route" in value else "end"
    kind = getattr(value, "kind", "end")
    return "decision" if kind == "decide" else kind


Node = Annotated[
    Annotated[Question, Tag("question")]
    | Annotated[Decide, Tag("decision")]
    | Annotated[End, Tag("end")],
    Discriminator(_node_kind),
]

# a test's answer: a many question's is a list of labels
TestAnswer = str | int | float | bool | list[str | int | float | bool]
GivenValue = str | int | float | bool | None | list[str]


class ScriptTest(_Strict):
    name: Annotated[str, Field(min_length=1)] | None = None
    answers: list[TestAnswer] = Field(default_factory=list)
    expect: str
    # what a calling script would have recorded (`needs`), and facts: {person.age: 84}
    given: dict[str, GivenValue] = Field(default_factory=dict)
    # the moment the test runs at, in local time (`today`: noon that day)
    now: dt.datetime | None = None
    today: dt.date | None = None

    @model_validator(mode="after")
    def _one_moment(self) -> ScriptTest:
        if self.now is not None and self.today is not None:
            raise rule_error("R6", "a test gives 'now' or 'today', not both")
        if self.now is not None and self.now.tzinfo is not None:
            raise rule_error("R6", "'now' is local time, written without a zone")
        return self

    def title(self, index: int) -> str:
        """How the test is named in messages: its name, or its place (names are optional)."""
        return self.name or f"test {index + 1}"

    def moment_given(self) -> dt.datetime | None:
        if self.today is not None:
            return dt.datetime.combine(self.today, dt.time(12, 0))
        return self.now


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
    # what a calling script must have recorded before it hands on here (`goto_script`)
    needs: list[str] = Field(default_factory=list)
    start: str
    nodes: dict[str, Node]
    tests: list[ScriptTest] = Field(default_factory=list)

    @field_validator("script")
    @classmethod
    def _script_id(cls, value: str) -> str:
        return check_id(value, "script id")

    @field_validator("needs")
    @classmethod
    def _needed_ids(cls, value: list[str]) -> list[str]:
        return [check_id(name, "needed name") for name in value]

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

    def node(self, name: str, escalation: Escalation | None = None) -> Question | Decide | End:
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

    def decides(self) -> dict[str, Decide]:
        return {name: n for name, n in self.nodes.items() if isinstance(n, Decide)}

    def routing(self) -> dict[str, Question | Decide]:
        """The nodes that lead on: questions and decisions."""
        return {name: n for name, n in self.nodes.items() if not isinstance(n, End)}
