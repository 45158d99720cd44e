"""Route conditions: a small grammar of our own, parsed and evaluated, never `eval`ed.

expr    := or
or      := and ("or" and)*
and     := not ("and" not)*
not     := "not" not | atom
atom    := "(" expr ")" | NAME [op literal | "in" list | has] | FUNC op literal
         | literal op FUNC
has     := "has" literal | "has" ("any" | "all") list
FUNC    := ("days_since" | "age" | "count") "(" NAME ")"
op      := == != < <= > >=
literal := number | 'text' | "text" | true | false | null | list

A NAME is a recorded name, or a fact the record knows (a dotted name: facts.py).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from frontdoor.triage_scripts.facts import FACTS, TIME_FACTS, is_fact, whole_years

Literal = int | float | str | bool | None | tuple["Literal", ...]

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<number>-?\d+(?:\.\d+)?)
      | (?P<string>'[^']*'|"[^"]*")
      | (?P<op>==|!=|<=|>=|<|>)
      | (?P<punct>[()\[\],])
      | (?P<word>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)
    )""",
    re.VERBOSE,
)
_KEYWORDS = {"and", "or", "not", "in", "true", "false", "null", "has"}
# functions of a recorded name; days_since and age count from the moment's day
FUNCTIONS = ("days_since", "age", "count")
TIME_FUNCTIONS = frozenset({"days_since", "age"})
_FLIPPED = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
# parentheses, `not`s and lists inside each other; the parser recurses, so a written limit far
# below Python's own keeps a hostile condition a refusal, not a RecursionError
MAX_NESTING = 32


class ConditionError(ValueError):
    """The condition does not follow the grammar; the message says where."""


class TimeNotGiven(ConditionError):
    """A condition needs today's date (days_since, age) and none was given: a script's
    test must fix it with `now:` or `today:`."""


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    pos: int


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    end = len(text.rstrip())  # once: slicing the rest at every token was quadratic
    while pos < end:
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise ConditionError(f"unexpected text at column {pos + 1}: {text[pos:].strip()!r}")
        kind = match.lastgroup or ""
        value = match.group(kind)
        start = match.start(kind)
        if kind == "word" and value in _KEYWORDS:
            kind = value
        tokens.append(Token(kind, value, start))
        pos = match.end()
    return tokens


@dataclass(frozen=True)
class Compare:
    name: str
    # one of == != < <= > >= in, "has", "has any", "has all", or "truthy" for a bare name
    op: str
    value: Literal = None  # None with == or != is `null`
    function: str | None = None  # days_since | age | count, applied to `name` first


@dataclass(frozen=True)
class Not:
    operand: Condition


@dataclass(frozen=True)
class BoolOp:
    op: str  # "and" | "or"
    operands: tuple[Condition, ...]


