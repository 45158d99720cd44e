"""The referral figures of the MI report, computed in the database with SQLAlchemy Core.

One moment, `as_of`, is the report's "now" for referrals: the end of the period, or the
report's own time while the period is still running. States, chases and overdue are taken
as they stood then, so a past month's figures are the same whenever they are made.

A referral's state as of a moment is read from its history (every change with its time),
not from its current state: a referral accepted after the period ended was still waiting
at its end. Every query reaches the referrals through an index (SQLite's plan says SEARCH):
the period's by `made_at`, each one's history and chases by its id, the follow-ups by
`done_at`; overdue now among those still waiting (by state and due time) and those
changed since the moment (by `state_at`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from frontdoor.directory.model import Service
from frontdoor.mi.model import Rate
from frontdoor.mi.period import Period
from frontdoor.mi.referral_counts import MadeReferrals, ServiceRow
from frontdoor.mi.referral_model import (
    FollowUpsMade,
    ReferralCounts,
    ReferralFigures,
    ServiceReferrals,
)
from frontdoor.mi.referral_months import made_by_month
from frontdoor.mi.sql import epoch
from frontdoor.referrals.states import WAITING
from frontdoor.referrals.tables import (
    FollowUpRow,
    ReferralChangeRow,
    ReferralChaseRow,
    ReferralRow,
)

R, H, K = ReferralRow, ReferralChangeRow, ReferralChaseRow
STILL_WAITING = sorted(WAITING)
NO_PROVIDER = "provider not known"


def as_of(period: Period, now: dt.datetime) -> dt.datetime:
    """The report's "now" for referrals: the end of the period, or `now` before it."""
    return min(now.astimezone(dt.UTC), period.utc_end)


def _busiest(key: str, counts: ReferralCounts) -> tuple[int, int, str]:
    """Most referrals made first, then most overdue now, then by key."""
    return (-counts.made, -counts.overdue_now, key)


