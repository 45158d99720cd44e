"""Scoring a contact against a person on file, field by field, the way a master patient
index does (after Fellegi and Sunter): each field that agrees adds a weight, each that
disagrees takes one away, and a field missing on either side counts neither way.

The weights are rounded log-odds: how much likelier that agreement is between two records
of one person than between two people. A date of birth or a surname agreeing is strong
evidence; a postcode district or a phone number weaker (families share both); a forename
that disagrees after its forms, typing errors and middle names are allowed for is strong
evidence against.

Thresholds, on the total:
- POSSIBLE_AT (8): shown to the handler as a possible match to confirm or reject. The
  same forename and surname alone (7) is not enough; with the same postcode district (8),
  the same phone (9) or the same full postcode (10) it is.
- PROBABLE_AT (11): shown as a probable match; the handler still confirms it. The same
  name and date of birth (12) is; the same surname and postcode with another forename
  (two people of one household, 2) is far from either.
A score is offered only when some part of the name agrees: a date of birth and postcode
shared with nobody of that name is a neighbour's birthday, not a match. Nothing scored is
linked without the handler: only an NHS number or a full key (name, date of birth and
postcode) links on its own (index.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from frontdoor.identifiers import compact_postcode
from frontdoor.people.model import (
    Agreement,
    Details,
    Field,
    FieldScore,
    MatchKind,
    Person,
    Score,
)
from frontdoor.people.names import ForenameForms, parse_name

POSSIBLE_AT = 8.0
PROBABLE_AT = 11.0

A = Agreement
WEIGHTS: dict[Field, dict[Agreement, float]] = {
    Field.SURNAME: {A.SAME: 4.0, A.TYPO: 2.5, A.DIFFERENT: -4.0},
    Field.FORENAME: {
        A.SAME: 3.0,
        A.VARIANT: 2.5,
        A.TYPO: 2.0,
        A.INITIAL: 1.0,
        A.DIFFERENT: -5.0,
    },
    Field.DOB: {A.SAME: 5.0, A.TRANSPOSED: 3.0, A.ONE_DIGIT: 2.5, A.DIFFERENT: -5.0},
    Field.POSTCODE: {A.SAME: 3.0, A.DISTRICT: 1.0, A.DIFFERENT: -1.0},
    Field.PHONE: {A.SAME: 2.0, A.DIFFERENT: 0.0},
}
# the order agreements are preferred in when a name could agree more than one way
_BEST_FIRST = [A.SAME, A.VARIANT, A.TYPO, A.INITIAL, A.DIFFERENT]


def typo(a: str, b: str) -> bool:
    """One letter wrong, missing, added, or two neighbours swapped (Price, Prise; Smith,
    Simth); two in names of eight letters or more (Macdonald, McDonnald). Short names
    (Ann, Jo) are left to the table of forms."""
    shorter = min(len(a), len(b))
    if shorter < 4:
        return False
    allowed = 2 if shorter >= 8 else 1
    from rapidfuzz.distance import OSA  # at the first look-up: not for the console's start

    return OSA.distance(a, b, score_cutoff=allowed) <= allowed


def _forename(a: str, b: str, forms: ForenameForms) -> Agreement:
    if a == b:
        return A.SAME
    if len(a) == 1 or len(b) == 1:
        return A.INITIAL if a[0] == b[0] else A.DIFFERENT
    if forms.are_forms(a, b):
        return A.VARIANT
    return A.TYPO if typo(a, b) else A.DIFFERENT


def compare_forenames(
    given: tuple[str, ...], other: tuple[str, ...], forms: ForenameForms
) -> Agreement:
    """The first forename of each against every given name of the other, best kept: a
    person known by a middle name ('Margaret Doreen', called Doreen) still agrees."""
    if not given or not other:
        return A.UNKNOWN
    found = {_forename(given[0], o, forms) for o in other}
    found |= {_forename(g, other[0], forms) for g in given}
    return next(a for a in _BEST_FIRST if a in found)


def compare_surnames(a: str | None, b: str | None) -> Agreement:
    if not a or not b:
        return A.UNKNOWN
    if a == b:
        return A.SAME
    return A.TYPO if typo(a, b) else A.DIFFERENT


def _digits(date: dt.date) -> str:
    return date.strftime("%d%m%Y")


def compare_dobs(a: dt.date | None, b: dt.date | None) -> Agreement:
    if a is None or b is None:
        return A.UNKNOWN
    if a == b:
        return A.SAME
    if (a.day, a.month, a.year) == (b.month, b.day, b.year):
        return A.TRANSPOSED
    differ = sum(x != y for x, y in zip(_digits(a), _digits(b), strict=True))
    return A.ONE_DIGIT if differ == 1 else A.DIFFERENT


def dob_variants(date: dt.date) -> set[dt.date]:
    """Every date that compares as the same, transposed or one digit out: the dates of
    birth worth looking people up by."""
    found = {date}
    text = _digits(date)
    candidates = [f"{text[2:4]}{text[0:2]}{text[4:]}"]
    for place, digit in enumerate(text):
        candidates += [text[:place] + d + text[place + 1 :] for d in "0123456789" if d != digit]
    for candidate in candidates:
        try:
            found.add(dt.datetime.strptime(candidate, "%d%m%Y").date())
        except ValueError:
            continue
    return found


def district_of(postcode: str) -> str:
    """'DN31 2AB' -> 'DN31': the outward code (the inward code is always three)."""
    return compact_postcode(postcode)[:-3]


def compare_postcodes(a: str | None, b: str | None) -> Agreement:
    if not a or not b:
        return A.UNKNOWN
    if compact_postcode(a) == compact_postcode(b):
        return A.SAME
    return A.DISTRICT if district_of(a) == district_of(b) else A.DIFFERENT


def compare_phones(a: str | None, b: str | None) -> Agreement:
    if not a or not b:
        return A.UNKNOWN
    return A.SAME if a == b else A.DIFFERENT


def _fields(details: Details, person: Person, forms: ForenameForms) -> Iterator[FieldScore]:
    mine, theirs = parse_name(details.name), parse_name(person.name)
    agreements = [
        (Field.FORENAME, compare_forenames(mine.given, theirs.given, forms)),
        (Field.SURNAME, compare_surnames(mine.surname, theirs.surname)),
        (Field.DOB, compare_dobs(details.dob, person.dob)),
        (Field.POSTCODE, compare_postcodes(details.postcode, person.postcode)),
        (Field.PHONE, compare_phones(details.phone, person.phone)),
    ]
    for field, agreement in agreements:
        yield FieldScore(field, agreement, WEIGHTS[field].get(agreement, 0.0))


def score(details: Details, person: Person, forms: ForenameForms) -> Score:
    fields = tuple(_fields(details, person, forms))
    return Score(round(sum(f.weight for f in fields), 2), fields)


def worth_asking(result: Score) -> MatchKind | None:
    """Probable or possible by the thresholds above, if some part of the name agrees."""
    named = any(
        result.agreement(f) not in (A.UNKNOWN, A.DIFFERENT) for f in (Field.FORENAME, Field.SURNAME)
    )
    if not named or result.total < POSSIBLE_AT:
        return None
    return MatchKind.PROBABLE if result.total >= PROBABLE_AT else MatchKind.POSSIBLE


def nhs_numbers_differ(details: Details, person: Person) -> bool:
    """Two different NHS numbers are two different people, whatever else agrees."""
    return bool(details.nhs_number and person.nhs_number) and (
        details.nhs_number != person.nhs_number
    )
