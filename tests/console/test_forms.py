"""What a handler types into the new-contact form, read as they mean it."""

from __future__ import annotations

import datetime as dt

import pytest

from frontdoor.console.forms import FormError, parse_dob

TODAY = dt.date(2026, 11, 24)


@pytest.mark.parametrize(
    "typed",
    [
        "12/03/1941",
        "12.03.1941",
        "12-03-1941",
        "12 03 1941",
        "12031941",
        "1941-03-12",
        " 12/3/1941 ",
    ],
)
def test_a_date_of_birth_is_read_day_first_however_it_is_typed(typed: str) -> None:
    assert parse_dob(typed, TODAY) == dt.date(1941, 3, 12)


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("31021941", "write it as DD/MM/YYYY"),  # no 31st of February
        ("1203194", "write it as DD/MM/YYYY"),  # a digit short
        ("19410312", "write it as DD/MM/YYYY"),  # year first without dashes: month 41
        ("12032027", "cannot be right"),  # after today
        ("12031890", "cannot be right"),  # 136 years ago
    ],
)
def test_a_date_of_birth_that_cannot_be_read_says_how_to_write_it(typed: str, why: str) -> None:
    with pytest.raises(FormError, match=why) as refused:
        parse_dob(typed, TODAY)
    assert refused.value.field == "subject_dob"


def test_an_empty_date_of_birth_is_none() -> None:
    assert parse_dob("  ", TODAY) is None
