"""Reading what a handler typed into the new-contact form (no Textual: tested directly)."""

from __future__ import annotations

import datetime as dt
import re

from frontdoor.identifiers import (
    is_postcode,
    nhs_number_valid,
    normalise_nhs_number,
    normalise_postcode,
)
from frontdoor.people.keys import phone_of
from frontdoor.people.model import Details


class FormError(ValueError):
    """What is wrong with a field, in words for the handler; `field` is the box's id, so
    the form can put the cursor where the fix goes."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def parse_dob(text: str, today: dt.date) -> dt.date | None:
    """DD/MM/YYYY (as people say it) or YYYY-MM-DD; None when left empty."""
    text = text.strip()
    if not text:
        return None
    match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            value = dt.date(year, month, day)
        else:
            value = dt.date.fromisoformat(text)
    except ValueError:
        raise FormError(
            "date of birth: write it as DD/MM/YYYY, e.g. 04/07/1941", "subject_dob"
        ) from None
    if value > today or value.year < today.year - 130:
        raise FormError("date of birth: that date cannot be right", "subject_dob")
    return value


def check_nhs_number(text: str) -> str | None:
    text = text.strip()
    if not text:
        return None
    if not nhs_number_valid(text):
        raise FormError(
            "NHS number: not a valid NHS number (10 digits; the last is a check "
            "digit). Check it with the caller, or leave it empty",
            "subject_nhs_number",
        )
    return normalise_nhs_number(text)


def check_postcode(text: str) -> str | None:
    if not text.strip():
        return None
    if not is_postcode(text):
        raise FormError("postcode: not a UK postcode, e.g. DN32 7DL", "subject_postcode")
    return normalise_postcode(text)


def person_details(
    name: str, dob: str, postcode: str, nhs_number: str, caller: str, today: dt.date
) -> Details:
    """What the form says so far about the person, for finding them on file while the
    handler types: a field not yet complete or not valid counts as not given."""
    try:
        born = parse_dob(dob, today)
    except FormError:
        born = None
    return Details(
        name=name.strip() or None,
        dob=born,
        postcode=normalise_postcode(postcode) if is_postcode(postcode) else None,
        nhs_number=normalise_nhs_number(nhs_number) if nhs_number_valid(nhs_number) else None,
        phone=phone_of(caller),
    )
