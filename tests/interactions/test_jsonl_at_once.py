"""A line read at once by pydantic's JSON reader (jsonl._read_at_once) is the line the
step-by-step way reads (Python's reader, then the model), or is left to that way; a
time read at once is the time pydantic reads; a contact linked to its person at once is
the one dataclasses.replace makes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json

import pytest
from pydantic import AwareDatetime, TypeAdapter, ValidationError

from frontdoor.interactions.export import contact_to_json
from frontdoor.interactions.jsonl import ContactLine, Moment, _read_at_once
from frontdoor.interactions.loading import _linked_to, contact_from_line
from frontdoor.interactions.model import Contact
from frontdoor.mi.bench import contacts_of_day

BASE = {
    "id": "c-1",
    "channel": "phone",
    "caller_type": "public",
    "received_at": "2026-03-02T09:14:05Z",
}


def answer(value: object) -> dict[str, object]:
    return {"script": "s", "node": "n", "answer": value, "at": "2026-03-02T09:14:05Z"}


LINES = [
    json.dumps(BASE),
    json.dumps(
        BASE | {"notes": "Café ünïcode", "answers": [answer("Yes"), answer(["a", "b"])]},
        ensure_ascii=False,
    ),
    json.dumps(BASE | {"notes": "escaped \u0000"}),  # a \u escape: left to the slow way
    '{"id": "a", "id": "b", "channel": "phone", "caller_type": "public", '
    '"received_at": "2026-03-02T09:14:05Z"}',  # a key twice: the last one, both ways
    json.dumps(BASE)[:-1] + ', "notes": "a\tb"}',  # a raw tab: not JSON
    json.dumps(BASE) + " x",
    json.dumps([BASE]),
    "[" * 5000 + "]" * 5000,
    json.dumps(BASE | {"answers": [answer(12)]}),
    json.dumps(BASE | {"answers": [answer(1.5)]}),
    json.dumps(BASE | {"answers": [answer(True)]}),
    json.dumps(BASE)[:-1]
    + ', "answers": [{"script": "s", "node": "n", "answer": '
    + "9" * 5000
    + ', "at": "2026-03-02T09:14:05Z"}]}',
    json.dumps(BASE | {"scripts": [{"script": "s", "version": 1.0}]}),
    json.dumps(BASE | {"scripts": [{"script": "s", "version": "1"}]}),
    json.dumps(BASE | {"consent": {"record": "yes"}}),
    json.dumps(BASE | {"received_at": 1700000000}),
    json.dumps(BASE | {"received_at": "2026-03-02T09:14:05+01:00"}),
    json.dumps(BASE | {"received_at": "2026-03-02T09:14:05.999Z"}),
    json.dumps(BASE | {"received_at": "2026-02-30T09:14:05Z"}),
    json.dumps(BASE | {"received_at": "1899-12-31T23:59:59Z"}),
    json.dumps(BASE | {"received_at": "3000-01-01T00:00:00Z"}),
    json.dumps(BASE | {"received_at": "2999-12-31T23:59:59Z"}),
    json.dumps(BASE | {"channel": "email", "answered_at": "2026-03-02T09:14:05Z"}),
    "\ufeff" + json.dumps(BASE),
]


def _slowly(text: str) -> ContactLine | None:
    try:
        return ContactLine.model_validate(json.loads(text))
    except (ValueError, RecursionError):  # ValidationError is a ValueError
        return None


@pytest.mark.parametrize("text", LINES, ids=range(len(LINES)))
def test_a_line_read_at_once_is_the_line_read_step_by_step(text):
    for raw in (text, text.encode()):
        at_once = _read_at_once(raw, text)
        if at_once is not None:
            assert at_once == _slowly(text)


def test_most_lines_are_read_at_once():
    assert _read_at_once(LINES[0], LINES[0]) == _slowly(LINES[0]) is not None
    assert _read_at_once(LINES[1].encode(), LINES[1]) is not None


TIMES = [
    "2026-03-02T09:14:05Z",
    "2026-03-02T09:14:05z",
    "2026-03-02 09:14:05Z",
    "2026-03-02T09:14:60Z",
    "2026-13-02T09:14:05Z",
    "2026-03-02T24:00:00Z",
    "1900-01-01T00:00:00Z",
    "1901-01-01T00:00:00Z",
    "2998-12-31T23:59:59Z",
    "2999-06-01T00:00:00Z",
    "0001-01-01T00:00:00Z",
    "+026-03-02T09:14:05Z",
    "2026-03-02T09:14:05+00:00",
    "２０２６-03-02T09:14:05Z",
]


@pytest.mark.parametrize("text", TIMES)
def test_a_time_read_at_once_is_the_time_pydantic_reads(text):
    ours, theirs = TypeAdapter(Moment), TypeAdapter(AwareDatetime)
    try:
        expected: dt.datetime | None = theirs.validate_python(text)
    except ValidationError:
        expected = None
    try:
        got: dt.datetime | None = ours.validate_python(text)
    except ValidationError:
        got = None
    if got is not None:
        assert expected is not None and got == expected and got.utcoffset() == dt.timedelta(0)
    elif expected is not None:  # refused only for the years a contact cannot have
        assert not 1900 <= expected.year <= 2999 or expected.year in (1900, 2999)


def test_a_contact_linked_to_its_person_is_the_contact_replace_makes():
    line = ContactLine.model_validate_json(LINES[1])
    made = contact_from_line(line)
    linked = _linked_to(made, "p-1", "subject_key")
    assert linked == dataclasses.replace(made, person_id="p-1", person_link="subject_key")
    assert made.person_id is None  # the contact it was made from is as it was


def test_a_contact_made_from_a_line_is_the_contact_its_class_makes():
    lines = [ContactLine.model_validate_json(LINES[1])]
    lines += [
        ContactLine.model_validate_json(json.dumps(contact_to_json(c)))
        for c in itertools.islice(contacts_of_day(dt.date(2026, 3, 2), 12_000, 0), 50)
    ]
    for line in lines:
        made = contact_from_line(line)
        assert sorted(vars(made)) == sorted(f.name for f in dataclasses.fields(Contact))
        assert made == Contact(**vars(made))
