"""Opening hours are evaluated once a minute, not once a keystroke: the open-now states
are kept for the minute and worked out again when it changes, with the same answers as
a check at the exact second."""

from __future__ import annotations

import datetime as dt
from collections.abc import Container

from frontdoor.directory.eligibility import Eligibility, Filters
from frontdoor.directory.model import OpeningHours, Service
from frontdoor.directory.search import SearchIndex

MONDAY = dt.date(2026, 11, 23)
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]


class CountedCalendar(Container[dt.date]):
    """No bank holidays; counts how often a day is looked up, which open_status does once
    each time it evaluates a service's hours."""

    def __init__(self) -> None:
        self.looked_up = 0

    def __contains__(self, day: object) -> bool:
        self.looked_up += 1
        return False


def at(hour: int, minute: int, second: int = 0) -> dt.datetime:
    return dt.datetime.combine(MONDAY, dt.time(hour, minute, second))


def club(service_id: str, opens: dt.time, closes: dt.time) -> Service:
    return Service(
        id=service_id,
        name=f"Lunch Club {service_id}",
        hours=[OpeningHours(days=WEEKDAYS, opens=opens, closes=closes)],
    )


def test_the_open_now_states_change_when_the_minute_does_and_not_otherwise():
    calendar = CountedCalendar()
    services = [club("late", dt.time(9), dt.time(10, 31)), club("day", dt.time(9), dt.time(17))]
    index = SearchIndex(services, eligibility=Eligibility(bank_holidays=calendar))

    def find(when: dt.datetime):
        return index.find("lunch club", filters=Filters(open_at=when), today=MONDAY)

    first = find(at(10, 30, 5))
    assert [r.service.id for r in first.results] == ["day", "late"]
    looked_up = calendar.looked_up
    assert looked_up > 0
    # later keystrokes in the same minute: the same answers, the hours not read again
    assert find(at(10, 30, 59)) == first
    assert calendar.looked_up == looked_up
    # the next minute: worked out again, and "late" has closed
    next_minute = find(at(10, 31, 0))
    assert calendar.looked_up > looked_up
    assert [r.service.id for r in next_minute.results] == ["day"]
    assert [r.service.id for r in next_minute.set_aside] == ["late"]
    assert next_minute.set_aside[0].verdict.failed == ("closed now: opens Tue 09:00",)
    assert next_minute.set_aside_by == {"open_now": 1}


def test_hours_with_seconds_are_checked_at_the_exact_second():
    # no feed writes such hours, but one that did must not be answered for a whole minute
    services = [club("odd", dt.time(9, 0, 30), dt.time(17))]
    index = SearchIndex(services, eligibility=Eligibility(bank_holidays=CountedCalendar()))
    before = index.find("lunch club", filters=Filters(open_at=at(9, 0, 10)), today=MONDAY)
    after = index.find("lunch club", filters=Filters(open_at=at(9, 0, 40)), today=MONDAY)
    assert [r.service.id for r in before.set_aside] == ["odd"]
    assert [r.service.id for r in after.results] == ["odd"]
