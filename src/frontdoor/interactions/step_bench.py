"""What one triage step costs to write: the record's write (Core statements, each row
placed under its contact's lock) beside the ORM write it replaced (get the contact,
`max(seq)`, add, flush, commit), in the same run, alternately, each committed with its
receipt and its audit row as the console commits a step. On SQLite, and on PostgreSQL
when a server is given. Figures are printed, never asserted: machines differ."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any, TypedDict, cast

from sqlalchemy import func, select
from sqlalchemy.orm import Session, lazyload, sessionmaker

from frontdoor.access.audit import Actor, AuditEvent, AuditTrail, Concerns
from frontdoor.db.engine import make_engine, make_session_factory, unit
from frontdoor.db.migrate import upgrade
from frontdoor.interactions.audit_bench import scratch_database
from frontdoor.interactions.model import NewContact, StepTaken, StepWrite, answer_text
from frontdoor.interactions.record import Record, RecordError, new_step_id
from frontdoor.interactions.tables import AnswerRow, ContactRow, StepReceiptRow
from frontdoor.local_time import Clock, system_clock

BENCH = Actor("bench", "handler", "bench")
WARM_UP = 20  # writes each way before the timing starts (caches, the first pages)
STEPS_A_CALL = 12  # then a new contact: a call's rows, not one contact's thousands


class Timings(TypedDict):
    median_ms: float
    p95_ms: float


class OnDatabase(TypedDict):
    database: str
    steps: int
    orm_baseline: Timings
    ours: Timings
    times_faster: float


class OrmSteps:
    """The step write as the record made it before issue 14, kept as the baseline: the
    ORM's receipt, contact, `max(seq)` and answer, flushed in turn, the audit row last."""

    def __init__(self, sessions: sessionmaker[Session], clock: Clock, audit: AuditTrail) -> None:
        self._sessions = sessions
        self._clock = clock
        self._audit = audit

    def apply(self, write: StepWrite) -> None:
        with unit(self._sessions) as session:
            session.add(
                StepReceiptRow(
                    step_id=write.step_id, contact_id=write.contact_id, kind="step", at=write.at
                )
            )
            session.flush()
            row = session.get(ContactRow, write.contact_id, options=[lazyload("*")])
            if row is None or row.status != "open":
                raise RecordError(f"contact {write.contact_id} is not open")
            audit = self._audit.pending(at=self._clock())
            audit.add(
                AuditEvent.CONTACT_CHANGED,
                Concerns(contact_id=write.contact_id, person_id=row.person_id, detail="step"),
            )
            current = session.scalar(
                select(func.max(AnswerRow.seq)).where(AnswerRow.contact_id == write.contact_id)
            )
            step = write.step
            text, many = answer_text(step.answer)
            values: dict[str, Any] = {
                "contact_id": write.contact_id,
                "seq": (current or 0) + 1,
                "at": write.at,
                "script": step.script,
                "version": step.version,
                "node": step.node,
                "kind": step.kind,
                "answer": text,
                "many": many,
                "wording": step.wording,
            }
            session.add(cast(Any, AnswerRow)(**values))
            session.flush()
            audit.write(cast(Session, _ThroughTheSession(session)))


class _ThroughTheSession:
    """The audit's statements run through the session's own execute, as they did before
    issue 14 (the audit now runs them on the session's connection)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def flush(self) -> None:
        self._session.flush()

    def connection(self) -> Session:
        return self._session


def _step(contact_id: str) -> StepWrite:
    answer = StepTaken("reason-for-call", 1, "what-is-it-about", "answer", "A fall")
    return StepWrite(new_step_id(), contact_id, system_clock(), None, answer)


def _timings(values: list[float]) -> Timings:
    return {
        "median_ms": round(statistics.median(values), 3),
        "p95_ms": round(statistics.quantiles(values, n=20)[-1], 3),
    }


def _alternately(record: Record, baseline: OrmSteps, steps: int) -> tuple[list[float], list[float]]:
    """The same write each way in turn, so both meet the database in the same state (its
    size, its caches, whatever else the machine is doing)."""
    ours: list[float] = []
    orm: list[float] = []
    contacts = ("", "")
    for n in range(WARM_UP + steps):
        if n % STEPS_A_CALL == 0:
            contacts = (
                record.start_contact(NewContact(handler="bench")),
                record.start_contact(NewContact(handler="bench")),
            )
        for apply, contact_id, timed in (
            (record.apply, contacts[0], ours),
            (baseline.apply, contacts[1], orm),
        ):
            write = _step(contact_id)
            start = time.perf_counter()
            apply(write)
            if n >= WARM_UP:
                timed.append((time.perf_counter() - start) * 1000)
    return ours, orm


def on_database(url: str, steps: int) -> OnDatabase:
    engine = make_engine(url)
    try:
        upgrade(engine)
        sessions = make_session_factory(engine)
        trail = AuditTrail(sessions, system_clock, BENCH)
        record = Record(sessions, system_clock, audit=trail)
        ours, orm = _alternately(record, OrmSteps(sessions, system_clock, trail), steps)
        if not trail.verify().ok:  # both ways chained their rows onto one audit
            raise RuntimeError("the audit chain is broken after the bench")
        median_orm, median_ours = statistics.median(orm), statistics.median(ours)
        return {
            "database": engine.dialect.name,
            "steps": steps,
            "orm_baseline": _timings(orm),
            "ours": _timings(ours),
            "times_faster": round(median_orm / median_ours, 2) if median_ours else 0.0,
        }
    finally:
        engine.dispose()


def run_bench(
    server: str | None, steps: int = 1000, progress: Callable[[str], None] | None = None
) -> list[OnDatabase]:
    """SQLite in a temporary folder, then (with `server`) PostgreSQL on a scratch database
    of the bench's own."""
    say = progress or (lambda _: None)
    results = []
    for where in (None, server) if server else (None,):
        with scratch_database(where) as url:
            say(f"{steps} step writes each way, alternately, on {url.split(':', 1)[0]}...")
            results.append(on_database(url, steps))
    return results


def describe(results: list[OnDatabase]) -> list[str]:
    """The figures in words, with their units (the --json keys are for programs)."""
    lines = []
    for result in results:
        orm, ours = result["orm_baseline"], result["ours"]
        lines += [
            f"One triage step written (an answer, its receipt and its audit row, committed) "
            f"on {result['database']}, {result['steps']} times each way, alternately:",
            f"  ORM, as before (get, max(seq), flush): median {orm['median_ms']:.2f} ms, "
            f"95th percentile {orm['p95_ms']:.2f} ms",
            f"  ours (Core, placed under the contact's lock): median "
            f"{ours['median_ms']:.2f} ms, 95th percentile {ours['p95_ms']:.2f} ms",
            f"  {result['times_faster']:.1f} times as fast at the median",
        ]
    return lines
