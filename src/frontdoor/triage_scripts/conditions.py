"""Route conditions: a small grammar of our own, parsed and evaluated, never `eval`ed.

expr    := or
or      := and ("or" and)*
and     := not ("and" not)*
not     := "not" not | atom
atom    := "(" expr ")" | NAME [op literal | "in" list]
op      := == != < <= > >=
literal := number | 'text' | "text" | true | false | list
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Any

Literal = int | float | str | bool | tuple["Literal", ...]

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<number>-?\d+(?:\.\d+)?)
      | (?P<string>'[^']*'|"[^"]*")
      | (?P<op>==|!=|<=|>=|<|>)
      | (?P<punct>[()\[\],])
      | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
    )""",
    re.VERBOSE,
)
_KEYWORDS = {"and", "or", "not", "in", "true", "false"}
# parentheses, `not`s and lists inside each other; the parser recurses, so a written limit far
# below Python's own keeps a hostile condition a refusal, not a RecursionError
MAX_NESTING = 32


class ConditionError(ValueError):
    """The condition does not follow the grammar; the message says where."""


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
    op: str  # one of == != < <= > >= in, or "truthy" for a bare name
    value: Literal | None = None


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

    def peek(self) -> Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

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
        token = self.take()
        if token.kind == "punct" and token.text == "(":
            self.deeper(token)
            inner = self.or_()
            self.depth -= 1
            closing = self.take("punct")
            if closing.text != ")":
                raise ConditionError(f"expected ')' at column {closing.pos + 1}")
            return inner
        if token.kind != "word":
            raise ConditionError(
                f"expected a recorded name at column {token.pos + 1} but found {token.text!r}"
            )
        nxt = self.peek()
        if nxt is not None and nxt.kind == "op":
            self.take()
            return Compare(token.text, nxt.text, self.scalar())
        if nxt is not None and nxt.kind == "in":
            self.take()
            return Compare(token.text, "in", self.list_())
        return Compare(token.text, "truthy")

    def scalar(self) -> Literal:
        token = self.take()
        if token.kind == "number":
            return float(token.text) if "." in token.text else int(token.text)
        if token.kind == "string":
            return token.text[1:-1]
        if token.kind in ("true", "false"):
            return token.kind == "true"
        if token.kind == "punct" and token.text == "[":
            self.i -= 1
            return self.list_()
        raise ConditionError(
            f"expected a number, quoted text, true or false at column {token.pos + 1}, "
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
            items.append(self.scalar())
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


def names(condition: Condition) -> set[str]:
    """The recorded names a condition reads."""
    if isinstance(condition, Compare):
        return {condition.name}
    if isinstance(condition, Not):
        return names(condition.operand)
    return set().union(*(names(c) for c in condition.operands))


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


def evaluate(condition: Condition, recorded: dict[str, Any]) -> bool:
    """True when the condition holds for what has been recorded so far.

    A name that was never recorded (or recorded as empty) makes its comparison false
    rather than raising: lint rule R5 already refuses scripts where that can happen.
    """
    if isinstance(condition, Not):
        return not evaluate(condition.operand, recorded)
    if isinstance(condition, BoolOp):
        results = (evaluate(c, recorded) for c in condition.operands)
        return all(results) if condition.op == "and" else any(results)
    value = recorded.get(condition.name)
    if condition.op == "truthy":
        return bool(value)
    if value is None:
        return False
    if condition.op == "in":
        assert isinstance(condition.value, tuple)
        return any(_equal(value, item) for item in condition.value)
    left, right = _comparable(value, condition.value)
    try:
        if condition.op == "==":
            return bool(left == right)
        if condition.op == "!=":
            return bool(left != right)
        if condition.op == "<":
            return bool(left < right)
        if condition.op == "<=":
            return bool(left <= right)
        if condition.op == ">":
            return bool(left > right)
        if condition.op == ">=":
            return bool(left >= right)
    except TypeError:
        return False
    raise ConditionError(f"unknown operator {condition.op}")  # pragma: no cover


def _equal(value: Any, item: Any) -> bool:
    left, right = _comparable(value, item)
    return bool(left == right)