Condition = Compare | Not | BoolOp


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0
        self.depth = 0

    def deeper(self, token: Token) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise ConditionError(
                f"parentheses, 'not' or lists nested more than {MAX_NESTING} deep at column "
                f"{token.pos + 1}"
            )

    def peek(self, ahead: int = 0) -> Token | None:
        i = self.i + ahead
        return self.tokens[i] if i < len(self.tokens) else None

    def take(self, kind: str | None = None) -> Token:
        token = self.peek()
        if token is None:
            raise ConditionError(f"the condition ends too soon: {self.text!r}")
        if kind is not None and token.kind != kind:
            raise ConditionError(
                f"expected {kind} at column {token.pos + 1} but found {token.text!r}"
            )
        self.i += 1
        return token

    def parse(self) -> Condition:
        if not self.tokens:
            raise ConditionError("the condition is empty")
        result = self.or_()
        leftover = self.peek()
        if leftover is not None:
            raise ConditionError(f"unexpected {leftover.text!r} at column {leftover.pos + 1}")
        return result

    def or_(self) -> Condition:
        parts = [self.and_()]
        while (t := self.peek()) and t.kind == "or":
            self.take()
            parts.append(self.and_())
        return parts[0] if len(parts) == 1 else BoolOp("or", tuple(parts))

    def and_(self) -> Condition:
        parts = [self.not_()]
        while (t := self.peek()) and t.kind == "and":
            self.take()
            parts.append(self.not_())
        return parts[0] if len(parts) == 1 else BoolOp("and", tuple(parts))

    def not_(self) -> Condition:
        token = self.peek()
        if token is not None and token.kind == "not":
            self.deeper(self.take())
            inner = self.not_()
            self.depth -= 1
            return Not(inner)
        return self.atom()

    def atom(self) -> Condition:
        token = self.peek()
        if token is not None and token.kind == "punct" and token.text == "(":
            self.deeper(self.take())
            inner = self.or_()
            self.depth -= 1
            closing = self.take("punct")
            if closing.text != ")":
                raise ConditionError(f"expected ')' at column {closing.pos + 1}")
            return inner
        if token is not None and token.kind != "word":
            return self.literal_first()
        name_token = self.take("word")
        nxt = self.peek()
        if nxt is not None and nxt.kind == "punct" and nxt.text == "(":
            function, name = self.function(name_token)
            op = self.peek()
            if op is not None and op.kind == "in":
                self.take()
                return Compare(name, "in", self.list_(), function)
            if op is None or op.kind != "op":
                raise ConditionError(
                    f"{function}(...) must be compared, such as {function}({name}) >= 2"
                )
            self.take()
            return Compare(name, op.text, self.scalar(), function)
        name = self.name(name_token)
        if nxt is not None and nxt.kind == "op":
            self.take()
            return Compare(name, nxt.text, self.scalar())
        if nxt is not None and nxt.kind == "in":
            self.take()
            return Compare(name, "in", self.list_())
        if nxt is not None and nxt.kind == "has":
            self.take()
            quantifier = self.peek()
            if quantifier is not None and quantifier.kind == "word":
                if quantifier.text not in ("any", "all"):
                    raise ConditionError(
                        f"expected 'any', 'all' or a label after 'has' at column "
                        f"{quantifier.pos + 1}, found {quantifier.text!r}"
                    )
                self.take()
                return Compare(name, f"has {quantifier.text}", self.list_())
            label = self.scalar()
            if not isinstance(label, str):
                raise ConditionError(f"'{name} has' takes a label in quotes, such as \"Fever\"")
            return Compare(name, "has", label)
        return Compare(name, "truthy")

    def literal_first(self) -> Condition:
        """`2 <= count(symptoms)`: a literal may stand first only before a function."""
        value = self.scalar()
        op = self.take()
        if op.kind != "op":
            raise ConditionError(f"expected a comparison at column {op.pos + 1}")
        word = self.take()
        following = self.peek()
        if word.kind != "word" or following is None or following.text != "(":
            raise ConditionError(
                f"a value is compared with a recorded name written first, or with a function "
                f"such as count(...) (column {word.pos + 1})"
            )
        function, name = self.function(word)
        return Compare(name, _FLIPPED[op.text], value, function)

    def function(self, token: Token) -> tuple[str, str]:
        if token.text not in FUNCTIONS:
            raise ConditionError(
                f"unknown function '{token.text}' at column {token.pos + 1}: "
                f"the functions are {', '.join(FUNCTIONS)}"
            )
        self.take("punct")  # "("
        argument = self.take()
        if argument.kind != "word" or is_fact(argument.text):
            raise ConditionError(
                f"{token.text}(...) takes one recorded name, at column {argument.pos + 1}"
            )
        closing = self.take("punct")
        if closing.text != ")":
            raise ConditionError(f"expected ')' at column {closing.pos + 1}")
        return token.text, argument.text

    def name(self, token: Token) -> str:
        if is_fact(token.text) and token.text not in FACTS:
            raise ConditionError(
                f"unknown fact '{token.text}' at column {token.pos + 1}: "
                f"the facts are {', '.join(FACTS)}"
            )
        return token.text

    def scalar(self) -> Literal:
        token = self.take()
        if token.kind == "number":
            return float(token.text) if "." in token.text else int(token.text)
        if token.kind == "string":
            return token.text[1:-1]
        if token.kind in ("true", "false"):
            return token.kind == "true"
        if token.kind == "null":
            return None
        if token.kind == "punct" and token.text == "[":
            self.i -= 1
            return self.list_()
        raise ConditionError(
            f"expected a number, quoted text, true, false or null at column {token.pos + 1}, "
            f"found {token.text!r} (quote text values)"
        )

    def list_(self) -> tuple[Literal, ...]:
        opening = self.take("punct")
        if opening.text != "[":
            raise ConditionError(f"expected '[' at column {opening.pos + 1}")
        items: list[Literal] = []
        if (t := self.peek()) and t.text == "]":
            self.take()
            return ()
        self.deeper(opening)
        while True:
            item = self.scalar()
            if item is None:
                raise ConditionError("null cannot be in a list: write NAME == null")
            items.append(item)
            sep = self.take("punct")
            if sep.text == "]":
                self.depth -= 1
                return tuple(items)
            if sep.text != ",":
                raise ConditionError(f"expected ',' or ']' at column {sep.pos + 1}")


