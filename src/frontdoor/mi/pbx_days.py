"""A period's queue figures from the telephone system, made of its settled days as kept
(mi_pbx_days, see tables.py) and the calls worked out afresh: the days not kept, and
the kept days' calls that were still open at their end.

A period counts each call that entered a queue in it as it stood at the period's end
(pbx_queue.py), so a day's calls are not all additive: 2010, entered at 23:59:50 and
answered the next day, was waiting at its day's end. A day keeps the sums (queue_sums.py)
of the call ids it "holds": those whose every queue event and claim lies in the day and
whose every call had been answered, abandoned or sent away by its end. Nothing after the
day can change such a call but an event of its own call id, or, for one answered and
still talking, the period's first QUEUESTART after the day (which ends it: its answer
times are kept summed, so that its talk time is added then). The triggers
of migration 0019 drop the day whenever one is written, changed or deleted
(mi_pbx_day_calls says which day holds which call id), or whenever any queue event or
claim is in the day or the day after. The day's other call ids are kept by id, and each
period reads their events over the whole period, as the from-scratch builder does; the
day's QUEUESTART lines are kept with them, since a restart ends the calls still open.

A day is kept once the day after it has ended too (`SETTLE_AFTER`): a call that spans
midnight has then been answered or lost, and a day kept is not dropped at once by the
next events of its open calls.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Row, and_, delete, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from frontdoor.db.chunks import in_chunks
from frontdoor.mi.day_cache import (
    DAYS_AT_A_TIME,
    day_runs,
    days_of,
    kept_or_let_go,
    write_locked,
)
from frontdoor.mi.model import QueueReport
from frontdoor.mi.pbx_queue import moment_of, thresholds
from frontdoor.mi.period import MiSettings, Period
from frontdoor.mi.queue_sums import QueueSums, by_queue_numbers
from frontdoor.mi.tables import MiPbxDayCallRow, MiPbxDayRow
from frontdoor.telephony.calls import CallEvent, Claim, QueueCall, build_calls
from frontdoor.telephony.queue_log import CALL_EVENTS, RESTART
from frontdoor.telephony.stats import QueueSettings, by_queue, claims_of
from frontdoor.telephony.tables import CallClaimRow
from frontdoor.telephony.tables import QueueEventRow as E

SETTLE_AFTER = dt.timedelta(days=1)
# the shape of a kept day (QueueSums.to_json): a release that changes it raises this
SUMS_FORMAT = 1
CALL_EVENT_NAMES = sorted(CALL_EVENTS)
WITH_RESTARTS = sorted(CALL_EVENTS | {RESTART})
NO_CALL = "NONE"  # a QUEUESTART's call id


def settings_key(settings: QueueSettings) -> str:
    """What a day's sums depend on: the two thresholds (the wrap-up times are added when
    read, and agents name no figure)."""
    said = json.dumps([SUMS_FORMAT, settings.short_abandon_seconds, settings.service_level_seconds])
    return hashlib.sha256(said.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class KeptDay:
    """A settled day's part of every period it is in."""

    sums: dict[str, QueueSums]  # by queue, of the calls of the call ids it holds
    open_callids: tuple[str, ...]  # the day's other call ids
    restarts: tuple[tuple[dt.datetime, int], ...]  # its QUEUESTART lines: (time, id)
    held: tuple[str, ...] = ()  # the call ids the sums hold (kept in mi_pbx_day_calls)


@dataclass(frozen=True)
class LiveCalls:
    calls: list[QueueCall]
    restarts: list[CallEvent]  # every QUEUESTART in the period up to its moment


def settled(day: dt.date, zone: str, now: dt.datetime) -> bool:
    return Period(day, day, zone).utc_end + SETTLE_AFTER <= now


def period_queue(
    session: Session, period: Period, now: dt.datetime, mi: MiSettings, queue: QueueSettings
) -> QueueReport | None:
    """The period's queue figures, as pbx_queue makes them from scratch, key by key: its
    kept days' sums, its settled days not yet kept worked out and kept, and the calls of
    the rest built from their events as they stood at the period's end."""
    moment = moment_of(period, now)
    settings = thresholds(queue, mi)
    zone = period.time_zone
    # no queue event in the period (a site without a telephone system): nothing to keep
    first_event = select(E.id).where(E.at >= period.utc_start, E.at <= moment).limit(1)
    if session.execute(first_event).first() is None:
        return None
    every = days_of(period.start, period.end)
    ready = [d for d in every if settled(d, zone, now)]
    kept = _read(session, zone, settings_key(settings), ready)
    missing = [d for d in ready if d not in kept]
    for some in in_chunks(missing, DAYS_AT_A_TIME):
        kept.update(_keep(session, zone, settings, some))
    calls = live_calls(session, period, moment, kept, [d for d in every if d not in kept])
    restarts = [e.at for e in calls.restarts]  # in order: the kept days' and the others'
    sums: dict[str, QueueSums] = defaultdict(QueueSums)
    for day, part in kept.items():
        # its calls still talking at its end end with the period's first restart after it
        after = bisect.bisect_left(restarts, Period(day, day, zone).utc_end)
        for name, its in part.sums.items():
            sums[name] += its.ended_at(restarts[after]) if after < len(restarts) else its
    for name, its_calls in by_queue(calls.calls).items():
        sums[name] += QueueSums.of(its_calls, settings)
    if not any(s.offered for s in sums.values()):
        return None
    total, each = by_queue_numbers({n: s for n, s in sums.items() if s.offered}, settings)
    return QueueReport.of(total, "pbx", each)


