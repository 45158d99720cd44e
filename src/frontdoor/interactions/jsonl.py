"""Contacts as JSON Lines, version 1: every line checked before anything is loaded.

Times are ISO 8601 with a zone; they are kept in UTC to the second, which is also how
they are written out, so that an export loads back as the same contacts.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, ValidationError, model_validator

from frontdoor.identifiers import repeatable

# outbound: a call the SPA made to a caller (a follow-up), not a contact that came in
Channel = Literal["phone", "email", "web", "face_to_face", "outbound"]


class _Line(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def utc_second(value: dt.datetime | None) -> dt.datetime | None:
    return value.astimezone(dt.UTC).replace(microsecond=0) if value else None


class ScriptUsed(_Line):
    script: str
    version: int


class Consent(_Line):
    record: bool | None = None
    share: bool | None = None


class AnswerLine(_Line):
    script: str
    node: str
    # a list: the labels chosen for a check-all-that-apply question
    answer: str | int | float | bool | list[str] | None = None
    at: AwareDatetime


class EndLine(_Line):
    script: str
    version: int
    node: str
    red_flag: str | None = None


class SearchLine(_Line):
    query: str
    at: AwareDatetime
    results: list[str] = []
    chosen: str | None = None


class ChangeLine(_Line):
    """One entry of a referral's history. The state is checked by the referrals, which
    know the states and the moves allowed (the file's shape is all that is read here)."""

    state: str
    at: AwareDatetime
    by: str
    note: str | None = None


class ChaseLine(_Line):
    kind: str  # caller | team, checked by the referrals
    at: AwareDatetime
    contact: str | None = None  # the contact it was taken or made in
    by: str | None = None
    note: str | None = None


class ReferralLine(_Line):
    """The referral a service referred made: each key may be left out, and the importer
    fills it by the rules a wrap-up follows (see referrals/interchange.py)."""

    id: str | None = None
    service_name: str | None = None
    respond_within: str | None = None
    due_from: str | None = None
    made_at: AwareDatetime | None = None
    due_at: AwareDatetime | None = None
    reason: str | None = None
    said: str | None = None
    code: str | None = None
    history: list[ChangeLine] = []
    chases: list[ChaseLine] = []


class ServiceLine(_Line):
    service: str
    action: Literal["signposted", "referred"]
    referral: ReferralLine | None = None

    @model_validator(mode="after")
    def _referred(self) -> ServiceLine:
        if self.referral is not None and self.action != "referred":
            raise ValueError("only a service referred carries a referral")
        return self


class ContactLine(_Line):
    id: str
    channel: Channel
    caller_type: str
    caller_key: str | None = None
    subject_key: str | None = None
    category: str | None = None
    queue: str | None = None
    received_at: AwareDatetime
    offered_at: AwareDatetime | None = None
    answered_at: AwareDatetime | None = None
    abandoned_at: AwareDatetime | None = None
    ended_at: AwareDatetime | None = None
    wrap_ended_at: AwareDatetime | None = None
    handler: str | None = None
    scripts: list[ScriptUsed] = []
    consent: Consent | None = None
    answers: list[AnswerLine] = []
    ends: list[EndLine] = []
    searches: list[SearchLine] = []
    outcome: str | None = None
    demand: str | None = None
    services: list[ServiceLine] = []
    notes: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> ContactLine:
        if not self.id.strip():
            raise ValueError("id is empty")
        if self.abandoned_at is not None:
            if self.channel != "phone":
                raise ValueError("only a phone contact can be abandoned")
            given = [
                k
                for k in ("answered_at", "handler", "outcome", "demand")
                if getattr(self, k) is not None
            ]
            if given:
                raise ValueError(f"an abandoned call has no {', '.join(given)}")
        if self.channel != "phone":
            queued = [
                k
                for k in ("offered_at", "answered_at", "wrap_ended_at")
                if getattr(self, k) is not None
            ]
            if queued:
                raise ValueError(f"only phone contacts have {', '.join(queued)}")
        order = [
            ("offered_at", "answered_at"),
            ("answered_at", "ended_at"),
            ("ended_at", "wrap_ended_at"),
            ("offered_at", "abandoned_at"),
        ]
        for first, then in order:
            a, b = getattr(self, first), getattr(self, then)
            if a is not None and b is not None and b < a:
                raise ValueError(f"{then} is before {first}")
        return self


@dataclass(frozen=True)
class Vocabularies:
    outcomes: frozenset[str]
    demand: frozenset[str]
    categories: frozenset[str]
    caller_types: frozenset[str]


@dataclass(frozen=True)
class BadLine:
    number: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.number}: {self.reason}"


def _vocabulary_problems(line: ContactLine, vocab: Vocabularies) -> list[str]:
    problems = []
    checks = [
        ("outcome", line.outcome, vocab.outcomes),
        ("demand", line.demand, vocab.demand),
        ("category", line.category, vocab.categories),
        ("caller_type", line.caller_type, vocab.caller_types),
    ]
    for name, value, allowed in checks:
        if value is not None and allowed and value not in allowed:
            # a name or number put in the wrong field is not repeated (repeatable())
            given = repeatable(value)
            problems.append(
                f"{name} {given or '(not repeated here)'} is not one of "
                f"{', '.join(sorted(allowed))}"
            )
    return problems


@dataclass(frozen=True)
class NumberedLine:
    number: int  # its line in the file, for refusing it later by number
    line: ContactLine


# what else a line is checked for, by a room that knows more than its shape (the
# referrals it carries): the problems found, in words; called once a line, in order
LineCheck = Callable[[int, ContactLine], list[str]]


def parse_lines(
    lines: Iterable[str], vocab: Vocabularies, check: LineCheck | None = None
) -> tuple[list[ContactLine], list[BadLine]]:
    """Every line checked; blank lines are skipped. Bad lines come back with their number."""
    numbered, bad = parse_numbered(lines, vocab, check)
    return [n.line for n in numbered], bad


def parse_numbered(
    lines: Iterable[str], vocab: Vocabularies, check: LineCheck | None = None
) -> tuple[list[NumberedLine], list[BadLine]]:
    """As `parse_lines`, each good line with its number."""
    contacts: list[NumberedLine] = []
    bad: list[BadLine] = []
    seen: dict[str, int] = {}
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            data: Any = json.loads(text)
        except json.JSONDecodeError as exc:
            bad.append(BadLine(number, f"not valid JSON ({exc.msg} at column {exc.colno})"))
            continue
        if not isinstance(data, dict):
            bad.append(BadLine(number, "a line must be one JSON object"))
            continue
        try:
            line = ContactLine.model_validate(data)
        except ValidationError as exc:
            error = exc.errors()[0]
            where = ".".join(str(p) for p in error["loc"])
            reason = error["msg"].removeprefix("Value error, ")
            bad.append(BadLine(number, f"{where}: {reason}" if where else reason))
            continue
        problems = _vocabulary_problems(line, vocab)
        if not problems and check is not None:
            problems = check(number, line)
        if problems:
            bad.append(BadLine(number, "; ".join(problems)))
            continue
        if line.id in seen:
            bad.append(BadLine(number, f"id {line.id} is already on line {seen[line.id]}"))
            continue
        seen[line.id] = number
        contacts.append(NumberedLine(number, line))
    return contacts, bad
