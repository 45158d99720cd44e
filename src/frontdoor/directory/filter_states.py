"""How every service stands against each filter, as arrays the search reads per keystroke.

Each filter reads only part of a service (the area filter its areas, the open-now filter
its hours, exceptions and bank-holiday opening), so services alike in that part share one
state. The state of each such kind, and why, is worked out once per filter value, the
first time a search meets the kind, and kept: a keystroke then costs an array look-up, not
a check per service, and a shown service's verdict is its kinds' states and reasons put
together. Opening hours are kept in whole minutes, so whether a service is open is the same
for every second of a minute: the open-now states are kept per minute, and the first
keystroke of a new minute works them out again (see `hours.minute_of`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from array import array
from collections.abc import Hashable, Iterable, Sequence

import numpy as np

from frontdoor.directory.eligibility import (
    FILTER_NAMES,
    Eligibility,
    FilterName,
    Filters,
    FilterState,
    Verdict,
)
from frontdoor.directory.hours import minute_of, whole_minutes
from frontdoor.directory.listed import Listed
from frontdoor.directory.model import Service
from frontdoor.local_time import BankHolidays

PASS, UNKNOWN, FAIL = 0, 1, 2
_CODES: dict[FilterState, int] = {"pass": PASS, "unknown": UNKNOWN, "fail": FAIL}
_STATES: dict[int, FilterState] = {code: state for state, code in _CODES.items()}
_NOT_YET = -1

_KEPT_VALUES = 16  # filter values kept per filter: a call sets a few; old minutes go


def filter_values(filters: Filters) -> dict[FilterName, object]:
    """The filters asked for, by name, with the value each checks against."""
    values: dict[FilterName, object] = {
        "area": filters.area,
        "age": filters.age,
        "caller_type": filters.caller_type,
        "open_now": filters.open_at,
    }
    return {name: value for name, value in values.items() if value is not None}


@dataclasses.dataclass
class _Kept:
    table: np.ndarray  # int8 per kind: PASS, UNKNOWN, FAIL, or _NOT_YET
    reasons: dict[int, str]  # per kind worked out: why it fails, or what is not known


@dataclasses.dataclass
class _Grouping:
    kinds: np.ndarray  # int32 per service: its kind for this filter
    # one service of each kind (read from the database: with what the filters read only)
    examples: list[Service]
    # per filter value: each kind's state, _NOT_YET until a search meets the kind
    states: dict[object, _Kept] = dataclasses.field(default_factory=dict)


class ServiceKinds:
    """Per filter, the kind of each service (what that filter reads of it), found as the
    services are added, a chunk at a time (numbered in the order added), with one service
    of each kind. Most of a directory is alike: a few hundred kinds per filter in 100,000
    services."""

    def __init__(self) -> None:
        self._ids: list[dict[Hashable, int]] = [{} for _ in FILTER_NAMES]
        self.examples: list[list[Service]] = [[] for _ in FILTER_NAMES]
        self._kinds = [array("i") for _ in FILTER_NAMES]  # per filter, per service

    def add(self, services: Sequence[Listed]) -> None:
        # a filter at a time, a batch at a time: one look-up per service and filter, and
        # a step per service only for the few kinds not met before
        if not services:
            return
        by_filter = zip(*(s.parts for s in services), strict=True)
        for ids, examples, kinds, parts in zip(
            self._ids, self.examples, self._kinds, by_filter, strict=True
        ):
            found = [ids.get(part, -1) for part in parts]
            if -1 in found:
                for at, part in enumerate(parts):
                    if found[at] == -1:
                        kind = ids.get(part)
                        if kind is None:
                            kind = ids[part] = len(examples)
                            examples.append(services[at].example())
                        found[at] = kind
            kinds.extend(found)

    def kinds(self, filter_number: int) -> np.ndarray:
        """int32 per service added: its kind for the filter (in FILTER_NAMES' order)."""
        return np.array(self._kinds[filter_number], dtype=np.int32)


class FilterStates:
    """Per filter, the kind of each service and the state of each kind per filter value."""

    def __init__(self, grouped: ServiceKinds, eligibility: Eligibility) -> None:
        self._eligibility = eligibility
        self._groups: dict[FilterName, _Grouping] = {
            name: _Grouping(grouped.kinds(number), grouped.examples[number])
            for number, name in enumerate(FILTER_NAMES)
        }
        # hours with seconds in them (none are written so) would make a minute's states
        # wrong for part of it: then each moment is checked as it is
        self._per_minute = all(whole_minutes(s) for s in self._groups["open_now"].examples)
        self._warm_bank_holidays()

    def _warm_bank_holidays(self) -> None:
        """Work out this year's and next year's bank holidays now, in the builder's thread:
        the first open-now search otherwise imports the holidays package and computes
        them, 0.1-0.4 s on the screen's thread at the first keystroke."""
        holidays = self._eligibility.bank_holidays
        if holidays is None:
            holidays = BankHolidays()
        this_year = dt.date.today().year  # only which years to warm: any clock will do
        for year in (this_year, this_year + 1):
            _ = dt.date(year, 1, 1) in holidays

    def at_minute(self, filters: Filters) -> Filters:
        """The same filters with the open-now time at the start of its minute, which
        every service answers as it would at any second of that minute."""
        if filters.open_at is None or not self._per_minute:
            return filters
        return dataclasses.replace(filters, open_at=minute_of(filters.open_at))

    def _kept(self, name: FilterName, value: object) -> _Kept:
        """Filter `name`'s states at `value`, kept while the value (for open now, the
        minute) is the same."""
        group = self._groups[name]
        kept = group.states.get(value)
        if kept is None:
            if len(group.states) >= _KEPT_VALUES:
                group.states.clear()
            table = np.full(len(group.examples), _NOT_YET, dtype=np.int8)
            kept = group.states[value] = _Kept(table, {})
        return kept

    def _work_out(self, name: FilterName, value: object, kinds: Iterable[int]) -> None:
        """The state of each of `kinds` for filter `name` at `value`, and why, from one
        service of the kind."""
        group, kept = self._groups[name], self._kept(name, value)
        single = Filters(**{_FIELD[name]: value})  # type: ignore[arg-type]
        for kind in kinds:
            verdict = self._eligibility.check(group.examples[kind], single)
            kept.table[kind] = _CODES[verdict.state(name)]
            why = verdict.reason  # the one filter's: why it fails, or what is not known
            if why:
                kept.reasons[kind] = why

    def states(self, name: FilterName, value: object, numbers: np.ndarray) -> np.ndarray:
        """The state of each service in `numbers` against filter `name` at `value`."""
        kinds = self._groups[name].kinds[numbers]
        table = self._kept(name, value).table
        found = table[kinds]
        unknown = found == _NOT_YET
        if unknown.any():
            self._work_out(name, value, np.unique(kinds[unknown]).tolist())
            found = table[kinds]
        return found

    def verdict(self, number: int, filters: Filters) -> Verdict:
        """How service `number` stands against `filters`, with why: each filter's part
        as its kind's (the open-now time already at its minute), as `Eligibility.check`
        gives it for the service."""
        outcomes: dict[FilterName, tuple[FilterState, str]] = {}
        for name, value in filter_values(filters).items():
            kind = int(self._groups[name].kinds[number])
            kept = self._kept(name, value)
            if kept.table[kind] == _NOT_YET:
                self._work_out(name, value, [kind])
            outcomes[name] = (_STATES[int(kept.table[kind])], kept.reasons.get(kind, ""))
        return Verdict.of(outcomes)


_FIELD: dict[FilterName, str] = {
    "area": "area",
    "age": "age",
    "caller_type": "caller_type",
    "open_now": "open_at",
}
