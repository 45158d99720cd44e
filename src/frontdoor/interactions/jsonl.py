"""Contacts as JSON Lines, version 1: every line checked before anything is loaded.

Times are ISO 8601 with a zone; they are kept in UTC to the second, which is also how
they are written out, so that an export loads back as the same contacts.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, BinaryIO, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    model_validator,
)

from frontdoor.db.kept_text import text_problem
from frontdoor.identifiers import repeatable

# outbound: a call the SPA made to a caller (a follow-up), not a contact that came in
Channel = Literal["phone", "email", "web", "face_to_face", "outbound"]


class _Line(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def utc_second(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    if value.tzinfo is dt.UTC and not value.microsecond:
        return value  # most of a file's times (see _moment)
    return value.astimezone(dt.UTC).replace(microsecond=0)


# A contact's times lie well inside what every reading of them can reach: year 1 or 9999
# cannot be moved to UTC or to local time (Python's dates end there), and a due date or a
# repeat window is worked out days after them. No contact was made outside these years.
EARLIEST = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(3000, 1, 1, tzinfo=dt.UTC)


def _within_reach(value: dt.datetime) -> dt.datetime:
    # a zone moves a time by less than a day: these years are inside whatever the zone,
    # and most times of a file are (moving each to UTC was a tenth of an import's time)
    if EARLIEST.year < value.year < LATEST.year - 1:
        return value
    try:
        utc = value.astimezone(dt.UTC)
    except OverflowError:
        utc = None
    if utc is None or not EARLIEST <= utc < LATEST:
        raise ValueError(
            f"{value.isoformat()} is not a time a contact can have: give one from "
            f"{EARLIEST.year} to {LATEST.year - 1}"
        )
    return value


def _moment(value: object, handler: ValidatorFunctionWrapHandler) -> dt.datetime:
    """A time of the file. Most are written as an export writes them, UTC to the second
    ("2026-03-02T09:14:05Z"): those are read at once, as UTC (pydantic's own zone must
    be moved to UTC afterwards, which cost more than reading them); the rest as
    pydantic reads them, its refusals unchanged."""
    if (
        type(value) is str
        and len(value) == 20
        and value[10] == "T"
        and value[19] == "Z"
        and value.isascii()
    ):
        try:
            read = dt.datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            if EARLIEST.year < read.year < LATEST.year - 1:
                return read
    return _within_reach(handler(value))


# a time in the file: ISO 8601 with a zone, in the years a contact can have
Moment = Annotated[AwareDatetime, WrapValidator(_moment)]
# a script's version: the record keeps it as a database integer
Version = Annotated[int, Field(ge=0, le=2**31 - 1)]


class ScriptUsed(_Line):
    script: str
    version: Version


class Consent(_Line):
    record: bool | None = None
    share: bool | None = None


class AnswerLine(_Line):
    script: str
    node: str
    # a list: the labels chosen for a check-all-that-apply question
    answer: str | int | float | bool | list[str] | None = None
    at: Moment


class EndLine(_Line):
    script: str
    version: Version
    node: str
    red_flag: str | None = None


class SearchLine(_Line):
    query: str
    at: Moment
    results: list[str] = []
    chosen: str | None = None


class ChangeLine(_Line):
    """One entry of a referral's history. The state is checked by the referrals, which
    know the states and the moves allowed (the file's shape is all that is read here)."""

    state: str
    at: Moment
    by: str
    note: str | None = None


class ChaseLine(_Line):
    kind: str  # caller | team, checked by the referrals
    at: Moment
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
    made_at: Moment | None = None
    due_at: Moment | None = None
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
    received_at: Moment
    offered_at: Moment | None = None
    answered_at: Moment | None = None
    abandoned_at: Moment | None = None
    ended_at: Moment | None = None
    wrap_ended_at: Moment | None = None
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
    lines: Iterable[str | bytes], vocab: Vocabularies, check: LineCheck | None = None
) -> tuple[list[ContactLine], list[BadLine]]:
    """Every line checked; blank lines are skipped. Bad lines come back with their number."""
    numbered, bad = parse_numbered(lines, vocab, check)
    return [n.line for n in numbered], bad