@functools.lru_cache(maxsize=16_384)  # lint and every call's state machine parse each again
def parse(text: str) -> Condition:
    """Parse a condition, or raise ConditionError saying what is wrong."""
    return _Parser(text).parse()


def comparisons(condition: Condition) -> Iterator[Compare]:
    """Every comparison in a condition, left to right."""
    if isinstance(condition, Compare):
        yield condition
    elif isinstance(condition, Not):
        yield from comparisons(condition.operand)
    else:
        for operand in condition.operands:
            yield from comparisons(operand)


def names(condition: Condition) -> set[str]:
    """The names a condition reads: recorded names and facts."""
    return {c.name for c in comparisons(condition)}


def uses_time(condition: Condition) -> bool:
    """Whether the condition depends on the moment (days_since, age, now.*)."""
    return any(c.function in TIME_FUNCTIONS or c.name in TIME_FACTS for c in comparisons(condition))


def _comparable(left: Any, right: Any) -> tuple[Any, Any]:
    # Date answers are stored as dates; the script writes them as ISO text.
    if isinstance(left, dt.date) and isinstance(right, str):
        try:
            return left, dt.date.fromisoformat(right)
        except ValueError:  # lint refuses it (R6); a script not linted fails in words
            raise ConditionError(f"{right!r} is not a date such as '2026-04-01'") from None
    if isinstance(left, str) and isinstance(right, str):
        return left.casefold(), right.casefold()
    return left, right


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):  # a date a test gives as ISO text
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _applied(compare: Compare, value: Any, today: dt.date | None) -> Any:
    """The value a comparison compares: the name's own, or a function of it (None, null,
    when the function does not apply to it)."""
    if compare.function is None or value is None:
        return value
    if compare.function == "count":
        return len(value) if isinstance(value, tuple | list) else None
    if today is None:
        raise TimeNotGiven(f"{compare.function}({compare.name}) needs today's date")
    day = _as_date(value)
    if day is None:
        return None
    if compare.function == "days_since":
        return (today - day).days
    return whole_years(day, today)


def evaluate(condition: Condition, known: Mapping[str, Any], today: dt.date | None = None) -> bool:
    """True when the condition holds for what is known: the answers recorded so far and
    the facts (by their dotted names), `today` for days_since and age.

    A name that is not known is `null`: a comparison with a null side is false, except
    `X == null` and `X != null` (rule R5 already refuses scripts where a recorded name
    can be used before it is recorded)."""
    if isinstance(condition, Not):
        return not evaluate(condition.operand, known, today)
    if isinstance(condition, BoolOp):
        results = (evaluate(c, known, today) for c in condition.operands)
        return all(results) if condition.op == "and" else any(results)
    value = _applied(condition, known.get(condition.name), today)
    op = condition.op
    if op == "truthy":
        return value is True
    if condition.value is None and op in ("==", "!="):
        return (value is None) == (op == "==")
    if value is None or condition.value is None:
        return False
    if op.startswith("has"):
        chosen = set(value) if isinstance(value, tuple | list) else set()
        wanted = condition.value if isinstance(condition.value, tuple) else (condition.value,)
        if op == "has all":
            return all(label in chosen for label in wanted)
        return any(label in chosen for label in wanted)
    if op == "in":
        assert isinstance(condition.value, tuple)
        return any(_equal(value, item) for item in condition.value)
    # a date compared with text that is no date: ConditionError, in words (lint's rule 6
    # refuses such a script)
    left, right = _comparable(value, condition.value)
    try:
        if op == "==":
            return bool(left == right)
        if op == "!=":
            return bool(left != right)
        if op == "<":
            return bool(left < right)
        if op == "<=":
            return bool(left <= right)
        if op == ">":
            return bool(left > right)
        if op == ">=":
            return bool(left >= right)
    except TypeError:
        return False
    raise ConditionError(f"unknown operator {op}")  # pragma: no cover


def _equal(value: Any, item: Any) -> bool:
    left, right = _comparable(value, item)
    return bool(left == right)
