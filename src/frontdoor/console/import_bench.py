"""The `contacts import` benchmark: the streamed import beside the whole-file way it
replaced (kept here only, rebuilt from the same pieces), each in a process of its own on a
new database, so that each one's peak memory is its own. A month's file at an SPA's volume,
then a larger one, to show that the streamed import's memory does not grow with the file.
Figures are printed, never asserted: machines differ."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import multiprocessing
import resource
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Literal, TypedDict

from sqlalchemy import Insert, insert
from sqlalchemy.orm import Session

from frontdoor.access import audit
from frontdoor.console.settings import load_settings
from frontdoor.console.wiring import FrontDoor, open_front_door
from frontdoor.db.base import Base
from frontdoor.db.chunks import in_chunks
from frontdoor.interactions import loading
from frontdoor.interactions.audit_bench import scratch_database
from frontdoor.interactions.export import contact_to_json
from frontdoor.interactions.jsonl import (
    ContactLine,
    FileLines,
    file_lines,
    parse_numbered,
)
from frontdoor.interactions.loading import (
    ContactBatches,
    contact_from_line,
    contact_misfits,
)
from frontdoor.mi.bench import contacts_of_day
from frontdoor.people import index as people_index
from frontdoor.referrals import importing
from frontdoor.referrals.importing import ReferralLoader
from frontdoor.referrals.interchange import ReferralEntries
from frontdoor.referrals.making import ReferralMaker
from frontdoor.referrals.model import Referral

Way = Literal["streamed", "whole_file"]
BATCH = 2000


class Run(TypedDict):
    way: Way
    lines: int
    contacts: int  # added
    referrals: int  # added
    seconds: float
    per_second: float
    cpu_seconds: float  # the importing process's own CPU: the fairer figure on a busy machine
    per_cpu_second: float
    rss_before_mb: float  # the process once the database was open, before the import
    peak_rss_mb: float  # the process's peak, the import included


class ImportBench(TypedDict):
    database: str
    month_lines: int
    large_lines: int
    runs: list[Run]


def write_file(path: Path, lines: int, per_month: int, seed: int = 0) -> int:
    """`lines` contacts, day after day from 1 January 2025 at `per_month` a month, as an
    older system writes them (services referred, no referral entries): the import makes
    the referrals. Written as they are made, never held."""
    written = 0
    day = dt.date(2025, 1, 1)
    with path.open("w", encoding="utf-8") as out:
        while written < lines:
            for contact in contacts_of_day(day, per_month, seed):
                out.write(json.dumps(contact_to_json(contact)) + "\n")
                written += 1
                if written == lines:
                    break
            day += dt.timedelta(days=1)
    return written


def month_lines(per_month: int, seed: int = 0) -> int:
    """How many contacts March 2025 has at `per_month`: a month's file."""
    days = [dt.date(2025, 1, 1) + dt.timedelta(days=d) for d in range(31 + 28 + 31)]
    return sum(1 for day in days if day.month == 3 for _ in contacts_of_day(day, per_month, seed))


class _AsBefore(ReferralLoader):
    """The referral loader as it was: the maker's terms looked up for each referral, and
    the rows inserted through the ORM's bulk path."""

    def __init__(self, maker: ReferralMaker, *args: Any, **kwargs: Any) -> None:
        super().__init__(maker, *args, **kwargs)
        self.maker = maker

    def _insert(self, session: Session, referrals: list[Referral]) -> None:
        with _through_the_orm(session):
            super()._insert(session, referrals)


@contextlib.contextmanager
def _through_the_orm(session: Session) -> Iterator[None]:
    """Inserts given to the session's connection go through the session (the ORM's bulk
    path), as they did before the import used Core's executemany and then the driver's
    own (db/bulk.py): each module's `insert_rows` is the plain INSERT meanwhile."""
    connection = session.connection
    session.connection = lambda *a, **k: _OrmInserts(session, connection(*a, **k))  # type: ignore[method-assign,assignment]
    plain = {"insert_rows": _plain_insert, "insert_tuples": _plain_insert_tuples}
    swapped = [
        (module, name, getattr(module, name))
        for module in _INSERTING
        for name in plain
        if hasattr(module, name)
    ]
    for module, name, _ in swapped:
        setattr(module, name, plain[name])
    try:
        yield
    finally:
        session.connection = connection  # type: ignore[method-assign]
        for module, name, kept in swapped:
            setattr(module, name, kept)


