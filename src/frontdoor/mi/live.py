"""The live figures of the MI definitions ("Live queue statistics"): the queue as the
telephone system and the consoles see it for the local day so far, each handler's state,
today's FCR and failure demand from the record, and the referrals overdue and follow-ups
due today.

One call of `live_figures` is one refresh of the wallboard: every figure it shows, read in
one session. `frontdoor queue stats` prints the same object and `frontdoor queue bench`
times this very function.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NotRequired, TypedDict
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from frontdoor.local_time import local_day_start
from frontdoor.mi.figures import NO_SHARES, Figures, Shares
from frontdoor.mi.period import MiSettings, Period
from frontdoor.mi.referrals import ReferralQueries, count_where
from frontdoor.referrals.follow_ups import told_since_due
from frontdoor.referrals.states import WAITING
from frontdoor.referrals.tables import FollowUpRow, ReferralRow
from frontdoor.telephony.states import HandlerState
from frontdoor.telephony.stats import (
    HandlerCounts,
    HandlerCountsJson,
    QueueFigures,
    QueueFiguresJson,
    QueueSettings,
    agent_states,
    by_queue,
    calls_today,
    waiting_through_the_day,
)
from frontdoor.telephony.taking import console_states


class LiveQueueJson(QueueFiguresJson):
    fcr_declared: float | None
    failure_demand_share: float | None


@dataclass(frozen=True)
class LiveQueue:
    """One queue's figures today (or all queues'), with the FCR and failure demand of the
    contacts taken through it."""

    queue: QueueFigures
    fcr_declared: float | None
    failure_demand_share: float | None

    @classmethod
    def of(cls, queue: QueueFigures, shares: Shares) -> LiveQueue:
        return cls(queue, shares.fcr_declared, shares.failure_demand_share)

    def to_json(self) -> LiveQueueJson:
        return LiveQueueJson(
            **self.queue.to_json(),
            fcr_declared=self.fcr_declared,
            failure_demand_share=self.failure_demand_share,
        )


class LiveReferralsJson(TypedDict):
    overdue_now: int
    follow_ups_due_today: int
    follow_ups_from_earlier_days: int


@dataclass(frozen=True)
class LiveReferrals:
    """What the wallboard shows of referrals: how many are overdue now, and the follow-ups
    handlers owe callers that are due by the end of the local day (call-backs promised
    and overdue referrals whose caller has not been told), of which some fell due on an
    earlier day and are still owed."""

    overdue_now: int
    follow_ups_due_today: int
    follow_ups_from_earlier_days: int

    def to_json(self) -> LiveReferralsJson:
        return {
            "overdue_now": self.overdue_now,
            "follow_ups_due_today": self.follow_ups_due_today,
            "follow_ups_from_earlier_days": self.follow_ups_from_earlier_days,
        }


def live_referrals(session: Session, today: Period, at: dt.datetime) -> LiveReferrals:
    """Counted in the database, as a wallboard needs them every few seconds: the
    follow-ups are those `FollowUps.owed` lists, by its own rule for a caller told (a test
    holds the two together), without reading each referral and its history."""
    day_start, day_end = today.utc_start, today.utc_end
    owed_overdue = select(count_where(ReferralRow.due_at < day_start), func.count()).where(
        ReferralRow.state.in_(sorted(WAITING)), ReferralRow.due_at < at, ~told_since_due(at)
    )
    promised = select(count_where(FollowUpRow.due_at < day_start), func.count()).where(
        FollowUpRow.kind == "call_back",
        FollowUpRow.done_at.is_(None),
        FollowUpRow.created_at <= at,
        FollowUpRow.due_at < day_end,
    )
    overdue = sum(n for _, n in ReferralQueries(session, today, at).overdue_now().values())
    earlier, due = (
        sum(int(v or 0) for v in column)
        for column in zip(
            session.execute(owed_overdue).one(), session.execute(promised).one(), strict=True
        )
    )
    return LiveReferrals(
        overdue_now=overdue, follow_ups_due_today=due, follow_ups_from_earlier_days=earlier
    )


class LiveFiguresJson(TypedDict):
    at: str
    total: LiveQueueJson
    queues: dict[str, LiveQueueJson]
    handlers: HandlerCountsJson
    handler_states: NotRequired[dict[str, str]]
    waiting_through_the_day: NotRequired[list[tuple[str, int]]]
    referrals: NotRequired[LiveReferralsJson]


@dataclass(frozen=True)
class LiveFigures:
    at: dt.datetime  # in the service's time zone
    total: LiveQueue
    queues: Mapping[str, LiveQueue]  # the queues calls came to today, by name
    handlers: HandlerCounts
    handler_states: Mapping[str, HandlerState]  # by handler (or unmapped PBX agent)
    waiting_through_the_day: tuple[tuple[str, int], ...]  # (local "HH:MM", calls waiting)
    referrals: LiveReferrals

    def to_json(self, details: bool = False) -> LiveFiguresJson:
        """The spec's shape; with `details`, also each handler's state, the calls waiting
        through the day and the referrals overdue and follow-ups due (what the wallboard
        draws)."""
        shown: LiveFiguresJson = {
            "at": self.at.isoformat(),
            "total": self.total.to_json(),
            "queues": {name: q.to_json() for name, q in self.queues.items()},
            "handlers": self.handlers.to_json(),
        }
        if details:
            shown["handler_states"] = {name: str(s) for name, s in self.handler_states.items()}
            shown["waiting_through_the_day"] = list(self.waiting_through_the_day)
            shown["referrals"] = self.referrals.to_json()
        return shown


def live_figures(
    sessions: sessionmaker[Session], queue: QueueSettings, mi: MiSettings, at: dt.datetime
) -> LiveFigures:
    """Every live figure as of `at`, for the local day (in `mi.time_zone`) so far."""
    zone = ZoneInfo(mi.time_zone)
    local = at.astimezone(zone)
    day_start = local_day_start(at, zone)
    moment = at.astimezone(dt.UTC)
    day = Period(local.date(), local.date(), mi.time_zone)
    with sessions() as session:
        calls = calls_today(session, moment, day_start, queue)
        today = Figures(session, day, mi, at)
        shares = today.queue_shares()
        # the telephone system's view of its agents, and each console's own word on what
        # its handler is doing, which knows more (a call taken, a reason for being away)
        pbx = agent_states(session, moment, day_start, queue)
        consoles = console_states(session)
        referrals = live_referrals(session, day, moment)
    # a console not heard from lately no longer stands for its handler: the telephone
    # system's word, when it has one, else that nobody knows
    states = {**pbx}
    for handler, now in consoles.items():
        if now.heard_at(moment):
            states[handler] = now.state
        elif handler not in pbx:
            states[handler] = HandlerState.NOT_HEARD_FROM
    return LiveFigures(
        at=local,
        total=LiveQueue.of(QueueFigures.of(calls, moment, queue), shares.total),
        queues={
            # contacts taken from a queue carry its name; none yet today: not available
            name: LiveQueue.of(
                QueueFigures.of(its_calls, moment, queue), shares.queues.get(name, NO_SHARES)
            )
            for name, its_calls in by_queue(calls).items()
        },
        handlers=HandlerCounts.of(states.values()),
        handler_states=states,
        waiting_through_the_day=tuple(
            (t.astimezone(zone).strftime("%H:%M"), n)
            for t, n in waiting_through_the_day(calls, day_start, moment)
        ),
        referrals=referrals,
    )
