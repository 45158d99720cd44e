"""What a chasing caller rings about, weighed without weighing everything at every chase.

A chasing caller picks one referral of the last three weeks' referred calls, weighed by
where each stands (CHASE_WEIGHTS, below). Worked out afresh at every chase, that was some
5,000 standings for each of a month's 1,100 chases: 5 of a simulated month's 65 seconds.
Here each weight is kept with how long its standing holds (to the referral's next move,
or its due time while it waits), and only the weights whose standing may have changed
since the last chase are worked out again: the new ones, those past their time, and
those whose caller the SPA has told since. The weights, and so the picks, are the ones
worked out afresh (tests/simulation/test_callers.py)."""

from __future__ import annotations

import datetime as dt
import heapq
from bisect import bisect_left
from typing import TYPE_CHECKING, Literal, Protocol, runtime_checkable

if TYPE_CHECKING:
    from frontdoor.simulation.callers import PastCall

# Where a referral stands for the caller who is waiting on it, and how much likelier a
# caller is to chase it: most of all when it is late and nobody has told them; much less
# once the SPA rang to say so; hardly at all once it is done.
Standing = Literal["waiting", "overdue", "told", "under_way", "ended"]
CHASE_WEIGHTS: dict[Standing, float] = {
    "overdue": 10.0,
    "told": 2.0,
    "waiting": 1.0,
    "under_way": 0.6,
    "ended": 0.1,
}


@runtime_checkable
class KeptStandings(Protocol):
    """Where each referral stands, and how long that holds (the simulation's teams)."""

    def standing(self, referral_id: str, at: dt.datetime) -> Standing: ...

    def standing_holds(self, referral_id: str) -> tuple[dt.datetime | None, dt.datetime | None]:
        """How long the standing just given holds, unless its caller is told: before the
        first time (None: no end), and up to and at the second (None: no end)."""
        ...

    def told_since(self) -> list[str]:
        """The referrals whose caller was told since this was last asked."""
        ...


# a choice: a referred call and one of its referrals (None: it arranged something that
# made no referral, such as a transfer)
Choice = tuple["PastCall", str | None]


class ChaseWeights:
    """The choices of the referred calls remembered, in the order remembered, each with
    its weight as last worked out. A choice is known by its number: its place counted
    from the first ever added, which forgetting does not change."""

    def __init__(self) -> None:
        self.choices: list[Choice] = []
        self.weights: list[float] = []
        self._times: list[dt.datetime] = []  # each choice's call's time, for forgetting
        self._dropped = 0  # choices forgotten from the front so far
        self._number_of: dict[str, int] = {}  # a referral's choice
        self._expiring: list[tuple[dt.datetime, int]] = []  # when a weight may change
        self._fresh: list[int] = []  # choices added since the last chase
        self._last: dt.datetime | None = None

    def add(self, call: PastCall) -> None:
        for referral in call.referrals or (None,):
            number = self._dropped + len(self.choices)
            self.choices.append((call, referral))
            self.weights.append(1.0)  # a call that made no referral weighs 1 for ever
            self._times.append(call.at)
            if referral is not None:
                self._number_of[referral] = number
                self._fresh.append(number)

    def forget_before(self, at: dt.datetime) -> None:
        """The choices of calls before `at` forgotten."""
        gone = bisect_left(self._times, at)
        for _, referral in self.choices[:gone]:
            if referral is not None:
                self._number_of.pop(referral, None)
        del self.choices[:gone], self.weights[:gone], self._times[:gone]
        self._dropped += gone

    def weights_at(self, now: dt.datetime, standings: KeptStandings) -> list[float]:
        """Every choice's weight at `now`, in the order of `choices`."""
        if self._last is not None and now < self._last:  # back in time: all afresh
            self._expiring.clear()
            self._fresh = [self._dropped + i for i, c in enumerate(self.choices) if c[1]]
        self._last = now
        due = [n for r in standings.told_since() if (n := self._number_of.get(r)) is not None]
        due += self._fresh
        self._fresh = []
        while self._expiring and self._expiring[0][0] <= now:
            due.append(heapq.heappop(self._expiring)[1])
        # worked out after every expired one is off the heap: a standing that holds up
        # to `now` itself goes back on with `now`, and is looked at again next chase
        for number in due:
            place = number - self._dropped
            referral = self.choices[place][1] if place >= 0 else None
            if referral is None:
                continue  # forgotten already
            self.weights[place] = CHASE_WEIGHTS[standings.standing(referral, now)]
            ends = [t for t in standings.standing_holds(referral) if t is not None]
            if ends:
                heapq.heappush(self._expiring, (min(ends), number))
        return self.weights
