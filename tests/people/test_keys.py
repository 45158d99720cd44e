from __future__ import annotations

import datetime as dt

import pytest

from frontdoor.people.keys import caller_key, nhs_number_valid, subject_key


@pytest.mark.parametrize("number", ["9434765919", "943 476 5919", "943-476-5919", "4010232137"])
def test_valid_nhs_numbers(number):
    assert nhs_number_valid(number)


@pytest.mark.parametrize(
    "number", ["9434765918", "943476591", "94347659190", "abcdefghij", "1234567890"]
)  # 1234567890: check digit would be 10
def test_invalid_nhs_numbers(number):
    assert not nhs_number_valid(number)


def test_caller_key_folds_phone_formats_and_organisations():
    assert caller_key("01724 000111") == caller_key("+44 1724 000111") == "+441724000111"
    assert caller_key("  Ashby  Surgery ") == "ashby surgery"
    assert caller_key("") is None


def test_subject_key_prefers_the_nhs_number():
    dob = dt.date(1941, 7, 4)
    assert subject_key("943 476 5919", "Ann Smith", dob, "DN15 6XX") == "9434765919"
    assert subject_key(None, "Ann  Smith", dob, "dn15 6xx") == "ann smith|1941-07-04|DN156XX"
    assert subject_key(None, "Ann Smith", None, "DN15 6XX") is None
    assert subject_key("1234567890", None, None, None) is None
