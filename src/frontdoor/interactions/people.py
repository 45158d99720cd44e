"""Who called and who it is about: NHS number check and the keys that find repeats."""

from __future__ import annotations

import datetime as dt
import re

_SPACES = re.compile(r"\s+")


def nhs_number_valid(text: str) -> bool:
    """True when `text` is a 10-digit NHS number whose modulus-11 check digit is right.

    Weights 10 down to 2 on the first nine digits; 11 minus the remainder of the sum
    divided by 11 is the check digit (11 counts as 0, and 10 means no valid number).
    """
    digits = re.sub(r"[\s-]", "", text)
    if not re.fullmatch(r"\d{10}", digits):
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def normalise_nhs_number(text: str) -> str:
    return re.sub(r"[\s-]", "", text)


def normalise_postcode(text: str) -> str:
    compact = _SPACES.sub("", text).upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def normalise_phone(text: str) -> str:
    """UK numbers to +44 form so that 01724 000111 and +44 1724 000111 are one caller."""
    digits = re.sub(r"[^\d+]", "", text)
    if digits.startswith("+"):
        return digits
    if digits.startswith("00"):
        return "+" + digits[2:]
    if digits.startswith("0") and len(digits) >= 10:
        return "+44" + digits[1:]
    return digits


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
        return f"{clean}|{dob.isoformat()}|{_SPACES.sub('', postcode).upper()}"
    return None
