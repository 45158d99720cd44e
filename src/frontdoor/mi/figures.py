"""The figures of the MI definitions, computed in the database with SQLAlchemy Core.

Python only finishes the few grouped rows: shifting hourly buckets into local time and
clustering similar search texts. Every rate carries the count it rests on, and is None
(not 0) when that count is 0. Every query reads the period's contacts (and what belongs
to them) through their index on `received_at`, so a day's figures cost a day's rows
however long the record is.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from typing import Any, cast

from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import ColumnElement

from frontdoor.db.chunks import in_chunks
from frontdoor.interactions.model import OUTBOUND
from frontdoor.interactions.tables import (
    AnswerRow,
    ContactRow,
    ContactServiceRow,
    EndRow,
    SearchRow,
)
from frontdoor.mi import assemble
from frontdoor.mi.assemble import QueueSums
from frontdoor.mi.day_parts import DayParts, Days
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


def _add(counts: list[int], *values: int) -> None:
    for i, value in enumerate(values):
        counts[i] += value


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

    # --- each day's parts, from the database -----------------------------------------
    @cached_property
    def days(self) -> dict[dt.date, DayParts]:
        """The period's contacts-based figures as each local day's counts: one query a
        figure, every row grouped by UTC hour as well (see day_parts.py)."""
        days = Days(self.period.zone)
        self._counts(days)
        self._declared(days)
        self._verified(days)
        self._demand(days)
        self._queue(days)
        self._sent(days)
        self._script_paths(days)
        self._searches(days)
        return days.by_day

    def given(self, days: dict[dt.date, DayParts]) -> Figures:
        """These figures made from `days` (the period's, as day_cache.py gives them)
        rather than from the record."""
        self.__dict__["days"] = days
        return self

    @cached_property
    def total(self) -> DayParts:
        """The whole period's counts: its days' added up."""
        total = DayParts()
        for parts in self.days.values():
            total.add(parts)
        return total

    @cached_property
    def bucket(self) -> ColumnElement[str]:
        return hour_bucket(C.received_at, self.dialect)

    def _counts(self, days: Days) -> None:
        rows = self.session.execute(
            select(self.bucket, func.count(), func.sum(case((self.handled, 1), else_=0)))
            .where(self.in_period())
            .group_by(self.bucket)
        )
        for bucket, n, handled in rows:
            parts = days.parts(bucket)
            parts.contacts += int(n)
            parts.handled += int(handled or 0)

    def _declared(self, days: Days) -> None:
        resolved = func.sum(case((self.resolved, 1), else_=0))
        dims = (C.category, C.caller_type, C.channel, C.handler)
        for bucket, a, b, c, d, n, r in self.session.execute(
            select(self.bucket, *dims, func.count(), resolved)
            .where(self.in_period(), self.handled)
            .group_by(self.bucket, *dims)
        ):
            declared = days.parts(bucket).declared
            for key in (("all", None), ("category", a), ("caller_type", b), ("channel", c)):
                _add(declared[key], int(n), int(r or 0))
            _add(declared["handler", d], int(n), int(r or 0))
        # the script (and version) each contact ended in: its last end still counted,
        # looked for among the period's contacts only (not every end ever recorded)
        last_end = (
            select(EndRow.contact_id, func.max(EndRow.seq).label("seq"))
            .join(C, C.id == EndRow.contact_id)
            .where(self.in_period(), self.handled, EndRow.current.is_(True))
            .group_by(EndRow.contact_id)
            .subquery()
        )
        for bucket, script, version, n, r in self.session.execute(
            select(self.bucket, EndRow.script, EndRow.version, func.count(), resolved)
            .join(
                last_end,
                and_(EndRow.contact_id == last_end.c.contact_id, EndRow.seq == last_end.c.seq),
            )
            .join(C, C.id == EndRow.contact_id)
            .where(self.in_period(), self.handled)
            .group_by(self.bucket, EndRow.script, EndRow.version)
        ):
            _add(days.parts(bucket).by_script[str(script), int(version)], int(n), int(r or 0))

    def _verified(self, days: Days) -> None:
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
        for bucket, category, n, verified in self.session.execute(
            select(self.bucket, C.category, func.count(), kept)
            .where(base)
            .group_by(self.bucket, C.category)
        ):
            _add(days.parts(bucket).verified[category], int(n), int(verified or 0))

    def _demand(self, days: Days) -> None:
        """Contacts that came in, by hour, and those with a demand code, by category and
        code: demand by time and failure demand both come from these."""
        came_in = and_(self.in_period(), self.came_in)
        for bucket, n in self.session.execute(
            select(self.bucket, func.count()).where(came_in).group_by(self.bucket)
        ):
            local = days.local(bucket)
            days.parts(bucket).hours[local.weekday(), local.hour] += int(n)
        for bucket, category, code, n in self.session.execute(
            select(self.bucket, C.category, C.demand, func.count())
            .where(came_in, C.demand.is_not(None))
            .group_by(self.bucket, C.category, C.demand)
        ):
            parts = days.parts(bucket)
            parts.tagged[category, str(code)] += int(n)
            year, week, _ = days.local(bucket).isocalendar()
            counts = parts.weeks[f"{year}-W{week:02d}"]
            counts[0] += int(n)
            counts[1] += int(n) if code in self.settings.failure_codes else 0

    def _queue(self, days: Days) -> None:
        """The sums the queue figures of the period's phone contacts are made from, by
        queue (a call recorded with no queue counts in the total only). Offered, answered,
        abandoned and the waits count the calls known to have waited in a queue (an
        offer time); handle time every answered call, a call taken by hand at a console
        with no telephone system too: its wait is not known, not nought."""
        wait = epoch(C.answered_at, self.dialect) - epoch(C.offered_at, self.dialect)
        gone = epoch(C.abandoned_at, self.dialect) - epoch(C.offered_at, self.dialect)
        handle = epoch(C.wrap_ended_at, self.dialect) - epoch(C.answered_at, self.dialect)
        queued = C.offered_at.is_not(None)
        answered = and_(queued, C.answered_at.is_not(None))
        abandoned = and_(queued, C.abandoned_at.is_not(None))
        short = and_(abandoned, gone < self.settings.short_abandon_seconds)
        in_time = and_(answered, wait <= self.settings.service_level_seconds)
        wrapped = and_(C.answered_at.is_not(None), C.wrap_ended_at.is_not(None))

        def count(condition: Any) -> Any:
            return func.sum(case((condition, 1), else_=0))

        for bucket, queue, *sums in self.session.execute(
            select(
                self.bucket,
                C.queue,
                count(queued),
                count(answered),
                count(abandoned),
                count(short),
                count(in_time),
                func.sum(case((answered, wait))),
                count(wrapped),
                func.sum(case((wrapped, handle))),
            )
            .where(self.in_period(), C.channel == "phone")
            .group_by(self.bucket, C.queue)
        ):
            row = days.parts(bucket).queue[queue]
            for i, value in enumerate(sums):
                row[i] += float(value or 0)

    def _sent(self, days: Days) -> None:
        for bucket, service, name, action, n in self.session.execute(
            select(
                self.bucket,
                ContactServiceRow.service_id,
                func.max(ContactServiceRow.service_name),
                ContactServiceRow.action,
                func.count(),
            )
            .join(C, C.id == ContactServiceRow.contact_id)
            # a service taken back before wrap-up is kept for the audit, not counted
            .where(self.in_period(), ContactServiceRow.withdrawn_at.is_(None))
            .group_by(self.bucket, ContactServiceRow.service_id, ContactServiceRow.action)
        ):
            parts = days.parts(bucket)
            parts.sent[str(service), str(action)] += int(n)
            names = parts.sent_names
            names[str(service)] = max(str(name), names.get(str(service), str(name)))

    def _script_paths(self, days: Days) -> None:
        for bucket, script, version, node, n, flagged in self.session.execute(
            select(
                self.bucket,
                EndRow.script,
                EndRow.version,
                EndRow.node,
                func.count(),
                func.sum(case((EndRow.red_flag.is_not(None), 1), else_=0)),
            )
            .join(C, C.id == EndRow.contact_id)
            .where(self.in_period(), EndRow.current.is_(True))
            .group_by(self.bucket, EndRow.script, EndRow.version, EndRow.node)
        ):
            node_key = (str(script), int(version), str(node))
            _add(days.parts(bucket).ends[node_key], int(n), int(flagged or 0))
        # where calls that reached no end stopped: the last question answered (a
        # decision a script took without asking is not one)
        reached = exists().where(EndRow.contact_id == C.id, EndRow.current.is_(True))
        last = (
            select(
                AnswerRow.contact_id, func.max(AnswerRow.seq).label("seq"), self.bucket.label("b")
            )
            .join(C, C.id == AnswerRow.contact_id)
            .where(self.in_period(), ~reached, AnswerRow.kind != "decide")
            .group_by(AnswerRow.contact_id, self.bucket)
            .subquery()
        )
        for bucket, script, version, node, n in self.session.execute(
            select(last.c.b, AnswerRow.script, AnswerRow.version, AnswerRow.node, func.count())
            .join(
                last, and_(AnswerRow.contact_id == last.c.contact_id, AnswerRow.seq == last.c.seq)
            )
            .group_by(last.c.b, AnswerRow.script, AnswerRow.version, AnswerRow.node)
        ):
            days.parts(bucket).stopped[str(script), int(version), str(node)] += int(n)

    def _searches(self, days: Days) -> None:
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
        for bucket, q, category, k, caller, subject, n in self.session.execute(
            select(self.bucket, text, C.category, kind, C.caller_name, C.subject_name, func.count())
            .join(C, C.id == SearchRow.contact_id)
            .where(self.in_period(), only, SearchRow.chosen.is_(None), ~used)
            .group_by(self.bucket, text, C.category, kind, C.caller_name, C.subject_name)
        ):
            key = (clean(str(q), (caller, subject)), category, cast(UnmetKind, k))
            days.parts(bucket).only_searches[key] += int(n)
        several = self.session.execute(
            select(other.contact_id, self.bucket)
            .join(C, C.id == other.contact_id)
            .where(self.in_period())
            .group_by(other.contact_id, self.bucket)
            .having(func.count() > 1, func.sum(case((other.chosen.is_(None), 1), else_=0)) > 0)
        ).all()
        day_of = {str(contact): days.parts(bucket) for contact, bucket in several}
        ids = [contact for contact, _ in several]
        # a few thousand at a time: the databases limit how many values one query takes
        for chunk in in_chunks(ids, IDS_AT_A_TIME):
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
                .where(SearchRow.contact_id.in_(chunk))
                .order_by(SearchRow.contact_id, SearchRow.seq)
            )
            for c, q, category, results, chosen, caller, subject in rows:
                day_of[str(c)].searches.append(
                    SearchMade(
                        str(c),
                        clean(str(q), (caller, subject)),
                        category,
                        tuple(results or ()),
                        chosen,
                    )
                )
            used_by: dict[str, set[str]] = defaultdict(set)
            for contact_id, service_id in self.session.execute(
                select(ContactServiceRow.contact_id, ContactServiceRow.service_id).where(
                    ContactServiceRow.contact_id.in_(chunk)
                )
            ):
                used_by[str(contact_id)].add(str(service_id))
            for contact_id, services in used_by.items():
                day_of[contact_id].used[contact_id] = sorted(services)

    # --- the figures, added up from the days ---------------------------------------
    def totals(self) -> tuple[int, int]:
        return self.total.contacts, self.total.handled

    def fcr_declared(self) -> FcrDeclared:
        return assemble.fcr_declared(self.total)

    def fcr_verified(self) -> FcrVerified:
        return assemble.fcr_verified(self.total, self.settings)

    def failure_demand(self) -> FailureDemand:
        return assemble.failure_demand(self.total, self.settings)

    def queue(self) -> QueueReport:
        return assemble.queue(self.total, self.queue_numbers)

    def demand_by_time(self) -> tuple[dict[str, int], dict[str, int], dict[str, dict[str, int]]]:
        return assemble.demand_by_time(self.total)

    def destinations(self) -> list[tuple[str, str, ServiceAction, int]]:
        """(service id, recorded name, action, count); an action the record does not know
        is left out rather than counted as either."""
        names = self.total.sent_names
        return [
            (service, names[service], cast(ServiceAction, action), n)
            for (service, action), n in self.total.sent.items()
            if action in SERVICE_ACTIONS
        ]

    def searches_made(self) -> SearchesMade:
        total = self.total
        return SearchesMade(
            [(q, category, k, n) for (q, category, k), n in total.only_searches.items()],
            total.searches,
            {c: set(s) for c, s in total.used.items()},
        )

    def script_ends(self) -> list[tuple[str, int, str, int, int]]:
        """(script, version, end, times reached, with a red flag)."""
        return [(s, v, node, n, f) for (s, v, node), (n, f) in self.total.ends.items()]

    def stopped_at(self) -> list[tuple[str, int, str, int]]:
        """Where calls that reached no end stopped: the last question answered."""
        return [(s, v, node, n) for (s, v, node), n in self.total.stopped.items()]

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
