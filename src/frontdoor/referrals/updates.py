"""A file of state changes a team sends (`frontdoor referrals update FILE`): CSV with the
header `id,state,at,by,note`, or JSON Lines with those keys. Rows are numbered as the
file's lines (a CSV header is line 1; a note quoted over several lines is numbered by its
first). Checked whole before anything is written: a row that cannot be read, names no
referral, makes a move not allowed from the state the earlier rows left, goes back in
time (or into the future) or lacks a reason where one is needed refuses the whole file,
every bad row named. A row already in the referral's history (the same state at the same
time) is skipped, so the same file can be sent twice."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import cast

from frontdoor.identifiers import repeatable
from frontdoor.local_time import TimeError, read_time
from frontdoor.referrals.model import Referral
from frontdoor.referrals.states import State, as_state
from frontdoor.referrals.store import StateChange, check_change

COLUMNS = ("id", "state", "at", "by", "note")
NEEDED = ("id", "state", "at")
BY_LENGTH = 200  # the history's `by` column


@dataclass(frozen=True)
class Row:
    line: int
    change: StateChange


@dataclass(frozen=True)
class BadRow:
    line: int
    reason: str


@dataclass
class Plan:
    """What a file would do: the changes to write, in order, and the lines skipped as
    already recorded; or the rows that refuse it."""

    changes: list[StateChange] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    bad: list[BadRow] = field(default_factory=list)


class UnreadableFile(Exception):
    """Not CSV with the header, nor JSON Lines, or nothing in it: exit 2, not a refusal."""


def _row(line: int, values: dict[str, object], zone: str, default_by: str) -> Row | BadRow:
    def text(key: str) -> str:
        value = values.get(key)
        return "" if value is None else str(value).strip()

    problems: list[str] = []
    if not text("id"):
        problems.append("no id")
    state: State | None = None
    try:
        state = as_state(text("state"))
    except ValueError as exc:
        problems.append(str(exc))
    at: dt.datetime | None = None
    if not text("at"):
        problems.append("no 'at' (when it happened, ISO 8601 such as 2026-04-07T10:30)")
    else:
        try:
            at = read_time(text("at"), zone)
        except TimeError as exc:
            problems.append(f"'at' {exc}")
    if len(text("by")) > BY_LENGTH:
        problems.append(f"'by' is longer than {BY_LENGTH} characters: give who said so")
    # PostgreSQL keeps no NUL in text: refused here, by its line, not when written
    problems += [f"'{key}' holds a NUL character" for key in COLUMNS if "\x00" in text(key)]
    if problems or state is None or at is None:
        return BadRow(line, "; ".join(problems))
    note = text("note") or None
    return Row(line, StateChange(text("id").upper(), state, at, text("by") or default_by, note))


def parse(content: str, zone: str, default_by: str) -> list[Row | BadRow]:
    """Every data row of the file, read or refused with its line number; UnreadableFile
    when the file is neither form, or holds no rows."""
    content = content.removeprefix("\ufeff")
    # lines end at \n (and \r\n) only: a note may hold a form feed or U+2028, which
    # str.splitlines would take for the end of a line and so cut a row in two
    lines = content.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise UnreadableFile("the file is empty: give CSV with id,state,at,by,note or JSON Lines")
    if lines[first].lstrip().startswith("{"):
        rows = _parse_jsonl(lines, zone, default_by)
    else:
        rows = _parse_csv(content, first, zone, default_by)
    if not rows:
        raise UnreadableFile("the file has a header but no rows: there is nothing to apply")
    return rows


def _parse_csv(content: str, first: int, zone: str, default_by: str) -> list[Row | BadRow]:
    # strict: a quote never closed would otherwise take every later row into one note
    reader = csv.reader(io.StringIO(content, newline=""), strict=True)
    for _ in range(first):
        next(reader)
    header = [h.strip().lower() for h in next(reader)]
    missing = [c for c in NEEDED if c not in header]
    unknown = [h for h in header if h not in COLUMNS]
    if missing or unknown or len(set(header)) != len(header):
        raise UnreadableFile(
            f"line {first + 1} is not the header id,state,at,by,note "
            f"(it is {','.join(header)[:60]!r})"
            + (f": no {', '.join(missing)}" if missing else "")
            + (f": '{unknown[0]}' is not a column" if unknown else "")
        )
    rows: list[Row | BadRow] = []
    line = reader.line_num + 1  # where the next row starts
    try:
        for cells in reader:
            number, line = line, reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > len(header):
                rows.append(BadRow(number, f"{len(cells)} values for {len(header)} columns"))
                continue
            rows.append(_row(number, dict(zip(header, cells, strict=False)), zone, default_by))
    except csv.Error as exc:
        rows.append(BadRow(line, f"not CSV ({exc}); the lines after it were not read"))
    return rows


def _parse_jsonl(lines: list[str], zone: str, default_by: str) -> list[Row | BadRow]:
    rows: list[Row | BadRow] = []
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        try:
            values = json.loads(line)
        except json.JSONDecodeError as exc:
            rows.append(BadRow(index + 1, f"not JSON ({exc.msg}, at column {exc.colno})"))
            continue
        if not isinstance(values, dict):
            rows.append(BadRow(index + 1, "not a JSON object with id, state, at, by, note"))
            continue
        unknown = [k for k in values if k not in COLUMNS]
        if unknown:
            keys = ", ".join(COLUMNS)
            given = repeatable(unknown[0]) or "a key given"
            rows.append(BadRow(index + 1, f"{given} is not a key (the keys are {keys})"))
            continue
        rows.append(_row(index + 1, cast(dict[str, object], values), zone, default_by))
    return rows


def plan(
    rows: list[Row | BadRow],
    find: Callable[[str], Referral | None],
    now: dt.datetime | None = None,
) -> Plan:
    """Check every row in order against the state the earlier rows leave (and, with `now`,
    refuse a change later than now)."""
    result = Plan()
    known: dict[str, Referral | None] = {}
    now_state: dict[str, tuple[State, dt.datetime]] = {}
    planned: set[tuple[str, State, dt.datetime]] = set()
    for row in rows:
        if isinstance(row, BadRow):
            result.bad.append(row)
            continue
        change = row.change
        if change.referral_id not in known:
            known[change.referral_id] = find(change.referral_id)
        referral = known[change.referral_id]
        if referral is None:
            result.bad.append(BadRow(row.line, f"there is no referral {change.referral_id}"))
            continue
        key = (referral.id, change.state, change.at)
        if key in planned or any(
            h.state == change.state and h.at == change.at for h in referral.history
        ):
            result.skipped.append(row.line)
            continue
        last = referral.history[-1]
        current, last_at = now_state.get(referral.id, (last.state, last.at))
        refused = check_change(
            referral.id, current, last_at, change.state, change.at, change.note, now
        )
        if refused:
            result.bad.append(BadRow(row.line, refused))
            continue
        now_state[referral.id] = (change.state, change.at)
        planned.add(key)
        result.changes.append(change)
    return result
