"""The figures of the MI definitions, computed in the database with SQLAlchemy Core.

Python only finishes the few grouped rows: shifting hourly buckets into local time and
clustering similar search texts. Every rate carries the count it rests on, and is None
(not 0) when that count is 0. Every query reads the period's contacts (and what belongs
to them) through their index on `received_at`, so a day's figures cost a day's rows
however long the record is.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import astuple, dataclass
from typing import Any, cast

from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import ColumnElement

from frontdoor.interactions.model import OUTBOUND
from frontdoor.interactions.tables import (
    AnswerRow,
    ContactRow,
    ContactServiceRow,
    EndRow,
    SearchRow,
)
from frontdoor.mi.model import (
    SERVICE_ACTIONS,
    FailureDemand,
    FcrDeclared,
    FcrVerified,
    QueueNumbers,
    QueueReport,
    Rate,
    ServiceAction,
    UnmetKind,
)
from frontdoor.mi.period import MiSettings, Period
from frontdoor.mi.search_text import Cleaner
from frontdoor.mi.sql import after, epoch, hour_bucket, json_strings
from frontdoor.mi.unmet import SearchesMade, SearchMade

C = ContactRow
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
IDS_AT_A_TIME = 5000


@dataclass(frozen=True)
class Shares:
    """Declared FCR and the failure demand share of a set of contacts (None: no contact
    to count), as the wallboard shows them beside the queue's figures."""

    fcr_declared: float | None
    failure_demand_share: float | None


NO_SHARES = Shares(None, None)


@dataclass(frozen=True)
class QueueShares:
    total: Shares  # every contact of the period, whichever way it came
    queues: dict[str, Shares]  # contacts taken from each queue


@dataclass(frozen=True)
class QueueSums:
    """What the queue figures of a group of phone contacts are worked out from."""

    offered: int = 0
    answered: int = 0
    abandoned: int = 0
    short: int = 0
    within: int = 0  # answered within the service-level threshold
    waited: float = 0.0  # seconds, over the answered
    wrapped: int = 0  # answered, with an end of wrap-up
    handled: float = 0.0  # seconds, over those

    def __add__(self, other: QueueSums) -> QueueSums:
        return QueueSums(*(a + b for a, b in zip(astuple(self), astuple(other), strict=True)))


