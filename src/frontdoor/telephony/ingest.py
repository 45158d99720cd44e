"""Read a queue_log into the record of queue events: once, or following the file as the
telephone system writes it (surviving rotation). Idempotent: a line read twice is one
event (queue_lines says what "the same line" is). No line can stop a file: a line that
cannot be read, or that the database will not hold, is counted and reported with its
number and why, and every other line is stored."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.exc import DBAPIError, IntegrityError, StatementError
from sqlalchemy.orm import Session, sessionmaker

from frontdoor.telephony.following import OpenFile, QueueLogFollower
from frontdoor.telephony.queue_lines import BOM, FileLine, IdenticalLines, line_key
from frontdoor.telephony.queue_log import QueueEvent, QueueLogError, parse_line
from frontdoor.telephony.tables import (
    AGENT_CHARS,
    CALLID_CHARS,
    EVENT_CHARS,
    QUEUE_CHARS,
    QueueEventRow,
)

BATCH = 2000  # events stored in one transaction
ROTATED = " (in the file rotated away from the path; numbered within it)"


@dataclass
class IngestReport:
    lines: int = 0
    added: int = 0
    already_held: int = 0
    not_used: int = 0
    unreadable: list[tuple[int, str]] = field(default_factory=list)  # (line number, why)

    def as_dict(self) -> dict[str, object]:
        return {
            "lines": self.lines,
            "added": self.added,
            "already_held": self.already_held,
            "not_used": self.not_used,
            "unreadable": [{"line": n, "reason": r} for n, r in self.unreadable],
        }


@dataclass(frozen=True)
class Numbered:
    number: int  # the line's number in its file
    event: QueueEvent
    note: str = ""  # added to a reason, to say which file the number is in


@dataclass
class Stored:
    added: int = 0
    held: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)

    def __add__(self, other: Stored) -> Stored:
        return Stored(
            self.added + other.added, self.held + other.held, self.refused + other.refused
        )


def _too_long(event: QueueEvent) -> str | None:
    for name, value, most in (
        ("call id", event.callid, CALLID_CHARS),
        ("queue name", event.queue, QUEUE_CHARS),
        ("agent", event.agent, AGENT_CHARS),
        ("event", event.event, EVENT_CHARS),
    ):
        if len(value) > most:
            return f"the {name} is {len(value)} characters long; at most {most} are kept"
    return None


def read_event(raw: bytes, before: int) -> QueueEvent | str | None:
    """The event a line gives, None for a line of an event we do not use, or why the line
    cannot be read. `before`: how many identical lines came before it (its key)."""
    if b"\x00" in raw:
        # PostgreSQL's text cannot hold it, and no field of a queue_log line does
        return "it holds a NUL byte, which no queue_log field can (the file may be damaged)"
    # a byte that is not UTF-8 (a name written in another encoding) becomes U+FFFD, and
    # the event is kept: its key is taken from the bytes, so no two lines share one
    try:
        event = parse_line(raw.decode("utf-8", errors="replace"), line_key(raw, before))
    except QueueLogError as exc:
        return str(exc)
    return None if event is None else _too_long(event) or event


def _held(session: Session, keys: list[str]) -> set[str]:
    return set(
        session.scalars(select(QueueEventRow.line_hash).where(QueueEventRow.line_hash.in_(keys)))
    )


def _store(sessions: sessionmaker[Session], events: Sequence[Numbered]) -> Stored:
    unique = {n.event.line_hash: n.event for n in events}
    with sessions() as session, session.begin():
        held = _held(session, list(unique))
        new = [e for key, e in unique.items() if key not in held]
        if new:
            session.execute(
                insert(QueueEventRow),
                [
                    {
                        "line_hash": e.line_hash,
                        "at": e.at,
                        "callid": e.callid,
                        "queue": e.queue,
                        "agent": e.agent,
                        "event": e.event,
                        "data": list(e.data),
                    }
                    for e in new
                ],
            )
    return Stored(added=len(new), held=len(events) - len(new))


def _about_the_data(exc: StatementError) -> bool:
    """A refusal of what was sent (a value, a constraint), not a database that cannot be
    reached: only the first is worth trying again in smaller batches."""
    if isinstance(exc, DBAPIError):
        return not exc.connection_invalidated and type(exc).__name__ not in (
            "OperationalError",
            "InterfaceError",
        )
    return True  # a value our column types would not bind


def store_events(sessions: sessionmaker[Session], events: Sequence[Numbered]) -> Stored:
    """Store the events whose keys are not held yet, in one transaction. When the database
    refuses the batch, each half is tried on its own, down to the line it refuses, which
    is reported: one line costs its batch a few transactions, never its other lines."""
    if not events:
        return Stored()
    try:
        return _store(sessions, events)
    except StatementError as exc:
        if not _about_the_data(exc):
            raise
        if len(events) > 1:
            half = len(events) // 2
            return store_events(sessions, events[:half]) + store_events(sessions, events[half:])
        (one,) = events
        if isinstance(exc, IntegrityError):
            with sessions() as session:
                if _held(session, [one.event.line_hash]):
                    return Stored(held=1)  # another reader of the file stored it meanwhile
        why = f"the database would not store it ({type(exc.orig or exc).__name__})"
        return Stored(refused=[(one.number, why + one.note)])


class Intake:
    """One stream of lines into stored events: a file read once, or followed through its
    rotations (the count of identical lines goes on across them, see queue_lines)."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        report: IngestReport | None = None,
        batch: int = BATCH,
    ) -> None:
        self.sessions = sessions
        self.report = report or IngestReport()
        self.batch = batch
        self.identical = IdenticalLines()
        self.pending: list[Numbered] = []

    def take(self, lines: Iterable[FileLine], note: str = "") -> None:
        for line in lines:
            if not line.raw.strip():
                continue
            self.report.lines += 1
            found = read_event(line.raw, self.identical.before(line.raw))
            if isinstance(found, str):
                self.report.unreadable.append((line.number, found + note))
            elif found is None:
                self.report.not_used += 1
            else:
                self.pending.append(Numbered(line.number, found, note))
                if len(self.pending) >= self.batch:
                    self.store()

    def store(self) -> None:
        stored = store_events(self.sessions, self.pending)
        self.pending = []
        self.report.added += stored.added
        self.report.already_held += stored.held
        self.report.unreadable.extend(stored.refused)

    def finish(self) -> IngestReport:
        """Store what is pending; the report, its unreadable lines in the file's order (a
        line the database refused is found after the lines read beyond it)."""
        self.store()
        self.report.unreadable.sort(key=lambda u: u[0])
        return self.report


