import datetime as dt

import pytest

from frontdoor.triage_scripts.conditions import ConditionError, evaluate, names, parse


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