def file_lines(handle: BinaryIO) -> Iterator[bytes]:
    """A file's lines as JSON Lines has them: ended by "\\n" only. Text's own line
    separators (U+2028, U+2029, form feeds, a lone carriage return) are inside a line;
    `str.splitlines` would cut a note that holds one in two."""
    for raw in handle:
        yield raw.rstrip(b"\r\n")


@dataclass(frozen=True)
class FileLines:
    """A file's lines (`file_lines`), read afresh each time they are gone through: an
    import reads a file twice, never holding it whole."""

    path: Path

    def __iter__(self) -> Iterator[bytes]:
        with self.path.open("rb") as handle:
            yield from file_lines(handle)


def _decoded(number: int, raw: str | bytes) -> str:
    if isinstance(raw, str):
        return raw.removeprefix("\ufeff") if number == 1 else raw
    try:
        return raw.decode("utf-8-sig" if number == 1 else "utf-8")
    except UnicodeDecodeError as exc:
        raise _Bad(
            f"is not UTF-8 text (byte 0x{raw[exc.start]:02x} at column {exc.start + 1}); "
            "save the file as UTF-8"
        ) from None


class _Bad(Exception):
    """A line that cannot be read as a contact: the reason, in words."""


def _read_json(text: str) -> dict[str, Any]:
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _Bad(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    except ValueError:  # Python reads no integer of more than 4,300 digits
        raise _Bad("it holds a number too long to read (over 4,300 digits)") from None
    except RecursionError:
        raise _Bad("not a JSON line the record can read (nested too deeply)") from None
    if not isinstance(data, dict):
        raise _Bad("a line must be one JSON object")
    return data


def _may_hold_unkept_text(raw: str | bytes, text: str) -> bool:
    """Whether a line read as JSON may hold a NUL or a lone surrogate, so that its values
    must be looked through (most lines cannot, and the look is a good part of the check).
    Read from UTF-8 bytes, a line holds neither raw (the decoder refuses a surrogate, and
    JSON a raw control character in a string): only a \\u escape can make one."""
    if "\\u" in text:
        return True
    return not isinstance(raw, bytes) and not text.isascii()


def _text_problem_at(value: object, path: str = "") -> str | None:
    """The first string (key or value) in a line that no database can keep, with where."""
    if isinstance(value, str):
        problem = text_problem(value)
        return f"{path or 'a key'}: {problem}" if problem else None
    items: Iterable[tuple[object, object]]
    if isinstance(value, dict):
        for key in value:
            problem = _text_problem_at(key, path)
            if problem:
                return problem
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        found = _text_problem_at(item, f"{path}.{key}" if path else str(key))
        if found:
            return found
    return None


def parse_numbered(
    lines: Iterable[str | bytes], vocab: Vocabularies, check: LineCheck | None = None
) -> tuple[list[NumberedLine], list[BadLine]]:
    """As `parse_lines`, each good line with its number. A line is given as text, or as
    the bytes of a file (`file_lines`), read as UTF-8 line by line so that one line
    that is not UTF-8 is refused by its number, not the file."""
    contacts: list[NumberedLine] = []
    bad: list[BadLine] = []
    for batch in numbered_batches(lines, vocab, check):
        contacts += batch.lines
        bad += batch.bad
    return contacts, bad


@dataclass(frozen=True)
class Batch:
    """A run of a file's lines, checked: the good ones with their numbers, and the bad."""

    lines: list[NumberedLine]
    bad: list[BadLine]


def numbered_batches(
    lines: Iterable[str | bytes],
    vocab: Vocabularies,
    check: LineCheck | None = None,
    size: int = 2000,
) -> Iterator[Batch]:
    """The lines checked as `parse_numbered` checks them, handed on `size` lines of the
    file at a time, so that a file of any length is read with only a batch in hand
    (`BatchReader`, for a reader that also reads ahead)."""
    return iter(BatchReader(lines, vocab, check, size))


class BatchReader:
    """`numbered_batches`, read a line at a time: iterated, it hands on each batch of
    `size` lines once they are read; `read_ahead` reads one more line of the next batch
    meanwhile (an import reads the next batch while the database writes the last: db/
    results_later.py), so that at most two batches are in hand. The ids seen stay known
    across batches (a repeated id is refused by the line it was first on): an id and a
    number a line, the one thing kept that grows with the file."""

    def __init__(
        self,
        lines: Iterable[str | bytes],
        vocab: Vocabularies,
        check: LineCheck | None = None,
        size: int = 2000,
    ) -> None:
        self._lines = enumerate(lines, start=1)
        self.vocab, self.check, self.size = vocab, check, size
        self._seen: dict[str, int] = {}
        self._good: list[NumberedLine] = []
        self._bad: list[BadLine] = []
        self._read = 0  # lines of the batch being read (blank ones too)
        self._ended = False

    def read_ahead(self) -> bool:
        """Read and check one more line; False once the batch being read is full or the
        file has ended (then nothing was read)."""
        if self._ended or self._read >= self.size:
            return False
        try:
            number, raw = next(self._lines)
        except StopIteration:
            self._ended = True
            return False
        self._read += 1
        found = _checked(number, raw, self.vocab, self.check)
        if isinstance(found, BadLine):
            self._bad.append(found)
        elif found is not None:
            first = self._seen.setdefault(found.id, number)
            if first != number:
                self._bad.append(BadLine(number, f"id {found.id} is already on line {first}"))
            else:
                self._good.append(NumberedLine(number, found))
        return True

    def __iter__(self) -> Iterator[Batch]:
        while True:
            while self.read_ahead():
                pass
            if not self._read:
                return  # the file ended with the last batch
            # handed on with no name here left holding it: once the caller lets it go
            # it is garbage (an import collects between batches: db/collecting.py)
            ready = [Batch(self._good, self._bad)]
            self._good, self._bad, self._read = [], [], 0
            yield ready.pop()


def _checked(
    number: int, raw: str | bytes, vocab: Vocabularies, check: LineCheck | None
) -> ContactLine | BadLine | None:
    """One line read and checked: its contact, why it is refused, or None when blank."""
    try:
        text = _decoded(number, raw)
        if not text.strip():
            return None
        line = _read_at_once(raw, text)
        if line is not None:
            return _line_checked(number, line, vocab, check)
        data = _read_json(text)
        problem = _text_problem_at(data) if _may_hold_unkept_text(raw, text) else None
        if problem:
            raise _Bad(problem)
    except _Bad as exc:
        return BadLine(number, str(exc))
    try:
        line = ContactLine.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error["loc"])
        reason = error["msg"].removeprefix("Value error, ")
        return BadLine(number, f"{where}: {reason}" if where else reason)
    return _line_checked(number, line, vocab, check)


def _line_checked(
    number: int, line: ContactLine, vocab: Vocabularies, check: LineCheck | None
) -> ContactLine | BadLine:
    problems = _vocabulary_problems(line, vocab)
    if not problems and check is not None:
        problems = check(number, line)
    if problems:
        return BadLine(number, "; ".join(problems))
    return line


def _read_at_once(raw: str | bytes, text: str) -> ContactLine | None:
    """The line read and shaped in one go by pydantic's own JSON reader (some 40% less
    than Python's reader and then the model's), when that is sure to give what the
    step-by-step way gives: None when it cannot, and the caller takes that way, which
    also says why a line is refused. Not for a line that may hold text no database
    keeps (those go through its look at every value), nor one whose answer is a
    number: Python's reader refuses an integer of over 4,300 digits that pydantic's
    reads, and answers are the one place such a number could go."""
    if _may_hold_unkept_text(raw, text):
        return None
    try:
        line = ContactLine.model_validate_json(text)
    except ValidationError:
        return None
    for answer in line.answers:
        if not isinstance(answer.answer, _NOT_A_NUMBER):
            return None
    return line


_NOT_A_NUMBER = (str, list, type(None))  # an answer read at once (made once, not a line)