def _read(session: Session, zone: str, key: str, days: list[dt.date]) -> dict[dt.date, KeptDay]:
    found: dict[dt.date, KeptDay] = {}
    for first, last in day_runs(days):
        for day, sums, open_ids, restarts in session.execute(
            select(
                MiPbxDayRow.day, MiPbxDayRow.sums, MiPbxDayRow.open_callids, MiPbxDayRow.restarts
            ).where(
                MiPbxDayRow.zone == zone,
                MiPbxDayRow.settings_key == key,
                MiPbxDayRow.day >= first,
                MiPbxDayRow.day <= last,
            )
        ):
            found[day] = KeptDay(
                {name: QueueSums.from_json(s) for name, s in sums.items()},
                tuple(open_ids),
                tuple((dt.datetime.fromisoformat(at), n) for at, n in restarts),
            )
    return found


def live_calls(
    session: Session,
    period: Period,
    moment: dt.datetime,
    kept: dict[dt.date, KeptDay],
    live_days: list[dt.date],
) -> LiveCalls:
    """The calls the kept days do not hold, as they stood at `moment`: those of the days
    not kept (their events found through the index on time), and the kept days' open
    calls (through their call ids, over the whole period), with every QUEUESTART in the
    period. Calls meet only through a restart and, for one call id, a claim, so these
    are built exactly as they are among all the period's events."""
    zone = period.time_zone
    rows: dict[int, Row[tuple[int, dt.datetime, str, str, str, str, list[str]]]] = {}
    columns = (E.id, E.at, E.callid, E.queue, E.agent, E.event, E.data)
    for first, last in day_runs(live_days):
        span = Period(first, last, zone)
        if span.utc_start > moment:
            continue
        for row in session.connection().execute(
            select(*columns).where(
                E.at >= span.utc_start,
                E.at < span.utc_end,
                E.at <= moment,
                E.event.in_(WITH_RESTARTS),
            )
        ):
            rows[row.id] = row
    open_ids = sorted({c for day in kept.values() for c in day.open_callids})
    for some in in_chunks(open_ids):
        for row in session.connection().execute(
            select(*columns).where(
                E.callid.in_(some),
                E.event.in_(CALL_EVENT_NAMES),
                E.at >= period.utc_start,
                E.at <= moment,
            )
        ):
            rows[row.id] = row
    events = [
        (row.at, row.id, CallEvent(row.at, row.callid, row.queue, row.agent, row.event, row.data))
        for row in rows.values()
    ]
    for day in kept.values():
        events += [
            (at, n, CallEvent(at, NO_CALL, NO_CALL, NO_CALL, RESTART, ())) for at, n in day.restarts
        ]
    events.sort(key=lambda e: (e[0], e[1]))
    ordered = [e for _, _, e in events]
    callids = sorted({e.callid for e in ordered if e.event != RESTART})
    claims = claims_of(session, callids, period.utc_start, moment)
    return LiveCalls(build_calls(ordered, claims), [e for e in ordered if e.event == RESTART])


def _final(call: QueueCall) -> bool:
    """Nothing but an event of its own call id, or for a call still talking a QUEUESTART,
    can change it: answered, abandoned or sent away (a later ENTERQUEUE of its call id may
    bring it back). One still waiting at the day's end may yet be answered or lost."""
    return call.outcome != "waiting"


def work_out(
    session: Session, zone: str, settings: QueueSettings, days: list[dt.date]
) -> dict[dt.date, KeptDay]:
    """Each day's part, worked out from the record as it stands, a run of days at a time."""
    found: dict[dt.date, KeptDay] = {}
    for first, last in day_runs(days):
        found.update(_work_out_run(session, zone, settings, days_of(first, last)))
    return found


