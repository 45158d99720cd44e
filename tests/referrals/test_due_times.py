"""Due times worked out by hand, across a bank-holiday weekend and the clocks changing."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from frontdoor.local_time import BankHolidays
from frontdoor.response_times import ResponseTimeError, due_at, read_response_time

LONDON = ZoneInfo("Europe/London")


def local(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("made", "within", "due"),
    [
        # Thursday 2 April 2026, before Good Friday (3rd) and Easter Monday (6th): the 1st
        # working day after is Tuesday 7th, the 2nd Wednesday 8th (in summer time)
        (local(2026, 4, 2, 15, 0), "2 working days", local(2026, 4, 8, 23, 59, 59)),
        # late on a Friday: Monday is the first working day
        (local(2026, 11, 20, 23, 30), "1 working day", local(2026, 11, 23, 23, 59, 59)),
        # made on a Saturday: Monday 23rd, Tuesday 24th
        (local(2026, 11, 21, 10, 0), "2 working days", local(2026, 11, 24, 23, 59, 59)),
        # Christmas: Thursday 24 December 2026; 25th and 28th (Boxing Day substitute) are
        # bank holidays, so the first working day after is Tuesday 29th
        (local(2026, 12, 24, 9, 0), "1 working day", local(2026, 12, 29, 23, 59, 59)),
        # 4 clock hours across the clocks going forward (01:00 GMT -> 02:00 BST on 29 March
        # 2026): made 23:30 GMT on the 28th, due 03:30 GMT = 04:30 BST
        (local(2026, 3, 28, 23, 30), "4h", local(2026, 3, 29, 4, 30)),
        # and going back (25 October 2026, 02:00 BST -> 01:00 GMT): made 00:30 BST, 4 real
        # hours later is 03:30 GMT
        (local(2026, 10, 25, 0, 30), "4h", local(2026, 10, 25, 3, 30)),
        # working days across the clocks going back: made Friday 23 October (BST), due the
        # end of Monday 26th in GMT, 23:59:59 local = 23:59:59 UTC
        (local(2026, 10, 23, 16, 0), "1 working day", local(2026, 10, 26, 23, 59, 59)),
    ],
)
def test_due_times_worked_by_hand(made, within, due):
    got = due_at(made.astimezone(dt.UTC), read_response_time(within), LONDON, BankHolidays())
    assert got == due.astimezone(dt.UTC)
    assert got.tzinfo is dt.UTC


def test_the_clocks_going_back_is_in_the_due_time_in_utc():
    due = due_at(
        local(2026, 10, 23, 16, 0), read_response_time("1 working day"), LONDON, BankHolidays()
    )
    assert due == dt.datetime(2026, 10, 26, 23, 59, 59, tzinfo=dt.UTC)
    due = due_at(
        local(2026, 10, 22, 16, 0), read_response_time("1 working day"), LONDON, BankHolidays()
    )
    # Friday 23rd is still summer time: 23:59:59 BST is 22:59:59 UTC
    assert due == dt.datetime(2026, 10, 23, 22, 59, 59, tzinfo=dt.UTC)


@pytest.mark.parametrize("text", ["2 days", "0h", "tomorrow", "", "2 working", "-1h"])
def test_a_response_time_that_is_not_one_says_what_one_looks_like(text):
    with pytest.raises(ResponseTimeError, match="such as 4h or 2 working days"):
        read_response_time(text)