def ingest_lines(
    sessions: sessionmaker[Session],
    lines: Iterable[str],
    first_number: int = 1,
    report: IngestReport | None = None,
    chunk: int = BATCH,
) -> IngestReport:
    """Lines given as text (one stream, numbered from `first_number`), as a file's would be."""
    intake = Intake(sessions, report, chunk)
    for number, text in enumerate(lines, start=first_number):
        raw = text.rstrip("\r\n").encode("utf-8", errors="surrogatepass")
        if number == 1 and raw.startswith(BOM):
            raw = raw[len(BOM) :]
        intake.take([FileLine(number, raw.lstrip(b"\x00"))])
    return intake.finish()


def ingest_file(sessions: sessionmaker[Session], path: Path) -> IngestReport:
    """The whole file, read once; a last line without its newline is read as it stands."""
    intake = Intake(sessions)
    with path.open("rb") as handle:
        opened = OpenFile(handle)
        more = True
        while more:
            lines, more = opened.read(final=True)
            intake.take(lines)
    return intake.finish()


def follow(
    sessions: sessionmaker[Session],
    path: Path,
    *,
    poll: float = 0.5,
    stop: Callable[[], bool] = lambda: False,
    on_report: Callable[[IngestReport], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    let_go_after: int = 20,
) -> IngestReport:
    """Read what is there, then what is added, through rotations by rename and by
    copy-truncate (following.py). `stop` is asked before each look (tests, signals); the
    wait between looks is `sleep(poll)`, skipped while a large file is still being read."""
    intake = Intake(sessions)
    follower = QueueLogFollower(path, let_go_after)
    try:
        while not stop():
            found, more = follower.look()
            for read in found:
                intake.take(read.lines, ROTATED if read.rotated else "")
            intake.store()
            if found and on_report:
                on_report(intake.report)
            if not more:
                sleep(poll)
    finally:
        follower.close()
    return intake.report
