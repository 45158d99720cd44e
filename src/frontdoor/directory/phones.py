"""UK phone numbers: normalised to E.164 when valid, kept as written (and flagged) when not.

Validation uses the `phonenumbers` package (Google's libphonenumber metadata), so the
ranges stay right as Ofcom changes them; short codes such as 111 and 101 count as valid.
"""

from __future__ import annotations

# `import phonenumbers` is in each function that uses it: its metadata takes longer to
# import than the console's first screen takes to paint, and that screen reads no number.


def clean(number: str) -> str:
    """The number as written, without the wrapping quotes and spaces some feeds add."""
    return number.strip().strip("\"'").strip()


def to_e164(number: str) -> str | None:
    """+441134960001 for a valid UK (or international) number, else None."""
    import phonenumbers

    text = clean(number)
    if not text:
        return None
    try:
        parsed = phonenumbers.parse(text, "GB")
    except phonenumbers.NumberParseException:
        return None
    if phonenumbers.is_valid_number(parsed):
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    if phonenumbers.is_valid_short_number(parsed):
        return str(parsed.national_number)
    return None


def display(number: str) -> str:
    """A valid UK number in its national form (0113 496 0001); others as written."""
    import phonenumbers

    text = clean(number)
    try:
        parsed = phonenumbers.parse(text, "GB")
    except phonenumbers.NumberParseException:
        return text
    if phonenumbers.is_valid_number(parsed):
        region = phonenumbers.region_code_for_number(parsed)
        style = (
            phonenumbers.PhoneNumberFormat.NATIONAL
            if region == "GB"
            else phonenumbers.PhoneNumberFormat.INTERNATIONAL
        )
        return phonenumbers.format_number(parsed, style)
    return text