def _work_out_run(
    session: Session, zone: str, settings: QueueSettings, days: list[dt.date]
) -> dict[dt.date, KeptDay]:
    starts = [Period(d, d, zone).utc_start for d in days]
    run_start, run_end = starts[0], Period(days[-1], days[-1], zone).utc_end

    def day_of(at: dt.datetime) -> int:
        return bisect.bisect_right(starts, at) - 1

    rows = session.connection().execute(
        select(E.id, E.at, E.callid, E.queue, E.agent, E.event, E.data)
        .where(E.at >= run_start, E.at < run_end, E.event.in_(WITH_RESTARTS))
        .order_by(E.at, E.id)
    )
    events: list[list[CallEvent]] = [[] for _ in days]
    restarts: list[list[tuple[dt.datetime, int]]] = [[] for _ in days]
    days_of_call: dict[str, set[int]] = defaultdict(set)
    for row in rows:
        i = day_of(row.at)
        if row.event == RESTART:
            restarts[i].append((row.at, row.id))
        else:
            days_of_call[row.callid].add(i)
        events[i].append(CallEvent(row.at, row.callid, row.queue, row.agent, row.event, row.data))
    callids = sorted(days_of_call)
    elsewhere: set[str] = set()  # call ids with an event or claim outside the run
    claims: list[list[Claim]] = [[] for _ in days]
    for some in in_chunks(callids):
        elsewhere.update(
            session.scalars(
                select(E.callid)
                .where(
                    E.callid.in_(some),
                    E.event.in_(CALL_EVENT_NAMES),
                    (E.at < run_start) | (E.at >= run_end),
                )
                .distinct()
            )
        )
        for callid, handler, at in session.execute(
            select(CallClaimRow.callid, CallClaimRow.handler, CallClaimRow.at).where(
                CallClaimRow.callid.in_(some)
            )
        ):
            if run_start <= at < run_end:
                days_of_call[callid].add(day_of(at))
                claims[day_of(at)].append(Claim(callid, handler, at))
            else:
                elsewhere.add(callid)
    found: dict[dt.date, KeptDay] = {}
    callids_of_day: list[list[str]] = [[] for _ in days]
    for callid, its in days_of_call.items():
        for i in its:
            callids_of_day[i].append(callid)
    for i, day in enumerate(days):
        calls = build_calls(events[i], claims[i])
        open_ids = {c for c in callids_of_day[i] if len(days_of_call[c]) > 1 or c in elsewhere}
        open_ids.update(c.callid for c in calls if not _final(c))
        held = sorted(c for c in callids_of_day[i] if c not in open_ids)
        grouped = by_queue(c for c in calls if c.callid not in open_ids)
        found[day] = KeptDay(
            {name: QueueSums.of(its, settings) for name, its in grouped.items()},
            tuple(sorted(open_ids)),
            tuple(restarts[i]),
            tuple(held),
        )
    return found


def _keep(
    session: Session, zone: str, settings: QueueSettings, days: list[dt.date]
) -> dict[dt.date, KeptDay]:
    """Works the settled days out and keeps them, under the lock (`write_locked`): a
    queue event written meanwhile waits, and then drops what this kept."""
    if not write_locked(session, "mi_pbx_days"):
        return work_out(session, zone, settings, days)
    found = work_out(session, zone, settings, days)
    key = settings_key(settings)
    rows = [
        {
            "zone": zone,
            "settings_key": key,
            "day": day,
            "utc_start": Period(day, day, zone).utc_start,
            "affected_until": Period(day, day, zone).utc_end + SETTLE_AFTER,
            "sums": {name: s.to_json() for name, s in part.sums.items()},
            "open_callids": list(part.open_callids),
            "restarts": [[at.isoformat(), n] for at, n in part.restarts],
        }
        for day, part in found.items()
    ]
    held = [
        {"callid": c, "day_start": Period(day, day, zone).utc_start}
        for day, part in found.items()
        for c in part.held
    ]
    # a report made meanwhile may have kept some of them: these replace them
    with kept_or_let_go(session, "settled queue days"):
        session.execute(
            delete(MiPbxDayRow).where(
                and_(
                    MiPbxDayRow.zone == zone,
                    MiPbxDayRow.settings_key == key,
                    MiPbxDayRow.day.in_(days),
                )
            )
        )
        _insert_held(session, held)
        session.execute(insert(MiPbxDayRow), rows)
    return found


def _insert_held(session: Session, held: Iterable[dict[str, object]]) -> None:
    """The call ids each day holds; one kept before (by a day dropped since, or kept in
    another zone or with other thresholds) stays: it can only drop a day needlessly."""
    rows = list(held)
    if not rows:
        return
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    # Core, through the connection: the ORM's bulk path costs seconds for a year's ids
    statement = dialect.insert(MiPbxDayCallRow.__table__).on_conflict_do_nothing()
    for n in range(0, len(rows), 5_000):
        session.connection().execute(statement, rows[n : n + 5_000])