# the modules whose inserts went through SQLAlchemy's INSERT before db/bulk.py
_INSERTING = (loading, importing, audit, people_index)


def _plain_insert(connection: Any, table: Any, rows: Any) -> None:
    if rows:
        connection.execute(insert(table), list(rows))


def _plain_insert_tuples(connection: Any, table: Any, keys: Any, rows: Any) -> None:
    _plain_insert(connection, table, [dict(zip(keys, row, strict=True)) for row in rows])


@dataclass(frozen=True)
class _OrmInserts:
    session: Session
    real: Any  # the real connection: what is not a many-row INSERT (the audit's head) goes there

    def execute(self, statement: Any, rows: Any = None) -> object:
        if not isinstance(statement, Insert) or not isinstance(rows, list):
            return self.real.execute(statement, rows)
        table = statement.table
        mapped = next(m.class_ for m in Base.registry.mappers if m.local_table is table)
        return self.session.execute(insert(mapped), rows)

    def __getattr__(self, name: str) -> Any:
        # the rest as the real connection has it: its dialect, its driver's connection
        # (a referral number is taken by psycopg itself on PostgreSQL)
        return getattr(self.real, name)


def whole_file(front: FrontDoor, path: Path) -> tuple[int, int]:
    """The import as it was before it streamed (the baseline, rebuilt from the same
    pieces): the file read whole, every line checked and held, every contact looked up
    before any is inserted, each contact made twice (to check it, to load it), inserts
    through the ORM, then the referrals of the whole file at once with their terms looked
    up each time. (contacts added, referrals added)"""
    data = path.read_bytes()
    entries = ReferralEntries()

    def check(number: int, line: ContactLine) -> list[str]:
        return contact_misfits(contact_from_line(line)) or entries(number, line)

    numbered, bad = parse_numbered(file_lines(io.BytesIO(data)), front.line_vocabularies(), check)
    if bad:
        raise SystemExit(f"the bench's own file has bad lines: {bad[:3]}")
    pending = front.trail.pending(at=front.clock())
    contacts = ContactBatches(pending)
    referrals = _AsBefore(
        front.referral_maker,
        front.clock(),
        service_name={s.id: s.name for s in front.directory.all()}.get,
        audit=pending,
    )
    with front.sessions() as session, session.begin(), _through_the_orm(session):
        referrals.reserve_given_ids(session, list(file_lines(io.BytesIO(data))))
        loaded = [i for part in in_chunks(numbered, BATCH) for i in contacts.check(session, part)]
        contacts.tuples = {}  # each contact's rows made again as it is added, as they were
        held = [i for part in in_chunks(loaded, BATCH) for i in contacts.add(session, part)]
        referrals.add(session, referrals.check(session, held))
        contacts.write_audit(session)
        referrals.write_audit(session)
    return len(contacts.result.added), len(referrals.made)


def streamed(front: FrontDoor, path: Path) -> tuple[int, int]:
    """The import as `contacts import` runs it now."""
    loaded = front.load_contacts_file(FileLines(path), audit=front.trail, batch=BATCH)
    if not loaded.loaded:
        raise SystemExit(f"the bench's own file was refused: {loaded.bad[:3]} {loaded.refused[:3]}")
    return len(loaded.added), len(loaded.referrals_added)


def _peak_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024  # bytes on macOS


