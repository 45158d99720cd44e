"""Read a queue_log into the record of queue events: once, or following the file as the
telephone system writes it (surviving rotation). Idempotent: a line read twice is one
event. Lines that cannot be read are counted and reported, never fatal."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, sessionmaker

from frontdoor.telephony.queue_log import QueueEvent, QueueLogError, parse_line
from frontdoor.telephony.tables import QueueEventRow


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


def store_events(sessions: sessionmaker[Session], events: list[QueueEvent]) -> tuple[int, int]:
    """(added, already held): events whose line is held already are skipped."""
    if not events:
        return 0, 0
    unique = {e.line_hash: e for e in events}
    with sessions() as session, session.begin():
        held = set(
            session.scalars(
                select(QueueEventRow.line_hash).where(QueueEventRow.line_hash.in_(list(unique)))
            )
        )
        new = [e for h, e in unique.items() if h not in held]
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
    return len(new), len(events) - len(new)


def ingest_lines(
    sessions: sessionmaker[Session],
    lines: Iterable[str],
    first_number: int = 1,
    report: IngestReport | None = None,
    chunk: int = 2000,
) -> IngestReport:
    report = report or IngestReport()
    batch: list[QueueEvent] = []

    def flush() -> None:
        added, held = store_events(sessions, batch)
        report.added += added
        report.already_held += held
        batch.clear()

    for number, text in enumerate(lines, start=first_number):
        if not text.strip():
            continue
        report.lines += 1
        try:
            event = parse_line(text)
        except QueueLogError as exc:
            report.unreadable.append((number, str(exc)))
            continue
        if event is None:
            report.not_used += 1
            continue
        batch.append(event)
        if len(batch) >= chunk:
            flush()
    flush()
    return report


def ingest_file(sessions: sessionmaker[Session], path: Path) -> IngestReport:
    with path.open(encoding="utf-8", errors="replace") as handle:
        return ingest_lines(sessions, handle)


def follow(
    sessions: sessionmaker[Session],
    path: Path,
    *,
    poll: float = 0.5,
    stop: Callable[[], bool] = lambda: False,
    on_report: Callable[[IngestReport], None] | None = None,
) -> IngestReport:
    """Read what is there, then what is added; start again from the top when the file is
    rotated (a new file at the path) or truncated. `stop` ends the loop (tests, signals)."""
    total = IngestReport()
    position, identity, number = 0, None, 1
    while not stop():
        try:
            stat = os.stat(path)
        except FileNotFoundError:
            time.sleep(poll)  # between rotation and the new file
            continue
        if identity != (stat.st_dev, stat.st_ino) or stat.st_size < position:
            identity, position, number = (stat.st_dev, stat.st_ino), 0, 1
        if stat.st_size > position:
            with path.open(encoding="utf-8", errors="replace") as handle:
                handle.seek(position)
                text = handle.read()
            complete, _, _ = text.rpartition("\n")  # a half-written last line waits
            if complete or text.endswith("\n"):
                lines = (complete + "\n").splitlines() if complete else []
                ingest_lines(sessions, lines, number, total)
                number += len(lines)
                position += len((complete + "\n").encode("utf-8")) if complete else 0
                if on_report:
                    on_report(total)
        time.sleep(poll)
    return total
