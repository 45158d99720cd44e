"""Search texts as a report may show them: without the names, numbers, dates of birth and
postcodes of the people the contacts were about. Tried before: the MI report, in every
format, printed the unmet need "falls for ottoline fairweather 9434765919".

A text is cleaned as it is read from the record, before needs are grouped, so that
"falls for ottoline fairweather" and "falls for ada lovelace" are one need, "falls for
[name]". Taken out and marked: the words of the contact's own names (its caller's and
the person's), any word that is a forename in people's table of forenames (except those
that are everyday words too: "bill", "ward", "nan"), and whatever looks like a date, a
full postcode or a phone or NHS number (identifiers.py). The need's own words stay.
"""

from __future__ import annotations

import re
from functools import cache

from frontdoor.identifiers import DATE_MARK, NUMBER_MARK, POSTCODE_MARK, without_identifiers
from frontdoor.people.names import TITLES, bundled_forms, fold

NAME_MARK = "[name]"
MARKS = (NAME_MARK, NUMBER_MARK, DATE_MARK, POSTCODE_MARK)
_MARK = re.compile("|".join(re.escape(mark) for mark in MARKS))
# the same mark twice or more in a row is one: "[name] [name]" (forename and surname)
_REPEATED = re.compile(r"(\[[a-z]+\])(?:\s+\1)+")
# a word as names are written: letters, with an apostrophe or hyphen inside (o'brien,
# smith-jones, and a possessive: "ottoline's carer")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)
# a title before a name is part of it: "mrs [name]" is "[name]"
_TITLED = re.compile(rf"\b(?:{'|'.join(sorted(TITLES))})\.?\s+(?={re.escape(NAME_MARK)})")
# forenames that searches use as everyday words: a need, not a name
EVERYDAY = frozenset(
    re.findall(
        r"\w+",
        """ant art bee bill bob bride carol chick christian chuck cliff col con dee del den
    dick doll don dot drew eve frank gene gill gray hank hen herb isa jack jay jean kit
    kitty lol mal mat may mike nan nana nanny nick norm olive pat peg pen penny pip polly
    ray reg rex rich robin rod roger rose rosy sally sam sandy sim sol stew sue tally tom
    tory vin ward wat will willy win""",
    )
)


@cache
def forenames() -> frozenset[str]:
    """Forenames of people's table taken for names wherever they stand in a search."""
    return frozenset(n for n in bundled_forms().names() if len(n) > 2) - EVERYDAY


def name_words(names: tuple[str | None, ...]) -> frozenset[str]:
    """The words of a contact's names (folded), titles aside: "Mrs O'Brien-Smith" gives
    obrien-smith, obrien and smith."""
    found: set[str] = set()
    for name in names:
        for word in fold(name or "").split():
            if word in TITLES:
                continue
            found.update(part for part in (word, *word.split("-")) if len(part) > 1)
    return frozenset(found)


def cleaned(text: str, own_names: frozenset[str] = frozenset()) -> str:
    """`text` without names (the contact's own, `own_names` from `name_words`, and known
    forenames), dates, postcodes and long numbers, each put as its mark."""
    known = forenames()

    def is_name(word: str) -> bool:
        base = _POSSESSIVE.sub("", word)
        # a double-barrelled word with a name in it is a name: smith-jones
        return any(fold(w) in own_names or fold(w) in known for w in (base, *base.split("-")))

    def name_or_word(match: re.Match[str]) -> str:
        word = match.group()
        return NAME_MARK + word[len(_POSSESSIVE.sub("", word)) :] if is_name(word) else word

    text = without_identifiers(text)
    if not any(is_name(word) for word in _WORD.findall(text)):
        return " ".join(_REPEATED.sub(r"\1", text).split())  # the usual case, read faster
    # the marks' own words (name, number...) are not names: kept apart while words go
    pieces = _MARK.split(text)
    marks = _MARK.findall(text)
    named = [_WORD.sub(name_or_word, piece) for piece in pieces]
    joined = "".join(p + m for p, m in zip(named, [*marks, ""], strict=True))
    return " ".join(_REPEATED.sub(r"\1", _TITLED.sub("", joined)).split())


def _folded_words(text: str) -> frozenset[str]:
    """Every form of every word of `text` that `cleaned` looks up as a name."""
    found: set[str] = set()
    for word in _WORD.findall(without_identifiers(text)):
        base = _POSSESSIVE.sub("", word)
        found.update(fold(w) for w in (base, *base.split("-")))
    return frozenset(found)


class Cleaner:
    """`cleaned` for a period's searches, each with its contact's names: a year's report
    reads tens of thousands, the same few hundred texts by contacts each named otherwise.
    A text is read once; a contact's names cost a look-up only when the text holds one
    of their words."""

    def __init__(self) -> None:
        self._texts: dict[str, tuple[str, frozenset[str]]] = {}

    def __call__(self, text: str, names: tuple[str | None, ...]) -> str:
        if text not in self._texts:
            self._texts[text] = (cleaned(text), _folded_words(text))
        generic, words = self._texts[text]
        if not any(names):
            return generic
        own = name_words(names)
        return generic if words.isdisjoint(own) else cleaned(text, own)


def without_marks(text: str) -> str:
    """The need's own words: the marks taken out (grouping goes by them alone)."""
    return _MARK.sub(" ", text)
