"""Codes with no label of their own are put in words the one way, wherever they are shown."""

from __future__ import annotations

import pytest

from frontdoor.words import in_words


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("progress_chasing", "Progress chasing"),
        ("reason-for-call", "Reason for call"),
        ("gp_advice", "GP advice"),  # two letters that are not a word are initials
        ("dn_referral", "DN referral"),
        ("to_front_door", "To front door"),
        ("call_999", "Call 999"),
        ("public", "Public"),
    ],
)
def test_a_code_in_words(code, words):
    assert in_words(code) == words