def count_where(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """How many rows meet `condition`, beside other counts in one query."""
    return func.sum(case((condition, 1), else_=0))


# What a referral's history says by the moment, a bit each: it was accepted, rejected,
# completed; it was answered (moved on from requested or received) by its due time.
ACCEPTED, REJECTED, COMPLETED, IN_TIME = 1, 2, 4, 8


@dataclass
class ReferralQueries:
    """Each referral figure's query for one period, as of one moment, on one session."""

    session: Session
    period: Period
    moment: dt.datetime

    @property
    def dialect(self) -> str:
        return self.session.get_bind().dialect.name

    def made_in_period(self) -> ColumnElement[bool]:
        return and_(
            R.made_at >= self.period.utc_start,
            R.made_at < self.period.utc_end,
            R.made_at <= self.moment,
        )

    def by_service(self) -> dict[str, ServiceRow]:
        """Made, accepted, rejected, completed, made overdue, chases and chased, by service,
        of the referrals made in the period (found by `made_at`). One look at each one's
        history (through its index) answers what it reached by the moment, as bits, and
        one at its chases counts them; the database groups the referrals by service and
        those answers, and the few groups are added up here."""

        def reached(state: str, bit: int) -> ColumnElement[int]:
            return func.max(case((H.state == state, bit), else_=0))

        answered_in_time = func.max(
            case((and_(H.state.not_in(STILL_WAITING), H.at <= R.due_at), IN_TIME), else_=0)
        )
        reached_by_then = (
            select(
                reached("accepted", ACCEPTED)
                + reached("rejected", REJECTED)
                + reached("completed", COMPLETED)
                + answered_in_time
            )
            .where(H.referral_id == R.id, H.at <= self.moment)
            .scalar_subquery()
        )
        chases = (
            select(func.count())
            .where(K.referral_id == R.id, K.kind == "caller", K.at <= self.moment)
            .scalar_subquery()
        )
        each = (
            select(
                R.service_id.label("service"),
                R.service_name.label("name"),
                case((R.due_at < self.moment, 1), else_=0).label("due_passed"),
                func.coalesce(reached_by_then, 0).label("reached"),
                chases.label("chases"),
            )
            .where(self.made_in_period())
            .subquery("each")
        )
        keys = (each.c.service, each.c.due_passed, each.c.reached, each.c.chases)
        rows = self.session.execute(
            select(*keys, func.max(each.c.name), func.count()).group_by(*keys)
        )
        found: dict[str, ServiceRow] = {}
        for service, due_passed, bits, chased, name, n in rows:
            bits, chased, n = int(bits), int(chased), int(n)
            group = ServiceRow(
                str(name),
                ReferralCounts(
                    made=n,
                    accepted=n if bits & ACCEPTED else 0,
                    rejected=n if bits & REJECTED else 0,
                    completed=n if bits & COMPLETED else 0,
                    chases=n * chased,
                ),
                made_overdue=n if due_passed and not bits & IN_TIME else 0,
                chased=n if chased else 0,
            )
            earlier = found.get(str(service))
            found[str(service)] = group if earlier is None else earlier + group
        return found

    def seconds_to_accept(self) -> dict[str, list[int]]:
        """By service: the time from made to the first accepted change, in whole seconds,
        of the period's referrals accepted by the moment (their median is taken once the
        spans of a period are added up: referral_counts.py)."""
        accepted_at = (
            select(func.min(H.at))
            .where(H.referral_id == R.id, H.state == "accepted", H.at <= self.moment)
            .scalar_subquery()
        )
        seconds = epoch(accepted_at, self.dialect) - epoch(R.made_at, self.dialect)
        first = (
            select(R.service_id.label("service_id"), seconds.label("seconds"))
            .where(self.made_in_period())
            .subquery("first_accepted")
        )
        found: dict[str, list[int]] = defaultdict(list)
        for service, taken in self.session.execute(
            select(first.c.service_id, first.c.seconds).where(first.c.seconds.is_not(None))
        ):
            found[str(service)].append(round(taken))
        return dict(found)

    def made(self) -> MadeReferrals:
        """What the referrals made in the period, and the follow-ups done in it, add to
        the figures as of the moment."""
        return MadeReferrals(self.by_service(), self.seconds_to_accept(), self.follow_ups())

    def overdue_now(self) -> dict[str, tuple[str, int]]:
        """By service: every referral overdue at the moment, whenever it was made: past its
        due time and not yet moved on from requested or received by then. Those still
        waiting today are found by their state and due time; those that have moved on
        since the moment, by the time of their last change (a referral whose last change
        is at or before the moment and is not waiting cannot be overdue then). Each
        service with its name as recorded on its referrals."""
        moved_on_by_then = exists().where(
            H.referral_id == R.id, H.at <= self.moment, H.state.not_in(STILL_WAITING)
        )
        still_waiting = (R.state.in_(STILL_WAITING), R.due_at < self.moment)
        moved_on_since = (
            R.state_at > self.moment,
            R.state.not_in(STILL_WAITING),
            R.due_at < self.moment,
            ~moved_on_by_then,
        )
        found: dict[str, tuple[str, int]] = {}

        def add(service: str, name: str, n: int) -> None:
            _, earlier = found.get(service, (name, 0))
            found[service] = (name, earlier + n)

        for service, name, n in self.session.execute(
            select(R.service_id, func.max(R.service_name), func.count())
            .where(*still_waiting)
            .group_by(R.service_id)
        ):
            add(str(service), str(name), int(n))
        # one row each, not grouped: grouping would tempt SQLite to read the whole table
        # in service order rather than the few changed since, through their index
        for service, name in self.session.execute(
            select(R.service_id, R.service_name).where(*moved_on_since)
        ):
            add(str(service), str(name), 1)
        return found

    def follow_ups(self) -> FollowUpsMade:
        """Follow-ups about a referral done in the period (by the moment): before the
        referral's first caller chase, or with none, against at or after it."""
        first_chase = (
            select(func.min(K.at))
            .where(K.referral_id == FollowUpRow.referral_id, K.kind == "caller")
            .scalar_subquery()
        )
        before = or_(first_chase.is_(None), first_chase > FollowUpRow.done_at)
        row = self.session.execute(
            select(count_where(before), func.count()).where(
                FollowUpRow.referral_id.is_not(None),
                FollowUpRow.done_at >= self.period.utc_start,
                FollowUpRow.done_at < self.period.utc_end,
                FollowUpRow.done_at <= self.moment,
            )
        ).one()
        before_chase, done = int(row[0] or 0), int(row[1])
        return FollowUpsMade(before_chase=before_chase, after_chase=done - before_chase)


def referral_figures(
    session: Session,
    period: Period,
    now: dt.datetime,
    services: Mapping[str, Service],
    *,
    keep: bool = True,
) -> ReferralFigures:
    """Every referral figure for the period. `services` gives services their current
    names and providers (the directory's; a service it no longer has keeps the name
    recorded on its referrals and has no provider). With `keep`, the whole months of a
    period that has ended are read as kept, or worked out and kept (referral_months.py);
    without, every referral is worked out from the record."""
    queries = ReferralQueries(session, period, as_of(period, now))

    def work_out(span: Period) -> MadeReferrals:
        return ReferralQueries(session, span, queries.moment).made()

    made = made_by_month(session, period, queries.moment, work_out) if keep else queries.made()
    overdue = queries.overdue_now()
    medians = made.median_hours_to_accept()
    by_service: dict[str, ServiceReferrals] = {}
    for service_id in {*made.services, *overdue}:
        row = made.services.get(service_id)
        counts = row.counts if row else ReferralCounts()
        named_when_overdue, overdue_now = overdue.get(service_id, ("", 0))
        recorded = row.recorded_name if row else named_when_overdue
        known = services.get(service_id)
        by_service[service_id] = ServiceReferrals(
            name=known.name if known else recorded,
            provider=known.organisation if known else None,
            counts=ReferralCounts(
                counts.made,
                counts.accepted,
                counts.rejected,
                counts.completed,
                overdue_now,
                counts.chases,
            ),
            median_hours_to_accept=medians.get(service_id),
        )
    providers: dict[str, ReferralCounts] = defaultdict(ReferralCounts)
    for entry in by_service.values():
        providers[entry.provider or NO_PROVIDER] += entry.counts
    total = sum((s.counts for s in by_service.values()), ReferralCounts())
    rows = made.services.values()
    return ReferralFigures(
        as_of=queries.moment,
        made=total.made,
        overdue_now=total.overdue_now,
        made_overdue=sum(r.made_overdue for r in rows),
        chased_at_least_once=Rate.of(sum(r.chased for r in rows), total.made),
        chases=total.chases,
        follow_ups=made.follow_ups,
        by_service=dict(sorted(by_service.items(), key=lambda kv: _busiest(kv[0], kv[1].counts))),
        by_provider=dict(sorted(providers.items(), key=lambda kv: _busiest(*kv))),
    )
