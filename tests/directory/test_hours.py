"""Opening hours: exceptions, then bank holidays in England, then the weekly hours."""

from __future__ import annotations

import datetime as dt

from frontdoor.directory.hours import BankHolidays, open_status
from frontdoor.directory.model import HoursException, OpeningHours, Service

WEEKDAYS = OpeningHours(
    days=["mon", "tue", "wed", "thu", "fri"], opens=dt.time(9), closes=dt.time(17)
)
NIGHTS = OpeningHours(days=["fri", "sat"], opens=dt.time(18), closes=dt.time(2))


def service(**kwargs) -> Service:
    return Service(id="s", name="S", **kwargs)


def at(day: str, time: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}")


def state(svc: Service, when: dt.datetime) -> str:
    return open_status(svc, when).state


def test_weekly_hours_with_the_closing_minute_closed():
    svc = service(hours=[WEEKDAYS])
    assert state(svc, at("2026-11-23", "08:59")) == "closed"  # a Monday
    assert state(svc, at("2026-11-23", "09:00")) == "open"
    assert state(svc, at("2026-11-23", "16:59")) == "open"
    assert state(svc, at("2026-11-23", "17:00")) == "closed"
    assert state(svc, at("2026-11-22", "12:00")) == "closed"  # Sunday


def test_hours_past_midnight_belong_to_the_day_they_started():
    svc = service(hours=[NIGHTS])
    assert state(svc, at("2026-11-27", "23:00")) == "open"  # Friday night
    assert state(svc, at("2026-11-28", "01:30")) == "open"  # early Saturday, from Friday
    assert state(svc, at("2026-11-30", "01:30")) == "closed"  # early Monday: Sunday is shut


def test_bank_holidays_in_england_come_from_the_holidays_package():
    holidays = BankHolidays()
    assert dt.date(2026, 12, 25) in holidays and dt.date(2026, 8, 31) in holidays
    assert dt.date(2026, 8, 3) not in holidays  # Scotland's summer holiday, not England's
    christmas = at("2026-12-25", "10:00")  # a Friday
    assert state(service(hours=[WEEKDAYS], open_on_bank_holidays=False), christmas) == "closed"
    assert state(service(hours=[WEEKDAYS]), christmas) == "not known"
    assert state(service(hours=[WEEKDAYS], open_on_bank_holidays=True), christmas) == "open"


def test_exceptions_come_before_everything():
    training = HoursException(date=dt.date(2026, 11, 24), note="training day")
    late = HoursException(
        date=dt.date(2026, 11, 25), closed=False, opens=dt.time(12), closes=dt.time(20)
    )
    svc = service(hours=[WEEKDAYS], hours_exceptions=[training, late])
    status = open_status(svc, at("2026-11-24", "10:00"))
    assert (status.state, status.reason) == ("closed", "closed on 24 Nov (training day)")
    assert state(svc, at("2026-11-25", "10:00")) == "closed"
    assert state(svc, at("2026-11-25", "19:00")) == "open"


def test_no_hours_or_hours_out_of_date_are_not_known():
    assert state(service(), at("2026-11-23", "10:00")) == "not known"
    old = OpeningHours(
        days=["mon"], opens=dt.time(9), closes=dt.time(17), valid_to=dt.date(2005, 1, 1)
    )
    status = open_status(service(hours=[old]), at("2026-11-23", "10:00"))
    assert (status.state, status.reason) == ("not known", "opening hours out of date")
