"""What one local day adds to each figure of the MI definitions: counts only, never a
rate, so that a period's figures are its days' parts added up, exactly.

The database groups each figure's rows by UTC hour as well as by the figure's own keys
(mi/figures.py); each hour is a part of one local day (the service's zone moves by whole
hours, as every UK zone does), so the rows are shared out among the days here. A day's
parts are what the report keeps for a day that can no longer change (mi/day_cache.py),
and what it works out afresh for the days that still can.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from frontdoor.mi.unmet import SearchMade, UnmetKind

# (breakdown, key): ("category", "social_care"), ("handler", "h01"), ... ("all", None)
DeclaredKey = tuple[str, str | None]
ScriptKey = tuple[str, int]  # (script, version)
NodeKey = tuple[str, int, str]  # (script, version, node)
SearchKey = tuple[str, str | None, UnmetKind]  # (cleaned text, category, kind)
# offered, answered, abandoned, short, within, waited, wrapped, handled: QueueSums' fields
QueueRow = list[float]
QUEUE_FIELDS = 8
K = TypeVar("K")
N = TypeVar("N", int, float)


def _counts() -> defaultdict[Any, list[int]]:
    return defaultdict(lambda: [0, 0])


@dataclass
class DayParts:
    """One local day's share of every contacts-based figure: plain additive counts."""

    contacts: int = 0
    handled: int = 0
    # handled contacts: [n, resolved], in all and by each breakdown
    declared: defaultdict[DeclaredKey, list[int]] = field(default_factory=_counts)
    by_script: defaultdict[ScriptKey, list[int]] = field(default_factory=_counts)
    # declared resolved whose repeat window had closed: [n, with no repeat], by category
    verified: defaultdict[str | None, list[int]] = field(default_factory=_counts)
    # contacts that came in with a demand code: how many, by (category, code)
    tagged: defaultdict[tuple[str | None, str], int] = field(
        default_factory=lambda: defaultdict(int)
    )
    # of those, by ISO week of the local day ("2026-W10"): [tagged, failure]
    weeks: defaultdict[str, list[int]] = field(default_factory=_counts)
    # contacts that came in, by local (weekday, hour): Monday 0
    hours: defaultdict[tuple[int, int], int] = field(default_factory=lambda: defaultdict(int))
    queue: defaultdict[str | None, QueueRow] = field(
        default_factory=lambda: defaultdict(lambda: [0.0] * QUEUE_FIELDS)
    )
    # (service id, action) -> [count]; the name recorded (the greatest) beside it
    sent: defaultdict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    sent_names: dict[str, str] = field(default_factory=dict)
    ends: defaultdict[NodeKey, list[int]] = field(default_factory=_counts)  # [count, flagged]
    stopped: defaultdict[NodeKey, int] = field(default_factory=lambda: defaultdict(int))
    only_searches: defaultdict[SearchKey, int] = field(default_factory=lambda: defaultdict(int))
    searches: list[SearchMade] = field(default_factory=list)
    used: dict[str, list[str]] = field(default_factory=dict)

    def add(self, other: DayParts) -> None:
        """Adds `other`'s counts to these (a period's parts are its days' added up)."""
        self.contacts += other.contacts
        self.handled += other.handled
        _add_rows(self.declared, other.declared)
        _add_rows(self.by_script, other.by_script)
        _add_rows(self.verified, other.verified)
        _add_rows(self.ends, other.ends)
        _add_rows(self.queue, other.queue)
        _add_rows(self.weeks, other.weeks)
        _add_counts(self.tagged, other.tagged)
        _add_counts(self.hours, other.hours)
        _add_counts(self.sent, other.sent)
        _add_counts(self.stopped, other.stopped)
        _add_counts(self.only_searches, other.only_searches)
        for service, name in other.sent_names.items():
            self.sent_names[service] = max(name, self.sent_names.get(service, name))
        self.searches.extend(other.searches)
        self.used.update(other.used)

    # --- kept as JSON (mi/day_cache.py) -------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        return {
            "contacts": self.contacts,
            "handled": self.handled,
            "declared": [[*k, *v] for k, v in self.declared.items()],
            "by_script": [[*k, *v] for k, v in self.by_script.items()],
            "verified": [[k, *v] for k, v in self.verified.items()],
            "tagged": [[*k, v] for k, v in self.tagged.items()],
            "weeks": [[k, *v] for k, v in self.weeks.items()],
            "hours": [[*k, v] for k, v in self.hours.items()],
            "queue": [[k, *v] for k, v in self.queue.items()],
            "sent": [[*k, v] for k, v in self.sent.items()],
            "sent_names": self.sent_names,
            "ends": [[*k, *v] for k, v in self.ends.items()],
            "stopped": [[*k, v] for k, v in self.stopped.items()],
            "only_searches": [[*k, v] for k, v in self.only_searches.items()],
            "searches": [
                [s.contact_id, s.text, s.category, list(s.results), s.chosen] for s in self.searches
            ],
            "used": self.used,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DayParts:
        parts = cls(contacts=int(data["contacts"]), handled=int(data["handled"]))
        for dim, key, n, r in data["declared"]:
            parts.declared[dim, key] = [n, r]
        for s, v, n, r in data["by_script"]:
            parts.by_script[s, v] = [n, r]
        for k, n, kept in data["verified"]:
            parts.verified[k] = [n, kept]
        for category, code, n in data["tagged"]:
            parts.tagged[category, code] = n
        for week, n, failed in data["weeks"]:
            parts.weeks[week] = [n, failed]
        for weekday, hour, n in data["hours"]:
            parts.hours[weekday, hour] = n
        for q, *values in data["queue"]:
            parts.queue[q] = [float(v) for v in values]
        for service, action, n in data["sent"]:
            parts.sent[service, action] = n
        parts.sent_names.update(data["sent_names"])
        for s, v, node, n, flagged in data["ends"]:
            parts.ends[s, v, node] = [n, flagged]
        for s, v, node, n in data["stopped"]:
            parts.stopped[s, v, node] = n
        for text, category, kind, n in data["only_searches"]:
            parts.only_searches[text, category, kind] = n
        parts.searches = [
            SearchMade(c, text, category, tuple(results), chosen)
            for c, text, category, results, chosen in data["searches"]
        ]
        parts.used = {k: list(v) for k, v in data["used"].items()}
        return parts


