"""The wallboard benchmark: one refresh of the live queue figures with a day of history
and with a year of it (12,000 calls a month), on the database given. Figures are
printed, never asserted."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import statistics
import time
from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import Engine, delete, insert
from sqlalchemy.orm import Session, sessionmaker

from frontdoor.telephony.stats import QueueSettings, handler_states, queue_stats
from frontdoor.telephony.tables import QueueEventRow

LAST_DAY = dt.date(2026, 3, 31)


def _events(days: int, per_month: int, seed: int) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    per_day = per_month * 12 / 365
    number = 0
    for offset in range(days):
        day = LAST_DAY - dt.timedelta(days=days - 1 - offset)
        start = dt.datetime.combine(day, dt.time(8), dt.UTC)
        for seat in range(12):
            yield _row(start, "NONE", "public", f"PJSIP/{201 + seat}", "ADDMEMBER", [""])
        for _ in range(round(per_day)):
            number += 1
            callid = f"{day:%Y%m%d}.{number}"
            queue = rng.choice(["public", "public", "professionals"])
            enter = start + dt.timedelta(seconds=rng.randrange(12 * 3600))
            wait = rng.expovariate(1 / 20)
            yield _row(enter, callid, queue, "NONE", "ENTERQUEUE", ["", "0113496", 1])
            if rng.random() < 0.06:
                yield _row(
                    enter + dt.timedelta(seconds=wait),
                    callid,
                    queue,
                    "NONE",
                    "ABANDON",
                    [1, 1, round(wait)],
                )
                continue
            agent = f"PJSIP/{201 + rng.randrange(12)}"
            answered = enter + dt.timedelta(seconds=wait)
            yield _row(answered, callid, queue, agent, "CONNECT", [round(wait), callid, 1])
            talk = rng.lognormvariate(5.7, 0.5)
            yield _row(
                answered + dt.timedelta(seconds=talk),
                callid,
                queue,
                agent,
                "COMPLETEAGENT",
                [round(wait), round(talk), 1],
            )


def _row(
    at: dt.datetime, callid: str, queue: str, agent: str, event: str, data: list[object]
) -> dict[str, Any]:
    text = "|".join([str(at.timestamp()), callid, queue, agent, event, *map(str, data)])
    return {
        "line_hash": hashlib.sha256(text.encode()).hexdigest()[:32],
        "at": at,
        "callid": callid,
        "queue": queue,
        "agent": agent,
        "event": event,
        "data": [str(d) for d in data],
    }


def _fill(sessions: sessionmaker[Session], days: int, per_month: int, seed: int) -> int:
    count = 0
    with sessions() as session, session.begin():
        session.execute(delete(QueueEventRow))
        batch: list[dict[str, Any]] = []
        for row in _events(days, per_month, seed):
            batch.append(row)
            if len(batch) == 10_000:
                session.execute(insert(QueueEventRow), batch)
                count += len(batch)
                batch = []
        if batch:
            session.execute(insert(QueueEventRow), batch)
            count += len(batch)
    return count


def _refresh_ms(sessions: sessionmaker[Session], repeats: int) -> list[float]:
    at = dt.datetime.combine(LAST_DAY, dt.time(14), dt.UTC)
    day_start = dt.datetime.combine(LAST_DAY, dt.time(), dt.UTC)
    settings = QueueSettings()
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        with sessions() as session:
            queue_stats(session, at, day_start, settings)
            handler_states(session, at, day_start, settings)
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def run_bench(
    engine: Engine,
    sessions: sessionmaker[Session],
    per_month: int,
    seed: int,
    repeats: int = 20,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "database": engine.dialect.name,
        "per_month": per_month,
        "history": {},
    }
    for label, days in (("day", 1), ("year", 365)):
        if progress:
            progress(f"writing a {label} of queue events...")
        events = _fill(sessions, days, per_month, seed)
        timings = _refresh_ms(sessions, repeats)
        result["history"][label] = {
            "events": events,
            "refresh_p50_ms": round(statistics.median(timings), 2),
            "refresh_max_ms": round(max(timings), 2),
        }
    with sessions() as session, session.begin():
        session.execute(delete(QueueEventRow))
    return result
