"""What a handler typed, cleaned of what could name someone, the need words kept; and
cleaning twice is cleaning once (a purged search text reads the same when cleaned again)."""

from __future__ import annotations

import pytest

from frontdoor.personal_text import cleaned, name_words

ADA = name_words(["Mrs Ada Lovelace", "June O'Carer", None])
OTTOLINE = name_words(["Ottoline Fairweather"])


@pytest.mark.parametrize(
    ("typed", "names", "kept"),
    [
        ("falls for ottoline fairweather 9434765919", OTTOLINE, "falls for [name] [name] [number]"),
        ("falls for Ada LOVELACE 943 476 5919", ADA, "falls for [name] [name] [number]"),
        ("june's number is 01472 000111", ADA, "[name]'s number is [number]"),
        ("ring +44 1472-000111 back", ADA, "ring [number] back"),
        ("carers near DN32 7DL or dn327dl", ADA, "carers near [postcode] or [postcode]"),
        ("born 01/05/1940, seen 1940-05-01", ADA, "born [date], seen [date]"),
        ("since 1st May 1940 and May 3 2026", ADA, "since [date] and [date]"),
        ("chiropody for mum", ADA, "chiropody for mum"),
        ("meals on wheels 7 days", ADA, "meals on wheels 7 days"),
        ("mrs smith", ADA, "mrs smith"),  # not the contact's name: only patterns apply
    ],
)
def test_names_numbers_postcodes_and_dates_are_marked(typed, names, kept):
    assert cleaned(typed, names) == kept
    assert cleaned(kept, names) == kept


def test_titles_are_no_ones_name():
    assert name_words(["Mrs Ada Lovelace", "June O'Carer", None]) == {
        "ada",
        "lovelace",
        "june",
        "o'carer",
    }
