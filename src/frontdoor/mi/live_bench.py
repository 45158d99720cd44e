"""The wallboard benchmark: the wallboard's whole refresh (`live_figures`, the very function
it calls every 2 seconds) with a day of history and with a year of it, queue events and
contacts both, on the database given. The last day is the same in both, so the two
figures differ only by the history behind them. Figures are printed, never asserted."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import statistics
import time
from collections.abc import Callable, Iterator
from typing import Any, TypedDict

from sqlalchemy import Engine, delete, func, insert, select, text
from sqlalchemy.orm import Session, sessionmaker

from frontdoor.interactions.tables import ContactRow
from frontdoor.mi.bench import contacts_of_day, write_contacts
from frontdoor.mi.live import live_figures
from frontdoor.mi.period import MiSettings
from frontdoor.referrals.tables import (
    FollowUpRow,
    ReferralChangeRow,
    ReferralChaseRow,
    ReferralRow,
)
from frontdoor.telephony.states import HandlerState
from frontdoor.telephony.stats import QueueSettings
from frontdoor.telephony.tables import CallClaimRow, HandlerStateRow, QueueEventRow

LAST_DAY = dt.date(2026, 3, 31)
REFRESHED_AT = dt.datetime.combine(LAST_DAY, dt.time(14), dt.UTC)  # the wallboard's now
SEATS = 12
AGENTS = {f"PJSIP/{201 + seat}": f"h{seat:02d}" for seat in range(SEATS)}


class NotScratch(Exception):
    """The database already holds contacts or queue events: the bench will not mix its
    own with them, nor delete them afterwards."""


def _events(day: dt.date, per_month: int, seed: int) -> Iterator[dict[str, Any]]:
    """One day of queue_log events (and calls taken at a console, as claims): the same for
    a day whichever days are written with it."""
    rng = random.Random(f"{seed}:{day.isoformat()}")
    per_day = per_month * 12 / 365
    start = dt.datetime.combine(day, dt.time(8), dt.UTC)
    for agent in AGENTS:
        yield _row(start, "NONE", "public", agent, "ADDMEMBER", [""])
    for number in range(1, round(per_day) + 1):
        callid = f"{day:%Y%m%d}.{number}"
        queue = rng.choice(["public", "public", "professionals"])
        enter = start + dt.timedelta(seconds=rng.randrange(12 * 3600))
        wait = rng.expovariate(1 / 20)
        answered = enter + dt.timedelta(seconds=wait)
        yield _row(enter, callid, queue, "NONE", "ENTERQUEUE", ["", "0113496", 1])
        if rng.random() < 0.06:
            yield _row(answered, callid, queue, "NONE", "ABANDON", [1, 1, round(wait)])
            continue
        agent = rng.choice(list(AGENTS))
        if rng.random() < 0.3:  # taken from the queue at a console, not put through
            yield {"claim": True, "callid": callid, "handler": AGENTS[agent], "at": answered}
            continue
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


def write_queue_events(
    sessions: sessionmaker[Session], days: list[dt.date], per_month: int, seed: int
) -> int:
    count = 0
    with sessions() as session, session.begin():
        events: list[dict[str, Any]] = []
        claims: list[dict[str, Any]] = []
        for day in days:
            for row in _events(day, per_month, seed):
                if row.pop("claim", False):
                    claims.append(row)
                else:
                    events.append(row)
            if len(events) >= 10_000 or day == days[-1]:
                for table, rows in ((QueueEventRow, events), (CallClaimRow, claims)):
                    if rows:
                        session.execute(insert(table), rows)
                count += len(events) + len(claims)
                events, claims = [], []
    return count


def _history(days: int) -> list[dt.date]:
    return [LAST_DAY - dt.timedelta(days=n) for n in range(days - 1, -1, -1)]


def _refresh_ms(
    sessions: sessionmaker[Session], settings: QueueSettings, mi: MiSettings, repeats: int
) -> list[float]:
    at = REFRESHED_AT
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        live_figures(sessions, settings, mi, at)
        timings.append((time.perf_counter() - start) * 1000)
    return timings


class HistoryTimed(TypedDict):
    events: int  # queue events and claims
    contacts: int
    refresh_p50_ms: float
    refresh_max_ms: float


class LiveBench(TypedDict):
    database: str
    per_month: int
    refreshes: int  # timed with each history
    history: dict[str, HistoryTimed]  # "day", "year"
    year_to_day: float  # the year's p50 over the day's


def _analyze(engine: Engine) -> None:
    """PostgreSQL's autovacuum refreshes its planner statistics a while after a bulk load;
    a wallboard running all year has them, so the bench brings them up to date before it
    times anything. (SQLite keeps none unless asked, and Front Door never asks.)"""
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.execute(text("ANALYZE"))
            connection.commit()


def _empty(sessions: sessionmaker[Session]) -> bool:
    with sessions() as session:
        return not any(
            session.scalar(select(func.count()).select_from(table))
            for table in (ContactRow, QueueEventRow, CallClaimRow)
        )


def _clear(sessions: sessionmaker[Session]) -> None:
    from frontdoor.interactions.tables import AnswerRow, ContactServiceRow, EndRow, SearchRow

    with sessions() as session, session.begin():
        ours = select(ReferralRow.id).where(ReferralRow.contact_id.like("b-%"))
        for history in (ReferralChangeRow, ReferralChaseRow):
            session.execute(delete(history).where(history.referral_id.in_(ours)))
        session.execute(delete(FollowUpRow).where(FollowUpRow.contact_id.like("b-%")))
        session.execute(delete(ReferralRow).where(ReferralRow.contact_id.like("b-%")))
        for child in (AnswerRow, EndRow, SearchRow, ContactServiceRow):
            session.execute(delete(child).where(child.contact_id.like("b-%")))
        session.execute(delete(ContactRow).where(ContactRow.id.like("b-%")))
        for table in (QueueEventRow, CallClaimRow):
            session.execute(delete(table))
        session.execute(delete(HandlerStateRow).where(HandlerStateRow.handler.in_(AGENTS.values())))


def run_bench(
    engine: Engine,
    sessions: sessionmaker[Session],
    per_month: int,
    seed: int,
    repeats: int = 20,
    progress: Callable[[str], None] | None = None,
    settings: QueueSettings | None = None,
    mi: MiSettings | None = None,
) -> LiveBench:
    """Writes into the database given and takes its rows out again afterwards: it must
    hold no contacts or queue events to begin with."""
    if not _empty(sessions):
        raise NotScratch("the database holds contacts or queue events; give a scratch one")
    settings = settings or QueueSettings(agents=AGENTS)
    mi = mi or MiSettings()
    history: dict[str, HistoryTimed] = {}
    try:
        # the consoles' own word on their handlers, as a working day has it
        with sessions() as session, session.begin():
            for n, handler in enumerate(AGENTS.values()):
                state = HandlerState.AWAY if n % 4 == 3 else HandlerState.AVAILABLE
                session.add(
                    HandlerStateRow(
                        handler=handler,
                        state=state,
                        reason=None,
                        since=dt.datetime.combine(LAST_DAY, dt.time(8), dt.UTC),
                    )
                )
        events = contacts = 0
        written: list[dt.date] = []
        for label, days in (("day", 1), ("year", 365)):
            more = [d for d in _history(days) if d not in written]
            if progress:
                progress(f"writing a {label} of queue events and contacts...")
            events += write_queue_events(sessions, more, per_month, seed)
            written_now, _ = write_contacts(
                sessions,
                (c for day in more for c in contacts_of_day(day, per_month, seed)),
                seed,
                REFRESHED_AT,  # with their referrals: the wallboard counts the overdue
            )
            contacts += written_now
            written += more
            _analyze(engine)
            timings = _refresh_ms(sessions, settings, mi, repeats)
            history[label] = {
                "events": events,
                "contacts": contacts,
                "refresh_p50_ms": round(statistics.median(timings), 2),
                "refresh_max_ms": round(max(timings), 2),
            }
    finally:
        _clear(sessions)
    return {
        "database": engine.dialect.name,
        "per_month": per_month,
        "refreshes": repeats,
        "history": history,
        "year_to_day": round(
            history["year"]["refresh_p50_ms"] / history["day"]["refresh_p50_ms"], 2
        ),
    }


def describe(result: LiveBench) -> list[str]:
    """The benchmark's figures in full words, with their units, for `frontdoor queue
    bench` (the --json keys are for programs)."""
    lines = [
        "The wallboard's benchmark: how long one refresh of the wallboard takes (every live "
        "figure it shows, as it asks for them every 2 seconds), in milliseconds (ms), "
        f"timed {result['refreshes']} times on {result['database']}, at "
        f"{result['per_month']:,} calls a month, first with one day of queue events and "
        "contacts in the database, then with a year of them (the last day the same in both).",
        f"{'history':<10}{'queue events':>14}{'contacts':>10}"
        f"{'median refresh':>16}{'slowest refresh':>17}",
    ]
    for label, key in (("a day", "day"), ("a year", "year")):
        row = result["history"][key]
        lines.append(
            f"{label:<10}{row['events']:>14,}{row['contacts']:>10,}"
            f"{row['refresh_p50_ms']:>13.1f} ms{row['refresh_max_ms']:>14.1f} ms"
        )
    lines.append(
        f"With a year behind it, the median refresh takes {result['year_to_day']} times as "
        "long as with a day."
    )
    return lines
