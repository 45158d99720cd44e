"""How every service stands against each filter, as arrays the search reads per keystroke.

Each filter reads only part of a service (the area filter its areas, the open-now filter
its hours, exceptions and bank-holiday opening), so services alike in that part share one
state. The state of each such kind is worked out once per filter value, the first time a
search meets the kind, and kept: a keystroke then costs an array look-up, not a check per
service. Opening hours are kept in whole minutes, so whether a service is open is the same
for every second of a minute: the open-now states are kept per minute, and the first
keystroke of a new minute works them out again (see `hours.minute_of`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from array import array
from collections.abc import Callable, Hashable, Iterable

import numpy as np

from frontdoor.directory.eligibility import Eligibility, FilterName, Filters, eligibility_key
from frontdoor.directory.hours import minute_of, whole_minutes
from frontdoor.directory.model import Service
from frontdoor.local_time import BankHolidays

PASS, UNKNOWN, FAIL = 0, 1, 2
_CODES = {"pass": PASS, "unknown": UNKNOWN, "fail": FAIL}
_NOT_YET = -1

# what each filter reads of a service (see the checks in eligibility.py)
_READS: dict[FilterName, Callable[[Service], Hashable]] = {
    "area": lambda s: tuple(s.areas),
    "age": lambda s: (s.min_age, s.max_age),
    "caller_type": lambda s: tuple(s.caller_types),
    "open_now": lambda s: (
        tuple((tuple(h.days), h.opens, h.closes, h.valid_from, h.valid_to) for h in s.hours),
        tuple((e.date, e.closed, e.opens, e.closes, e.note) for e in s.hours_exceptions),
        s.open_on_bank_holidays,
    ),
}
# where each filter's part lies in `eligibility_key` (checked against _READS when built)
_PARTS: dict[FilterName, Callable[[tuple[object, ...]], Hashable]] = {
    "area": lambda key: key[0],
    "age": lambda key: key[1:3],
    "caller_type": lambda key: key[3],
    "open_now": lambda key: key[4:7],
}
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
class _Grouping:
    kinds: np.ndarray  # int32 per service: its kind for this filter
    examples: list[Service]  # one service of each kind
    # per filter value: int8 per kind, _NOT_YET until a search meets the kind
    states: dict[object, np.ndarray] = dataclasses.field(default_factory=dict)


class ServiceKinds:
    """Services grouped by everything the filters read, as they are added, a chunk at a
    time: the kind of each (numbered in the order added) and one service of each kind.
    Most of a directory is alike: a few hundred kinds in 100,000 services."""

    def __init__(self) -> None:
        self._ids: dict[tuple[object, ...], int] = {}
        self.keys: list[tuple[object, ...]] = []  # each kind's key (see eligibility_key)
        self.examples: list[Service] = []  # one service of each kind
        self._kinds = array("i")  # per service added: its kind

    def add(self, services: Iterable[Service]) -> None:
        ids, kinds = self._ids, self._kinds
        for service in services:
            key = eligibility_key(service)
            kind = ids.get(key)
            if kind is None:
                kind = ids[key] = len(self.examples)
                self.keys.append(key)
                self.examples.append(service)
            kinds.append(kind)

    def kinds(self) -> np.ndarray:
        """int32 per service added: its kind."""
        return np.array(self._kinds, dtype=np.int32)


class FilterStates:
    """Per filter, the kind of each service and the state of each kind per filter value."""

    def __init__(self, grouped: ServiceKinds, eligibility: Eligibility) -> None:
        self._eligibility = eligibility
        # services alike in everything the filters read are grouped once, as they are
        # read; each filter's own kinds are then found among those few
        self.kinds = grouped.kinds()
        # one service of each kind: a shown service's verdict is its kind's
        self.examples = examples = grouped.examples
        self._groups: dict[FilterName, _Grouping] = {}
        full_keys = grouped.keys  # in the order of `examples`
        for name, reads in _READS.items():
            # each filter's part is a slice of the whole key: no second look at a service
            part_of = _PARTS[name]
            if examples and part_of(full_keys[0]) != reads(examples[0]):
                raise ValueError(
                    f"eligibility_key no longer ends with {name}'s part where expected"
                )
            ids: dict[Hashable, int] = {}
            own: list[Service] = []
            of_kind = np.empty(len(examples), dtype=np.int32)
            for kind, whole in enumerate(full_keys):
                part = part_of(whole)
                mine = ids.get(part)
                if mine is None:
                    mine = ids[part] = len(own)
                    own.append(examples[kind])
                of_kind[kind] = mine
            self._groups[name] = _Grouping(of_kind[self.kinds], own)
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

    def table(self, name: FilterName, value: object) -> np.ndarray:
        """The states of every kind of service for filter `name` at `value`: int8,
        PASS, UNKNOWN, FAIL, or -1 for a kind no search has met yet. Kept, so the same
        array is given back while the value (for open now, the minute) is the same."""
        group = self._groups[name]
        states = group.states.get(value)
        if states is None:
            if len(group.states) >= _KEPT_VALUES:
                group.states.clear()
            states = group.states[value] = np.full(len(group.examples), _NOT_YET, dtype=np.int8)
        return states

    def states(self, name: FilterName, value: object, numbers: np.ndarray) -> np.ndarray:
        """The state of each service in `numbers` against filter `name` at `value`."""
        group = self._groups[name]
        table = self.table(name, value)
        kinds = group.kinds[numbers]
        found = table[kinds]
        unknown = found == _NOT_YET
        if unknown.any():
            single = Filters(**{_FIELD[name]: value})  # type: ignore[arg-type]
            for kind in np.unique(kinds[unknown]).tolist():
                verdict = self._eligibility.check(group.examples[kind], single)
                table[kind] = _CODES[verdict.state(name)]
            found = table[kinds]
        return found


_FIELD: dict[FilterName, str] = {
    "area": "area",
    "age": "age",
    "caller_type": "caller_type",
    "open_now": "open_at",
}
