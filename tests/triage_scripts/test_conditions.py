import datetime as dt
import re

import pytest

from frontdoor.triage_scripts.conditions import (
    ConditionError,
    TimeNotGiven,
    evaluate,
    names,
    parse,
    uses_time,
)


@pytest.mark.parametrize(
    ("text", "recorded", "expected"),
    [
        ("falls_12m >= 2", {"falls_12m": 2}, True),
        ("falls_12m >= 2", {"falls_12m": 1}, False),
        ("falls_12m > 1.5", {"falls_12m": 2}, True),
        ("age < 18", {"age": 17}, True),
        ("age <= 18", {"age": 19}, False),
        ("vulnerable", {"vulnerable": True}, True),
        ("vulnerable", {"vulnerable": False}, False),
        ("not vulnerable", {"vulnerable": False}, True),
        ("concern == 'Domestic abuse'", {"concern": "domestic abuse"}, True),
        ('concern != "Neglect"', {"concern": "Neglect"}, False),
        ("area in ['DN15', 'DN16']", {"area": "DN16"}, True),
        ("area in ['DN15', 'DN16']", {"area": "DN17"}, False),
        ("count in [1, 2, 3]", {"count": 2}, True),
        ("a and b or c", {"a": True, "b": False, "c": True}, True),
        ("a and (b or c)", {"a": False, "b": True, "c": True}, False),
        ("not (a or b)", {"a": False, "b": False}, True),
        ("seen == true", {"seen": True}, True),
        ("seen == false", {"seen": True}, False),
        ("last_visit < '2026-04-01'", {"last_visit": dt.date(2026, 3, 31)}, True),
        ("last_visit >= '2026-04-01'", {"last_visit": dt.date(2026, 3, 31)}, False),
        ("missing > 2", {}, False),
        ("age > 'ten'", {"age": 10}, False),
    ],
)
def test_conditions_evaluate_as_written(text, recorded, expected):
    assert evaluate(parse(text), recorded) is expected


def test_and_binds_tighter_than_or():
    # a or (b and c), not (a or b) and c
    assert evaluate(parse("a or b and c"), {"a": True, "b": False, "c": False}) is True


@pytest.mark.parametrize(
    "text",
    [
        "",
        "falls >=",
        "falls >= two",  # text must be quoted
        "__import__('os')",
        "a ==",
        "(a",
        "a b",
        "1 == a",
        "a in 'x'",
        "a in [1, 2",
        "a; b",
        "a.b == 1",
        "a = 1",
    ],
)
def test_anything_outside_the_grammar_is_refused(text):
    with pytest.raises(ConditionError):
        parse(text)


def test_names_lists_every_recorded_name_read():
    assert names(parse("a and (b > 1 or not c in [1])")) == {"a", "b", "c"}


# --- version 2: facts, null, functions, many answers -----------------------------------
TODAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize(
    ("text", "known", "expected"),
    [
        # a comparison with a null side is false, except == null and != null
        ("person.age >= 75", {"person.age": None}, False),
        ("person.age < 75", {"person.age": None}, False),
        ("not (person.age >= 75)", {"person.age": None}, True),
        ("person.age == null", {"person.age": None}, True),
        ("person.age != null", {"person.age": None}, False),
        ("person.age != null", {"person.age": 80}, True),
        ("person.age == null or person.age >= 75", {"person.age": 80}, True),
        ("person.age in [70, 80]", {"person.age": None}, False),
        ("caller.is_person", {"caller.is_person": True}, True),
        ("contact.repeat", {"contact.repeat": None}, False),
        ("not contact.repeat", {"contact.repeat": None}, True),
        ("caller.type == 'carer'", {"caller.type": "carer"}, True),
        ("now.weekday in ['sat', 'sun']", {"now.weekday": "sun"}, True),
        # many answers: labels match exactly
        ('symptoms has "Fever"', {"symptoms": ("Fever", "Cough")}, True),
        ('symptoms has "fever"', {"symptoms": ("Fever", "Cough")}, False),
        ('symptoms has any ["Rash", "Cough"]', {"symptoms": ("Fever", "Cough")}, True),
        ('symptoms has all ["Fever", "Rash"]', {"symptoms": ("Fever", "Cough")}, False),
        ('symptoms has all ["Fever", "Cough"]', {"symptoms": ("Fever", "Cough")}, True),
        ("count(symptoms) >= 2", {"symptoms": ("Fever", "Cough")}, True),
        ("2 < count(symptoms)", {"symptoms": ("Fever", "Cough")}, False),
        ("count(symptoms) == 1", {}, False),
        # functions of a recorded date count from today
        ("days_since(started) > 21", {"started": dt.date(2026, 10, 20)}, True),
        ("days_since(started) > 21", {"started": dt.date(2026, 11, 2)}, False),
        ("21 < days_since(started)", {"started": "2026-10-20"}, True),
        ("age(born) >= 75", {"born": dt.date(1951, 11, 23)}, True),
        ("age(born) >= 75", {"born": dt.date(1951, 11, 24)}, False),
        ("age(born) == null", {}, True),
    ],
)
def test_version_2_conditions_evaluate_as_the_spec_says(text, known, expected):
    assert evaluate(parse(text), known, TODAY) is expected


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("person.agee > 2", "unknown fact 'person.agee'"),
        ("weekday(started) == 'mon'", "unknown function 'weekday'"),
        ("count(person.age) > 1", "takes one recorded name"),
        ("count(symptoms)", "must be compared"),
        ("2 < symptoms", "with a function"),
        ("symptoms has 2", "label in quotes"),
        ("symptoms has some ['a']", "'any', 'all' or a label"),
        ("area in ['a', null]", "null cannot be in a list"),
    ],
)
def test_version_2_conditions_outside_the_grammar_say_why(text, says):
    with pytest.raises(ConditionError, match=re.escape(says)):
        parse(text)


def test_days_since_without_a_day_is_refused_not_guessed():
    with pytest.raises(TimeNotGiven):
        evaluate(parse("days_since(started) > 1"), {"started": TODAY})
    assert uses_time(parse("a or now.hour < 9")) and not uses_time(parse("count(s) > 1"))
    assert names(parse("count(s) > 1 and person.age > 3")) == {"s", "person.age"}
