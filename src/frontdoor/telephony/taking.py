"""Handlers take calls from the queue: the oldest waiting call of the highest-priority
queue, and never a call another handler has taken. Each handler's state is kept where
every workstation and the supervisor can see it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from frontdoor.telephony.states import SILENT_AFTER, STATES, HandlerState
from frontdoor.telephony.stats import NO_PRIORITY, calls_today
from frontdoor.telephony.tables import CallClaimRow, HandlerStateRow, QueueEventRow


@dataclass(frozen=True)
class WaitingCall:
    callid: str
    queue: str
    caller: str | None  # the number ENTERQUEUE gave: the contact's caller key
    entered: dt.datetime


def waiting(
    session: Session, at: dt.datetime, day_start: dt.datetime, priorities: Mapping[str, int]
) -> list[WaitingCall]:
    """Calls waiting now and not yet taken, in the order they should be answered."""
    calls = [c for c in calls_today(session, at, day_start) if c.waiting_at(at)]
    # a claim stamped after `at` (another workstation's clock a little ahead) still counts
    taken = _claimed(session, [c.callid for c in calls], day_start)
    found = [
        WaitingCall(c.callid, c.queue, c.caller, c.enter) for c in calls if c.callid not in taken
    ]
    return sorted(found, key=lambda w: (priorities.get(w.queue, NO_PRIORITY), w.entered, w.callid))


def _claimed(session: Session, callids: list[str], day_start: dt.datetime) -> set[str]:
    """Which of these calls a handler has taken today: found by call id, the claims' key,
    so the lookup reads a few rows however many calls were ever taken."""
    if not callids:
        return set()
    return set(
        session.scalars(
            select(CallClaimRow.callid).where(
                CallClaimRow.callid.in_(callids), CallClaimRow.at >= day_start
            )
        )
    )


def _number(data: list[str] | None) -> str | None:
    return data[1] if data and len(data) > 1 and data[1] else None


def take_next(
    sessions: sessionmaker[Session],
    handler: str,
    at: dt.datetime,
    day_start: dt.datetime,
    priorities: Mapping[str, int],
) -> WaitingCall | None:
    """Claim the next call for `handler`; a call someone else claimed first is skipped."""
    with sessions() as session:
        candidates = waiting(session, at, day_start, priorities)
    for call in candidates:
        try:
            with sessions() as session, session.begin():
                session.add(CallClaimRow(callid=call.callid, handler=handler, at=at))
        except IntegrityError:
            continue  # another workstation took it a moment ago
        set_state(sessions, handler, HandlerState.ON_A_CALL, at)
        return call
    return None


def set_state(
    sessions: sessionmaker[Session],
    handler: str,
    state: HandlerState | str,
    at: dt.datetime,
    reason: str | None = None,
) -> None:
    if state not in STATES:
        raise ValueError(f"a handler is {', '.join(STATES)}; not {state}")
    state = HandlerState(state)
    with sessions() as session, session.begin():
        row = session.get(HandlerStateRow, handler)
        if row is None:
            session.add(
                HandlerStateRow(handler=handler, state=state, reason=reason, since=at, seen_at=at)
            )
            return
        if (row.state, row.reason) != (state, reason):
            row.state, row.reason, row.since = state, reason, at
        row.seen_at = at


def still_here(sessions: sessionmaker[Session], handler: str, at: dt.datetime) -> None:
    """The handler's console is still running at `at` (its state unchanged): one UPDATE,
    nothing made for a handler with no state yet, nor for one signed out."""
    with sessions() as session, session.begin():
        session.execute(
            update(HandlerStateRow)
            .where(
                HandlerStateRow.handler == handler,
                HandlerStateRow.state != HandlerState.SIGNED_OUT.value,
            )
            .values(seen_at=at)
        )


class HandlerStateNow(NamedTuple):
    """What a handler's console last said they were doing, why, since when, and when it
    last said it was still there."""

    state: HandlerState
    reason: str | None
    since: dt.datetime
    seen_at: dt.datetime

    def heard_at(self, at: dt.datetime) -> bool:
        """Whether the console has given word recently enough, as of `at`, for its state
        to stand (signed out stands for ever: it was the console's last word)."""
        return self.state is HandlerState.SIGNED_OUT or at - self.seen_at <= SILENT_AFTER


def states(sessions: sessionmaker[Session]) -> dict[str, HandlerStateNow]:
    with sessions() as session:
        return console_states(session)


def console_states(session: Session) -> dict[str, HandlerStateNow]:
    """Each handler's state as their console set it, by handler name."""
    return {
        r.handler: HandlerStateNow(HandlerState(r.state), r.reason, r.since, r.seen_at or r.since)
        for r in session.scalars(select(HandlerStateRow).order_by(HandlerStateRow.handler))
    }


def answered_by_pbx(
    sessions: sessionmaker[Session],
    handler: str,
    agents: Mapping[str, str],
    at: dt.datetime,
    day_start: dt.datetime,
) -> WaitingCall | None:
    """A call the telephone system has just connected to this handler's phone (CONNECT to
    their agent), claimed for them so that their console opens it once and only once."""
    mine = [agent for agent, name in agents.items() if name == handler] or [handler]
    with sessions() as session:
        connects = session.execute(
            select(QueueEventRow.callid, QueueEventRow.queue)
            .where(
                QueueEventRow.event == "CONNECT",
                QueueEventRow.agent.in_(mine),
                QueueEventRow.at >= day_start,
                QueueEventRow.at <= at,
            )
            .order_by(QueueEventRow.at)
        ).all()
        taken = _claimed(session, [callid for callid, _ in connects], day_start)
        fresh = [(callid, queue) for callid, queue in connects if callid not in taken]
        if not fresh:
            return None
        callid, queue = fresh[-1]
        entered = session.execute(
            select(QueueEventRow.at, QueueEventRow.data).where(
                QueueEventRow.callid == callid, QueueEventRow.event == "ENTERQUEUE"
            )
        ).first()
    try:
        with sessions() as session, session.begin():
            session.add(CallClaimRow(callid=callid, handler=handler, at=at))
    except IntegrityError:
        return None
    set_state(sessions, handler, HandlerState.ON_A_CALL, at)
    return WaitingCall(
        callid, queue, _number(entered[1]) if entered else None, entered[0] if entered else at
    )
