"""What the audit costs a call: one step write (an answer, its receipt and, audited, its
chained audit row, in one transaction) timed with the audit and without it in the same
run, alternately, on a scratch database whose audit already holds `history` rows; then
many workstations writing at once, where every audited write queues on the chain's head.
Figures are printed, never asserted: machines differ."""

from __future__ import annotations

import contextlib
import datetime as dt
import statistics
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypedDict

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

from frontdoor.access.audit import Actor, AuditEvent, AuditTrail, Concerns, append_many
from frontdoor.db.engine import make_engine, make_session_factory
from frontdoor.db.migrate import upgrade
from frontdoor.interactions.model import NewContact, StepTaken, StepWrite
from frontdoor.interactions.record import Record, new_step_id
from frontdoor.local_time import system_clock

BENCH = Actor("bench", "handler", "bench")
WARM_UP = 20  # writes of each kind before the timing starts (caches, the first pages)
HISTORY_BATCH = 5000


class NoScratchDatabase(Exception):
    """The server would not give the bench a database of its own."""


class Timings(TypedDict):
    median_ms: float
    p95_ms: float


class Concurrent(TypedDict):
    writers: int
    writes_each: int
    per_second_without: float
    per_second_with: float


class AuditBench(TypedDict):
    database: str
    history_rows: int
    steps: int
    without_audit: Timings
    with_audit: Timings
    added_ms: float
    concurrent: Concurrent


@contextlib.contextmanager
def scratch_database(server: str | None) -> Iterator[str]:
    """A new, empty database of the bench's own, removed afterwards: a SQLite file in a
    temporary folder, or (with `server`, a PostgreSQL URL whose user may create
    databases) a database made on that server."""
    if server is None:
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{Path(folder) / 'audit-bench.db'}"
        return
    url = make_url(server)
    name = f"frontdoor_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        try:
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
        except (OperationalError, ProgrammingError) as exc:
            raise NoScratchDatabase(
                f"could not make a database of the bench's own on the server "
                f"({type(exc).__name__}): give a URL whose user may create databases"
            ) from None
        try:
            yield url.set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def _step(contact_id: str) -> StepWrite:
    answer = StepTaken("reason-for-call", 1, "what-is-it-about", "answer", "A fall")
    return StepWrite(new_step_id(), contact_id, system_clock(), None, answer)


def _fill_history(sessions: sessionmaker[Session], rows: int) -> None:
    """An audit that has run a while: `rows` rows chained before the timing starts."""
    at = system_clock() - dt.timedelta(days=365)
    for start in range(0, rows, HISTORY_BATCH):
        items = [
            (AuditEvent.CONTACT_CHANGED, Concerns(contact_id=f"c-old-{n}", detail="step"))
            for n in range(start, min(rows, start + HISTORY_BATCH))
        ]
        with sessions() as session, session.begin():
            append_many(session, BENCH, at, items)


def _timings(values: list[float]) -> Timings:
    return {
        "median_ms": round(statistics.median(values), 3),
        "p95_ms": round(statistics.quantiles(values, n=20)[-1], 3),
    }


def _alternately(plain: Record, audited: Record, steps: int) -> tuple[list[float], list[float]]:
    """The same write to each record in turn, so both meet the database in the same state
    (its size, its caches, whatever else the machine is doing)."""
    one = plain.start_contact(NewContact(handler="bench"))
    other = audited.start_contact(NewContact(handler="bench"))
    without: list[float] = []
    with_audit: list[float] = []
    for n in range(WARM_UP + steps):
        for record, contact_id, timed in ((plain, one, without), (audited, other, with_audit)):
            write = _step(contact_id)
            start = time.perf_counter()
            record.apply(write)
            if n >= WARM_UP:
                timed.append((time.perf_counter() - start) * 1000)
    return without, with_audit


def _per_second(record: Record, writers: int, writes_each: int) -> float:
    """Writes a second with `writers` workstations writing at once, each to its own call."""
    contacts = [record.start_contact(NewContact(handler=f"h{n}")) for n in range(writers)]
    ready = threading.Barrier(writers + 1)
    failed: list[BaseException] = []

    def write(contact_id: str) -> None:
        ready.wait()
        try:
            for _ in range(writes_each):
                record.apply(_step(contact_id))
        except BaseException as exc:  # said below: a bench that failed has no figure
            failed.append(exc)

    threads = [threading.Thread(target=write, args=(c,)) for c in contacts]
    for thread in threads:
        thread.start()
    ready.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    if failed:
        raise failed[0]
    return round(writers * writes_each / (time.perf_counter() - start), 1)


def run_bench(
    server: str | None,
    steps: int = 500,
    history: int = 100_000,
    writers: int = 20,
    writes_each: int = 20,
    progress: Callable[[str], None] | None = None,
) -> AuditBench:
    say = progress or (lambda _: None)
    with scratch_database(server) as url:
        engine = make_engine(url)
        try:
            upgrade(engine)
            sessions = make_session_factory(engine)
            trail = AuditTrail(sessions, system_clock, BENCH)
            plain, audited = (
                Record(sessions, system_clock),
                Record(sessions, system_clock, audit=trail),
            )
            say(f"chaining {history:,} audit rows first...")
            _fill_history(sessions, history)
            say(f"{steps} step writes with the audit and {steps} without, alternately...")
            without, with_audit = _alternately(plain, audited, steps)
            say(f"{writers} workstations writing at once, without the audit and with it...")
            concurrent: Concurrent = {
                "writers": writers,
                "writes_each": writes_each,
                "per_second_without": _per_second(plain, writers, writes_each),
                "per_second_with": _per_second(audited, writers, writes_each),
            }
            if not trail.verify().ok:  # the bench's own writes must have chained
                raise RuntimeError("the audit chain is broken after the bench")
            result: AuditBench = {
                "database": engine.dialect.name,
                "history_rows": history,
                "steps": steps,
                "without_audit": _timings(without),
                "with_audit": _timings(with_audit),
                "added_ms": round(statistics.median(with_audit) - statistics.median(without), 3),
                "concurrent": concurrent,
            }
        finally:
            engine.dispose()
    return result


def describe(result: AuditBench) -> list[str]:
    """The figures in words, with their units (the --json keys are for programs)."""
    plain, audited = result["without_audit"], result["with_audit"]
    share = result["added_ms"] / plain["median_ms"] * 100 if plain["median_ms"] else 0.0
    many = result["concurrent"]
    return [
        f"One step write (an answer and its receipt in one transaction) on "
        f"{result['database']}, {result['steps']} times each way, alternately, with "
        f"{result['history_rows']:,} audit rows already chained:",
        f"  without the audit: median {plain['median_ms']:.2f} ms, 95th percentile "
        f"{plain['p95_ms']:.2f} ms",
        f"  with the audit:    median {audited['median_ms']:.2f} ms, 95th percentile "
        f"{audited['p95_ms']:.2f} ms",
        f"  the audit adds {result['added_ms']:.2f} ms a write at the median ({share:.0f}%)",
        f"{many['writers']} workstations writing at once, {many['writes_each']} writes each: "
        f"{many['per_second_without']:,.0f} writes a second without the audit, "
        f"{many['per_second_with']:,.0f} with it (each audited write waits its turn at the "
        "chain's head)",
    ]
