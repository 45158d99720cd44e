"""How UK identifiers are written down: postcodes, NHS numbers and phone numbers, one
definition each, for the form, the record's keys and the directory's areas.

A leaf module with no imports of ours: the rooms that need these (interactions, directory,
the console's form) cannot import one another.
"""

from __future__ import annotations

import re

_SPACES = re.compile(r"\s+")
# outward code (area, district) then inward code (sector, unit): DN15 6XX, M1 1AE, W1A 0AX
POSTCODE = re.compile(r"[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}")
OUTWARD_CODE = re.compile(r"[A-Z]{1,2}\d[A-Z\d]?")


def compact_postcode(text: str) -> str:
    """'dn15 6xx ' -> 'DN156XX' (also for a district alone: 'dn15' -> 'DN15')."""
    return _SPACES.sub("", text).upper()


def is_postcode(text: str) -> bool:
    return bool(POSTCODE.fullmatch(compact_postcode(text)))


def normalise_postcode(text: str) -> str:
    """'dn156xx' -> 'DN15 6XX': the inward code is always the last three characters."""
    compact = compact_postcode(text)
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def normalise_nhs_number(text: str) -> str:
    return re.sub(r"[\s-]", "", text)


def nhs_number_valid(text: str) -> bool:
    """True when `text` is a 10-digit NHS number whose modulus-11 check digit is right.

    Weights 10 down to 2 on the first nine digits; 11 minus the remainder of the sum
    divided by 11 is the check digit (11 counts as 0, and 10 means no valid number).
    """
    digits = normalise_nhs_number(text)
    if not re.fullmatch(r"\d{10}", digits):
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


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
