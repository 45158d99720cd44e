"""Characters that drive a terminal are shown as visible codes, and printed JSON stays
valid and means the same."""

from __future__ import annotations

import json

import pytest

from frontdoor.terminal_text import has_unsafe, visible, without_unsafe

HOSTILE = "Tea\x1b[31mRed\x07\x00\x7f\x9b1m\u202eevil\u2066\r\n\tend"


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b[31mRed", "␛[31mRed"),  # the picture of ESC: the rest is only text then
        ("ding\x07", "ding␇"),
        ("over\rwrite", "over␍write"),
        ("\x7f", "\\u007f"),
        ("\x9b31m", "\\u009b31m"),  # C1's one-character escape sequence introducer
        ("\u202eevil", "\\u202eevil"),  # shown in an order it does not have
        ("\u2066x\u2069", "\\u2066x\\u2069"),
        ("two\nlines\tand a tab", "two\nlines\tand a tab"),
        ("Café, naïve, 日本", "Café, naïve, 日本"),  # letters are letters
    ],
)
def test_each_control_is_shown_as_a_visible_code(raw, shown):
    assert visible(raw) == shown


def test_one_line_text_shows_its_newlines_and_tabs_too():
    assert visible("a\nb\tc", one_line=True) == "a␊b␉c"


def test_json_printed_through_it_stays_valid_and_means_the_same():
    value = {"name": HOSTILE, "list": [HOSTILE, "plain"]}
    for ensure_ascii in (True, False):
        printed = visible(json.dumps(value, ensure_ascii=ensure_ascii, indent=2))
        assert not has_unsafe(printed.replace("\n", "").replace("\t", ""))
        assert json.loads(printed) == value


def test_removed_where_no_code_fits():
    assert without_unsafe(HOSTILE) == "Tea[31mRed1mevil\n\tend"
