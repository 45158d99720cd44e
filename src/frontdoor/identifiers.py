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


# --- Identifiers in free text -------------------------------------------------------------
#
# What a handler types into a search box or a file puts in a code field may hold someone's
# number, date of birth or postcode. These find them as people write them, to take them
# out before a text leaves the record (a report) or is repeated (an error message).

NUMBER_MARK = "[number]"
DATE_MARK = "[date]"
POSTCODE_MARK = "[postcode]"
# a phone or NHS number has at least this many digits; needs have fewer ("24 hour", "2 weeks")
NUMBER_DIGITS = 6
_NUMBER_IN_TEXT = re.compile(r"\+?\(?\d(?:[\d().-]|\s(?=[\d(]))*\d")
_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_ORDINAL = r"\d{1,2}(?:st|nd|rd|th)?"
_DATE_IN_TEXT = re.compile(
    r"\b(?:"
    r"\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{2,4}"  # 2/3/1950, 02-03-50, 2.3.50
    r"|\d{4}-\d{1,2}-\d{1,2}"  # 1950-03-02
    rf"|{_ORDINAL}\s+(?:of\s+)?(?:{_MONTHS})\b\.?(?:,?\s+\d{{2,4}})?"  # 2nd of march 1950
    rf"|(?:{_MONTHS})\.?\s+{_ORDINAL}(?:,?\s+\d{{2,4}})?"  # march 2nd, 1950
    rf"|(?:{_MONTHS})\.?\s+\d{{4}}"  # march 1950
    r")\b",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")
_POSTCODE_IN_TEXT = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b", re.IGNORECASE)


def _number_or_kept(match: re.Match[str]) -> str:
    digits = sum(c.isdigit() for c in match.group())
    return NUMBER_MARK if digits >= NUMBER_DIGITS else match.group()


def without_identifiers(text: str) -> str:
    """`text` with each date, full postcode and long number (a phone or NHS number, with
    or without spaces) put as a mark: "falls 943 476 5919 dn15 6xx" is "falls [number]
    [postcode]". Short numbers stay: "24 hour care"."""
    if not _DIGIT.search(text):
        return text  # each of them has a digit; most searches have none, and read faster
    text = _DATE_IN_TEXT.sub(DATE_MARK, text)
    text = _POSTCODE_IN_TEXT.sub(POSTCODE_MARK, text)
    return _NUMBER_IN_TEXT.sub(_number_or_kept, text)


_CODE = re.compile(r"[a-z][a-z0-9_-]{0,39}|[A-Z][A-Z0-9_]{0,39}")


def repeatable(value: str) -> str | None:
    """`value`, from a file, quoted to repeat in an error message when it is a code (an
    outcome, a state, a queue event: one word in one case); None when it may be a name,
    a number, a date or a postcode that strayed into the wrong field, which an error
    message (and so a terminal, or a log) must not repeat."""
    if _CODE.fullmatch(value) and without_identifiers(value) == value:
        return f"'{value}'"
    return None