def _rss_mb() -> float:
    """The process's resident memory now (Linux), else its peak so far."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * resource.getpagesize() / (1024 * 1024)
    return _peak_mb()


def _child(way: Way, path: str, db: str, folder: str, lines: int, out: Connection) -> None:
    settings = load_settings(
        db=db, log_file=Path(folder) / f"{way}.log", journal=Path(folder) / f"{way}.journal"
    )
    front = open_front_door(settings, check_library=False)
    try:
        before = _rss_mb()
        started, cpu = time.perf_counter(), time.process_time()
        contacts, referrals = (streamed if way == "streamed" else whole_file)(front, Path(path))
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    finally:
        front.engine.dispose()
    out.send(
        Run(
            way=way,
            lines=lines,
            contacts=contacts,
            referrals=referrals,
            seconds=round(seconds, 2),
            per_second=round(contacts / seconds),
            cpu_seconds=round(cpu, 2),
            per_cpu_second=round(contacts / cpu),
            rss_before_mb=round(before),
            peak_rss_mb=round(_peak_mb()),
        )
    )


def _run(way: Way, path: Path, lines: int, server: str | None, folder: str) -> Run:
    """One import in a new process, on a new database of its own."""
    context = multiprocessing.get_context("spawn")  # a clean process: its peak is its own
    with scratch_database(server) as db:
        if server is None:  # scratch_database's folder is gone once it hands on: use ours
            db = f"sqlite:///{Path(folder) / f'{way}-{lines}.db'}"
        receive, send = context.Pipe(duplex=False)
        child = context.Process(target=_child, args=(way, str(path), db, folder, lines, send))
        child.start()
        send.close()
        try:
            run: Run = receive.recv()
        except EOFError:
            raise SystemExit(f"the {way} import of {lines:,} lines failed: see above") from None
        finally:
            child.join()
    return run


def run_bench(
    server: str | None,
    per_month: int,
    large: int,
    baseline_large: bool,
    progress: Callable[[str], None] | None = None,
) -> ImportBench:
    say = progress or (lambda _: None)
    with tempfile.TemporaryDirectory() as folder:
        month = month_lines(per_month)
        files: dict[int, Path] = {}
        for lines in (month, large):
            say(f"writing a file of {lines:,} contacts…")
            files[lines] = Path(folder) / f"contacts-{lines}.jsonl"
            write_file(files[lines], lines, per_month)
        plan: list[tuple[Way, int]] = [
            ("whole_file", month),
            ("streamed", month),
            ("streamed", large),
        ]
        if baseline_large:
            plan.append(("whole_file", large))
        runs = []
        for way, lines in plan:
            say(f"importing {lines:,} lines, {way.replace('_', ' ')}…")
            runs.append(_run(way, files[lines], lines, server, folder))
    return ImportBench(
        database="postgresql" if server else "sqlite",
        month_lines=month,
        large_lines=large,
        runs=runs,
    )


def describe(result: ImportBench) -> list[str]:
    out = [
        f"contacts import on {result['database']}: a month ({result['month_lines']:,} lines) "
        f"and a larger file ({result['large_lines']:,} lines), each in a new process on a new "
        "database; contacts a second by the clock and by the process's own CPU",
        f"{'way':<11} {'lines':>9} {'contacts/s':>11} {'seconds':>8} {'per CPU s':>10} "
        f"{'CPU s':>7} {'peak RSS MB':>12} {'before MB':>10}",
    ]
    for run in result["runs"]:
        out.append(
            f"{run['way'].replace('_', ' '):<11} {run['lines']:>9,} {run['per_second']:>11,} "
            f"{run['seconds']:>8.2f} {run['per_cpu_second']:>10,} {run['cpu_seconds']:>7.2f} "
            f"{run['peak_rss_mb']:>12,.0f} {run['rss_before_mb']:>10,.0f}"
        )
    by = {(r["way"], r["lines"]): r for r in result["runs"]}
    month, large = result["month_lines"], result["large_lines"]
    ours, base = by.get(("streamed", month)), by.get(("whole_file", month))
    if ours and base:
        by_cpu = ours["per_cpu_second"] / base["per_cpu_second"]
        by_clock = ours["per_second"] / base["per_second"]
        out.append(
            f"a month: streamed {by_cpu:.2f}x the contacts a CPU second of the whole file "
            f"({by_clock:.2f}x by the clock), {ours['peak_rss_mb'] / base['peak_rss_mb']:.2f}x "
            "its peak memory"
        )
    for way in ("streamed", "whole_file"):
        small, big = by.get((way, month)), by.get((way, large))
        if small and big:
            growth = (big["peak_rss_mb"] - small["peak_rss_mb"]) / max(1, large - month) * 1e6
            out.append(
                f"{way.replace('_', ' ')}, {large:,} lines against a month: peak "
                f"{big['peak_rss_mb']:,.0f} MB against {small['peak_rss_mb']:,.0f} MB "
                f"({growth:,.0f} MB more a million lines)"
            )
    return out
