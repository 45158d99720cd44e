"""Text a handler typed, with what could name someone taken out: the contact's own names,
and anything that looks like an NHS or phone number, a postcode or a date. What a search
was for stays ("falls for ottoline fairweather 9434765919" -> "falls for [name] [name]
[number]"), so texts about one need still group as one.

Cleaning a cleaned text changes nothing (the marks match none of the patterns), so a
text kept cleaned by `records purge` reads the same when cleaned again.

A leaf module with no imports of ours: the record's purge, the pseudonymised export and
the reports all clean texts, and cannot import one another.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

NAME, NUMBER, POSTCODE, DATE = "[name]", "[number]", "[postcode]", "[date]"

_MONTHS = (
    "jan|january|feb|february|mar|march|apr|april|may|jun|june|jul|july|aug|august|"
    "sep|sept|september|oct|october|nov|november|dec|december"
)
_ORDINAL = r"\d{1,2}(?:st|nd|rd|th)?"
# the patterns, most specific first: a date's digits are not left for a number
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # 1940-05-01, 01/05/1940, 1.5.40, 1-5-1940
    (re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b"), DATE),
    (re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b"), DATE),
    # 1 May 1940, 1st may 40, May 1 1940
    (re.compile(rf"\b{_ORDINAL}\s+(?:{_MONTHS})\b\.?(?:\s+\d{{2,4}})?", re.I), DATE),
    (re.compile(rf"\b(?:{_MONTHS})\.?\s+{_ORDINAL}(?:,?\s+\d{{2,4}})?\b", re.I), DATE),
    # UK postcodes, spaced or not: DN32 7DL, dn327dl
    (re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.I), POSTCODE),
    # NHS numbers (943 476 5919), phone numbers (+44 1472 000111, 01472-000111): any run
    # of six digits or more, spaces and dashes between them allowed
    (re.compile(r"(?<![\w+])\+?\d(?:[\s-]?\d){5,}\b"), NUMBER),
)
_WORD = re.compile(r"[^\W\d_][\w'-]*", re.UNICODE)
# words of a name that are no one's: titles
_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "rev", "prof", "sir", "dame"})


def name_words(names: Iterable[str | None]) -> frozenset[str]:
    """The words of these names worth taking out of a text: two letters or more, titles
    aside, lower case."""
    found: set[str] = set()
    for name in names:
        for word in _WORD.findall(name or ""):
            folded = word.casefold()
            if len(folded) >= 2 and folded not in _TITLES:
                found.add(folded)
    return frozenset(found)


def cleaned(text: str, names: Iterable[str] = ()) -> str:
    """`text` with the words of `names` (from `name_words`) and every number, postcode and
    date marked instead."""
    for pattern, mark in _PATTERNS:
        text = pattern.sub(mark, text)
    known = frozenset(names)
    if known:
        text = _WORD.sub(lambda m: _name_or_word(m.group(0), known), text)
    return text


def _name_or_word(word: str, known: frozenset[str]) -> str:
    folded = word.casefold()
    if folded in known:
        return NAME
    if folded.endswith("'s") and folded[:-2] in known:  # June's
        return NAME + "'s"
    return word
