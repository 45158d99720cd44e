"""An import writes each contact as tuples (`contact_tuples`), checked for what the record
cannot keep by `line_misfits`: the same values, and the same refusals, as the rows that
`contact_rows` makes and `contact_misfits` judges."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools

import pytest

from frontdoor.interactions.loading import (
    KEYS,
    contact_misfits,
    contact_rows,
    contact_tuples,
    line_misfits,
)
from frontdoor.interactions.model import Answer, Contact, ScriptEnd, Search, ServiceUsed
from frontdoor.mi.bench import contacts_of_day

AT = dt.datetime(2026, 3, 2, 9, 14, 5, tzinfo=dt.UTC)


def _full() -> Contact:
    """A contact with something in every list, a person, and a many-label answer."""
    base = next(c for c in contacts_of_day(dt.date(2026, 3, 2), 12_000, 0) if c.answers)
    return dataclasses.replace(
        base,
        answers=[
            Answer("falls", 3, "lives_alone", "answer", "Yes", AT),
            Answer("falls", 3, "help", "answer", ("a", "b"), AT),
            Answer("falls", 3, "skipped", "answer", None, AT),
        ],
        ends=[ScriptEnd("falls", 3, "call_999", None, "chest pain")],
        searches=[Search(0, "carers suport", ["carers-support"], None, AT)],
        services=[ServiceUsed("carers-support", "carers-support", "referred", seq=1)],
        notes="Café — “quoted”",
        person_id="p-0123456789abcdef",
        person_link="subject_key",
    )


def _day() -> list[Contact]:
    return list(itertools.islice(contacts_of_day(dt.date(2026, 3, 2), 12_000, 0), 200))


def test_a_contacts_tuples_are_its_rows_values_in_their_order() -> None:
    for contact in [_full(), *_day()]:
        rows, tuples = contact_rows(contact), contact_tuples(contact)
        assert list(tuples) == list(rows)
        for table, kept in rows.items():
            assert [tuple(row) for row in kept] == [KEYS[table]] * len(kept)
            assert tuples[table] == [tuple(row.values()) for row in kept], table


@pytest.mark.parametrize(
    "change",
    [
        {"id": "c-" + "9" * 60},
        {"caller_key": "+44" + "1" * 200},
        {"handler": "h" * 81},
        {"answers": [Answer("falls", 2**31, "n", "answer", "Yes", AT)]},
        {"ends": [ScriptEnd("s" * 300, 1, "end", None, None)]},
        {"searches": [Search(0, "q", [], "x" * 500, AT)]},
        {"services": [ServiceUsed("s" * 300, "s" * 300, "signposted", seq=1)]},
        {"notes": "a long note is kept whole " * 1000},
    ],
)
def test_a_line_that_does_not_fit_is_refused_in_the_words_its_rows_are(change: dict) -> None:
    contact = dataclasses.replace(_full(), **change)
    expected = contact_misfits(contact, contact_rows(contact), text_kept=True)
    assert line_misfits(contact, contact_tuples(contact)) == expected
    if "notes" not in change:  # a note has no length limit: the one that fits
        assert expected


def test_lines_that_fit_are_not_refused() -> None:
    for contact in [_full(), *_day()]:
        assert line_misfits(contact, contact_tuples(contact)) == []