@dataclass
class Figures:
    """Runs each figure's query for one period on one session."""

    session: Session
    period: Period
    settings: MiSettings
    now: dt.datetime

    @property
    def dialect(self) -> str:
        return self.session.get_bind().dialect.name

    def in_period(self, table: Any = C) -> ColumnElement[bool]:
        return and_(
            table.received_at >= self.period.utc_start, table.received_at < self.period.utc_end
        )

    @property
    def came_in(self) -> ColumnElement[bool]:
        """Contacts that came to the service: not the calls it made to callers (outbound
        follow-ups, counted with the follow-ups), which are no one's demand, so they stay
        out of first-contact resolution, demand and failure demand."""
        return C.channel != OUTBOUND

    @property
    def handled(self) -> ColumnElement[bool]:
        return and_(
            C.outcome.is_not(None),
            C.outcome != "incomplete",
            or_(C.channel != "phone", C.answered_at.is_not(None)),
            self.came_in,
        )

    @property
    def resolved(self) -> ColumnElement[bool]:
        return C.outcome.in_(sorted(self.settings.resolved_outcomes))

    # --- counts -------------------------------------------------------------------
    def totals(self) -> tuple[int, int]:
        row = self.session.execute(
            select(func.count(), func.sum(case((self.handled, 1), else_=0))).where(self.in_period())
        ).one()
        return int(row[0]), int(row[1] or 0)

    # --- first-contact resolution --------------------------------------------------
    def fcr_declared(self) -> FcrDeclared:
        """One pass grouped by category, caller type, channel and handler together; the
        few hundred groups are then added up for each breakdown."""
        resolved = func.sum(case((self.resolved, 1), else_=0))
        dims = ("category", "caller_type", "channel", "handler")
        rows = self.session.execute(
            select(C.category, C.caller_type, C.channel, C.handler, func.count(), resolved)
            .where(self.in_period(), self.handled)
            .group_by(C.category, C.caller_type, C.channel, C.handler)
        ).all()
        totals: dict[str, dict[str, list[int]]] = {d: defaultdict(lambda: [0, 0]) for d in dims}
        n_all = r_all = 0
        for row in rows:
            n, r = int(row[4]), int(row[5] or 0)
            n_all, r_all = n_all + n, r_all + r
            for dim, key in zip(dims, row[:4], strict=True):
                if key is not None:
                    totals[dim][str(key)][0] += n
                    totals[dim][str(key)][1] += r
        # the script (and version) each contact ended in: its last end still counted,
        # looked for among the period's contacts only (not every end ever recorded)
        last_end = (
            select(EndRow.contact_id, func.max(EndRow.seq).label("seq"))
            .join(C, C.id == EndRow.contact_id)
            .where(self.in_period(), self.handled, EndRow.current.is_(True))
            .group_by(EndRow.contact_id)
            .subquery()
        )
        by_script = self.session.execute(
            select(EndRow.script, EndRow.version, func.count(), resolved)
            .join(
                last_end,
                and_(EndRow.contact_id == last_end.c.contact_id, EndRow.seq == last_end.c.seq),
            )
            .join(C, C.id == EndRow.contact_id)
            .where(self.in_period(), self.handled)
            .group_by(EndRow.script, EndRow.version)
        )
        by = {dim: {k: Rate.of(v[1], v[0]) for k, v in totals[dim].items()} for dim in dims}
        return FcrDeclared(
            overall=Rate.of(r_all, n_all),
            by_category=by["category"],
            by_caller_type=by["caller_type"],
            by_channel=by["channel"],
            by_handler=by["handler"],
            by_script={f"{s}@{v}": Rate.of(int(r or 0), n) for s, v, n, r in by_script},
        )

    def fcr_verified(self) -> FcrVerified:
        """Declared-resolved contacts whose repeat window has closed, with no later contact
        from the same caller or about the same person, in the same category, within it.

        Each check is a range probe on the (key, category, received) indexes: the bounds are
        written so the database can use them, and the exact window is checked on the few
        rows they find."""
        window = self.settings.repeat_window_days * 86400
        later = aliased(ContactRow)
        start = epoch(C.received_at, self.dialect)
        within = and_(
            later.category == C.category,
            # the SPA calling back is not the caller coming back
            later.channel != OUTBOUND,
            later.received_at > C.received_at,
            later.received_at <= after(C.received_at, window + 1, self.dialect),
            epoch(later.received_at, self.dialect) <= start + window,
        )
        # a purged contact's keys are pseudonyms: a repeat after the purge boundary, its
        # keys still in clear, carries them too (interactions/purge.py)
        across_purge = and_(
            C.purged_at.is_not(None),
            or_(
                exists().where(
                    C.caller_key.is_not(None), later.caller_pseudonym == C.caller_key, within
                ),
                exists().where(
                    C.subject_key.is_not(None), later.subject_pseudonym == C.subject_key, within
                ),
            ),
        )
        repeat = or_(
            exists().where(C.caller_key.is_not(None), later.caller_key == C.caller_key, within),
            exists().where(C.subject_key.is_not(None), later.subject_key == C.subject_key, within),
            across_purge,
        )
        kept = func.sum(case((repeat, 0), else_=1))
        base = and_(
            self.in_period(), self.handled, self.resolved, start + window <= self.now.timestamp()
        )
        n, verified = self.session.execute(select(func.count(), kept).where(base)).one()
        rows = self.session.execute(
            select(C.category, func.count(), kept).where(base).group_by(C.category)
        )
        return FcrVerified(
            overall=Rate.of(int(verified or 0), n),
            by_category={str(k): Rate.of(int(v or 0), c) for k, c, v in rows if k is not None},
            window_days=self.settings.repeat_window_days,
        )

    def queue_shares(self) -> QueueShares:
        """Declared FCR and failure demand share of all the period's contacts and of each
        queue contacts came through, in one pass grouped by queue: the same figures as
        `fcr_declared().overall` and `failure_demand().share`, at the cost of one query."""
        resolved = func.sum(case((and_(self.handled, self.resolved), 1), else_=0))
        handled = func.sum(case((self.handled, 1), else_=0))
        failure = C.demand.in_(sorted(self.settings.failure_codes))
        tagged = func.sum(case((C.demand.is_not(None), 1), else_=0))
        failed = func.sum(case((failure, 1), else_=0))
        rows = self.session.execute(
            select(C.queue, handled, resolved, tagged, failed)
            .where(self.in_period(), self.came_in)
            .group_by(C.queue)
        ).all()
        counts = {q: tuple(int(v or 0) for v in values) for q, *values in rows}

        def shares(h: int, r: int, t: int, f: int) -> Shares:
            return Shares(Rate.of(r, h).rate, Rate.of(f, t).rate)

        sums = [sum(column) for column in zip(*counts.values(), strict=True)] or [0, 0, 0, 0]
        return QueueShares(
            total=shares(*sums),
            queues={str(q): shares(*c) for q, c in counts.items() if q is not None},
        )

    # --- failure demand -------------------------------------------------------------
    def failure_demand(self) -> FailureDemand:
        failure = C.demand.in_(sorted(self.settings.failure_codes))
        failed = func.sum(case((failure, 1), else_=0))
        tagged = and_(self.in_period(), self.came_in, C.demand.is_not(None))
        n, f = self.session.execute(select(func.count(), failed).where(tagged)).one()
        codes = self.session.execute(
            select(C.demand, func.count()).where(tagged, failure).group_by(C.demand)
        )
        by_category = self.session.execute(
            select(C.category, func.count(), failed).where(tagged).group_by(C.category)
        )
        weeks: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for local, count, fails in self._by_local_hour([func.count(), failed], tagged):
            year, week, _ = local.isocalendar()
            key = f"{year}-W{week:02d}"
            weeks[key][0] += count
            weeks[key][1] += fails
        return FailureDemand(
            share=Rate.of(int(f or 0), n),
            by_code=dict(sorted(((str(k), int(v)) for k, v in codes), key=lambda kv: -kv[1])),
            by_category={
                str(k): Rate.of(int(v or 0), c) for k, c, v in by_category if k is not None
            },
            by_week={k: Rate.of(v[1], v[0]) for k, v in sorted(weeks.items())},
        )

    def _by_local_hour(self, columns: list[Any], where: Any) -> Iterable[tuple[Any, ...]]:
        bucket = hour_bucket(C.received_at, self.dialect)
        rows = self.session.execute(select(bucket, *columns).where(where).group_by(bucket))
        for key, *values in rows:
            utc = dt.datetime.strptime(key, "%Y-%m-%d %H").replace(tzinfo=dt.UTC)
            yield (utc.astimezone(self.period.zone), *(int(v or 0) for v in values))

    # --- the queue ------------------------------------------------------------------
    def queue(self) -> QueueReport:
        """The queue figures of the period's phone contacts, in one pass grouped by queue:
        each queue's sums, and the total added up from them (a call recorded with no
        queue counts in the total only)."""
        wait = epoch(C.answered_at, self.dialect) - epoch(C.offered_at, self.dialect)
        gone = epoch(C.abandoned_at, self.dialect) - epoch(C.offered_at, self.dialect)
        handle = epoch(C.wrap_ended_at, self.dialect) - epoch(C.answered_at, self.dialect)
        answered = C.answered_at.is_not(None)
        abandoned = C.abandoned_at.is_not(None)
        short = and_(abandoned, gone < self.settings.short_abandon_seconds)
        in_time = and_(answered, wait <= self.settings.service_level_seconds)
        wrapped = and_(answered, C.wrap_ended_at.is_not(None))

        def count(condition: Any) -> Any:
            return func.sum(case((condition, 1), else_=0))

        rows = self.session.execute(
            select(
                C.queue,
                func.count(),
                count(answered),
                count(abandoned),
                count(short),
                count(in_time),
                func.sum(case((answered, wait))),
                count(wrapped),
                func.sum(case((wrapped, handle))),
            )
            .where(self.in_period(), C.channel == "phone", C.offered_at.is_not(None))
            .group_by(C.queue)
        ).all()
        sums = {
            queue: QueueSums(
                offered=int(n),
                answered=int(ans or 0),
                abandoned=int(aband or 0),
                short=int(shorts or 0),
                within=int(within or 0),
                waited=float(waited or 0.0),
                wrapped=int(wrapped or 0),
                handled=float(handled or 0.0),
            )
            for queue, n, ans, aband, shorts, within, waited, wrapped, handled in rows
        }
        total = sum(sums.values(), QueueSums())
        by_queue = {str(q): self.queue_numbers(s) for q, s in sorted(sums.items()) if q is not None}
        return QueueReport.of(self.queue_numbers(total), "contacts", by_queue)

    def queue_numbers(self, s: QueueSums) -> QueueNumbers:
        return QueueNumbers(
            offered=s.offered,
            answered=s.answered,
            abandoned=s.abandoned,
            short_abandoned=s.short,
            abandon_rate=Rate.of(s.abandoned - s.short, s.offered - s.short),
            service_level=Rate.of(s.within, s.answered + s.abandoned - s.short),
            service_level_seconds=self.settings.service_level_seconds,
            short_abandon_seconds=self.settings.short_abandon_seconds,
            asa_seconds=round(s.waited / s.answered, 1) if s.answered else None,
            aht_seconds=round(s.handled / s.wrapped, 1) if s.wrapped else None,
        )

    # --- demand by hour and day -------------------------------------------------------
    def demand_by_time(self) -> tuple[dict[str, int], dict[str, int], dict[str, dict[str, int]]]:
        by_hour: Counter[str] = Counter()
        by_weekday: Counter[str] = Counter()
        grid: dict[str, Counter[str]] = defaultdict(Counter)
        in_period = and_(self.in_period(), self.came_in)
        for local, count in self._by_local_hour([func.count()], in_period):
            day = WEEKDAYS[local.weekday()]
            by_hour[str(local.hour)] += count
            by_weekday[day] += count
            grid[day][str(local.hour)] += count
        return (
            {str(h): by_hour.get(str(h), 0) for h in range(24)},
            {d: by_weekday.get(d, 0) for d in WEEKDAYS},
            {d: {str(h): grid[d].get(str(h), 0) for h in range(24)} for d in WEEKDAYS},
        )

    # --- where people were sent -----------------------------------------------------
    def destinations(self) -> list[tuple[str, str, ServiceAction, int]]:
        """(service id, recorded name, action, count); an action the record does not know
        is left out rather than counted as either."""
        rows = self.session.execute(
            select(
                ContactServiceRow.service_id,
                func.max(ContactServiceRow.service_name),
                ContactServiceRow.action,
                func.count(),
            )
            .join(C, C.id == ContactServiceRow.contact_id)
            # a service taken back before wrap-up is kept for the audit, not counted
            .where(self.in_period(), ContactServiceRow.withdrawn_at.is_(None))
            .group_by(ContactServiceRow.service_id, ContactServiceRow.action)
        )
        return [
            (str(s), str(n), cast(ServiceAction, a), int(c))
            for s, n, a, c in rows
            if a in SERVICE_ACTIONS
        ]

    def searches_made(self) -> SearchesMade:
        """What unmet need is worked out from. Contacts that searched once are counted
        here: their search is an unmet need if nothing was chosen from it and the contact
        used none of the services it showed (nothing found, or found and not chosen).
        Contacts that searched more than once, one search at least not chosen from, come
        search by search, contact by contact in the order made, with the services they
        used: which of their searches are one need is worked out by meaning, in Python."""
        other, service = aliased(SearchRow), aliased(ContactServiceRow)
        text = func.lower(func.trim(SearchRow.query))
        found = func.json_array_length(SearchRow.results) > 0
        shown = json_strings(SearchRow.results, self.dialect)
        used = exists().where(
            service.contact_id == SearchRow.contact_id,
            service.service_id.in_(select(shown.c.value)),
        )
        only = ~exists().where(other.contact_id == SearchRow.contact_id, other.id != SearchRow.id)
        kind = case((found, "not_chosen"), else_="nothing_found")
        # each text cleaned of its contact's names (and any name, number, date or
        # postcode) before texts are counted together: see search_text.py
        clean = Cleaner()
        counts: dict[tuple[str, str | None, UnmetKind], int] = defaultdict(int)
        for q, category, k, caller, subject, n in self.session.execute(
            select(text, C.category, kind, C.caller_name, C.subject_name, func.count())
            .join(C, C.id == SearchRow.contact_id)
            .where(self.in_period(), only, SearchRow.chosen.is_(None), ~used)
            .group_by(text, C.category, kind, C.caller_name, C.subject_name)
        ):
            counts[clean(str(q), (caller, subject)), category, k] += int(n)
        counted = [(q, category, k, n) for (q, category, k), n in counts.items()]
        several = self.session.scalars(
            select(other.contact_id)
            .join(C, C.id == other.contact_id)
            .where(self.in_period())
            .group_by(other.contact_id)
            .having(func.count() > 1, func.sum(case((other.chosen.is_(None), 1), else_=0)) > 0)
        ).all()
        searches: list[SearchMade] = []
        services: dict[str, set[str]] = defaultdict(set)
        # a few thousand at a time: the databases limit how many values one query takes
        for start in range(0, len(several), IDS_AT_A_TIME):
            ids = several[start : start + IDS_AT_A_TIME]
            rows = self.session.execute(
                select(
                    SearchRow.contact_id,
                    text,
                    C.category,
                    SearchRow.results,
                    SearchRow.chosen,
                    C.caller_name,
                    C.subject_name,
                )
                .join(C, C.id == SearchRow.contact_id)
                .where(SearchRow.contact_id.in_(ids))
                .order_by(SearchRow.contact_id, SearchRow.seq)
            )
            searches += [
                SearchMade(
                    str(c),
                    clean(str(q), (caller, subject)),
                    category,
                    tuple(results or ()),
                    chosen,
                )
                for c, q, category, results, chosen, caller, subject in rows
            ]
            for contact_id, service_id in self.session.execute(
                select(ContactServiceRow.contact_id, ContactServiceRow.service_id).where(
                    ContactServiceRow.contact_id.in_(ids)
                )
            ):
                services[str(contact_id)].add(str(service_id))
        return SearchesMade(counted, searches, dict(services))

    # --- script paths ---------------------------------------------------------------
    def script_ends(self) -> list[tuple[str, int, str, int, int]]:
        """(script, version, end, times reached, with a red flag)."""
        rows = self.session.execute(
            select(
                EndRow.script,
                EndRow.version,
                EndRow.node,
                func.count(),
                func.sum(case((EndRow.red_flag.is_not(None), 1), else_=0)),
            )
            .join(C, C.id == EndRow.contact_id)
            .where(self.in_period(), EndRow.current.is_(True))
            .group_by(EndRow.script, EndRow.version, EndRow.node)
        )
        return [(str(s), int(v), str(n), int(c), int(r or 0)) for s, v, n, c, r in rows]

    def stopped_at(self) -> list[tuple[str, int, str, int]]:
        """Where calls that reached no end stopped: the last question answered (a decision
        a script took without asking is not one)."""
        reached = exists().where(EndRow.contact_id == C.id, EndRow.current.is_(True))
        last = (
            select(AnswerRow.contact_id, func.max(AnswerRow.seq).label("seq"))
            .join(C, C.id == AnswerRow.contact_id)
            .where(self.in_period(), ~reached, AnswerRow.kind != "decide")
            .group_by(AnswerRow.contact_id)
            .subquery()
        )
        rows = self.session.execute(
            select(AnswerRow.script, AnswerRow.version, AnswerRow.node, func.count())
            .join(
                last, and_(AnswerRow.contact_id == last.c.contact_id, AnswerRow.seq == last.c.seq)
            )
            .group_by(AnswerRow.script, AnswerRow.version, AnswerRow.node)
        )
        return [(str(s), int(v), str(n), int(c)) for s, v, n, c in rows]
