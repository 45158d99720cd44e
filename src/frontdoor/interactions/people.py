"""Who called and who it is about: NHS number check and the keys that find repeats."""

from __future__ import annotations

import datetime as dt
import re

from frontdoor.identifiers import (
    compact_postcode,
    nhs_number_valid,
    normalise_nhs_number,
    normalise_phone,
    normalise_postcode,
)

__all__ = [
    "caller_key",
    "nhs_number_valid",
    "normalise_nhs_number",
    "normalise_phone",
    "normalise_postcode",
    "subject_key",
]
_SPACES = re.compile(r"\s+")


def caller_key(number_or_organisation: str | None) -> str | None:
    """The phone number (normalised) or, for a professional, the organisation."""
    if not number_or_organisation or not number_or_organisation.strip():
        return None
    text = number_or_organisation.strip()
    if re.fullmatch(r"[\d\s()+-]{7,}", text):
        return normalise_phone(text)
    return _SPACES.sub(" ", text).casefold()


def subject_key(
    nhs_number: str | None, name: str | None, dob: dt.date | None, postcode: str | None
) -> str | None:
    """NHS number where known, else name + date of birth + postcode; None if neither."""
    if nhs_number and nhs_number_valid(nhs_number):
        return normalise_nhs_number(nhs_number)
    if name and name.strip() and dob and postcode and postcode.strip():
        clean = _SPACES.sub(" ", name.strip()).casefold()
        return f"{clean}|{dob.isoformat()}|{compact_postcode(postcode)}"
    return None