def _add_rows(mine: defaultdict[K, list[N]], theirs: Mapping[K, list[N]]) -> None:
    for key, values in theirs.items():
        row = mine[key]
        for i, v in enumerate(values):
            row[i] += v


def _add_counts(mine: defaultdict[K, int], theirs: Mapping[K, int]) -> None:
    for key, n in theirs.items():
        mine[key] += n


class Days:
    """Shares hourly rows out among the local days of a zone: `parts(bucket)` is the
    day's parts an hour's row belongs to, `hour(bucket)` its local hour."""

    def __init__(self, zone: dt.tzinfo) -> None:
        self.zone = zone
        self.by_day: dict[dt.date, DayParts] = {}
        self._local: dict[str, dt.datetime] = {}

    def local(self, bucket: str) -> dt.datetime:
        """'YYYY-MM-DD HH' (UTC, as mi/sql.hour_bucket gives it) in local time."""
        found = self._local.get(bucket)
        if found is None:
            utc = dt.datetime.strptime(bucket, "%Y-%m-%d %H").replace(tzinfo=dt.UTC)
            found = self._local[bucket] = utc.astimezone(self.zone)
        return found

    def parts(self, bucket: str) -> DayParts:
        day = self.local(bucket).date()
        found = self.by_day.get(day)
        if found is None:
            found = self.by_day[day] = DayParts()
        return found
