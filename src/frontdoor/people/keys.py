"""Who called and who it is about: the exact keys. A caller key finds a caller's earlier
contacts; a subject key (an NHS number, or name, date of birth and postcode all three)
is the exact key a person is known by, as the record and the contacts file keep it."""

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
from frontdoor.people.model import Details

__all__ = [
    "caller_key",
    "details_of_key",
    "exact_keys",
    "nhs_number_valid",
    "normalise_nhs_number",
    "normalise_phone",
    "normalise_postcode",
    "phone_of",
    "subject_key",
]
_SPACES = re.compile(r"\s+")
_PHONE = re.compile(r"[\d\s()+-]{7,}")
# a subject key made of name, date of birth and postcode, as subject_key writes it
_DEMOGRAPHIC_KEY = re.compile(
    r"(?P<name>[^|]+)\|(?P<dob>\d{4}-\d{2}-\d{2})\|(?P<postcode>[A-Z\d]+)"
)


def caller_key(number_or_organisation: str | None) -> str | None:
    """The phone number (normalised) or, for a professional, the organisation."""
    if not number_or_organisation or not number_or_organisation.strip():
        return None
    text = number_or_organisation.strip()
    if _PHONE.fullmatch(text):
        return normalise_phone(text)
    return _SPACES.sub(" ", text).casefold()


def phone_of(number_or_organisation: str | None) -> str | None:
    """The caller's phone number (normalised), or None for an organisation or nothing."""
    text = (number_or_organisation or "").strip()
    return normalise_phone(text) if _PHONE.fullmatch(text) else None


def _demographic_key(name: str | None, dob: dt.date | None, postcode: str | None) -> str | None:
    if name and name.strip() and dob and postcode and postcode.strip():
        clean = _SPACES.sub(" ", name.strip()).casefold()
        return f"{clean}|{dob.isoformat()}|{compact_postcode(postcode)}"
    return None


def subject_key(
    nhs_number: str | None, name: str | None, dob: dt.date | None, postcode: str | None
) -> str | None:
    """NHS number where known, else name + date of birth + postcode; None if neither."""
    if nhs_number and nhs_number_valid(nhs_number):
        return normalise_nhs_number(nhs_number)
    return _demographic_key(name, dob, postcode)


def exact_keys(details: Details) -> list[str]:
    """Every exact key the details give, the NHS number first: a person is known by each,
    so a later contact with only name, date of birth and postcode finds one first known
    by an NHS number too."""
    keys = []
    if details.nhs_number and nhs_number_valid(details.nhs_number):
        keys.append(normalise_nhs_number(details.nhs_number))
    demographic = _demographic_key(details.name, details.dob, details.postcode)
    if demographic:
        keys.append(demographic)
    return keys


def details_of_key(key: str) -> Details:
    """What a subject key says of its person: an imported contact brings only its key.
    A key of another form (a system's own id) says nothing."""
    if nhs_number_valid(key):
        return Details(nhs_number=normalise_nhs_number(key))
    match = _DEMOGRAPHIC_KEY.fullmatch(key)
    if match is None:
        return Details()
    try:
        dob = dt.date.fromisoformat(match["dob"])
    except ValueError:
        return Details()
    return Details(
        name=match["name"].title(), dob=dob, postcode=normalise_postcode(match["postcode"])
    )
