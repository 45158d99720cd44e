"""From queue events to calls: one call per (call id, queue), as the MI definitions count
them ("Asterisk queue_log").

Asterisk keeps the caller's call id when a call falls over to another queue (EXITEMPTY or
EXITWITHTIMEOUT, then ENTERQUEUE elsewhere) or is transferred into one, so a call id alone
is not a call: each queue the caller entered offered it once, answered or lost it once,
and its wait there is its time in that queue only. The events are replayed in the order
they were written, because what an event means depends on what came before it (an
ABANDON after a CONNECT is not an abandon; a QUEUESTART ends only the calls still going).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from frontdoor.telephony.queue_log import (
    ABANDONS,
    ANSWERS,
    CALL_ENDS,
    LEAVES,
    NOT_ADMITTED,
    RESTART,
    WAIT_STARTS,
)

# where each event that ends a wait logs how long the caller waited (data1 = 1)
LOGGED_WAIT = {
    "CONNECT": 1,
    "ABANDON": 3,
    "EXITWITHTIMEOUT": 3,
    "EXITEMPTY": 3,
    "WITHDRAW": 3,
    "EXITWITHKEY": 4,
}
# the log's times are whole seconds: a logged wait may exceed the lines' difference by one
CLOCK_SLACK_SECONDS = 1.0

Outcome = Literal["waiting", "answered", "abandoned", "left", "not admitted"]


@dataclass(frozen=True)
class QueueCall:
    """One call in one queue: when it was offered to the queue, and when it was answered
    (by the telephone system or taken by a handler), abandoned, or left by the system's
    rule, and when the answered call ended (None where it has not, as of the moment it
    was read). At most one of connect, abandon and left is set."""

    callid: str
    queue: str
    enter: dt.datetime
    connect: dt.datetime | None
    abandon: dt.datetime | None
    left: dt.datetime | None
    ended: dt.datetime | None
    caller: str | None = None  # ENTERQUEUE's data2: the contact's caller key
    agent: str | None = None  # who answered: the handler (the PBX agent mapped) who took it
    left_by: str | None = None  # the event that ended the wait unanswered (or QUEUESTART)
    # seconds waited in this queue until answered, abandoned or left, as Asterisk logged
    # it where it did, else between the lines; None while waiting
    waited: float | None = None
    impossible_wait: bool = False  # negative, or longer than the call had been there

    @property
    def outcome(self) -> Outcome:
        if self.connect is not None:
            return "answered"
        if self.abandon is not None:
            return "abandoned"
        if self.left_by in NOT_ADMITTED:
            return "not admitted"
        if self.left is not None:
            return "left"
        return "waiting"

    def waiting_at(self, moment: dt.datetime) -> bool:
        """The one definition of "a call is waiting": it has entered the queue and has not
        been answered, abandoned or sent away by the system by then."""
        return self.enter <= moment and all(
            t is None or t > moment for t in (self.connect, self.abandon, self.left)
        )

    @property
    def wait_seconds(self) -> float | None:
        """How long the caller waited to be answered (None: not answered, or a wait that
        cannot be, which no average may take)."""
        return self._usable_wait() if self.connect is not None else None

    @property
    def abandoned_after(self) -> float | None:
        """How long the caller waited before hanging up (None: not abandoned, or a wait
        that cannot be)."""
        return self._usable_wait() if self.abandon is not None else None

    def _usable_wait(self) -> float | None:
        return None if self.impossible_wait else self.waited


@dataclass
class _Call:
    """A call in one queue while its events are replayed."""

    call: QueueCall
    closed: bool = False  # answered and ended: later events of this call change nothing
    # a caller back in the same queue (after EXITWITHKEY, say) waits there again: the wait
    # is the time of this stay plus the earlier stays', never the time in between
    since: dt.datetime | None = None
    earlier: float = 0.0

    def waiting(self) -> bool:
        return self.call.outcome == "waiting"

    def end_wait(self, at: dt.datetime, logged: float | None) -> tuple[float, bool]:
        """(seconds waited, impossible?): Asterisk's own figure for this stay where it
        logged one, else the time between the lines; a wait is impossible when it is
        negative, not a number, or longer than the call had been in the queue."""
        between = (at - (self.since or self.call.enter)).total_seconds()
        if logged is None:
            return self.earlier + between, between < 0
        bad = not math.isfinite(logged) or logged < 0 or logged > between + CLOCK_SLACK_SECONDS
        return self.earlier + logged, bad


def _logged_wait(event: str, data: Sequence[str]) -> float | None:
    index = LOGGED_WAIT.get(event)
    if index is None or len(data) < index:
        return None
    try:
        return float(data[index - 1])
    except ValueError:
        return None


@dataclass(frozen=True)
class Claim:
    """A handler took a waiting call at a console (the call_claims table): by call id."""

    callid: str
    handler: str
    at: dt.datetime


@dataclass(frozen=True)
class CallEvent:
    """The parts of a stored queue event the calls are built from."""

    at: dt.datetime
    callid: str
    queue: str
    agent: str
    event: str
    data: Sequence[str]


def build_calls(
    events: Iterable[CallEvent],
    claims: Iterable[Claim] = (),
    agents: Mapping[str, str] | None = None,
) -> list[QueueCall]:
    """The calls offered by these events (in the order they were written), as they stand
    after the last of them. Events of a call whose ENTERQUEUE is not among them (it
    entered before the period) are passed over. A claim answers the call of its call id
    that was waiting when it was made. `agents` maps the PBX's agents to handlers."""
    handlers = agents or {}
    calls: dict[tuple[str, str], _Call] = {}
    queues_of: dict[str, list[str]] = {}  # call id -> the queues it entered: claims look here
    # events come in order; claims are merged in by time, after events of the same second
    # (a merge, not a sort: a month's tens of thousands of events are already in order)
    ordered = list(events)
    if any(later.at < earlier.at for earlier, later in itertools.pairwise(ordered)):
        ordered.sort(key=lambda e: e.at)  # by time, the order written kept within a second
    timeline = _merged(ordered, sorted(claims, key=lambda c: c.at))
    for item in timeline:
        if isinstance(item, Claim):
            _claim([calls[item.callid, q] for q in queues_of.get(item.callid, ())], item)
        else:
            new = (item.callid, item.queue) not in calls
            _apply(calls, item, handlers)
            if new and (item.callid, item.queue) in calls:
                queues_of.setdefault(item.callid, []).append(item.queue)
    return [c.call for c in calls.values()]


