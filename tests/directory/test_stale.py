"""One rule for an entry that may be out of date: not checked for 12 calendar months."""

from __future__ import annotations

import datetime as dt

from frontdoor.directory.model import Service, stale_before

LEAP_DAY = dt.date(2028, 2, 29)


def test_twelve_months_before_a_leap_day_is_the_last_day_of_february():
    assert stale_before(LEAP_DAY) == dt.date(2027, 2, 28)
    assert stale_before(dt.date(2026, 11, 23)) == dt.date(2025, 11, 23)
    assert stale_before(dt.date(2026, 3, 31), months=1) == dt.date(2026, 2, 28)
    assert stale_before(dt.date(2026, 1, 15), months=13) == dt.date(2024, 12, 15)


def test_the_search_and_the_leads_list_agree_on_which_entries_are_stale(front, clock):
    checked = {
        "never": None,
        "day-before": dt.date(2027, 2, 27),
        "twelve-months-to-the-day": dt.date(2027, 2, 28),
        "leap-day-last-year-has-none": dt.date(2027, 3, 1),
    }
    services = [Service(id=i, name=f"Entry {i}", assured_date=d) for i, d in checked.items()]
    front.directory.save(services, clock(), by="import")
    listed = {s.id for s in front.directory.not_checked_since(stale_before(LEAP_DAY))}
    assert {"never", "day-before"} <= listed
    assert not {"twelve-months-to-the-day", "leap-day-last-year-has-none"} & listed
    assert {s.id for s in front.directory.all() if s.stale(LEAP_DAY)} == listed
