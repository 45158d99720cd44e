"""The person index as the rest of the program sees it: people, what a contact says about
one, how well the two agree, and what the handler decided."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True)
class Details:
    """What a contact says about the person it is about, normalised (postcode 'DN31 2AB',
    NHS number ten digits, phone in +44 form). Any of it may be missing."""

    name: str | None = None
    dob: dt.date | None = None
    postcode: str | None = None
    nhs_number: str | None = None
    phone: str | None = None  # the number the call came from

    @property
    def identifies(self) -> bool:
        """Enough to keep a person for: a name or an NHS number."""
        return bool((self.name and self.name.strip()) or self.nhs_number)


@dataclass(frozen=True)
class Person:
    """One person in the index, with the details last known for them."""

    id: str
    name: str | None
    dob: dt.date | None
    postcode: str | None
    nhs_number: str | None
    phone: str | None

    @property
    def district(self) -> str | None:
        """The postcode's outward code ('DN31'): as much of the address as a screen shows
        to tell two people apart."""
        return self.postcode.split(" ")[0] if self.postcode else None


class Field(StrEnum):
    FORENAME = "forename"
    SURNAME = "surname"
    DOB = "dob"
    POSTCODE = "postcode"
    PHONE = "phone"


class Agreement(StrEnum):
    """How one field of a contact agrees with the same field of a person."""

    SAME = "same"
    VARIANT = "variant"  # another form of the same forename: Bill, William
    TYPO = "typo"  # one letter wrong, missing, extra or two swapped
    INITIAL = "initial"  # an initial only, and it fits
    TRANSPOSED = "transposed"  # a date with day and month swapped
    ONE_DIGIT = "one_digit"  # a date one digit out
    DISTRICT = "district"  # another postcode in the same district
    DIFFERENT = "different"
    UNKNOWN = "unknown"  # missing on one side: neither for nor against


@dataclass(frozen=True)
class FieldScore:
    field: Field
    agreement: Agreement
    weight: float

    def __str__(self) -> str:
        return f"{self.field}:{self.agreement}"


@dataclass(frozen=True)
class Score:
    total: float
    fields: tuple[FieldScore, ...]

    def agreement(self, field: Field) -> Agreement:
        return next((f.agreement for f in self.fields if f.field == field), Agreement.UNKNOWN)

    @property
    def evidence(self) -> tuple[str, ...]:
        """Each field and how it agreed ('dob:transposed'), as the record keeps it."""
        return tuple(str(f) for f in self.fields)


class MatchKind(StrEnum):
    NHS_NUMBER = "nhs_number"  # the same NHS number: the same person
    SUBJECT_KEY = "subject_key"  # the same name, date of birth and postcode
    PROBABLE = "probable"  # scored at or above PROBABLE_AT: ask the handler
    POSSIBLE = "possible"  # scored at or above POSSIBLE_AT: ask the handler


EXACT = frozenset({MatchKind.NHS_NUMBER, MatchKind.SUBJECT_KEY})


@dataclass(frozen=True)
class Match:
    """A person on file who may be the one the contact is about."""

    person: Person
    kind: MatchKind
    score: Score | None = None  # None for an exact match

    @property
    def exact(self) -> bool:
        """Exact matches are linked without asking; the others wait for the handler."""
        return self.kind in EXACT


class Decision(StrEnum):
    CONFIRMED = "confirmed"  # the handler said this is the same person
    REJECTED = "rejected"  # the handler said it is not: a new person is kept


@dataclass(frozen=True)
class MatchDecision:
    """What the handler decided about a possible match, kept in the contact's record so
    that anyone reviewing a link later (an information governance lead, say) can see who
    linked whom, when, and on what evidence."""

    person_id: str
    decision: Decision
    by: str
    at: dt.datetime
    kind: MatchKind
    score: float
    evidence: tuple[str, ...]

    @classmethod
    def of(cls, match: Match, decision: Decision, by: str, at: dt.datetime) -> MatchDecision:
        score = match.score
        return cls(
            person_id=match.person.id,
            decision=decision,
            by=by,
            at=at,
            kind=match.kind,
            score=score.total if score else 0.0,
            evidence=score.evidence if score else (),
        )


class LinkedBy(StrEnum):
    """How a contact came to be linked to its person."""

    NHS_NUMBER = "nhs_number"  # the same NHS number as a person on file
    SUBJECT_KEY = "subject_key"  # the same exact key (the only way imports link)
    CONFIRMED = "confirmed"  # the handler confirmed a possible match
    NEW = "new"  # a person first known from this contact


@dataclass(frozen=True)
class Link:
    person_id: str
    by: LinkedBy