def _merged(events: Iterable[CallEvent], claims: list[Claim]) -> Iterator[CallEvent | Claim]:
    """Events in their order, each claim after the events up to its second."""
    waiting = iter(claims)
    claim = next(waiting, None)
    for event in events:
        while claim is not None and claim.at < event.at:
            yield claim
            claim = next(waiting, None)
        yield event
    if claim is not None:
        yield claim
        yield from waiting


def _changed(call: QueueCall, **changes: object) -> QueueCall:
    """`call` with `changes`: dataclasses.replace's result, without its look at the
    fields each time (a month's replay makes tens of thousands of these)."""
    new = object.__new__(QueueCall)
    new.__dict__.update(call.__dict__, **changes)
    return new


def _claim(calls_of_its_id: list[_Call], claim: Claim) -> None:
    waiting = [c for c in calls_of_its_id if c.waiting()]
    if waiting:
        latest = max(waiting, key=lambda c: c.call.enter)
        waited, bad = latest.end_wait(claim.at, None)
        latest.call = _changed(
            latest.call, connect=claim.at, agent=claim.handler, waited=waited, impossible_wait=bad
        )


def _apply(calls: dict[tuple[str, str], _Call], e: CallEvent, agents: Mapping[str, str]) -> None:
    if e.event == RESTART:
        # Asterisk restarted: no call survives it
        for c in calls.values():
            if c.waiting():
                waited, bad = c.end_wait(e.at, None)
                c.call = _changed(
                    c.call, left=e.at, left_by=RESTART, waited=waited, impossible_wait=bad
                )
            elif c.call.connect is not None and c.call.ended is None:
                c.call = _changed(c.call, ended=e.at)
                c.closed = True
        return
    key = (e.callid, e.queue)
    current = calls.get(key)
    if e.event in WAIT_STARTS:
        caller = e.data[1] if len(e.data) > 1 and e.data[1] else None
        if current is None:
            calls[key] = _Call(QueueCall(e.callid, e.queue, e.at, None, None, None, None, caller))
        elif not current.closed and current.call.connect is None and not current.waiting():
            # back in the same queue: still one call of this queue, waiting again; its
            # earlier way out gives way to what happens now
            current.earlier = current.call.waited or 0.0
            current.since = e.at
            current.call = _changed(
                current.call, abandon=None, left=None, left_by=None, waited=None
            )
        return
    if e.event in NOT_ADMITTED:
        if current is None:
            calls[key] = _Call(
                QueueCall(e.callid, e.queue, e.at, None, None, e.at, None, None, None, e.event, 0.0)
            )
        elif current.waiting():
            _leave(current, e)
        return
    if current is None or current.closed:
        return  # it entered before the period, or its answered call is over
    call = current.call
    if e.event in ANSWERS and current.waiting():
        waited, bad = current.end_wait(e.at, _logged_wait(e.event, e.data))
        current.call = _changed(
            call,
            connect=e.at,
            agent=agents.get(e.agent, e.agent),
            waited=waited,
            impossible_wait=bad,
        )
    elif e.event in CALL_ENDS and call.connect is not None:
        current.call = _changed(call, ended=e.at)
        current.closed = True
    elif e.event in ABANDONS and current.waiting():
        waited, bad = current.end_wait(e.at, _logged_wait(e.event, e.data))
        current.call = _changed(call, abandon=e.at, waited=waited, impossible_wait=bad)
    elif e.event in LEAVES and current.waiting():
        _leave(current, e)


def _leave(current: _Call, e: CallEvent) -> None:
    """The wait ends unanswered by the queue's rule; a second such event for the same wait
    (LEAVEEMPTY after EXITEMPTY) finds it no longer waiting and counts nothing."""
    waited, bad = current.end_wait(e.at, _logged_wait(e.event, e.data))
    current.call = _changed(
        current.call, left=e.at, left_by=e.event, waited=waited, impossible_wait=bad
    )
